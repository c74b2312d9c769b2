// ctx.abort() against the real binary, beyond what the ctx-abort-tracing conformance case shows
// on both runtimes: it ends only the invocation running now (another one of the same worker in
// flight completes), it cannot be caught or looped around, a ctx kept after its invocation ended
// stops whatever calls it, and the worker and the server serve on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveWorker } from "../../tools/testing/harness.mjs";

const CONFIG = "workers:\n  w:\n    main: index.js\n    compatibility_date: 2026-05-01\n    bindings:\n      LOADER: { worker_loader: {} }\n";

const CHILD = `import { WorkerEntrypoint } from "cloudflare:workers";
let kept, calls = 0;
export class Ep extends WorkerEntrypoint {
  async slow() { await new Promise((r) => setTimeout(r, 100)); return "slow done"; }
  abortNow() { this.ctx.abort("now"); }
  spin() { for (;;) { try { this.ctx.abort("spun"); } catch {} } }
  caught() { try { this.ctx.abort("caught?"); } catch (e) { return "caught " + e; } finally { globalThis.fin = "ran"; } return "after"; }
  keep() { kept = this.ctx; setTimeout(() => { kept.abort("late"); globalThis.late = "ran on"; }, 10); return "kept"; }
  state() { return { calls: ++calls, fin: String(globalThis.fin), late: String(globalThis.late) }; }
}
export default { fetch() { return new Response("child"); } };`;

const WORKER = `
const CHILD = ${JSON.stringify(CHILD)};
const child = (env) => env.LOADER.get("child", () => ({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD } })).getEntrypoint("Ep");
const settle = (p) => p.then((v) => "ok " + JSON.stringify(v), (e) => "err " + e.message);
export default {
  async fetch(request, env, ctx) {
    const what = new URL(request.url).pathname.slice(1);
    switch (what) {
      case "concurrent": {
        const slow = settle(child(env).slow());
        await new Promise((r) => setTimeout(r, 10));
        const aborted = await settle(child(env).abortNow());
        return Response.json([aborted, await slow]);
      }
      case "spin": return Response.json(await settle(child(env).spin()));
      case "caught": return Response.json(await settle(child(env).caught()));
      case "keep": {
        const kept = await settle(child(env).keep());
        await new Promise((r) => setTimeout(r, 50));
        return Response.json([kept, await settle(child(env).state())]);
      }
      case "state": return Response.json(await settle(child(env).state()));
      case "self": ctx.abort(new RangeError("top-level abort")); return new Response("unreachable");
      case "getcode": {
        // getCode runs outside any request: abort() there is an error, not a stop.
        const w = env.LOADER.get("g", () => { ctx.abort("in getCode"); return {}; });
        return Response.json(await settle(w.getEntrypoint().fetch("http://x/")));
      }
      default: return new Response("ok");
    }
  },
};`;

test("ctx.abort() ends one invocation, cannot be caught or looped around, and the worker serves on", async () => {
  const proc = await serveWorker(WORKER, CONFIG);
  try {
    const json = async (path) => (await proc.fetch(path)).json();
    // Another invocation of the same worker, waiting on a timer meanwhile, completes.
    assert.deepEqual(await json("/concurrent"), ["err now", 'ok "slow done"']);
    // A loop calling abort() again and catching what it can ends (termination is not catchable).
    const started = Date.now();
    assert.equal(await json("/spin"), "err spun");
    assert.ok(Date.now() - started < 5000);
    // Neither catch nor finally runs once aborted.
    assert.equal(await json("/caught"), "err caught?");
    // A ctx kept past its invocation stops the timer callback that calls it (the statement after
    // abort() never runs); the worker keeps its state and answers.
    assert.deepEqual(await json("/keep"), ['ok "kept"', 'ok {"calls":1,"fin":"undefined","late":"undefined"}']);
    assert.equal(await json("/state"), 'ok {"calls":2,"fin":"undefined","late":"undefined"}');
    // Outside the request it belongs to (getCode), abort() throws.
    assert.equal(await json("/getcode"), "err ctx.abort() was called outside of the request it belongs to.");
    // Over HTTP the client gets a 500 and the reason is logged; the server serves on.
    const r = await proc.fetch("/self");
    assert.equal(r.status, 500);
    assert.equal(await r.text(), "Internal Server Error");
    assert.equal(await (await proc.fetch("/")).text(), "ok");
    await new Promise((r) => setTimeout(r, 100));
    assert.match(proc.stderr, /RangeError: top-level abort/);
  } finally {
    await proc.stop();
  }
});
