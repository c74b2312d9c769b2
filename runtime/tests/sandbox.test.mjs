// `loaderd:sandbox`: fresh contexts over frozen shared data, against the real binary. Each run
// must see the data and nothing of earlier runs; the shared data and its realm must be
// unchangeable; hostile code must end with an error while the worker keeps serving.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const WORKER = `
import { Sandbox } from "loaderd:sandbox";
const box = new Sandbox({
  data: { spec: { paths: { "/a": { get: { summary: "A", tags: ["x"] } }, "/b": { post: { summary: "B" } } },
                  list: [1, 2, 3] },
          limit: 7 },
  scripts: [{ name: "helpers.js", source: "function summaries() { return Object.values(spec.paths).flatMap((o) => Object.values(o).map((op) => op.summary)); }" }],
});
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/bad") {
      const t = async (f) => { try { return ["ok", await f()]; } catch (e) { return [e.name, e.message]; } };
      return Response.json([
        await t(() => new Sandbox({ data: { f() {} } })),
        await t(() => new Sandbox({ data: 5 })),
        await t(() => new Sandbox({ scripts: [{ name: "x.js", source: "(" }] })),
        await t(() => new Sandbox({ scripts: "x" })),
        await t(() => box.run("() => 1", { cpuMs: -1 })),
        await t(() => box.run(42)),
      ]);
    }
    const { code, cpuMs } = await request.json();
    try {
      return Response.json({ ok: true, ...(await box.run(code, cpuMs ? { cpuMs } : undefined)) });
    } catch (e) {
      return Response.json({ ok: false, type: e.constructor.name, name: e.name, message: e.message, line: e.line, column: e.column, logs: e.logs });
    }
  },
};`;

let server;
before(async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": WORKER,
    "loaderd.yaml": "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n    limits: { cpu_ms: 30000, memory_mb: 128 }\n",
  });
  server = await startLoaderd(dir);
});
after(() => server?.stop());

async function run(code, cpuMs) {
  const response = await fetch(server.url, { method: "POST", body: JSON.stringify({ code, cpuMs }) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

test("a run sees the data, the scripts' helpers and its console", async () => {
  const r = await run(`async () => { console.log("n", spec.list.length, { a: 1 }); console.warn("w"); return [summaries(), limit, typeof fetch, typeof setTimeout, typeof require]; }`);
  assert.deepEqual(r.result, [["A", "B"], 7, "undefined", "undefined", "undefined"]);
  assert.deepEqual(r.logs, ['n 3 {"a":1}', "[warn] w"]);
});

test("nothing of one run is visible to the next", async () => {
  const first = await run(`() => { globalThis.leak = 1; Array.prototype.evil = 2; Object.prototype.polluted = 3; return "set"; }`);
  assert.equal(first.result, "set");
  const second = await run(`() => [typeof leak, [].evil, ({}).polluted, spec.paths.polluted]`);
  assert.deepEqual(second.result, ["undefined", null, null, null]);
});

test("the shared data and its realm cannot be changed", async () => {
  const r = await run(`() => {
    const tries = [
      () => { spec.paths["/a"].get.summary = "changed"; },
      () => { spec.list.push(4); },
      () => { Object.getPrototypeOf(spec).polluted = 1; },
      () => { Object.getPrototypeOf(spec.list).evil = () => 1; },
      () => { spec.constructor.prototype.x = 1; },
      () => { delete spec.paths["/b"]; },
      () => { globalThis.spec = {}; },
    ];
    return tries.map((f) => { try { f(); return "changed"; } catch (e) { return e.constructor.name; } });
  }`);
  assert.deepEqual(r.result, Array(7).fill("TypeError"));
  const after = await run(`() => [spec.paths["/a"].get.summary, spec.list.length, ({}).polluted, [].evil]`);
  assert.deepEqual(after.result, ["A", 3, null, null]);
});

test("no code generation from strings, no import(), no WebAssembly", async () => {
  const r = await run(`async () => {
    const out = [];
    for (const f of [() => eval("1"), () => new Function("return 1")(), () => spec.constructor.constructor("return globalThis")(), () => spec.list.map.constructor("return 1")()]) {
      try { f(); out.push("ran"); } catch (e) { out.push(e.name); }
    }
    try { await import("x"); out.push("imported"); } catch (e) { out.push(e.name + ": " + e.message); }
    out.push(typeof WebAssembly, typeof SharedArrayBuffer, typeof FinalizationRegistry, typeof Atomics.wait);
    return out;
  }`);
  assert.deepEqual(r.result, ["EvalError", "EvalError", "EvalError", "EvalError",
    "TypeError: import() is not available in this context.", "undefined", "undefined", "undefined", "undefined"]);
});

test("errors keep their type and message; syntax errors say where", async () => {
  let r = await run(`async () => { throw new RangeError("too far"); }`);
  assert.deepEqual([r.ok, r.type, r.message], [false, "RangeError", "too far"]);
  r = await run(`async () => {\n  return spec.paths.(;\n}`);
  assert.deepEqual([r.type, r.line, r.column], ["SyntaxError", 2, 21]);
  r = await run(`async () => { const x = ; }`);
  assert.deepEqual([r.type, r.line, r.column], ["SyntaxError", 1, 25]);
  r = await run(`42`);
  assert.match(r.message, /must evaluate to a function/);
  r = await run(`() => () => 1`);
  assert.equal(r.name, "DataCloneError");
  r = await run(`() => new Promise(() => {})`);
  assert.match(r.message, /never settled/);
  r = await run(`() => { throw "plain"; }`);
  assert.equal(r.message, "plain");
});

test("runaway code ends with a CPU error and the worker keeps serving", async () => {
  const started = Date.now();
  let r = await run(`() => { while (true) {} }`, 100);
  assert.equal(r.message, "The code exceeded its CPU time limit (100 ms).");
  r = await run(`() => { const f = () => Promise.resolve().then(f); f(); return 1; }`, 100);
  assert.equal(r.message, "The code exceeded its CPU time limit (100 ms).");
  r = await run(`async () => { const f = () => f(); f(); }`);
  assert.equal(r.type, "RangeError");
  assert.ok(Date.now() - started < 5000);
  r = await run(`() => summaries().length`);
  assert.equal(r.result, 2);
});

test("console output is capped", async () => {
  const r = await run(`() => { for (let i = 0; i < 1000; i++) console.log("line", i); return 1; }`);
  assert.equal(r.logs.length, 201);
  assert.equal(r.logs.at(-1), "[800 more console lines dropped]");
});

test("a memory bomb tears down only its worker, which restarts and serves again", async () => {
  const response = await fetch(server.url, { method: "POST",
    body: JSON.stringify({ code: `() => { const a = []; while (true) a.push(new Array(1e6).fill(1.5)); }`, cpuMs: 20000 }) });
  assert.equal(response.status, 500);
  await response.arrayBuffer();
  assert.equal((await run(`() => limit`)).result, 7);
});

test("bad arguments give clear errors", async () => {
  const r = await (await fetch(new URL("/bad", server.url))).json();
  assert.deepEqual(r, [
    ["DataCloneError", "f() {} could not be cloned."],
    ["TypeError", "Sandbox: `data` must be an object whose properties become globals."],
    ["SyntaxError", "Unexpected end of input"],
    ["TypeError", "Sandbox: `scripts` must be an array."],
    ["RangeError", "Sandbox.run: cpuMs must be a positive number."],
    ["TypeError", "Sandbox.run: `code` must be a string."],
  ]);
});
