// A dynamic worker's view of its own invocation (spec/worker-loader.md §§2, 3): `this.ctx` and
// `this.env` in an entrypoint class, `env` imported from cloudflare:workers at module scope,
// the instance's own keys, navigator.userAgent, waitUntil from an RPC method and from fetch(),
// and entrypoint identity.
const CHILD = `
import { WorkerEntrypoint, env as importedEnv } from "cloudflare:workers";
const atLoad = typeof importedEnv;
export default class extends WorkerEntrypoint {
  ctxShape() { return [typeof this.ctx.waitUntil, typeof this.ctx.passThroughOnException, Object.prototype.toString.call(this.ctx), typeof this.env]; }
  imported() { return [atLoad, importedEnv?.GREETING ?? null, this.env.GREETING]; }
  ownKeys() { return Object.keys(this).sort(); }
  ua() { return navigator.userAgent; }
  waits() { let done = false; this.ctx.waitUntil(new Promise((r) => setTimeout(() => { done = true; r(); }, 20))); return "returned"; }
  async fetch(req) { this.ctx.waitUntil(Promise.resolve()); return new Response(String(typeof this.ctx.waitUntil)); }
  ping() { return "pong"; }
}`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const load = (env) => env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD }, env: { GREETING: "hi" } });
const ITEMS = {
  ctxShape: (env) => load(env).getEntrypoint().ctxShape(),
  imported: (env) => load(env).getEntrypoint().imported(),
  ownKeys: (env) => load(env).getEntrypoint().ownKeys(),
  ua: (env) => load(env).getEntrypoint().ua(),
  waits: (env) => load(env).getEntrypoint().waits(),
  fetchCtx: async (env) => (await load(env).getEntrypoint().fetch("http://x/")).text(),
  epIdentity: (env) => { const w = load(env); return [w.getEntrypoint() === w.getEntrypoint(), w === w]; },
  // (A WorkerStub or entrypoint kept from one request and used in a later one: workerd throws
  // "Cannot perform I/O on behalf of a different request. … (I/O type: WorkerStubChannel)";
  // loaderd lets it be used.)
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](env)) });
  },
};
