#!/usr/bin/env node
// The Code Mode MCP service against its reference, in one run:
//   - tools/list size in cl100k tokens;
//   - search p50/p95 on the Cloudflare spec: loaderd's service (MCP tools/call through the
//     official SDK client) against the upstream design on workerd (a new dynamic worker per call
//     with the spec inlined), the same agent code on both;
//   - execute p50/p95 of the three-call seed workflow (list zones, read the ddos_l7 ruleset,
//     update its sensitivity) against the mock API: loaderd's service against
//     @cloudflare/codemode's DynamicWorkerExecutor on workerd.
// loaderd is measured end to end through MCP (JSON-RPC, formatting); the workerd side is a plain
// POST to a host worker, so the comparison is conservative for loaderd.
//
//   node tools/bench/codemode.mjs [--count N]
import path from "node:path";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { getEncoding } from "js-tiktoken";
import { ROOT, scratchDir, startLoaderd, writeFiles } from "../testing/harness.mjs";
import { startRuntime } from "../../conformance/runner.mjs";
import { processSpec } from "../../samples/codemode-mcp/spec-processor.js";

const args = process.argv.slice(2);
if (args.includes("--help")) {
  console.log("usage: node tools/bench/codemode.mjs [--count N]   (N calls of each kind; default 40)");
  process.exit(0);
}
const count = args.includes("--count") ? Number(args[args.indexOf("--count") + 1]) : 40;

const SEARCHES = [
  `async () => Object.entries(spec.paths).filter(([p]) => p.includes("/dns_records")).flatMap(([p, ops]) => Object.entries(ops).map(([m, o]) => m.toUpperCase() + " " + p + " — " + o.summary))`,
  `async () => spec.paths["/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint"].put.requestBody`,
  `async () => Object.values(spec.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)`,
  `async () => Object.entries(spec.paths).flatMap(([p, ops]) => Object.entries(ops).filter(([, o]) => (o.tags ?? []).some((t) => /workers/i.test(t))).map(([m]) => m + " " + p)).slice(0, 50)`,
];
const WORKFLOW = `async () => {
  const zones = await cloudflare.request({ method: "GET", path: "/zones", query: { name: "example.com" } });
  const phase = "/zones/" + zones.result[0].id + "/rulesets/phases/ddos_l7/entrypoint";
  const rs = await cloudflare.request({ method: "GET", path: phase });
  const rule = rs.result.rules[0];
  const up = await cloudflare.request({ method: "PUT", path: phase, body: { rules: [{ ...rule,
    action_parameters: { ...rule.action_parameters, overrides: { sensitivity_level: "low" } } }] } });
  return up.result.rules[0].action_parameters.overrides.sensitivity_level;
}`;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
async function measure(n, call) {
  await call(0);  // warm-up (first search builds the holder)
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

// loaderd: the service itself.
const loaderd = await startLoaderd(path.join(ROOT, "samples/codemode-mcp"),
                                   { env: { ...process.env, CF_API_TOKEN: "demo-token" }, timeoutMs: 30000 });
const client = new Client({ name: "bench", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", loaderd.url)));
const { tools } = await client.listTools();
const tokens = getEncoding("cl100k_base").encode(JSON.stringify(tools)).length;
const expectOk = (r) => {
  if (r.isError) throw new Error(`loaderd: ${JSON.stringify(r.content)}`);
  return r;
};
const searchLoaderd = await measure(count, (i) =>
  client.callTool({ name: "search", arguments: { code: SEARCHES[i % SEARCHES.length] } }).then(expectOk));
const executeLoaderd = await measure(count, () =>
  client.callTool({ name: "execute", arguments: { code: WORKFLOW } }).then(expectOk));
await client.close();
await loaderd.stop();

// workerd: the references.
const dir = scratchDir("bench-codemode-");
const spec = JSON.parse(readFileSync(path.join(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json"), "utf8"));
writeFiles(dir, { "spec.txt": JSON.stringify({ paths: processSpec(spec).paths }), "case.json": "{}" });
await build({
  entryPoints: [path.join(ROOT, "tools/bench/codemode/workerd-host.js")],
  bundle: true, format: "esm", platform: "neutral", target: "es2022",
  mainFields: ["module", "main"], conditions: ["workerd", "worker", "import"],
  external: ["cloudflare:workers", "./spec.txt"], outfile: path.join(dir, "worker.js"), logLevel: "error",
});
const workerd = await startRuntime("workerd", {
  name: "codemode-bench", dir, main: "worker.js", modules: ["worker.js", "spec.txt"],
  spec: { compatibilityDate: "2025-06-01", compatibilityFlags: ["nodejs_compat"],
          bindings: { LOADER: { worker_loader: {} } } },
});
const post = async (body) => {
  const r = await workerd.fetch("/", { method: "POST", body: JSON.stringify(body) });
  const json = await r.json();
  if (r.status !== 200 || json.error) throw new Error(`workerd: ${r.status} ${JSON.stringify(json)}`);
  return json;
};
const searchWorkerd = await measure(Math.min(count, 20), (i) => post({ tool: "search", code: SEARCHES[i % SEARCHES.length] }));
const executeWorkerd = await measure(count, () => post({ tool: "execute", code: WORKFLOW }));
await workerd.stop();

const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`tools/list: ${tokens} cl100k tokens (upstream's: about 1,150)\n`);
console.log("| | loaderd p50 | loaderd p95 | workerd p50 | workerd p95 | p50 ratio |");
console.log("|---|---|---|---|---|---|");
console.log(`| search (Cloudflare spec; workerd: upstream design) | ${ms(searchLoaderd.p50)} | ${ms(searchLoaderd.p95)} | ${ms(searchWorkerd.p50)} | ${ms(searchWorkerd.p95)} | ${(searchWorkerd.p50 / searchLoaderd.p50).toFixed(1)}× |`);
console.log(`| execute, 3-call workflow (workerd: @cloudflare/codemode) | ${ms(executeLoaderd.p50)} | ${ms(executeLoaderd.p95)} | ${ms(executeWorkerd.p50)} | ${ms(executeWorkerd.p95)} | ${(executeWorkerd.p50 / executeLoaderd.p50).toFixed(2)}× |`);
