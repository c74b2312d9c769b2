#!/usr/bin/env node
// Runs the same workload on loaderd and on workerd, one after the other, in one run, and prints
// requests/second, latency and the loaderd/workerd ratio.
//
//   node tools/bench/run.mjs [--duration SECONDS] [--connections 1,4] [WORKLOAD ...]
//   node tools/bench/run.mjs --spaced MS [--count N] [--node-client] WORKLOAD ...
//       one request every MS milliseconds (so work prepared ahead of demand is ready), and the
//       latency percentiles of each runtime, measured by tools/bench/spaced-client.c (compiled
//       with cc on first use), or by a Node client with --node-client (which adds ≈0.5 ms of
//       its own wake-up to every request on this machine)
//
// Workloads are folders under tools/bench/workloads/ in the conformance case format (a worker
// plus case.json). Absolute numbers from a shared machine are not results; the ratios are.
import { readFileSync } from "node:fs";
import path from "node:path";
import net from "node:net";
import { writeFileSync } from "node:fs";
import { ROOT, listFiles, run, scratchDir } from "../testing/harness.mjs";
import { startRuntime } from "../../conformance/runner.mjs";

const args = process.argv.slice(2);
let duration = 5;
let connections = [1, 4];
let spacedMs = 0;
let count = 40;
let nodeClient = false;
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--duration") duration = Number(args[++i]);
  else if (args[i] === "--connections") connections = args[++i].split(",").map(Number);
  else if (args[i] === "--spaced") spacedMs = Number(args[++i]);
  else if (args[i] === "--count") count = Number(args[++i]);
  else if (args[i] === "--node-client") nodeClient = true;
  else names.push(args[i]);
}

const WORKLOADS = path.join(ROOT, "tools/bench/workloads");
const all = [...new Set(listFiles(WORKLOADS).filter((f) => f.endsWith("/case.json"))
  .map((f) => path.dirname(f)))];
const selected = names.length ? names : all;
const USAGE = "usage: node tools/bench/run.mjs [--duration SECONDS] [--connections 1,4] " +
  "[--spaced MS [--count N] [--node-client]] [WORKLOAD ...]\nworkloads: " + all.join(", ");
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
for (const name of selected) {
  if (!all.includes(name)) {
    console.error(`bench: unknown workload or option "${name}"\n${USAGE}`);
    process.exit(2);
  }
}

