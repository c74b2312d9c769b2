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
    // 256 idle cached workers at about 1.2 MB each, plus slack for the allocator.
    assert.ok(rss - base < 600, `RSS grew by ${(rss - base).toFixed(0)} MB`);
  } finally {
    await proc.stop();
  }
});
