// End-to-end tests of the loaderd binary: real process, real HTTP on loopback.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import path from "node:path";
import { LOADERD, ROOT, run, scratchDir, startLoaderd, writeFiles } from "../testing/harness.mjs";

const CONFIG = (main = "index.js", extra = "") =>
  `workers:\n  w:\n    main: ${main}\n    compatibility_date: "2025-06-01"\n${extra}`;

function project(files) {
  const dir = scratchDir();
  writeFiles(dir, files);
  return dir;
}

test("version and help", async () => {
  const v = await run(LOADERD, ["version"]);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^loaderd \S+ \(V8 10\.2\.[\d.]+[^)]*, newest compatibility date \d{4}-\d\d-\d\d\)\n$/);
  const h = await run(LOADERD, ["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /loaderd serve \[CONFIG\] \[--listen HOST:PORT\]/);
  const bad = await run(LOADERD, ["frobnicate"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^loaderd: unknown command frobnicate\n/);
});

test("serve samples/hello answers over HTTP with keep-alive", async () => {
  const proc = await startLoaderd(path.join(ROOT, "samples/hello"));
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set();
    for (let i = 0; i < 5; i++) {
      const { status, body, socket } = await new Promise((resolve, reject) => {
        http.get(new URL("/", proc.url), { agent }, (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode, body, socket: res.socket }));
        }).on("error", reject);
      });
      assert.equal(status, 200);
      assert.equal(body, "Hello from loaderd\n");
      sockets.add(socket);
    }
    assert.equal(sockets.size, 1, "all five requests reuse one connection");
    agent.destroy();
    const json = await (await proc.fetch("/json")).json();
    assert.equal(json.greeting, "Hello");
    assert.equal(json.method, "GET");
  } finally {
    await proc.stop();
  }
});

test("check accepts a good config and compiles every module", async () => {
  const dir = project({
    "loaderd.yaml": CONFIG(),
    "index.js": "import { x } from './lib.js';\nexport default { fetch() { return new Response(x); } };\n",
    "lib.js": "export const x = 'ok';\n",
  });
  const r = await run(LOADERD, ["check", path.join(dir, "loaderd.yaml")]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.match(r.stdout, /: ok \(1 worker\)\n$/);
});

// Each bad input: exit status 1 and exactly one line naming the place.
const BAD = [
  ["syntax error", { "index.js": "export default {\n  fetch() {\n    return new Response('x'\n  }\n};\n" },
   /^loaderd: error: \S+\/index\.js:3:\d+: SyntaxError: missing \) after argument list\n$/],
  ["missing import", { "index.js": "import a from './nope.js';\nexport default {};\n" },
   /^loaderd: error: \S+\/index\.js: Error: No such module "\.\/nope\.js"\. +imported from "index\.js"\n$/],
  ["import escaping the worker folder", { "index.js": "import a from '../outside.js';\nexport default {};\n" },
   /^loaderd: error: .*No such module "\.\.\/outside\.js"/],
  ["top-level throw", { "index.js": "\nthrow new RangeError('bad start');\n" },
   /^loaderd: error: \S+\/index\.js:2:7: RangeError: bad start\n$/],
  ["malformed YAML", { "loaderd.yaml": "workers: [\n" },
   /^loaderd: error: \S+loaderd\.yaml:2:1: invalid YAML: end of sequence flow not found\n$/],
  ["wrong field type", { "loaderd.yaml": CONFIG("index.js", "    compatibility_flags: nodejs_compat\n") },
   /^loaderd: error: \S+loaderd\.yaml:5:26: workers\.w\.compatibility_flags: expected a list of strings\n$/],
  ["unknown compatibility flag", { "loaderd.yaml": CONFIG("index.js", "    compatibility_flags: [nope]\n") },
   /^loaderd: error: \S+: workers\.w\.compatibility_flags: No such compatibility flag: nope\n$/],
  ["future compatibility date", { "loaderd.yaml": "workers:\n  w:\n    main: index.js\n    compatibility_date: 2099-01-01\n" },
   /^loaderd: error: \S+:4:25: workers\.w\.compatibility_date: This Worker requires compatibility date "2099-01-01", but the newest date supported by this server binary is "\d{4}-\d\d-\d\d"\.\n$/],
  ["unknown V8 flag", { "loaderd.yaml": "v8_flags: [--expose-gc, --no-such-v8-flag]\n" + CONFIG() },
   /^loaderd: error: \S+loaderd\.yaml: v8_flags: this V8 has no flag --no-such-v8-flag\n$/],
  ["missing main file", { "loaderd.yaml": CONFIG("missing.js") },
   /^loaderd: error: \S+:3:11: workers\.w\.main: no such file: \S+missing\.js\n$/],
];