function parseDuration(text) {
  const m = text.match(/^([\d.]+)(us|ms|s)$/);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

// A POST workload (case.json "method" and "bodyFile") drives wrk with a small Lua script.
function wrkScript(dir, spec) {
  if (!spec.method && !spec.bodyFile) return [];
  const body = spec.bodyFile ? readFileSync(path.join(dir, spec.bodyFile), "utf8") : "";
  const script = path.join(scratchDir("bench-"), "request.lua");
  writeFileSync(script, `wrk.method = ${JSON.stringify(spec.method ?? "GET")}\n` +
    `wrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  return ["-s", script];
}

async function wrk(url, conns, seconds, extra = []) {
  const r = await run("wrk", ["-t1", `-c${conns}`, `-d${seconds}s`, "--latency", ...extra, url]);
  if (r.code !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const rps = Number(r.stdout.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const p50 = parseDuration(r.stdout.match(/^\s+50%\s+(\S+)/m)[1]);
  const p99 = parseDuration(r.stdout.match(/^\s+99%\s+(\S+)/m)[1]);
  const errors = r.stdout.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? "0";
  return { rps, p50, p99, errors: Number(errors) };
}

// A minimal keep-alive HTTP/1.1 client: Node's fetch adds about a millisecond per request,
// more than the work being measured.
function rawClient(url) {
  const { hostname, port, pathname } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  socket.setNoDelay(true);
  let buffer = Buffer.alloc(0);
  let waiter = null;
  socket.on("data", (d) => {
    buffer = Buffer.concat([buffer, d]);
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0 || !waiter) return;
    const head = buffer.subarray(0, end).toString();
    const length = Number(head.match(/content-length: *(\d+)/i)?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const status = Number(head.split(" ")[1]);
    buffer = buffer.subarray(end + 4 + length);
    const w = waiter;
    waiter = null;
    w(status);
  });
  const ready = new Promise((r) => socket.once("connect", r));
  return {
    async get() {
      await ready;
      return new Promise((resolve) => {
        waiter = resolve;
        socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      });
    },
    close() { socket.destroy(); },
  };
}

async function spacedNode(url) {
  const times = [];
  const client = rawClient(url);
  for (let i = 0; i < count + 3; i++) {
    await new Promise((r) => setTimeout(r, spacedMs));
    const t0 = performance.now();
    const status = await client.get();
    if (status !== 200) throw new Error(`status ${status}`);
    if (i >= 3) times.push(performance.now() - t0);  // the first few warm up both sides
  }
  client.close();
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: pct(0.5), p90: pct(0.9), min: times[0] };
}

let spacedClient = null;
async function spaced(url) {
  if (nodeClient) return spacedNode(url);
  if (spacedClient === null) {
    spacedClient = path.join(scratchDir("bench-"), "spaced-client");
    const cc = await run("cc", ["-O2", "-o", spacedClient, path.join(ROOT, "tools/bench/spaced-client.c")]);
    if (cc.code !== 0) throw new Error(`bench: compiling spaced-client.c failed (or use --node-client): ${cc.stderr}`);
  }
  const { port, pathname, search } = new URL(url);
  const r = await run(spacedClient, [port, pathname + search, String(count), String(spacedMs)]);
  if (r.code !== 0) throw new Error(`spaced-client failed: ${r.stderr}`);
  const [, p50, p90, min] = r.stdout.match(/p50 ([\d.]+) p90 ([\d.]+) min ([\d.]+)/).map(Number);
  return { p50, p90, min };
}

function workloadCase(name) {
  const dir = path.join(WORKLOADS, name);
  const spec = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
  return { name, dir, spec, main: "worker.js",
           modules: ["worker.js", ...listFiles(dir).filter((f) => f !== "case.json" && f !== "worker.js")] };
}

if (spacedMs > 0) {
  console.log(`client: ${nodeClient ? "Node (--node-client)" : "tools/bench/spaced-client.c"}\n`);
  console.log(`| workload | spacing ms | workerd p50 / p90 ms | loaderd p50 / p90 ms | p50 ratio (workerd/loaderd) |`);
  console.log(`|---|---|---|---|---|`);
  for (const name of selected) {
    const c = workloadCase(name);
    const results = {};
    for (const runtime of ["workerd", "loaderd"]) {
      const proc = await startRuntime(runtime, c);
      try { results[runtime] = await spaced(new URL(c.spec.path ?? "/", proc.url).href); }
      finally { await proc.stop(); }
    }
    const w = results.workerd, l = results.loaderd;
    console.log(`| ${name} | ${spacedMs} | ${w.p50.toFixed(2)} / ${w.p90.toFixed(2)} | ${l.p50.toFixed(2)} / ${l.p90.toFixed(2)} | **${(w.p50 / l.p50).toFixed(2)}x** |`);
  }
  process.exit(0);
}

const rows = [];
for (const name of selected) {
  const dir = path.join(WORKLOADS, name);
  const spec = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
  const c = { name, dir, spec, main: "worker.js",
              modules: ["worker.js", ...listFiles(dir).filter((f) => f.endsWith(".js") && f !== "worker.js")] };
  const results = {};
  for (const runtime of ["workerd", "loaderd"]) {
    const proc = await startRuntime(runtime, c);
    try {
      const url = new URL(spec.path ?? "/", proc.url).href;
      const extra = wrkScript(dir, spec);
      await wrk(url, 4, 1, extra);  // warm-up
      results[runtime] = {};
      for (const conns of connections) results[runtime][conns] = await wrk(url, conns, duration, extra);
    } finally {
      await proc.stop();
    }
  }
  for (const conns of connections) {
    const w = results.workerd[conns], l = results.loaderd[conns];
    rows.push({ name, conns, w, l });
  }
}

const fmt = (n) => n >= 100 ? n.toFixed(0) : n.toFixed(2);
console.log(`| workload | conns | workerd req/s | loaderd req/s | ratio (loaderd/workerd) | workerd p50 / p99 ms | loaderd p50 / p99 ms |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const { name, conns, w, l } of rows) {
  const flag = w.errors || l.errors ? ` (non-2xx: workerd ${w.errors}, loaderd ${l.errors})` : "";
  console.log(`| ${name} | ${conns} | ${fmt(w.rps)} | ${fmt(l.rps)} | **${(l.rps / w.rps).toFixed(2)}x** | ${w.p50.toFixed(3)} / ${w.p99.toFixed(3)} | ${l.p50.toFixed(3)} / ${l.p99.toFixed(3)} |${flag}`);
}
