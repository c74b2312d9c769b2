// Calls whose promises are never awaited (spec §8): delivered anyway, in order, to their end.
const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
const log = [];
let made = 0;
class Counter extends RpcTarget { inc() { return ++made; } }
export default class extends WorkerEntrypoint {
  record(x) { log.push(x); return x; }
  async recordLater(x) { await new Promise((r) => setTimeout(r, 20)); log.push(x); return x; }
  recorded() { return log; }
  makeCounter() { return new Counter(); }
  made() { return made; }
}`;

function dropUnawaited(ep) {
  // The promise becomes garbage at once.
  ep.recordLater("late");
}

export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js",
                                 modules: { "c.js": CHILD } }).getEntrypoint();
    ep.record("a");
    dropUnawaited(ep);
    ep.record("b");
    gc();
    const first = [...await ep.recorded()];
    await new Promise((r) => setTimeout(r, 80));
    gc();
    const second = [...await ep.recorded()];
    // Only pipelined on: the first call runs without being awaited.
    ep.makeCounter().inc();
    gc();
    await new Promise((r) => setTimeout(r, 20));
    const pipelinedOnly = await ep.made();
    return Response.json({ first, second, pipelinedOnly });
  },
};
