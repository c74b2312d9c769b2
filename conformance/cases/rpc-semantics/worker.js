// JS RPC semantics between a parent and a dynamic worker (spec/worker-loader.md §8).
import { RpcTarget } from "cloudflare:workers";

const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget {
  #n = 0;
  inc(by = 1) { this.#n += by; return this.#n; }
  get value() { return this.#n; }
}
class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; this.code = 42; } }
export default class extends WorkerEntrypoint {
  echo(v) { return v; }
  types(v) { return Object.prototype.toString.call(v); }
  makeCounter() { return new Counter(); }
  makeObjWithFn() { const c = new Counter(); return { nested: { c } }; }
  async callBack(fn, x) { return await fn(x); }
  async useTarget(t) { return [await t.name(), await t.add(2, 3)]; }
  throwType() { throw new TypeError("bad type"); }
  throwRange() { throw new RangeError("out of range"); }
  throwCustom() { throw new MyError("custom err"); }
  throwString() { throw "a string"; }
  async rejectLater() { await null; throw new Error("later"); }
  get prop() { return "propval"; }
  returnsNumber() { return 5; }
  big(n) { return "x".repeat(n); }
  getAdder() { return (a, b) => a * 10 + b; }
}`;

class Host extends RpcTarget {
  name() { return "host"; }
  add(a, b) { return a + b; }
}
class Foo {}

async function outcome(p) {
  try {
    const v = await p;
    return v;
  } catch (e) {
    return `${e.name}: ${e.message}${e.remote ? " (remote)" : ""}`;
  }
}

export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const out = {};
    const sparse = [1, , 3];
    const cyclic = { a: 1 }; cyclic.self = cyclic;
    const value = await ep.echo({
      n: -0, nan: NaN, big: 123n, s: "str", b: true, u: undefined, nul: null,
      date: new Date(0), re: /x+/gi, map: new Map([[1, "a"]]), set: new Set([1, 2]),
      bytes: new Uint8Array([1, 2, 3]), ab: new ArrayBuffer(2), err: new RangeError("as value"),
      sparse, cyclic,
    });
    out.values = {
      negZero: Object.is(value.n, -0), nan: Number.isNaN(value.nan), big: typeof value.big,
      s: value.s, b: value.b, hasU: "u" in value, nul: value.nul, date: value.date.getTime(),
      re: String(value.re), map: [...value.map], set: [...value.set], bytes: [...value.bytes],
      ab: value.ab.byteLength, err: `${value.err.name}: ${value.err.message}`,
      sparseHole: !(1 in value.sparse), sparseLen: value.sparse.length,
      cycle: value.cyclic.self === value.cyclic,
    };
    out.fnType = await ep.types(() => 1);
    out.callBack = await ep.callBack((x) => x * 2, 21);
    out.target = await ep.useTarget(new Host());
    out.nestedFn = await ep.callBack({ f: (x) => x + 1 }.f, 1);
    out.pipelined = await ep.makeCounter().inc(7);
    out.pipelinedNested = await ep.makeObjWithFn().nested.c.inc(3);
    // A function result called before it arrives (pipelined) and after: same arguments.
    out.pipelinedCall = await ep.getAdder()(2, 3);
    out.resolvedCall = await (await ep.getAdder())(2, 3);
    const counter = await ep.makeCounter();
    out.counter = [await counter.inc(), await counter.inc(2), await counter.value];
    out.prop = await ep.prop;
    out.errors = [
      await outcome(ep.throwType()), await outcome(ep.throwRange()), await outcome(ep.throwCustom()),
      await outcome(ep.throwString()), await outcome(ep.rejectLater()), await outcome(ep.nope()),
      await outcome(ep.returnsNumber().foo()),
    ];
    const cloneErrors = [];
    for (const v of [Symbol("s"), new Foo(), new WeakMap(), Promise.resolve(1)]) {
      try { await ep.echo(v); cloneErrors.push("none"); }
      catch (e) { cloneErrors.push(`${e.name}: ${e.message}${e.remote ? " (remote)" : ""}`); }
    }
    out.cloneErrors = cloneErrors;
    out.remoteIsError = await (async () => { try { await ep.throwType(); } catch (e) { return e instanceof TypeError && e instanceof Error; } })();
    return Response.json(out);
  },
};
