#!/usr/bin/env node
// Memory of idle, cached dynamic workers: loaderd against workerd in the same run.
//   node tools/bench/memory.mjs [--workers N] [--distinct M]
// Loads N named dynamic workers (each called once, then idle and cached), reports the growth of
// the process's resident set per worker; then (loaderd) loads M distinct workers in total and
// reports the RSS, which the loader's cache bound keeps flat.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, listFiles } from "../testing/harness.mjs";
import { startRuntime } from "../../conformance/runner.mjs";

const args = process.argv.slice(2);
let workers = 200, distinct = 0;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--workers") workers = Number(args[++i]);
  else if (args[i] === "--distinct") distinct = Number(args[++i]);
}

const dir = path.join(ROOT, "tools/bench/workloads/loader-memory");
const c = { name: "loader-memory", dir, main: "worker.js", modules: ["worker.js"],
            spec: JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8")) };

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

async function load(proc, from, to) {
  for (let i = from; i < to; i += 100) {
    const r = await proc.fetch(`/load?from=${i}&to=${Math.min(to, i + 100)}`);
    if (r.status !== 200) throw new Error(`${r.status} ${await r.text()} ${proc.stderr.slice(-500)}`);
    await r.text();
  }
}

const results = {};
for (const runtime of ["workerd", "loaderd"]) {
  const proc = await startRuntime(runtime, c);
  try {
    await load(proc, 0, 10);  // warm up: first isolate, code caches, pools
    await new Promise((r) => setTimeout(r, 500));
    const before = rssMb(proc.child.pid);
    await load(proc, 10, 10 + workers);
    await new Promise((r) => setTimeout(r, 500));
    const after = rssMb(proc.child.pid);
    results[runtime] = { before, after, perWorker: (after - before) / workers };
    if (runtime === "loaderd" && distinct > 0) {
      await load(proc, 10 + workers, distinct);
      await new Promise((r) => setTimeout(r, 500));
      results[runtime].afterDistinct = rssMb(proc.child.pid);
      // The isolate thread gives back kept page regions after 2 s without work.
      await new Promise((r) => setTimeout(r, 3000));
      results[runtime].afterIdle = rssMb(proc.child.pid);
    }
  } finally {
    await proc.stop();
  }
}
console.log(`| runtime | RSS before (MB) | RSS after ${workers} idle cached workers (MB) | per worker (MB) |${distinct ? ` RSS after ${distinct} distinct (MB) | 3 s later (MB) |` : ""}`);
console.log(`|---|---|---|---|${distinct ? "---|---|" : ""}`);
for (const [runtime, r] of Object.entries(results)) {
  console.log(`| ${runtime} | ${r.before.toFixed(1)} | ${r.after.toFixed(1)} | ${r.perWorker.toFixed(2)} |${distinct ? ` ${r.afterDistinct?.toFixed(1) ?? "-"} | ${r.afterIdle?.toFixed(1) ?? "-"} |` : ""}`);
}
console.log(`ratio (workerd/loaderd per worker): ${(results.workerd.perWorker / results.loaderd.perWorker).toFixed(2)}x`);
