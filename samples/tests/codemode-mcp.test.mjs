// The Code Mode MCP service (samples/codemode-mcp) on loaderd, driven by the official MCP
// TypeScript SDK client over Streamable HTTP: tools/list (and its size in cl100k tokens),
// search over the Cloudflare spec, execute of the seed workflow against the mock API, and the
// transport's checks (405 for GET, Origin, protocol version, notifications).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { getEncoding } from "js-tiktoken";
import { ROOT, startLoaderd } from "../../tools/testing/harness.mjs";

let proc, client;
before(async () => {
  proc = await startLoaderd(path.join(ROOT, "samples/codemode-mcp"),
                            { env: { ...process.env, CF_API_TOKEN: "demo-token" }, timeoutMs: 20000 });
  client = new Client({ name: "loaderd-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", proc.url)));
});
after(async () => { await client?.close(); await proc?.stop(); });

const text = (result) => result.content[0].text;

test("tools/list: search and execute, at most 1,000 cl100k tokens", async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name), ["search", "execute"]);
  const tokens = getEncoding("cl100k_base").encode(JSON.stringify(tools)).length;
  assert.ok(tokens <= 1000, `${tokens} tokens`);
  console.log(`tools/list: ${tokens} cl100k tokens`);
  assert.match(tools[1].description, /declare const cloudflare: \{ request\(/);
});

test("search finds operations and renders them as TypeScript", async () => {
  const found = await client.callTool({ name: "search", arguments: { code:
    `async () => Object.entries(spec.paths).filter(([p]) => p.endsWith("/rulesets/phases/{ruleset_phase}/entrypoint")).map(([p, ops]) => [p, Object.keys(ops)])` } });
  assert.equal(found.isError, false);
  assert.deepEqual(JSON.parse(text(found)), [
    ["/accounts/{account_id}/rulesets/phases/{ruleset_phase}/entrypoint", ["get", "put"]],
    ["/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint", ["get", "put"]],
  ]);
  const ts = await client.callTool({ name: "search", arguments: { code: `async () => toTypeScript("get", "/zones")` } });
  assert.match(text(ts), /^\/\*\* List Zones — GET \/zones \*\/\nfunction zones_get\(query\?: \{/);
  // The spec is read-only and nothing carries over between calls.
  const frozen = await client.callTool({ name: "search", arguments: { code:
    `async () => { "use strict"; try { spec.paths["/zones"] = 1; return "mutated"; } catch (e) { globalThis.leak = 1; return e.name; } }` } });
  assert.equal(text(frozen), "TypeError");
  const fresh = await client.callTool({ name: "search", arguments: { code: `async () => typeof globalThis.leak` } });
  assert.equal(text(fresh), "undefined");
  const broken = await client.callTool({ name: "search", arguments: { code: `async () => spec.nope.deeper` } });
  assert.equal(broken.isError, true);
  assert.match(text(broken), /^TypeError: /);
});

test("execute runs the seed workflow against the mock API without seeing the token", async () => {
  const result = await client.callTool({ name: "execute", arguments: { code: `async () => {
    const zones = await cloudflare.request({ method: "GET", path: "/zones", query: { name: "example.com" } });
    const phase = "/zones/" + zones.result[0].id + "/rulesets/phases/ddos_l7/entrypoint";
    const rs = await cloudflare.request({ method: "GET", path: phase });
    const rule = rs.result.rules[0];
    console.log("before", rule.action_parameters.overrides.sensitivity_level);
    const up = await cloudflare.request({ method: "PUT", path: phase, body: { rules: [{ ...rule,
      action_parameters: { ...rule.action_parameters, overrides: { sensitivity_level: "low" } } }] } });
    return up.result.rules[0].action_parameters.overrides.sensitivity_level;
  }` } });
  assert.equal(result.isError, false, JSON.stringify(result));
  assert.equal(text(result), "low");
  assert.equal(result.content[1].text, "console:\nbefore default");
  assert.ok(!JSON.stringify(result).includes("demo-token"));
  const unknown = await client.callTool({ name: "execute", arguments: { code: `async () => cloudflare.request({ method: "GET", path: "/zonez" })` } });
  assert.equal(unknown.isError, true);
  assert.match(text(unknown), /^TypeError: The API spec has no operation GET \/zonez\. Closest: GET \/zones/);
});

test("transport: GET is 405, foreign Origin 403, bad protocol version 400, notifications 202, ping", async () => {
  const url = new URL("/mcp", proc.url);
  assert.equal((await fetch(url)).status, 405);
  const post = (body, headers = {}) => fetch(url, { method: "POST", body: JSON.stringify(body),
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } });
  assert.equal((await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { origin: "https://evil.example" })).status, 403);
  assert.equal((await post({ jsonrpc: "2.0", id: 1, method: "ping" }, { "mcp-protocol-version": "1999-01-01" })).status, 400);
  assert.equal((await post({ jsonrpc: "2.0", method: "notifications/initialized" })).status, 202);
  assert.deepEqual(await (await post({ jsonrpc: "2.0", id: 7, method: "ping" })).json(), { jsonrpc: "2.0", id: 7, result: {} });
  assert.equal((await (await post({ jsonrpc: "2.0", id: 8, method: "nope" })).json()).error.code, -32601);
  await client.ping();
});

test("the stateless 2026-07-28 revision on the same endpoint", async () => {
  const url = new URL("/mcp", proc.url);
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", clientCapabilities: {},
                 clientInfo: { name: "t", version: "1" } };
  const call = (method, params, headers = {}) => fetch(url, { method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream",
               "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...headers } });
  const discover = await (await call("server/discover", { _meta: meta })).json();
  assert.deepEqual(discover.result.supportedVersions, ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"]);
  assert.equal(discover.result.resultType, "complete");
  assert.equal(discover.result.cacheScope, "public");
  assert.equal(typeof discover.result.ttlMs, "number");
  assert.equal(discover.result._meta["io.modelcontextprotocol/serverInfo"].name, "loaderd-codemode");
  const list = await (await call("tools/list", { _meta: meta })).json();
  assert.deepEqual(list.result.tools.map((t) => t.name), ["search", "execute"]);
  assert.equal(list.result.resultType, "complete");
  const exec = await (await call("tools/call", { name: "execute", _meta: meta,
    arguments: { code: "async () => (await cloudflare.request({ method: 'GET', path: '/accounts' })).result.length" } },
    { "mcp-name": "execute" })).json();
  assert.deepEqual([exec.result.content[0].text, exec.result.isError, exec.result.resultType], ["1", false, "complete"]);
  // Header checks, unsupported versions, unknown methods.
  let r = await call("tools/list", { _meta: meta }, { "mcp-protocol-version": "2025-11-25" });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, -32020);
  r = await call("tools/call", { name: "execute", _meta: meta, arguments: { code: "async () => 1" } }, { "mcp-name": "search" });
  assert.equal((await r.json()).error.code, -32020);
  r = await call("tools/list", { _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": "2099-01-01" } },
                 { "mcp-protocol-version": "2099-01-01" });
  assert.equal(r.status, 400);
  r = await call("tools/list", { _meta: { ...meta, "io.modelcontextprotocol/protocolVersion": "2030-01-01" } });
  const unsupported = await r.json();
  assert.equal(unsupported.error.code, -32022);
  assert.ok(unsupported.error.data.supported.includes("2026-07-28"));
  r = await call("resources/list", { _meta: meta });
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, -32601);
});
