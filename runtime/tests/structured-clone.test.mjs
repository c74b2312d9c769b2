// structuredClone's transfer list against hostile input (the conformance case rpc-shared-buffers
// has what both runtimes answer): a getter that makes a listed buffer an asm.js heap while the
// value is serialized (detaching it then would abort the process), and a transfer list of
// hundreds of thousands of buffers (native work nothing could interrupt, if quadratic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { serveWorker } from "../../tools/testing/harness.mjs";

const WORKER = `
function AsmModule(stdlib, foreign, heap) {
  "use asm";
  var h = new stdlib.Int32Array(heap);
  function f() { return h[0] | 0; }
  return f;
}
export default {
  async fetch(request) {
    const what = new URL(request.url).pathname.slice(1);
    try {
      if (what === "asm") {
        const buffer = new ArrayBuffer(65536);
        const value = { get x() { AsmModule(globalThis, {}, buffer); return 1; } };
        const copy = structuredClone(value, { transfer: [buffer] });
        return new Response("cloned " + copy.x + " " + buffer.byteLength);
      }
      if (what === "many") {
        const list = [];
        for (let i = 0; i < 300000; i++) list.push(new ArrayBuffer(0));
        const copy = structuredClone(list, { transfer: [...list, ...list] });
        return new Response("moved " + copy.length);
      }
      return new Response("ok");
    } catch (e) {
      return new Response(e.name + ": " + e.message);
    }
  },
};`;

test("transfer lists: a buffer made undetachable meanwhile is refused, long lists stay linear", async () => {
  const proc = await serveWorker(WORKER);
  try {
    const asm = await (await proc.fetch("/asm")).text();
    // V8 made it the asm.js module's heap while the getter ran: refused (it crashed before).
    assert.equal(asm, "DataCloneError: Object is not transferable.");
    const started = Date.now();
    assert.equal(await (await proc.fetch("/many")).text(), "moved 300000");
    assert.ok(Date.now() - started < 10000, `took ${Date.now() - started} ms`);
    assert.equal(await (await proc.fetch("/")).text(), "ok");
  } finally {
    await proc.stop();
  }
});
