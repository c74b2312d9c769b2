// Service bindings from config (spec/worker-loader.md §8): a binding to a named entrypoint and to
// the default export of a static worker, used for RPC (also pipelined), fetch(), from the
// entrypoint's own env, passed to a dynamic worker in its env and as an RPC argument.
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
export class E extends WorkerEntrypoint {
  hi(x) { return "hi " + x; }
  target() { return new (class extends RpcTarget { n() { return 7; } })(); }
  async fetch(request) { return new Response("E fetch " + new URL(request.url).pathname); }
  envKeys() { return Object.keys(this.env).sort(); }
}
const CHILD = `export default { async run(x, env) { return [await env.SVC.hi("child"), await (await env.SVC.fetch("http://x/from-child")).text()]; } }`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const ITEMS = {
  rpc: (env) => env.SELF.hi(1),
  rpcPipelined: (env) => env.SELF.target().n(),
  fetch: async (env) => (await env.SELF.fetch("http://x/path")).text(),
  envInEntrypoint: (env) => env.SELF.envKeys(),
  defaultRpc: (env) => env.DEFAULT.handlerMethod("a"),
  defaultMissing: (env) => env.DEFAULT.nope(1),
  fetcherShape: (env) => [typeof env.SELF, Object.prototype.toString.call(env.SELF), typeof env.SELF.fetch, typeof env.SELF.connect],
  passedToChild: (env) => env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD }, env: { SVC: env.SELF } }).getEntrypoint().run(1),
  sentAsArg: async (env) => { const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": "export default { async run(svc) { return await svc.hi('arg'); } }" } }).getEntrypoint(); return await ep.run(env.SELF); },
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    if (item === null) return new Response("default fetch");
    return Response.json({ [item]: await outcome(ITEMS[item](env)) });
  },
  handlerMethod(arg, env, ctx) { return "handler " + arg; },
};
