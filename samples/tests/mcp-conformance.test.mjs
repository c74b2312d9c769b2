// The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in package.json)
// against the Code Mode MCP service (samples/codemode-mcp) on loaderd. One run of every server
// scenario (`server --suite all`, loopback only); each scenario's checks.json is then judged
// here: the scenarios that test what the service implements must pass, and every other one must
// fail for the expected reason — the feature is absent by design, or the scenario calls a
// fixture tool (`test_simple_text`, ...) of the suite's reference server, which must be refused
// as an unknown tool (JSON-RPC -32602). A scenario this file does not know fails the test, so a
// new version of the package is classified before it is trusted. Results: docs/mcp-conformance.md.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { ROOT, run, scratchDir, startLoaderd } from "../../tools/testing/harness.mjs";

const CLI = path.join(ROOT, "node_modules/@modelcontextprotocol/conformance/dist/index.js");

// Scenarios that exercise what the service implements: every check SUCCESS (or INFO), at least
// one SUCCESS.
const APPLIES = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"];

// Scenarios that skip themselves on a stateless server (no Mcp-Session-Id): a WARNING saying so,
// no FAILURE.
const NEEDS_SESSION = ["server-sse-polling", "server-sse-multiple-streams"];

// Scenarios that cannot pass by design, each with the error its failing check must report.
const unknownTool = (name) => new RegExp(`MCP error -32602: Unknown tool: ${name}$`);
const noMethod = (method) => new RegExp(`MCP error -32601: Method not found: ${method}$`);
const ABSENT = {
  "logging-set-level": noMethod("logging/setLevel"),
  "completion-complete": noMethod("completion/complete"),
  "tools-call-simple-text": unknownTool("test_simple_text"),
  "tools-call-image": unknownTool("test_image_content"),
  "tools-call-audio": unknownTool("test_audio_content"),
  "tools-call-embedded-resource": unknownTool("test_embedded_resource"),
  "tools-call-mixed-content": unknownTool("test_multiple_content_types"),
  "tools-call-with-logging": noMethod("logging/setLevel"),
  "tools-call-error": unknownTool("test_error_handling"),
  "tools-call-with-progress": unknownTool("test_tool_with_progress"),
  "tools-call-sampling": unknownTool("test_sampling"),
  "tools-call-elicitation": unknownTool("test_elicitation"),
  "json-schema-2020-12": /^Tool 'json_schema_2020_12_tool' not found\. Available tools: search, execute$/,
  "elicitation-sep1034-defaults": unknownTool("test_elicitation_sep1034_defaults"),
  "elicitation-sep1330-enums": unknownTool("test_elicitation_sep1330_enums"),
  "resources-list": noMethod("resources/list"),
  "resources-read-text": noMethod("resources/read"),
  "resources-read-binary": noMethod("resources/read"),
  "resources-templates-read": noMethod("resources/read"),
  "resources-subscribe": noMethod("resources/subscribe"),
  "resources-unsubscribe": noMethod("resources/subscribe"),
  "prompts-list": noMethod("prompts/list"),
  "prompts-get-simple": noMethod("prompts/get"),
  "prompts-get-with-args": noMethod("prompts/get"),
  "prompts-get-embedded-resource": noMethod("prompts/get"),
  "prompts-get-with-image": noMethod("prompts/get"),
};

// conformance 0.1.16 imports fs.globSync (Node 22+) at the top of its bundle although only its
// tier-check command uses it, so on Node 20 the CLI does not load. On a Node without globSync,
// this module hook hands the package an fs that adds a globSync which throws if called.
const dataUrl = (source) => `data:text/javascript,${encodeURIComponent(source)}`;
const FS_WITH_GLOBSYNC = dataUrl(`import fs from "node:fs"; export * from "node:fs"; export default fs;
export function globSync() { throw new Error("fs.globSync needs Node 22 or later"); }`);
const HOOKS = dataUrl(`export async function resolve(specifier, context, next) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL?.includes("/@modelcontextprotocol/conformance/")) {
    return { url: ${JSON.stringify(FS_WITH_GLOBSYNC)}, shortCircuit: true };
  }
  return next(specifier, context);
}`);
const NODE20_SHIM = dataUrl(`import fs from "node:fs"; import { register } from "node:module";
if (!fs.globSync) register(${JSON.stringify(HOOKS)});`);

let proc, outcome, results;
before(async () => {
  proc = await startLoaderd(path.join(ROOT, "samples/codemode-mcp"),
                            { env: { ...process.env, CF_API_TOKEN: "demo-token" }, timeoutMs: 20000 });
  const out = scratchDir("mcp-conformance-");
  outcome = await run(process.execPath, ["--import", NODE20_SHIM, CLI, "server",
    "--url", new URL("/mcp", proc.url).href, "--suite", "all", "-o", out], { cwd: out, timeout: 90000 });
  // <out>/server-<scenario>-<timestamp>/checks.json
  results = new Map();
  for (const dir of readdirSync(out)) {
    const name = dir.match(/^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/)?.[1];
    if (name) results.set(name, JSON.parse(readFileSync(path.join(out, dir, "checks.json"), "utf8")));
  }
});
after(async () => { await proc?.stop(); });

const summary = (checks) => checks.map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? c.details?.message ?? ""}`).join("\n");

test("the suite ran every server scenario, and each is classified here", () => {
  assert.match(outcome.stdout, /=== SUMMARY ===/, `conformance CLI failed (exit ${outcome.code}):\n${outcome.stderr}`);
  const known = [...APPLIES, ...NEEDS_SESSION, ...Object.keys(ABSENT)].sort();
  assert.deepEqual([...results.keys()].sort(), known);
});

for (const name of APPLIES) {
  test(`passes: ${name}`, () => {
    const checks = results.get(name);
    assert.ok(checks, `no result for ${name}`);
    assert.ok(checks.some((c) => c.status === "SUCCESS"), summary(checks));
    assert.ok(checks.every((c) => c.status === "SUCCESS" || c.status === "INFO"), summary(checks));
  });
}

test("SSE polling and multiple streams: skipped by the suite on a stateless server", () => {
  for (const name of NEEDS_SESSION) {
    const checks = results.get(name);
    assert.ok(checks, `no result for ${name}`);
    assert.ok(checks.every((c) => c.status !== "FAILURE"), summary(checks));
    assert.ok(checks.some((c) => c.status === "WARNING" && /did not provide session ID/.test(c.details?.message)),
              summary(checks));
  }
});

test("absent by design: resources, prompts, logging, completions, fixture tools are refused cleanly", () => {
  for (const [name, reason] of Object.entries(ABSENT)) {
    const checks = results.get(name);
    assert.ok(checks, `no result for ${name}`);
    const failures = checks.filter((c) => c.status === "FAILURE");
    assert.equal(failures.length, 1, `${name}:\n${summary(checks)}`);
    assert.match(failures[0].errorMessage, reason, name);
  }
});
