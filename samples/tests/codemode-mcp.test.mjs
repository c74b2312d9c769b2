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

// Walks everything reachable from what it is given (own properties, getters, prototypes,
// function sources), returning the paths of strings that contain `needle`. Shipped into both
// sandboxes as source; the needle is built at run time so the code never contains the token.
const HUNT = `const hunt = (roots, needle) => {
  const seen = new Set(), found = [];
  const walk = (v, path, depth) => {
    if (depth > 12 || v === null || v === undefined) return;
    if (typeof v === "string") { if (v.includes(needle)) found.push(path); return; }
    if (typeof v === "function") { try { walk(Function.prototype.toString.call(v), path + "()", depth + 1); } catch {} }
    if (typeof v !== "object" && typeof v !== "function") return;
    if (seen.has(v)) return;
    seen.add(v);
    let keys = [];
    try { keys = Reflect.ownKeys(v); } catch {}
    for (const k of keys) {
      let d;
      try { d = Reflect.getOwnPropertyDescriptor(v, k); } catch { continue; }
      if (!d) continue;
      if ("value" in d) walk(d.value, path + "." + String(k), depth + 1);
      else if (d.get) { try { walk(d.get.call(v), path + "." + String(k), depth + 1); } catch (e) { walk(String(e), path + "!", depth + 1); } }
    }
    try { walk(Reflect.getPrototypeOf(v), path + ".__proto__", depth + 1); } catch {}
  };
  for (const [name, root] of Object.entries(roots)) walk(root, name, 0);
  return found;
};`;

test("the token is in no isolate: agent code that searches everything it can reach never finds it", async () => {
  const needle = `["demo", "token"].join("-")`;
  const executed = await client.callTool({ name: "execute", arguments: { code: `async () => {
    ${HUNT}
    const reached = { globalThis, client: cloudflare };
    // Every error the client and the binding can produce, and real responses.
    for (const options of [{ method: "GET", path: "/zonez" }, { method: "DELETE", path: "/zones" },
        { method: "GET", path: "//evil.example/x" }, { method: "GET", path: "/%2e%2e/x" },
        { method: "GET", path: "/zones" }, { method: "GET", path: "/accounts", rawBody: true },
        { method: "POST", path: "/accounts/x/storage/kv/namespaces", body: { title: 1 } }]) {
      try { reached[options.method + options.path] = await cloudflare.request(options); }
      catch (e) { reached["error " + options.path] = [e.message, e.stack, e]; }
    }
    try { await fetch("https://api.cloudflare.com/client/v4/zones"); } catch (e) { reached.fetch = [e.message, e.stack]; }
    return { found: hunt(reached, ${needle}), reached: Object.keys(reached).length };
  }` } });
  assert.equal(executed.isError, false, JSON.stringify(executed));
  const result = JSON.parse(text(executed));
  assert.deepEqual(result.found, []);
  assert.equal(result.reached, 10);
  // The hunt itself works: it finds a planted copy.
  const planted = await client.callTool({ name: "execute", arguments: { code: `async () => {
    ${HUNT}
    return hunt({ globalThis, deep: { a: [{ b: "x" + ${needle} }] } }, ${needle});
  }` } });
  assert.deepEqual(JSON.parse(text(planted)), ["deep.a.0.b"]);
  const searched = await client.callTool({ name: "search", arguments: { code: `async () => {
    ${HUNT}
    return hunt({ globalThis, spec }, ${needle});
  }` } });
  assert.deepEqual(JSON.parse(text(searched)), []);
  assert.ok(!proc.stdout.includes("demo-token") && !proc.stderr.includes("demo-token"));
});

test("a search that exhausts memory fails alone; the next search gets a fresh holder", async () => {
  const bomb = await client.callTool({ name: "search", arguments: { code:
    `async () => { const a = []; while (true) a.push(new Array(1e6).fill(1.5)); }` } });
  assert.equal(bomb.isError, true);
  assert.match(text(bomb), /exceeded memory limit/);
  const loop = await client.callTool({ name: "search", arguments: { code: `async () => { while (true) {} }` } });
  assert.equal(loop.isError, true);
  assert.match(text(loop), /exceeded its CPU time limit/);
  const after = await client.callTool({ name: "search", arguments: { code: `async () => spec.paths["/zones"].get.summary` } });
  assert.equal(after.isError, false, JSON.stringify(after));
  assert.equal(text(after), "List Zones");
});

test("execute through MCP: bad code, a thrown error, a runaway loop and an oversized result", async () => {
  const run = (code) => client.callTool({ name: "execute", arguments: { code } });
  const bad = await run(`async () => {\n  const x = ;\n}`);
  assert.equal(bad.isError, true);
  assert.match(text(bad), /^SyntaxError: Unexpected token ';'/);
  assert.equal(text(bad), "SyntaxError: Unexpected token ';' at code.js:2:12");
  const thrown = await run(`async () => { console.log("about to throw"); throw new Error("agent gave up"); }`);
  assert.equal(thrown.isError, true);
  assert.equal(text(thrown), "Error: agent gave up");
  assert.ok(thrown.content.some((c) => c.text === "console:\nabout to throw"));
  const started = Date.now();
  const loop = await run(`async () => { while (true) {} }`);
  assert.equal(loop.isError, true);
  assert.match(text(loop), /exceeded CPU time limit/);
  assert.ok(Date.now() - started < 20000);
  const huge = await run(`async () => Array.from({ length: 5000 }, (_, i) => ({ i, name: "item-" + i, pad: "x".repeat(40) }))`);
  assert.equal(huge.isError, false);
  assert.ok(text(huge).length <= 24000, `${text(huge).length} characters`);
  JSON.parse(text(huge));  // still valid JSON
  assert.match(huge.content[1].text, /cut|left out|truncat/i);
  const search = await client.callTool({ name: "search", arguments: { code: `async () => { throw new TypeError("no luck"); }` } });
  assert.deepEqual([search.isError, text(search)], [true, "TypeError: no luck"]);
});
