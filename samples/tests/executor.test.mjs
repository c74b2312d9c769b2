// The `execute` tool's core (samples/codemode-mcp/executor.js) and the in-sandbox client
// (client.js) on loaderd over the http_api binding and the mock Cloudflare API: the seed
// workflow, writes, console capture, the client's argument errors, errors with the agent's own
// line numbers, hostile code (infinite loop, no network, huge output), and no state carried
// between calls. loaderd only: http_api is loaderd's binding.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, scratchDir, startLoaderd } from "../../tools/testing/harness.mjs";
import { BASE, TOKEN, TOKEN_ENV, writeApiConfig } from "./api-fixture.mjs";

const DIR = path.join(ROOT, "samples/codemode-mcp");

const HOST = `
import { execute } from "./executor.js";
import CLIENT from "./client.txt";
export default {
  async fetch(request, env) {
    const code = await request.text();
    const out = await execute({ loader: env.LOADER, api: env.API, code, clientName: "cloudflare",
                                baseUrl: ${JSON.stringify(BASE)}, clientSource: CLIENT, cpuMs: 500,
                                wallMs: 1000 });
    return Response.json(out);
  },
};`;

let proc;
before(async () => {
  const dir = scratchDir();
  writeApiConfig(dir, {
    "index.js": HOST,
    "executor.js": fs.readFileSync(path.join(DIR, "executor.js"), "utf8"),
    "format.js": fs.readFileSync(path.join(DIR, "format.js"), "utf8"),
    "client.txt": fs.readFileSync(path.join(DIR, "client.js"), "utf8"),
  });
  proc = await startLoaderd(dir, { env: { ...process.env, [TOKEN_ENV]: TOKEN } });
});
after(async () => { await proc?.stop(); });

async function run(code) {
  const r = await proc.fetch("/", { method: "POST", body: code });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.ok(!text.includes("demo-token"));
  return JSON.parse(text);
}

test("the seed workflow in one execute, with console output captured", async () => {
  const out = await run(`async () => {
    const zones = await cloudflare.request({ method: "GET", path: "/zones", query: { name: "example.com" } });
    console.log("zones:", zones.result.length);
    const phase = "/zones/" + zones.result[0].id + "/rulesets/phases/ddos_l7/entrypoint";
    const rs = await cloudflare.request({ method: "GET", path: phase });
    const rule = rs.result.rules[0];
    console.warn({ before: rule.action_parameters.overrides.sensitivity_level });
    const up = await cloudflare.request({ method: "PUT", path: phase, body: { rules: [{ ...rule,
      action_parameters: { ...rule.action_parameters, overrides: { sensitivity_level: "low" } } }] } });
    return up.result.rules[0].action_parameters.overrides;
  }`);
  assert.equal(out.isError, false);
  assert.deepEqual(JSON.parse(out.text), { sensitivity_level: "low" });
  assert.deepEqual(out.logs, ["zones: 1", '[warn] {"before":"default"}']);
});

test("results: strings as is, undefined, and huge output cut as valid JSON with a note", async () => {
  assert.equal((await run(`async () => "just text"`)).text, "just text");
  assert.equal((await run(`async () => {}`)).text, "undefined");
  const big = await run(`async () => Array.from({ length: 20000 }, (_, i) => ({ i, pad: "x".repeat(20) }))`);
  assert.ok(big.text.length <= 24000);
  assert.match(JSON.parse(big.text).at(-1), /more items/);
  assert.match(big.note, /^Result was ~[\d,]+ tokens/);
});

test("errors: thrown, API, syntax (with the agent's line), not a function", async () => {
  assert.equal((await run(`async () => { throw new RangeError("nope"); }`)).text, "RangeError: nope");
  const api = await run(`async () => cloudflare.request({ method: "GET", path: "/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records/nope" })`);
  assert.equal(api.isError, true);
  assert.equal(api.text, "Error: API error: 81044: Record does not exist.");
  const syntax = await run(`async () => {\n  const a = 1;\n  return a +;\n}`);
  assert.equal(syntax.isError, true);
  assert.equal(syntax.text, "SyntaxError: Unexpected token ';' at code.js:3:12");
  assert.match((await run(`42`)).text, /must be an async arrow function/);
});

test("hostile code: infinite loops hit the CPU limit, there is no network, state does not carry over", async () => {
  const loop = await run(`async () => { while (true) {} }`);
  assert.equal(loop.isError, true);
  assert.match(loop.text, /exceeded CPU time limit/);
  const started = Date.now();
  const hang = await run(`async () => { await new Promise(() => {}); }`);
  assert.equal(hang.isError, true);
  assert.match(hang.text, /exceeded wall-clock time limit/);
  assert.ok(Date.now() - started < 5000);
  const net = await run(`async () => (await fetch("https://example.com/")).status`);
  assert.match(net.text, /not permitted to access the internet/);
  await run(`async () => { globalThis.leak = 1; Object.prototype.polluted = true; return 1; }`);
  const after = await run(`async () => [typeof globalThis.leak, ({}).polluted === true]`);
  assert.deepEqual(JSON.parse(after.text), ["undefined", false]);
});

test("the client's argument errors and the binding's unknown-operation error", async () => {
  const unknown = await run(`async () => cloudflare.request({ method: "GET", path: "/zonez" })`);
  assert.match(unknown.text, /^TypeError: The API spec has no operation GET \/zonez\. Closest: GET \/zones/);
  const repeated = await run(`async () => cloudflare.request({ method: "GET", path: "/client/v4/zones" })`);
  assert.equal(repeated.text, "TypeError: request(): path is relative to https://api.cloudflare.com/client/v4; drop the leading /client/v4.");
  const relative = await run(`async () => cloudflare.request({ method: "GET", path: "zones" })`);
  assert.match(relative.text, /^TypeError: request\(\): path must be a string starting with "\/"/);
  const method = await run(`async () => cloudflare.request({ method: "TRACE", path: "/zones" })`);
  assert.match(method.text, /^TypeError: request\(\): method must be one of GET, POST, PUT, PATCH, DELETE/);
});

test("writes: create a KV namespace and a DNS record, then read them back", async () => {
  const out = await run(`async () => {
    const accounts = await cloudflare.request({ method: "GET", path: "/accounts" });
    const accountId = accounts.result[0].id;
    const ns = await cloudflare.request({ method: "POST", path: "/accounts/" + accountId + "/storage/kv/namespaces", body: { title: "from-agent" } });
    const list = await cloudflare.request({ method: "GET", path: "/accounts/" + accountId + "/storage/kv/namespaces" });
    const zones = await cloudflare.request({ method: "GET", path: "/zones" });
    const rec = await cloudflare.request({ method: "POST", path: "/zones/" + zones.result[0].id + "/dns_records",
                                           body: { type: "A", name: "agent.example.com", content: "192.0.2.7", ttl: 300 } });
    return { title: ns.result.title, listed: list.result.some((n) => n.title === "from-agent"), record: rec.result.name, status: rec.status };
  }`);
  assert.deepEqual(JSON.parse(out.text), { title: "from-agent", listed: true, record: "agent.example.com", status: 200 });
});
