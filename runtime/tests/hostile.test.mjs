// Hostile code against the real binary: tampered intrinsics, nested disposers, dropped
// loaders, oversized bodies and isolate floods must give errors, never a dead or hung server.
// (Regression tests for a review of crash paths; each once aborted, hung or crashed loaderd.)
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { readFileSync } from "node:fs";
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import { serveWorker, scratchDir, writeFiles, startLoaderd } from "../../tools/testing/harness.mjs";

const CONFIG = "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    bindings:\n      LOADER: { worker_loader: {} }\n      DROPPED: { worker_loader: {} }\n";

const serve = (source, config = CONFIG) => serveWorker(source, config);

const WORKER = `
let resolveCode, resumeDropped;
export default {
  async fetch(request, env) {
    const what = request.url.slice(request.url.lastIndexOf("/") + 1);
    const child = (source, extra = {}) => env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": source }, ...extra });
    switch (what) {
      case "error-tostring-symbol": {
        const r = await child("export default { f(x) { Error.prototype.toString = () => Symbol(); return new Error('x').stack; } }").getEntrypoint().f(1);
        return new Response(String(r).split("\\n")[0]);
      }
      case "error-replaced":
        globalThis.Error = 1;
        throw new TypeError("after replacing Error");
      case "array-map":
        Array.prototype.map = function () { return 42; };
        try { child("export default {}"); return new Response("loaded"); }
        catch (e) { return new Response(e.name + ": " + e.message); }
      case "nested-dispose":
        try {
          await child(\`import { WorkerEntrypoint, RpcStub } from "cloudflare:workers";
            export default class extends WorkerEntrypoint {
              spin() { const s = new RpcStub({ [Symbol.dispose]() {} }); s[Symbol.dispose](); while (true) {} }
            }\`, { limits: { cpuMs: 50 } }).getEntrypoint().spin();
          return new Response("returned");
        } catch (e) { return new Response(e.message); }
      case "drop-loader": {
        // A stub whose getCode is still pending, from a loader nothing references any more (the
        // GC of /collect finds it); used, in this request, once /resolve gave the code.
        const p = new Promise((r) => (resolveCode = r));
        const stub = env.DROPPED.get("dropped", () => p);
        delete env.DROPPED;
        await new Promise((r) => (resumeDropped = r));
        const r = await stub.getEntrypoint().fetch("http://x/");
        return new Response("got " + await r.text());
      }
      case "collect":
        for (let i = 0; i < 20; i++) new ArrayBuffer(32 << 20);
        return new Response("collected");
      case "resolve": {
        resolveCode({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": "export default { fetch() { return new Response('child') } }" } });
        resumeDropped();
        return new Response("resolved");
      }
      case "flood": {
        const kept = [];
        try {
          for (let i = 0; i < 400; i++) {
            const w = child("export default { f(x) { return x; } }");
            kept.push(w);
            await w.getEntrypoint().f(i);
          }
          return new Response("no limit");
        } catch (e) { return new Response(e.message); }
      }
      case "dropped-flood": {
        // Stubs dropped at once: more loads than the cap of live anonymous workers all work (the
        // parent's GC finds the dropped ones, at the latest when the cap is reached).
        let sum = 0;
        for (let i = 0; i < 600; i++) sum += await child("export default { f(x) { return x; } }").getEntrypoint().f(1);
        return new Response("loaded " + sum);
      }
      case "buffer-bomb": {
        // Four children at once, each asking for gigabyte buffers it fills.
        const code = "export default { run(x) { const a = []; for (let i = 0; i < 6; i++) a.push(new Uint8Array(1e9).fill(1)); return 'held ' + a.length + ' GB'; } }";
        const runs = [0, 1, 2, 3].map(() => child(code).getEntrypoint().run(1).catch((e) => e.message));
        return new Response((await Promise.all(runs)).join(","));
      }
      case "inflate-bomb": {
        // A 1 MB deflate stream that inflates to 1 GiB, in four children at once.
        const bomb = new Uint8Array(await request.arrayBuffer());
        const code = "export default { async run(bytes) { const ds = new DecompressionStream('deflate-raw'); const w = ds.writable.getWriter(); w.write(bytes).catch(() => {}); w.close().catch(() => {}); let n = 0; for await (const c of ds.readable) n += c.byteLength; return 'inflated ' + n; } }";
        const runs = [0, 1, 2, 3].map(() => child(code).getEntrypoint().run(bomb).catch((e) => e.message));
        return new Response((await Promise.all(runs)).join(","));
      }
      case "in-flight-bomb": {
        // 30 MiB at a time that the heap does not hold: arguments of RPC calls and bodies of
        // fetches nobody awaits, bodies of Requests and Responses kept. Each child must be torn
        // down by its memory limit, not take the server's memory.
        const code = \`export default { run(kind, env, ctx) {
          const big = "x".repeat(30 * 1024 * 1024);
          const keep = [];
          for (let i = 0; i < 200; i++) {
            if (kind.name === "rpc") kind.sink.take(big);
            else if (kind.name === "fetch") env.SINK.fetch("http://sink/", { method: "POST", body: big });
            else if (kind.name === "results") kind.sink.big();
            else if (kind.name === "requests") keep.push(new Request("http://x/", { method: "POST", body: big }));
            else if (kind.name === "props") keep.push(ctx.exports.default({ props: { big } }));
            else keep.push(new Response(big));
          }
          return new Promise((resolve) => setTimeout(() => resolve("held 200"), 3000));
        } }\`;
        const { RpcTarget } = await import("cloudflare:workers");
        class Sink extends RpcTarget { take(s) { return s.length; } big() { return "y".repeat(30 * 1024 * 1024); } }
        const runs = ["rpc", "fetch", "results", "requests", "responses", "props"].map((name) =>
          child(code, { env: { SINK: env.SINK }, compatibilityFlags: ["enable_ctx_exports"] }).getEntrypoint()
            .run(name === "rpc" || name === "results" ? { name, sink: new Sink() } : { name })
            .catch((e) => e.message));
        return new Response((await Promise.all(runs)).join(","));
      }
      case "fetch-results-burst": {
        // 200 fetches through a service binding nobody reads, each answered with a 30 MiB
        // buffered body: every handler ran, and every body was made, before the first response
        // reached the caller, so the burst took the server to ≈6 GB whatever the limits.
        const code = \`export default { async run(x, env) {
          const all = [];
          for (let i = 0; i < 200; i++) all.push(env.SINK.fetch("http://sink/big"));
          const settled = await Promise.allSettled(all);
          const failed = settled.filter((s) => s.status === "rejected");
          return (settled.length - failed.length) + " answered, " + failed.length + " failed: " +
              (failed.length ? failed[0].reason.message : "none");
        } }\`;
        const outcome = await child(code, { env: { SINK: env.SINK } }).getEntrypoint().run(1)
          .catch((e) => "the caller failed: " + e.message);
        return new Response(outcome);
      }
      case "pipelined-bomb": {
        // Calls made on a stub that is still a promise (pipelined on a call that has not
        // completed) getting 30 MiB back each, nobody awaiting: the results count against the
        // caller as on a resolved stub (they went uncounted through capnp's queue, and were
        // delivered after the caller was torn down).
        const code = \`export default { run(kind) {
          const later = kind.sink.self();
          for (let i = 0; i < 200; i++) later.big();
          return new Promise((resolve) => setTimeout(() => resolve("held 200"), 3000));
        } }\`;
        const { RpcTarget } = await import("cloudflare:workers");
        class Sink extends RpcTarget { self() { return this; } big() { return "y".repeat(30 * 1024 * 1024); } }
        const runs = [0, 1].map(() =>
          child(code).getEntrypoint().run({ sink: new Sink() }).catch((e) => e.message));
        return new Response((await Promise.all(runs)).join(","));
      }
      case "wasm-memory-zeroed": {
        // Fresh WebAssembly memories, sized like the heap pages of the isolates before them,
        // in twenty isolates in a row: every byte must be zero. The page recycler handed them
        // recycled heap pages, so a worker could read another's heap.
        const code = \`export default { probe(x) {
          let dirty = 0;
          for (const pages of [1, 2, 4, 8, 16]) {
            for (let k = 0; k < 10; k++) {
              const words = new BigUint64Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
              if (words.some((v) => v !== 0n)) dirty++;
            }
          }
          return dirty;
        } }\`;
        let dirty = 0;
        for (let i = 0; i < 20; i++) dirty += await child(code + "//" + i).getEntrypoint().probe(1);
        return new Response("dirty memories: " + dirty);
      }
      case "big-results-awaited": {
        // Results read as they come never add up against the caller's limit: ten 20 MiB
        // results, 200 MiB in all, in a 128 MB worker (bindings/direct-client-test.c++ checks
        // the release itself).
        const code = "export default { big(n) { return 'r'.repeat(n); } }";
        const ep = child(code).getEntrypoint();
        let total = 0;
        for (let i = 0; i < 10; i++) total += (await ep.big(20 * 1024 * 1024)).length;
        return new Response(String(total / 1024 / 1024) + " MiB");
      }
      case "log-flood": {
        // Lines in a loop until the CPU limit: stderr gets at most the invocation's budget.
        const code = "export default { run(x) { console.log('y'.repeat(200000)); const s = 'x'.repeat(60000); for (;;) console.log(s); } }";
        const r = await child(code, { limits: { cpuMs: 500 } }).getEntrypoint().run(1).catch((e) => e.message);
        return new Response(r);
      }
      case "dropped-targets": {
        // Each child hands out an RpcTarget with a disposer; the parent drops the target's stub
        // together with the child's. Once the GC finds them, the target's [Symbol.dispose]()
        // runs in the child, which nothing else keeps alive any more.
        const code = "import { WorkerEntrypoint, RpcTarget } from 'cloudflare:workers';" +
          "class T extends RpcTarget { hi() { return 1; } [Symbol.dispose]() {} }" +
          "export default class extends WorkerEntrypoint { target() { return new T(); } }";
        let sum = 0;
        for (let i = 0; i < 600; i++) sum += await (await child(code).getEntrypoint().target()).hi();
        await scheduler.wait(50);
        return new Response("called " + sum);
      }
      case "recursion": {
        // Cold loads back to back and overlapping, so most isolates come from the pool's second
        // thread: each must have this thread's stack limit (a runaway recursion is a RangeError,
        // not a crash) and room for ordinary deep calls.
        const code = "export default { run(n) { const deep = (k) => k === 0 ? 0 : 1 + deep(k - 1); " +
          "const runaway = (k) => runaway(k + 1) + 1; " +
          "try { runaway(0); return 'no limit'; } catch (e) { return e.constructor.name + ' ' + deep(n); } } }";
        const results = [];
        for (let round = 0; round < 8; round++) {
          results.push(...await Promise.all([0, 1, 2, 3, 4].map(() => child(code).getEntrypoint().run(2000))));
        }
        return new Response([...new Set(results)].join(",") + " x" + results.length);
      }
      default:
        return new Response("healthy");
    }
  },
};`;

