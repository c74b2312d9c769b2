// Unhandled promise rejections against the real binary: logged once as "Uncaught (in
// promise)" (workerd logs them only with --verbose; the global-events conformance case has the
// events both runtimes fire), not logged when handled in time or when the global scope listens
// for them, and the same in a dynamic worker (an isolate made from the startup snapshot).
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveWorker } from "../../tools/testing/harness.mjs";

const CONFIG = "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    bindings:\n      LOADER: { worker_loader: {} }\n";

const CHILD = `export default { async fetch() {
  Promise.reject(new RangeError("child nobody"));
  await new Promise((r) => setTimeout(r, 10));
  return new Response("child ok");
} };`;

const WORKER = `
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export default {
  async fetch(request, env) {
    const what = new URL(request.url).pathname.slice(1);
    switch (what) {
      case "nobody": Promise.reject(new TypeError("nobody handles " + what)); break;
      case "handled": Promise.reject(new TypeError("handled")).catch(() => {}); break;
      case "handled-in-reaction": {
        // A reaction queued before the rejection is in time (one queued after it is not).
        let p;
        Promise.resolve().then(() => p.catch(() => {}));
        p = Promise.reject(new TypeError("handled in reaction"));
        break;
      }
      case "listened": {
        const seen = [];
        const h = (e) => seen.push(e.reason.message);
        addEventListener("unhandledrejection", h);
        Promise.reject(new TypeError("listened"));
        await sleep(10);
        removeEventListener("unhandledrejection", h);
        return Response.json(seen);
      }
      case "child": {
        const w = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": ${JSON.stringify(CHILD)} } });
        return w.getEntrypoint().fetch("http://x/");
      }
    }
    await sleep(10);
    return new Response("ok");
  },
};`;

test("unhandled rejections are logged once, unless handled in time or listened for", async () => {
  const proc = await serveWorker(WORKER, CONFIG);
  try {
    for (const path of ["/nobody", "/handled", "/handled-in-reaction"]) {
      assert.equal(await (await proc.fetch(path)).text(), "ok");
    }
    assert.deepEqual(await (await proc.fetch("/listened")).json(), ["listened"]);
    assert.equal(await (await proc.fetch("/child")).text(), "child ok");
    await new Promise((r) => setTimeout(r, 100));
    const lines = proc.stderr.split("\n").filter((l) => l.includes("Uncaught"));
    assert.equal(lines.length, 2, proc.stderr);
    assert.match(lines[0], /^\[w\] Uncaught \(in promise\) TypeError: nobody handles nobody/);
    assert.match(lines[1], /Uncaught \(in promise\) RangeError: child nobody/);
  } finally {
    await proc.stop();
  }
});