for (const [name, files, pattern] of BAD) {
  for (const command of ["check", "serve"]) {
    test(`${command}: ${name} gives one clear line and exit 1`, async () => {
      const dir = project({ "loaderd.yaml": CONFIG(), "index.js": "export default {};\n", ...files });
      const args = command === "serve"
        ? ["serve", dir, "--listen", "127.0.0.1:0"] : ["check", path.join(dir, "loaderd.yaml")];
      const r = await run(LOADERD, args);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
    });
  }
}

test("a throwing handler gives 500 with its stack logged, and the server keeps serving", async () => {
  const dir = project({
    "loaderd.yaml": CONFIG(),
    "index.js": [
      "export default {",
      "  async fetch(request) {",
      "    if (request.url.endsWith('/boom')) throw new Error('kaboom');",
      "    if (request.url.endsWith('/log')) { console.log('hello', {a: 1}, [1, 'x']); console.error('bad\\nthing'); }",
      "    return new Response('fine');",
      "  },",
      "};",
    ].join("\n"),
  });
  const proc = await startLoaderd(dir);
  try {
    const r = await proc.fetch("/boom");
    assert.equal(r.status, 500);
    await r.text();
    assert.equal(await (await proc.fetch("/ok")).text(), "fine");
    await (await proc.fetch("/log")).text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(proc.stderr, /^\[w\] Uncaught \(in fetch handler\) Error: kaboom at Object\.fetch \(index\.js:3:46\)$/m);
    assert.match(proc.stderr, /^\[w\] hello \{ a: 1 \} \[ 1, 'x' \]$/m);
    assert.match(proc.stderr, /^\[w\] error: bad\\nthing$/m);
  } finally {
    await proc.stop();
  }
});

test("SIGTERM stops the server cleanly", async () => {
  const proc = await startLoaderd(path.join(ROOT, "samples/hello"));
  const exited = new Promise((resolve) => proc.child.once("exit", (code, signal) => resolve({ code, signal })));
  proc.child.kill("SIGTERM");
  assert.deepEqual(await exited, { code: 0, signal: null });
});

test("a static worker over its CPU limit gets a 500, is torn down and restarted; the server keeps serving", async () => {
  const dir = project({
    "loaderd.yaml": CONFIG("index.js", "    limits: { cpu_ms: 50 }\n"),
    "index.js": "let n = 0;\nexport default { fetch(r) { if (r.url.endsWith('/spin')) { while (true) {} } return new Response(String(++n)); } };\n",
  });
  const proc = await startLoaderd(dir);
  try {
    assert.equal(await (await proc.fetch("/")).text(), "1");
    assert.equal(await (await proc.fetch("/")).text(), "2");
    const started = Date.now();
    const spin = await proc.fetch("/spin");
    assert.equal(spin.status, 500);
    await spin.text();
    assert.ok(Date.now() - started < 3000);
    // A fresh isolate: module state starts again.
    assert.equal(await (await proc.fetch("/")).text(), "1");
    assert.match(proc.stderr, /^\[w\] Worker exceeded CPU time limit\. The worker was torn down\.$/m);
    assert.match(proc.stderr, /^\[w\] restarted after exceeding a limit$/m);
  } finally {
    await proc.stop();
  }
});

test("a static worker waiting past its wall-clock limit gets a 500, is torn down and restarted", async () => {
  const dir = project({
    "loaderd.yaml": CONFIG("index.js", "    limits: { wall_ms: 300 }\n"),
    "index.js": "let n = 0;\nexport default { async fetch(r) { if (r.url.endsWith('/hang')) await new Promise(() => {}); if (r.url.endsWith('/slow')) await new Promise((ok) => setTimeout(ok, 100)); return new Response(String(++n)); } };\n",
  });
  const proc = await startLoaderd(dir);
  try {
    assert.equal(await (await proc.fetch("/slow")).text(), "1");  // within the limit
    const started = Date.now();
    const hang = await proc.fetch("/hang");
    assert.equal(hang.status, 500);
    await hang.text();
    assert.ok(Date.now() - started < 3000);
    assert.equal(await (await proc.fetch("/")).text(), "1");
    assert.match(proc.stderr, /^\[w\] Worker exceeded wall-clock time limit\. The worker was torn down\.$/m);
  } finally {
    await proc.stop();
  }
});
