// nodejs_compat through the real binary: the node:* modules and the Buffer/process globals
// (runtime/builtins/node-util.js, node-buffer.js, node.js), plus the builtins-vm smoke load.
// Behaviour matched against workerd lives in conformance/cases/node-*; these tests cover what
// the cases cannot: concurrent requests' AsyncLocalStorage stores, the lazily defined globals,
// and loading the files outside loaderd.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";
import { loadBuiltins } from "../../tools/testing/builtins-vm.mjs";

const V8_10_2_LACKS = ["Array.prototype.toSorted", "Array.prototype.toReversed", "Array.prototype.with",
                       "Object.groupBy", "Promise.withResolvers"];

function project(worker, flags = ["nodejs_compat"]) {
  const dir = scratchDir("loaderd-node-");
  writeFiles(dir, {
    "loaderd.yaml": JSON.stringify({
      workers: { w: { main: "worker.js", compatibility_date: "2025-06-01", compatibility_flags: flags } },
    }),
    "worker.js": worker,
  });
  return path.join(dir, "loaderd.yaml");
}

test("the Node.js builtins load in the builtins vm without V8 10.2's missing functions", () => {
  const global = loadBuiltins({ remove: V8_10_2_LACKS });
  assert.equal(typeof global.Buffer, "undefined", "node.js defines no globals itself");
});

test("node:* modules and the lazy Buffer/process globals work together", async () => {
  const proc = await startLoaderd(project(`
    import { Buffer as B } from "node:buffer";
    import { EventEmitter } from "node:events";
    import { inspect, format } from "node:util";
    import { createHash, createHmac } from "node:crypto";
    import path from "node:path";
    import { StringDecoder } from "node:string_decoder";
    import assert from "node:assert";
    export default {
      async fetch() {
        const events = [];
        const e = new EventEmitter();
        e.once("x", (v) => events.push(v));
        e.emit("x", 1); e.emit("x", 2);
        const d = new StringDecoder("utf8");
        let assertion;
        try { assert.strictEqual(1, 2); } catch (err) { assertion = err.code; }
        return Response.json({
          sameBuffer: globalThis.Buffer === B,
          base64: Buffer.from("hello, world").toString("base64"),
          hex: B.from("ff00", "hex").readUInt16BE(0),
          events,
          inspect: inspect({ a: [1, { b: new Map([[1, 2]]) }] }),
          format: format("%s=%d %j", "n", 42, { k: true }),
          sha256: createHash("sha256").update("abc").digest("hex"),
          hmac: createHmac("sha1", "key").update("The quick brown fox jumps over the lazy dog").digest("hex"),
          path: path.join("/a/b", "../c", "d.txt"),
          decoded: [d.write(B.from([0xe2, 0x82])), d.write(B.from([0xac]))],
          assertion,
          process: [typeof process.nextTick, process.platform, process.env],
        });
      },
    };`));
  try {
    const r = await proc.fetch("/");
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), {
      sameBuffer: true,
      base64: "aGVsbG8sIHdvcmxk",
      hex: 0xff00,
      events: [1],
      inspect: "{ a: [ 1, { b: [Map] } ] }",
      format: 'n=42 {"k":true}',
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      hmac: "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
      path: "/a/c/d.txt",
      decoded: ["", "€"],
      assertion: "ERR_ASSERTION",
      process: ["function", "linux", {}],
    });
  } finally {
    await proc.stop();
  }
});

test("AsyncLocalStorage keeps concurrent requests' stores apart across timers and then()", async () => {
  const proc = await startLoaderd(project(`
    import { AsyncLocalStorage } from "node:async_hooks";
    const als = new AsyncLocalStorage();
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    export default {
      fetch(request) {
        const id = new URL(request.url).searchParams.get("id");
        return als.run(id, () => {
          const seen = [als.getStore()];
          return new Promise((resolve) => setTimeout(() => { seen.push(als.getStore()); resolve(); }, 20 - Number(id) * 5))
            .then(() => { seen.push(als.getStore()); return sleep(1); })
            .then(() => { seen.push(als.getStore()); return Response.json(seen); });
        });
      },
    };`));
  try {
    const results = await Promise.all(["1", "2", "3"].map((id) => proc.fetch(`/?id=${id}`).then((r) => r.json())));
    assert.deepEqual(results, [["1", "1", "1", "1"], ["2", "2", "2", "2"], ["3", "3", "3", "3"]]);
    // A store entered with enterWith() never leaks into a later request.
    assert.deepEqual(await (await proc.fetch("/?id=4")).json(), ["4", "4", "4", "4"]);
  } finally {
    await proc.stop();
  }
});

test("AsyncLocalStorage.enterWith lasts for the current task only", async () => {
  const proc = await startLoaderd(project(`
    import { AsyncLocalStorage } from "node:async_hooks";
    const als = new AsyncLocalStorage();
    export default {
      async fetch(request) {
        const before = als.getStore() ?? null;
        if (new URL(request.url).pathname === "/enter") als.enterWith("entered");
        return Response.json({ before, now: als.getStore() ?? null });
      },
    };`));
  try {
    assert.deepEqual(await (await proc.fetch("/enter")).json(), { before: null, now: "entered" });
    assert.deepEqual(await (await proc.fetch("/")).json(), { before: null, now: null });
  } finally {
    await proc.stop();
  }
});

test("without nodejs_compat there is no Buffer global and node:* imports fail", async () => {
  const proc = await startLoaderd(project(`
    export default {
      async fetch() {
        let error;
        try { await import("node:util"); } catch (e) { error = e.message.split("\\n")[0]; }
        return Response.json({ buffer: typeof Buffer, process: typeof process, error });
      },
    };`, []));
  try {
    assert.deepEqual(await (await proc.fetch("/")).json(),
                     { buffer: "undefined", process: "undefined", error: 'No such module "node:util".' });
  } finally {
    await proc.stop();
  }
});
