// JS RPC at the call site (spec/worker-loader.md §8.4), as workerd behaves: a call that cannot
// be sent (disposed stub, uncloneable or oversized arguments) rejects instead of throwing, and a
// stub passed as an argument moves to the callee (the caller's is disposed once the call is
// sent; pass stub.dup() to keep it).
const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { #n = 0; inc(by = 1) { this.#n += by; return this.#n; } get value() { return this.#n; } }
export default class extends WorkerEntrypoint {
  makeCounter() { return new Counter(); }
  async useCounter(c) { return await c.inc(5); }
  async useNested(o) { return await o.c.inc(5); }
  async useTwo(a, b) { return [await a.inc(1), await b.inc(1)]; }
  slow(c) { return new Promise((r) => setTimeout(() => r("done"), 50)); }
}`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}`; } }
async function how(f) {
  let p;
  try { p = f(); } catch (e) { return "sync " + e.message; }
  try { await p; return "ok"; } catch (e) { return "async " + e.message; }
}
const ITEMS = {
  disposedCallHow: async (ep) => { const c = await ep.makeCounter(); c[Symbol.dispose](); return await how(() => c.inc(1)); },
  disposedPassHow: async (ep) => { const c = await ep.makeCounter(); c[Symbol.dispose](); return await how(() => ep.useCounter(c)); },
  cloneErrorHow: async (ep) => await how(() => ep.useCounter(Symbol("s"))),
  bigArgHow: async (ep) => await how(() => ep.useCounter("x".repeat(33 * 1024 * 1024))),
  afterAwait: async (ep) => { const c = await ep.makeCounter(); await ep.useCounter(c); return await outcome(c.value); },
  duringCall: async (ep) => { const c = await ep.makeCounter(); const p = ep.slow(c); const v = await outcome(c.inc(1)); await p; return [v, await outcome(c.value)]; },
  passedDup: async (ep) => { const c = await ep.makeCounter(); await ep.useCounter(c.dup()); return await outcome(c.value); },
  nested: async (ep) => { const c = await ep.makeCounter(); await ep.useNested({ c }); return await outcome(c.value); },
  twice: async (ep) => { const c = await ep.makeCounter(); return [await outcome(ep.useTwo(c, c)), await outcome(c.value)]; },
  sentTwiceSequential: async (ep) => { const c = await ep.makeCounter(); const a = await outcome(ep.useCounter(c)); const b = await outcome(ep.useCounter(c)); return [a, b]; },
};
export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](ep)) });
  },
};
