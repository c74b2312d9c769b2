// @cloudflare/codemode's DynamicWorkerExecutor, bundled unmodified from npm into a host worker,
// run on loaderd and on workerd in the same run: tool calls flow back to the host over JS RPC,
// console output is captured, fetch() is blocked, and the timeout is honoured.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { build } from "esbuild";
import { ROOT, scratchDir, writeFiles } from "../../tools/testing/harness.mjs";
import { startRuntime } from "../runner.mjs";

let dir;
const procs = {};

before(async () => {
  dir = scratchDir("codemode-");
  await build({
    entryPoints: [path.join(ROOT, "conformance/clients/codemode-host.js")],
    bundle: true, format: "esm", platform: "neutral", target: "es2022",
    mainFields: ["module", "main"], conditions: ["workerd", "worker", "import"],
    external: ["cloudflare:workers"], outfile: path.join(dir, "worker.js"), logLevel: "error",
  });
  writeFiles(dir, { "case.json": "{}" });
  const c = {
    name: "codemode", dir, main: "worker.js", modules: ["worker.js"],
    spec: { compatibilityDate: "2025-06-01", compatibilityFlags: ["nodejs_compat"],
            bindings: { LOADER: { worker_loader: {} } } },
  };
  for (const runtime of ["workerd", "loaderd"]) procs[runtime] = await startRuntime(runtime, c);
});

after(async () => {
  for (const p of Object.values(procs)) await p.stop();
});

async function execute(runtime, code, timeout = 5000) {
  const r = await procs[runtime].fetch("/", { method: "POST", body: JSON.stringify({ code, timeout }) });
  assert.equal(r.status, 200, `${runtime}: ${await r.clone().text()}\n${procs[runtime].stderr.slice(-2000)}`);
  return r.json();
}

for (const runtime of ["workerd", "loaderd"]) {
  test(`[${runtime}] tool calls flow back to the host and results return`, async () => {
    const r = await execute(runtime, `async () => {
      const sum = await codemode.add({ a: 2, b: 40 });
      const item = await codemode.lookup({ key: "k1" });
      const n1 = await codemode.record({ step: 1 });
      return { sum, item, n1, bytes: new Uint8Array([1, 2]).length };
    }`);
    assert.equal(r.error, undefined);
    assert.equal(r.result.sum, 42);
    assert.deepEqual(r.result.item, { key: "k1", value: "value-of-k1", nested: { list: [1, 2, 3] } });
    assert.equal(typeof r.result.n1, "number");
  });

  test(`[${runtime}] console output is captured`, async () => {
    const r = await execute(runtime, `async () => { console.log("hello", 1); console.warn("careful"); console.error("bad"); return "done"; }`);
    assert.equal(r.result, "done");
    assert.deepEqual(r.logs, ["hello 1", "[warn] careful", "[error] bad"]);
  });

  test(`[${runtime}] tool errors and thrown errors come back as errors`, async () => {
    const r1 = await execute(runtime, `async () => { await codemode.fail({}); }`);
    assert.equal(r1.error, "tool failed on purpose");
    const r2 = await execute(runtime, `async () => { throw new Error("agent threw"); }`);
    assert.equal(r2.error, "agent threw");
  });

  test(`[${runtime}] fetch() is blocked (globalOutbound: null)`, async () => {
    const r = await execute(runtime, `async () => { await fetch("https://example.com/"); return "reached"; }`);
    assert.equal(r.error, "This worker is not permitted to access the internet via global functions like fetch(). It must use capabilities (such as bindings in 'env') to talk to the outside world.");
  });

  test(`[${runtime}] the executor's timeout is honoured`, async () => {
    const r = await execute(runtime, `async () => { await new Promise((resolve) => setTimeout(resolve, 10000)); return "late"; }`, 200);
    assert.equal(r.error, "Execution timed out");
    assert.ok(r.elapsedMs < 3000, `took ${r.elapsedMs} ms`);
  });
}
