// JS RPC surface details (spec §3, §8.2, §8.4), probed on workerd; one item per request.
import { RpcStub, RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

const CHILD = `import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { constructor() { super(); this.n = 0; } inc() { return ++this.n; } }
export class Ep extends WorkerEntrypoint {
  plain(x) { return x * 2; }
  connect() { return "connect called"; }
  alarm() { return "alarm called"; }
  dup() { return "dup called"; }
  webSocketMessage() { return "wsm"; }
  get prop() { return { deep: { n: 5, fn: () => "fn ran" } }; }
  env() { return "env method"; }
  ctx() { return "ctx method"; }
  withTarget() { return { counter: new Counter(), label: "x" }; }
  plainNoStubs() { return { a: 1 }; }
  arrayWithTarget() { return [new Counter(), 2]; }
  nestedTargets() { return { list: [new Counter()], inner: { c: new Counter() }, map: new Map([["k", new Counter()]]) }; }
  targetItself() { return new Counter(); }
  nullProto() { const o = Object.create(null); o.c = new Counter(); return o; }
  withFunction() { return { f: () => "f ran" }; }
  nullProtoPlain() { const o = Object.create(null); o.a = 1; return o; }
  nestedNullProto() { const o = Object.create(null); o.a = 1; return { o }; }
  echo(v) { return typeof v + " " + JSON.stringify(v) + " proto=" + (Object.getPrototypeOf(v) === Object.prototype); }
  big() { return "x".repeat(33 * 1024 * 1024); }
  throwsLater() { return Promise.reject(new RangeError("later")); }
  value() { return 42; }
}
export class NoFetch extends WorkerEntrypoint { m() { return 1; } }
export default {
  multi(a, b) { return "multi " + a + b; },
  one(a) { return "one " + a; },
  async fetch(request) { return new Response("default fetch"); },
};`;

const child = (env, entrypoint) => env.LOADER.get("child", () => ({
  compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD },
})).getEntrypoint(entrypoint);

const show = (e) => `${e?.constructor?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`;
async function outcome(p) { try { const v = await p; return `ok ${typeof v === "string" && v.length > 100 ? "len " + v.length : JSON.stringify(v)}`; } catch (e) { return `err ${show(e)}`; } }
function sync(f) { try { const v = f(); return `ok ${typeof v}`; } catch (e) { return `err ${show(e)}`; } }

class Local extends RpcTarget { hello() { return "local hello"; } }

const ITEMS = {
  reservedConnect: (env) => sync(() => child(env, "Ep").connect()),
  reservedAlarm: (env) => outcome(child(env, "Ep").alarm()),
  reservedDup: (env) => outcome(child(env, "Ep").dup()),
  reservedWsm: (env) => outcome(child(env, "Ep").webSocketMessage()),
  shadowEnv: (env) => outcome(child(env, "Ep").env()),
  shadowCtx: (env) => outcome(child(env, "Ep").ctx()),
  notAFunction: (env) => outcome(child(env, "Ep").prop.deep.n()),
  fnThroughGetter: (env) => outcome(child(env, "Ep").prop.deep.fn()),
  multiArgs: (env) => outcome(child(env).multi(1, 2)),
  oneArg: (env) => outcome(child(env).one(1)),
  classWithoutFetch: async (env) => { try { const r = await child(env, "NoFetch").fetch("https://x/"); return `status ${r.status} ${await r.text()}`; } catch (e) { return `err ${show(e)}`; } },
  bigResult: (env) => outcome(child(env, "Ep").big()),
  catchMethod: (env) => child(env, "Ep").throwsLater().catch((e) => `caught ${show(e)}`),
  finallyMethod: async (env) => { let ran = false; const v = await child(env, "Ep").value().finally(() => { ran = true; }); return `${v} ${ran}`; },
  tornMethod: async (env) => { const f = child(env, "Ep").plain; return outcome(f(21)); },
  resultDisposer: async (env) => {
    const r = await child(env, "Ep").withTarget();
    const has = typeof r[Symbol.dispose];
    const n1 = await r.counter.inc();
    r[Symbol.dispose]();
    const after = await outcome(r.counter.inc());
    return `${has} ${n1} ${after} label=${r.label}`;
  },
  disposerShapes: async (env) => {
    const ep = child(env, "Ep");
    const describe = (v) => {
      const d = Object.getOwnPropertyDescriptor(v, Symbol.dispose);
      return d ? `own(${typeof d.value},enum=${d.enumerable},writable=${d.writable},conf=${d.configurable})` : `inherited ${typeof v[Symbol.dispose]}`;
    };
    const out = [];
    for (const m of ["plainNoStubs", "arrayWithTarget", "nestedTargets", "withFunction"]) out.push(`${m}: ${describe(await ep[m]())}`);
    out.push(`keys: ${Object.keys(await ep.withTarget()).join(",")}`);
    return out.join(" | ");
  },
  nullProtoResult: (env) => outcome(child(env, "Ep").nullProto()),
  nullProtoPlainResult: (env) => outcome(child(env, "Ep").nullProtoPlain()),
  nestedNullProtoResult: (env) => outcome(child(env, "Ep").nestedNullProto()),
  nullProtoArgument: (env) => { const o = Object.create(null); o.a = 1; return outcome(child(env, "Ep").echo(o)); },
  nullProtoClone: () => { const o = Object.create(null); o.a = 1; const c = structuredClone(o); return `${JSON.stringify(c)} proto=${Object.getPrototypeOf(c) === Object.prototype}`; },
  nestedDispose: async (env) => {
    const r = await child(env, "Ep").nestedTargets();
    await r.list[0].inc();
    r[Symbol.dispose]();
    return [await outcome(r.list[0].inc()), await outcome(r.inner.c.inc()), await outcome(r.map.get("k").inc())].join(" | ");
  },
  arrayDispose: async (env) => {
    const r = await child(env, "Ep").arrayWithTarget();
    if (typeof r[Symbol.dispose] !== "function") return "no disposer";
    r[Symbol.dispose]();
    return outcome(r[0].inc());
  },
  functionDispose: async (env) => {
    const r = await child(env, "Ep").withFunction();
    r[Symbol.dispose]();
    return outcome(r.f());
  },
  primitiveResultDisposer: async (env) => { const v = await child(env, "Ep").value(); return typeof v; },
  rpcStubPlainObject: async () => { const s = new RpcStub({ a: () => "a ran", n: 3 }); return `${typeof s} ${await s.a()} ${await s.n}`; },
  rpcStubFunction: async () => { const s = new RpcStub(() => "called"); return `${typeof s} ${await s()}`; },
  rpcStubTarget: async () => { const s = new RpcStub(new Local()); return `${typeof s} ${await s.hello()} dup=${typeof s.dup} dispose=${typeof s[Symbol.dispose]}`; },
  rpcStubBad: () => ["str", 5, null, undefined, [1, 2], new Map(), new Date(0)].map((v) => sync(() => new RpcStub(v))).join(" | "),
  rpcStubNoNew: () => sync(() => RpcStub({})),
  rpcStubDisposed: async () => { const s = new RpcStub({ a: () => 1 }); s[Symbol.dispose](); return outcome(s.a()); },
};

export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
