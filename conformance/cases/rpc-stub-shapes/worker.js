// JS RPC stubs and call promises as objects, and what a path may walk (spec/worker-loader.md
// §8.4), as workerd behaves: missing properties, throwing getters, torn-off methods, `in`,
// prototypes (not Function.prototype), pipelining on undefined, null and arrays (not walkable),
// stubs kept by the callee across requests, concurrent calls.
const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { #n = 0; inc(by = 1) { this.#n += by; return this.#n; } get value() { return this.#n; } get boom() { throw new RangeError("getter threw"); } }
let kept;
export default class extends WorkerEntrypoint {
  makeCounter() { return new Counter(); }
  keep(c) { kept = c.dup(); return "kept"; }
  giveBack() { return kept; }
  async useKept() { return await kept.inc(1); }
  nothing() {}
  nul() { return null; }
  arr() { return [1, 2, 3]; }
  get plain() { return { a: 1 }; }
}`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const ITEMS = {
  missingEntrypointProp: (ep) => ep.missingProp,
  missingTargetProp: (ep) => ep.makeCounter().missing,
  getterThrows: (ep) => ep.makeCounter().boom,
  torn: async (ep) => { const c = await ep.makeCounter(); const f = c.inc; return await f.call(null, 2); },
  inOperator: async (ep) => { const c = await ep.makeCounter(); return ["inc" in c, "zzz" in c]; },
  keys: async (ep) => { const c = await ep.makeCounter(); return Object.keys(c).length; },
  json: async (ep) => { const c = await ep.makeCounter(); try { return String(JSON.stringify(c)); } catch (e) { return "threw " + e.message; } },
  instanceofFn: async (ep) => { const c = await ep.makeCounter(); return c instanceof Function; },
  protoShape: async (ep) => { const c = await ep.makeCounter(); const p = Object.getPrototypeOf(c);
    return [p === Function.prototype, p === Object.prototype, p === null, p && Object.getPrototypeOf(p) === Object.prototype,
            Object.prototype.toString.call(c), typeof c.bind, typeof c.call, typeof c.apply, String(c.constructor?.name)]; },
  promiseShape: async (ep) => { const p = ep.makeCounter(); const r = [p instanceof Promise, typeof p, Object.prototype.toString.call(p), p instanceof Function]; await p; return r; },
  fetcherShape: async (ep) => [ep instanceof Function, typeof ep, Object.prototype.toString.call(ep)],
  pipelineOnUndefined: (ep) => ep.nothing().foo(),
  pipelineOnNull: (ep) => ep.nul().foo(),
  pipelineOnArray: (ep) => ep.arr().length,
  plainGetter: (ep) => ep.plain.a,
  keptAcrossCalls: async (ep) => { const c = await ep.makeCounter(); await ep.keep(c.dup()); return [await outcome(ep.useKept()), await outcome(c.value)]; },
  stubReturnedBack: async (ep) => { const c = await ep.makeCounter(); await ep.keep(c.dup()); const back = await ep.giveBack(); return await outcome(back.inc(10)); },
  manyAtOnce: async (ep) => { const c = await ep.makeCounter(); const r = await Promise.all([1, 2, 3, 4].map((n) => c.inc(n))); return r; },
  // (Awaiting a call promise after disposing it: loaderd rejects with "RPC promise used after
  // being disposed."; workerd resolves to the promise object itself.)
};
export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](ep)) });
  },
};
