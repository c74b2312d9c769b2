// Dynamic workers' isolates come from a V8 startup snapshot of a prepared context
// (runtime/worker.h IsolateSnapshot). A worker made from it must be indistinguishable from one
// whose builtins ran in a fresh context: the same globals (eager and lazily installed), the
// native halves of console, structuredClone and JS RPC attached again, class identity between
// C++ and JavaScript, builtin frames left out of stacks, and nothing shared between isolates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { constructor() { super(); this.n = 0; } inc() { return ++this.n; } }
export default class extends WorkerEntrypoint {
  async probe(callback) {
    const seen = globalThis.__mark ?? null;
    globalThis.__mark = "set";
    Array.prototype.__tampered = true;
    const r = new Response("body", { headers: { "x-a": "1" } });
    let stack = "";
    try { JSON.parse(new Headers([["a", "b"]]).get("a")); } catch (e) { stack = e.stack; }
    const bytes = new TextEncoder().encode("héllo");
    const stream = new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
    const streamed = await new Response(stream).text();
    console.log("logged from", "child");
    return {
      seen,
      responseIsResponse: r instanceof Response,
      headerCtor: r.headers instanceof Headers,
      text: await r.text(),
      url: new URL("../b?c=1", "https://example.com/a/x").href,
      streamed,
      blob: await new Blob(["ab", "cd"]).text(),
      cloned: structuredClone(new Map([[1, { d: new Date(0) }]])).get(1).d.getTime(),
      digest: [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].slice(0, 4),
      builtinFrames: stack.includes("loaderd:builtins"),
      stackHead: stack.split("\\n")[0],
      fromHost: await callback(2),
      tag: Object.prototype.toString.call(r.headers),
      globals: ["fetch", "setTimeout", "atob", "EventTarget", "AbortController", "CompressionStream",
                "navigator", "performance", "queueMicrotask"].map((n) => typeof globalThis[n]),
    };
  }
  counter() { return new Counter(); }
}`;

const PARENT = `
export default {
  async fetch(request, env) {
    const out = [];
    for (let i = 0; i < 3; i++) {
      const w = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js",
                                  modules: { "m.js": ${JSON.stringify(CHILD)} } });
      const ep = w.getEntrypoint();
      const result = await ep.probe((x) => x * 21);
      const counter = await ep.counter();
      await counter.inc();
      result.counter = await counter.inc();
      counter[Symbol.dispose]();
      result.tampered = [].__tampered === true;
      out.push(result);
    }
    return Response.json(out);
  },
};`;

async function run(env) {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": PARENT,
    "loaderd.yaml": "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    bindings:\n      LOADER: { worker_loader: {} }\n",
  });
  const proc = await startLoaderd(dir, { env: { ...process.env, LOADERD_DEBUG_TIMING: "1", ...env } });
  try {
    const response = await proc.fetch("/");
    assert.equal(response.status, 200, proc.stderr);
    return { results: await response.json(), stderr: proc.stderr };
  } finally {
    await proc.stop();
  }
}

test("workers made from the snapshot behave as workers whose builtins ran in a fresh context", async () => {
  const snap = await run({});
  const fresh = await run({ LOADERD_NO_SNAPSHOT: "1" });
  // The snapshot is what the pool used, and switching it off really switches it off.
  const origins = (stderr) => [...stderr.matchAll(/^start: .* from=(\w+)$/gm)].map((m) => m[1]);
  assert.deepEqual(origins(snap.stderr), ["snapshot", "snapshot", "snapshot"], snap.stderr);
  assert.deepEqual(origins(fresh.stderr), ["context", "context", "context"], fresh.stderr);
  assert.deepEqual(snap.results, fresh.results);
  const first = snap.results[0];
  assert.deepEqual(first, {
    seen: null, responseIsResponse: true, headerCtor: true, text: "body",
    url: "https://example.com/b?c=1", streamed: "héllo", blob: "abcd", cloned: 0,
    digest: [60, 72, 89, 29],  // SHA-256("héllo"), as Node computes it
    builtinFrames: false, stackHead: first.stackHead, fromHost: 42,
    tag: "[object Headers]",
    globals: ["function", "function", "function", "function", "function", "function", "object",
              "object", "function"],
    counter: 2, tampered: false,
  });
  assert.match(first.stackHead, /^SyntaxError: /);
  // Each worker got its own isolate: what one did to its globals no other sees.
  assert.ok(snap.results.every((r) => r.seen === null));
  assert.equal(snap.stderr.match(/logged from child/g)?.length, 3, snap.stderr);
});