test("tampered intrinsics, nested disposers and dropped loaders", async () => {
  const proc = await serve(WORKER);
  const get = async (path) => {
    const r = await proc.fetch(path);
    return [r.status, await r.text()];
  };
  try {
    assert.deepEqual(await get("/error-tostring-symbol"), [200, "Error: x"]);
    assert.deepEqual(await get("/nested-dispose"), [200, "Worker exceeded CPU time limit."]);
    assert.deepEqual(await get("/healthy"), [200, "healthy"]);
    const dropped = get("/drop-loader");  // answers once /resolve resumes it
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await get("/collect"), [200, "collected"]);
    assert.deepEqual(await get("/resolve"), [200, "resolved"]);
    assert.deepEqual(await dropped, [200, "got child"]);
    // The parent's own intrinsics, replaced: its later RPC errors and requests still work.
    assert.equal((await get("/error-replaced"))[0], 500);
    assert.deepEqual(await get("/nested-dispose"), [200, "Worker exceeded CPU time limit."]);
    assert.deepEqual(await get("/healthy"), [200, "healthy"]);
  } finally {
    await proc.stop();
  }
  assert.equal(proc.child.exitCode, 0, proc.stderr);
});

test("isolates prepared on the pool's thread get this thread's stack limit", async () => {
  const proc = await serve(WORKER);
  try {
    const r = await proc.fetch("/recursion");
    assert.equal(await r.text(), "RangeError 2000 x40");
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
  assert.equal(proc.child.exitCode, 0, proc.stderr);
});

test("a tampered Array.prototype cannot crash load()", async () => {
  const proc = await serve(WORKER);
  try {
    const r = await proc.fetch("/array-map");
    assert.equal(await r.text(), "TypeError: The WorkerCode could not be read (were built-in prototypes modified?).");
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
});

test("live anonymous dynamic workers are capped per loader", async () => {
  const proc = await serve(WORKER);
  try {
    const r = await proc.fetch("/flood");
    assert.equal(await r.text(), "Too many dynamic workers are alive in this loader (the limit is 256). Drop references to WorkerStubs you no longer use, or use get() with a name to reuse a worker.");
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
});

test("dropped anonymous workers never count against the cap", async () => {
  const proc = await serve(WORKER);
  try {
    const r = await proc.fetch("/dropped-flood");
    assert.equal(await r.text(), "loaded 600");
    // And the cap still holds for stubs that are kept.
    assert.match(await (await proc.fetch("/flood")).text(), /^Too many dynamic workers are alive/);
  } finally {
    await proc.stop();
  }
  assert.equal(proc.child.exitCode, 0, proc.stderr);
});

test("console output is bounded per invocation and per line", async () => {
  // Unbounded, the loop wrote GBs to stderr, and with stderr a pipe the JavaScript thread spent
  // its time blocked in write() (no CPU time, so no CPU limit) while every other worker waited.
  const proc = await serve(WORKER);
  try {
    for (let round = 0; round < 2; round++) {
      const started = Date.now();
      assert.equal(await (await proc.fetch("/log-flood")).text(), "Worker exceeded CPU time limit.");
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    }
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
    // Each round: a first line cut at 64 KiB, then ≈4 MiB, then the notice (stderr is a pipe:
    // give it a moment).
    const notices = () => (proc.stderr.match(/Console output beyond 4 MiB in one invocation is dropped\./g) ?? []).length;
    for (let i = 0; i < 50 && notices() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(notices(), 2, proc.stderr.replace(/[xy]{100,}/g, "<long>"));
  } finally {
    await proc.stop();
  }
  assert.match(proc.stderr, /y{65536}… \(134464 more bytes cut\)\n/);
  assert.ok(proc.stderr.length < 2 * ((4 << 20) + 70000) + 10000, `stderr ${proc.stderr.length} bytes`);
});

// `path` runs `children` memory bombs at once: each must end with the memory limit error, all
// within `withinMs`, with the server's peak RSS under `peakMb`, and the server still serving.
function peakRssMb(proc) {
  return Number(readFileSync(`/proc/${proc.child.pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)[1]) / 1024;
}

// The hostile WORKER with a static worker "sink" (sinkSource) bound to it as SINK.
function serveWithSink(sinkSource) {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": WORKER,
    "sink.js": sinkSource,
    "loaderd.yaml": "main: w\n" + CONFIG.replace("bindings:\n", "bindings:\n      SINK: { service: sink }\n") +
      "  sink:\n    main: sink.js\n    compatibility_date: 2025-06-01\n",
  });
  return startLoaderd(dir);
}

async function expectBombsEnded(proc, path, children, { withinMs, peakMb, init }) {
  try {
    const started = Date.now();
    assert.equal(await (await proc.fetch(path, init)).text(),
                 Array(children).fill("Worker exceeded memory limit.").join(","));
    assert.ok(Date.now() - started < withinMs, `took ${Date.now() - started} ms`);
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
    const peak = peakRssMb(proc);
    assert.ok(peak < peakMb, `peak RSS ${peak.toFixed(0)} MB`);
  } finally {
    await proc.stop();
  }
}

test("ArrayBuffer allocations are held to the memory limit as they are made", async () => {
  // Checked only when V8 collected garbage, a single gigabyte buffer got through: four children
  // filling them took the server past 1 GB (peak RSS) before the check ended each.
  await expectBombsEnded(await serve(WORKER), "/buffer-bomb", 4, { withinMs: 5000, peakMb: 400 });
});

test("a decompression bomb is inflated in slices held to the memory limit", async () => {
  // DecompressionStream inflated each written chunk whole into native memory before making it an
  // ArrayBuffer: 1 MB of deflate data became 1 GiB outside every limit (≈2 GB of RSS each, a
  // process-killing amount for a 16 MB bomb). Now at most ≈1 MiB at a time leaves zlib, each
  // slice an ArrayBuffer counted against the worker.
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlibConstants.Z_FULL_FLUSH });
  const bomb = Buffer.concat([...Array(1024).fill(block), deflateRawSync(Buffer.alloc(0))]);
  await expectBombsEnded(await serve(WORKER), "/inflate-bomb", 4,
                         { withinMs: 10000, peakMb: 800, init: { method: "POST", body: bomb } });
});

test("RPC arguments and bodies in flight or kept count against the memory limit", async () => {
  // Native memory outside the V8 heap: 200 unawaited calls or fetches carrying 30 MiB each, 200
  // unawaited calls getting 30 MiB back, or 200 kept Requests or Responses, took the server to
  // 6–18 GB of RSS with a 128 MB limit (and a child torn down with calls in flight crashed it).
  const proc = await serveWithSink(
    "export default { async fetch(r) { await scheduler.wait(1000); return new Response('ok'); } }");
  // Six children at once, each up to its 128 MB plus the copies being made. (Props given to a
  // loopback Fetcher, `ctx.exports.X({ props })`, are kept serialized with it: counted too.)
  await expectBombsEnded(proc, "/in-flight-bomb", 6, { withinMs: 10000, peakMb: 1500 });
});

test("a burst of service-binding fetches answered with buffered bodies stays within the limits", async () => {
  const proc = await serveWithSink(
    "export default { fetch(r) { return new Response(new URL(r.url).pathname === '/big' ? 'y'.repeat(30 * 1024 * 1024) : 'ok'); } }");
  try {
    const started = Date.now();
    const outcome = await (await proc.fetch("/fetch-results-burst")).text();
    assert.match(outcome, /Worker exceeded memory limit\.$/);
    assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
    const peak = peakRssMb(proc);
    assert.ok(peak < 1000, `peak RSS ${peak.toFixed(0)} MB (${outcome})`);
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
});

test("results of calls on a stub still being resolved count against the memory limit", async () => {
  await expectBombsEnded(await serve(WORKER), "/pipelined-bomb", 2, { withinMs: 10000, peakMb: 1000 });
});

test("a WebAssembly memory never holds what another isolate left behind", async () => {
  const proc = await serve(WORKER);
  try {
    for (let round = 0; round < 2; round++) {
      assert.equal(await (await proc.fetch("/wasm-memory-zeroed")).text(), "dirty memories: 0");
    }
  } finally {
    await proc.stop();
  }
});

test("large results read as they arrive do not add up against the memory limit", async () => {
  const proc = await serve(WORKER);
  try {
    assert.equal(await (await proc.fetch("/big-results-awaited")).text(), "200 MiB");
  } finally {
    await proc.stop();
  }
});

test("dropping a child together with its RpcTarget's stub leaves the server serving", async () => {
  // The target's disposal ran as a task of the child's own, holding the child's last reference:
  // the child was destroyed, task set and all, while that task ran (a segfault).
  const proc = await serve(WORKER);
  try {
    assert.equal(await (await proc.fetch("/dropped-targets")).text(), "called 600");
    assert.equal(await (await proc.fetch("/dropped-targets")).text(), "called 600");
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
  assert.equal(proc.child.exitCode, 0, proc.stderr);
});

test("request bodies over 100 MiB get 413 without buffering them", async () => {
  const proc = await serve(WORKER);
  try {
    // A raw socket announces 101 MiB and keeps sending it while it reads the answer, as an
    // upload client does: the server decides from the announced length alone, and closes
    // lingering, so the unread upload cannot reset the connection before the 413 is read.
    const { hostname, port } = new URL(proc.url);
    for (let round = 0; round < 5; round++) {
      const head = await new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), hostname);
        let got = "";
        let sending = true;
        const chunk = Buffer.alloc(256 * 1024, 120);
        const pump = () => {
          while (sending && socket.write(chunk)) {}
        };
        socket.on("connect", () => {
          socket.write(`POST /healthy HTTP/1.1\r\nHost: x\r\nContent-Length: ${101 * 1024 * 1024}\r\n\r\n`);
          pump();
        });
        socket.on("drain", pump);
        socket.on("data", (d) => {
          got += d;
          if (got.includes("\r\n")) {
            sending = false;
            socket.destroy();
            resolve(got.slice(0, got.indexOf("\r\n")));
          }
        });
        socket.on("error", (e) => (got.includes("\r\n") ? null : reject(e)));
        socket.on("close", () => resolve(got.split("\r\n")[0]));
      });
      assert.equal(head, "HTTP/1.1 413 Payload Too Large", `round ${round}`);
    }
    assert.equal(await (await proc.fetch("/healthy")).text(), "healthy");
  } finally {
    await proc.stop();
  }
});
