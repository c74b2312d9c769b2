// Request binding of I/O objects: /keep and /keep-async store objects in globals, /use uses them
// from another request (each refused with workerd's error) and checks what the same request may
// do through its continuations.
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
const CHILD = "import { RpcTarget } from 'cloudflare:workers'; class T extends RpcTarget { hi() { return 'hi'; } } export default { ping(x) { return 'pong'; }, target(x) { return new T(); }, fn(x) { return () => 'called'; }, callBack(out) { return out.make(); }, fetch(r) { return new Response('child fetch'); } }";
const code = () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CHILD } });
const kept = {};
// A target handed out by an async method, holding a stub that method received: calls on the
// target later run for the request the method ran for, so the stub is theirs.
export class Helper extends WorkerEntrypoint {
  target() { return new (class extends RpcTarget { hi() { return "hi from helper"; } })(); }
}
const SESSION = "import { RpcTarget } from 'cloudflare:workers'; class Session extends RpcTarget { constructor(t) { super(); this.t = t; } go() { return this.t.hi(); } } export default { async open(x, env) { const t = await env.H.target(); await new Promise((r) => setTimeout(r, 5)); return new Session(t); } }";
async function outcome(f) { try { const v = await f(); return typeof v === "object" ? "ok object" : String(v); } catch (e) { return `${e.name}: ${e.message}`; } }
export default {
  async fetch(request, env, ctx) {
    const step = new URL(request.url).pathname;
    if (step === "/keep") {
      kept.stub = env.LOADER.get("named", code);
      kept.anon = env.LOADER.load(code());
      kept.ep = kept.stub.getEntrypoint();
      kept.target = await kept.ep.target(1);
      kept.fn = await kept.ep.fn(1);
      kept.promise = kept.ep.ping(1);
      await kept.promise;
      return new Response("kept");
    }
    if (step === "/keep-async") {
      await scheduler.wait(1);
      kept.asyncStub = env.LOADER.load(code());
      return new Response("kept async");
    }
    const r = {};
    r.stubGetEntrypoint = await outcome(() => kept.stub.getEntrypoint());
    r.stubCall = await outcome(() => kept.stub.getEntrypoint().ping(1));
    r.anonCall = await outcome(() => kept.anon.getEntrypoint().ping(1));
    r.epCall = await outcome(() => kept.ep.ping(1));
    r.epFetch = await outcome(async () => (await kept.ep.fetch("http://x/")).text());
    r.targetCall = await outcome(() => kept.target.hi());
    r.fnCall = await outcome(() => kept.fn());
    r.asyncStubCall = await outcome(() => kept.asyncStub.getEntrypoint().ping(1));
    r.freshGet = await outcome(() => env.LOADER.get("named", code).getEntrypoint().ping(1));
    // The same request, through its continuations: allowed.
    r.waitUntilUse = await new Promise((resolve) => {
      const stub = env.LOADER.load(code());
      ctx.waitUntil((async () => { await scheduler.wait(20); resolve(await outcome(() => stub.getEntrypoint().ping(1))); })());
    });
    r.timerUse = await new Promise((resolve) => {
      const ep = env.LOADER.load(code()).getEntrypoint();
      setTimeout(() => outcome(() => ep.ping(1)).then(resolve), 5);
    });
    r.asyncTarget = await outcome(async () => {
      const session = await env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": SESSION }, env: { H: ctx.exports.Helper({ props: {} }) } }).getEntrypoint().open(1);
      return session.go();
    });
    // A timer's callback runs for the request that set it.
    r.timerForeign = await new Promise((resolve) => setTimeout(() => outcome(() => kept.ep.ping(1)).then(resolve), 5));
    let made;
    const out = new (class extends RpcTarget { make() { made = env.LOADER.load(code()); return "made"; } })();
    await env.LOADER.load(code()).getEntrypoint().callBack(out);
    r.callbackUse = await outcome(() => made.getEntrypoint().ping(1));
    const als = new (await import("node:async_hooks")).AsyncLocalStorage();
    r.als = await als.run("store", async () => { await scheduler.wait(1); const ep = env.LOADER.load(code()).getEntrypoint(); const v = await ep.ping(1); return v + " " + als.getStore(); });
    return Response.json(r);
  },
};
