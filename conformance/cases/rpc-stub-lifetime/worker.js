// Stub lifetimes (spec §8.4): stubs received as arguments are disposed when the call completes,
// running the host RpcTarget's [Symbol.dispose]() once; a kept stub then fails; disposing a
// returned stub makes later calls fail.
import { RpcTarget } from "cloudflare:workers";

const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
let kept;
class Counter extends RpcTarget { #n = 0; inc() { return ++this.#n; } }
export default class extends WorkerEntrypoint {
  async use(t) { kept = t; return await t.hello(); }
  async useKept() { return await kept.hello(); }
  makeCounter() { return new Counter(); }
}`;

let disposed = 0;
class Host extends RpcTarget {
  hello() { return "hi"; }
  [Symbol.dispose]() { disposed++; }
}

export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const out = {};
    out.first = await ep.use(new Host());
    await new Promise((r) => setTimeout(r, 10));
    out.disposedAfterCall = disposed;
    try { out.kept = await ep.useKept(); } catch (e) { out.kept = `${e.name}: ${e.message}`; }
    const counter = await ep.makeCounter();
    out.counter = await counter.inc();
    counter[Symbol.dispose]();
    try { await counter.inc(); out.afterDispose = "worked"; } catch (e) { out.afterDispose = `${e.name}: ${e.message}`; }
    return Response.json(out);
  },
};
