// The loader cache: named workers stay warm until evicted (least recently used beyond the count
// bound, 256), getCode runs again after eviction, and memory stays bounded however many
// distinct dynamic workers a process loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const WORKER = `
const CODE = "let n = 0; export default { ping(x) { return ++n; } }";
let getCodeCalls = 0;
export default {
  async fetch(request, env) {
    const url = request.url;
    const from = Number(url.match(/from=(\\d+)/)?.[1] ?? 0);
    const to = Number(url.match(/to=(\\d+)/)?.[1] ?? 0);
    const results = [];
    for (let i = from; i < to; i++) {
      const w = env.LOADER.get("w" + i, () => { getCodeCalls++; return { compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } }; });
      results.push(await w.getEntrypoint().ping(1));
    }
    return Response.json({ results, getCodeCalls });
  },
};`;

function rssMb(pid) {
  return Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

test("LRU eviction re-runs getCode, and memory stays bounded over 3,000 distinct workers", async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": WORKER,
    "loaderd.yaml": "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    bindings:\n      LOADER: { worker_loader: { id: cache } }\n",
  });
  const proc = await startLoaderd(dir);
  try {
    const get = async (from, to) => (await proc.fetch(`/?from=${from}&to=${to}`)).json();
    // Warm: the same name keeps its module state and getCode is not called again.
    assert.deepEqual(await get(0, 1), { results: [1], getCodeCalls: 1 });
    assert.deepEqual(await get(0, 1), { results: [2], getCodeCalls: 1 });
    const base = rssMb(proc.child.pid);
    let calls = 1;
    for (let i = 1; i < 3000; i += 250) {
      const r = await get(i, Math.min(3000, i + 250));
      calls = r.getCodeCalls;
    }
    assert.equal(calls, 3000);
    // w0 was evicted long ago: getCode runs again and its module state is fresh.
    assert.deepEqual(await get(0, 1), { results: [1], getCodeCalls: 3001 });
    const rss = rssMb(proc.child.pid);
    // 256 idle cached workers at about 1.3 MB each, plus what the allocator keeps of 3,000
    // isolates made and disposed (measured 590-610 MB on the tenth session's machine); without
    // the cache bound, 3,000 workers would hold about 4 GB.
    assert.ok(rss - base < 700, `RSS grew by ${(rss - base).toFixed(0)} MB`);
  } finally {
    await proc.stop();
  }
});

// A config with `loader:` bounds and a worker whose named children can hold a given amount of
// memory in their module state.
function boundedProject(loader) {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": `
const code = (mb) => "const held = []; for (let i = 0; i < " + mb + "; i++) held.push(new Uint8Array(1 << 20).fill(i)); " +
  "let n = 0; export default { ping(x) { return ++n; } }";
let getCodeCalls = 0;
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const names = url.searchParams.get("names").split(",");
    const mb = Number(url.searchParams.get("mb") ?? 0);
    const results = [];
    for (const name of names) {
      const w = env.LOADER.get(name, () => { getCodeCalls++; return { compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": code(mb) } }; });
      results.push(await w.getEntrypoint().ping(1));
    }
    return Response.json({ results, getCodeCalls });
  },
};`,
    "loaderd.yaml": `loader: ${JSON.stringify(loader)}\nworkers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    bindings:\n      LOADER: { worker_loader: { id: cache } }\n`,
  });
  return dir;
}

async function getJson(proc, url) {
  const r = await proc.fetch(url);
  const text = await r.text();
  assert.equal(r.status, 200, text + proc.stderr);
  return JSON.parse(text);
}

test("loader.max_cached_workers bounds the cache by count", async () => {
  const proc = await startLoaderd(boundedProject({ max_cached_workers: 2 }));
  try {
    const get = (names) => getJson(proc, `/?names=${names}`);
    assert.deepEqual(await get("a,b,a,b"), { results: [1, 1, 2, 2], getCodeCalls: 2 });
    // c pushes out the least recently used (a); b stays warm.
    assert.deepEqual(await get("c,b,a"), { results: [1, 3, 1], getCodeCalls: 4 });
  } finally {
    await proc.stop();
  }
});

test("loader.idle_timeout_ms evicts named workers nobody asked for", async () => {
  const proc = await startLoaderd(boundedProject({ idle_timeout_ms: 1500 }));
  try {
    const get = (names) => getJson(proc, `/?names=${names}`);
    assert.deepEqual(await get("a,b"), { results: [1, 1], getCodeCalls: 2 });
    // b is asked for every 500 ms, a never: after ~3 s a is gone (swept once a second), b is not.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await get("b");
    }
    assert.deepEqual(await get("a,b"), { results: [1, 8], getCodeCalls: 3 });
  } finally {
    await proc.stop();
  }
});

test("loader.max_cached_memory_mb evicts the least recently used beyond the heap bound", async () => {
  // Each child holds 8 MB; six of them (≈50 MB of heap) against a 30 MB bound.
  const proc = await startLoaderd(boundedProject({ max_cached_memory_mb: 30 }));
  try {
    const get = (names, mb = 8) => getJson(proc, `/?names=${names}&mb=${mb}`);
    assert.deepEqual(await get("a,b,c,d,e,f"), { results: [1, 1, 1, 1, 1, 1], getCodeCalls: 6 });
    await new Promise((r) => setTimeout(r, 2500));  // at least one sweep
    // The most recent (f) is warm; the oldest (a) was evicted and starts afresh.
    assert.deepEqual(await get("f,a"), { results: [2, 1], getCodeCalls: 7 });
  } finally {
    await proc.stop();
  }
});
