#!/usr/bin/env node
// Prints what a runtime answers to a case's requests, to write or check its expectations:
//   node conformance/probe.mjs CASE [workerd|loaderd]
import { loadCases, startRuntime } from "./runner.mjs";

const [name, runtime = "workerd"] = process.argv.slice(2);
const c = loadCases().find((x) => x.name === name);
if (!c) throw new Error(`no case ${name}`);
const proc = await startRuntime(runtime, c);
try {
  for (const r of c.spec.requests ?? []) {
    const response = await proc.fetch(r.path ?? "/", { method: r.method ?? "GET", headers: r.headers ?? {}, body: r.body, redirect: "manual" });
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    console.log(`--- ${r.name ?? r.path ?? "/"}: ${response.status}\n${shown}`);
  }
} finally {
  await proc.stop();
  if (proc.stderr) console.error(proc.stderr.slice(-3000));
}
