// The in-sandbox API client (samples/codemode-mcp/client.js) over the http_api binding: agent
// code runs in a dynamic worker with globalOutbound null and only env.API, and drives the mock
// Cloudflare API — the seed workflow in one go, errors as the client words them. loaderd only:
// http_api is loaderd's binding.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, scratchDir, writeFiles, startLoaderd } from "../../tools/testing/harness.mjs";

const SPEC = path.resolve(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json");
const CLIENT = fs.readFileSync(path.join(ROOT, "samples/codemode-mcp/client.js"), "utf8");
const BASE = "https://api.cloudflare.com/client/v4";

// The host worker: POST agent code (an async arrow function), get back its result or error.
const HOST = `
const CLIENT = ${JSON.stringify(CLIENT)};
const BASE = ${JSON.stringify(BASE)};
export default {
  async fetch(request, env) {
    const code = await request.text();
    const agent = "import { makeClient } from './client.js';\\n" +
      "export default { async fetch(request, env) {\\n" +
      "  const cloudflare = makeClient(env.API, " + JSON.stringify(BASE) + ");\\n" +
      "  try { return Response.json({ result: await (" + code + ")() }); }\\n" +
      "  catch (e) { return Response.json({ error: e.name + ': ' + e.message }); }\\n" +
      "} };";
    const worker = env.LOADER.load({
      compatibilityDate: "2025-06-01", mainModule: "agent.js",
      modules: { "agent.js": agent, "client.js": CLIENT },
      env: { API: env.API }, globalOutbound: null,
    });
    return worker.getEntrypoint().fetch("http://sandbox/");
  },
};`;

let proc;
before(async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": HOST,
    "loaderd.yaml": `main: host
workers:
  host:
    main: index.js
    compatibility_date: "2025-06-01"
    bindings:
      LOADER: { worker_loader: {} }
      API:
        http_api:
          base_url: "${BASE}"
          spec: ${JSON.stringify(SPEC)}
          auth: { header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN, prefix: "Bearer " }
          upstream: mock
  mock:
    main: ${JSON.stringify(path.join(ROOT, "samples/mock-cloudflare-api/index.js"))}
    compatibility_date: "2025-06-01"
    bindings:
      API_TOKEN: { text: "demo-token" }
`,
  });
  proc = await startLoaderd(dir, { env: { ...process.env, LOADERD_TEST_CF_TOKEN: "demo-token" } });
});
after(async () => { await proc?.stop(); });

async function execute(code) {
  const r = await proc.fetch("/", { method: "POST", body: code });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.ok(!text.includes("demo-token"), "the token reached the sandbox's output");
  return JSON.parse(text);
}

test("the seed workflow runs as one execute: zones, the ddos_l7 ruleset, its sensitivity", async () => {
  const out = await execute(`async () => {
    const zones = await cloudflare.request({ method: "GET", path: "/zones", query: { name: "example.com", page: undefined } });
    const zoneId = zones.result[0].id;
    const phase = "/zones/" + zoneId + "/rulesets/phases/ddos_l7/entrypoint";
    const ruleset = await cloudflare.request({ method: "GET", path: phase });
    const rule = ruleset.result.rules[0];
    const before = rule.action_parameters.overrides.sensitivity_level;
    const updated = await cloudflare.request({ method: "PUT", path: phase, body: { rules: [{
      ...rule, action_parameters: { ...rule.action_parameters, overrides: { sensitivity_level: "low" } } }] } });
    return { status: zones.status, zone: zones.result[0].name, before,
             after: updated.result.rules[0].action_parameters.overrides.sensitivity_level,
             envelope: Object.keys(updated).sort() };
  }`);
  assert.deepEqual(out.result, {
    status: 200, zone: "example.com", before: "default", after: "low",
    envelope: ["errors", "messages", "result", "status", "success"],
  });
});

test("API errors, unknown operations and bad arguments are clear errors", async () => {
  const missing = await execute(`async () => cloudflare.request({ method: "GET", path: "/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records/nope" })`);
  assert.equal(missing.error, "Error: API error: 81044: Record does not exist.");
  const unknown = await execute(`async () => cloudflare.request({ method: "GET", path: "/zonez" })`);
  assert.match(unknown.error, /^TypeError: The API spec has no operation GET \/zonez\. Closest: GET \/zones/);
  const repeated = await execute(`async () => cloudflare.request({ method: "GET", path: "/client/v4/zones" })`);
  assert.equal(repeated.error, "TypeError: request(): path is relative to https://api.cloudflare.com/client/v4; drop the leading /client/v4.");
  const relative = await execute(`async () => cloudflare.request({ method: "GET", path: "zones" })`);
  assert.match(relative.error, /^TypeError: request\(\): path must be a string starting with "\/"/);
  const method = await execute(`async () => cloudflare.request({ method: "TRACE", path: "/zones" })`);
  assert.match(method.error, /^TypeError: request\(\): method must be one of GET, POST, PUT, PATCH, DELETE/);
  // No way around the client: the sandbox has no network of its own.
  const direct = await execute(`async () => (await fetch("${BASE}/zones")).status`);
  assert.match(direct.error, /^Error: This worker is not permitted to access the internet/);
});

test("writes: create a KV namespace and a DNS record, then read them back", async () => {
  const out = await execute(`async () => {
    const accounts = await cloudflare.request({ method: "GET", path: "/accounts" });
    const accountId = accounts.result[0].id;
    const ns = await cloudflare.request({ method: "POST", path: "/accounts/" + accountId + "/storage/kv/namespaces", body: { title: "from-agent" } });
    const list = await cloudflare.request({ method: "GET", path: "/accounts/" + accountId + "/storage/kv/namespaces" });
    const zones = await cloudflare.request({ method: "GET", path: "/zones" });
    const rec = await cloudflare.request({ method: "POST", path: "/zones/" + zones.result[0].id + "/dns_records",
                                           body: { type: "A", name: "agent.example.com", content: "192.0.2.7", ttl: 300 } });
    return { title: ns.result.title, listed: list.result.some((n) => n.title === "from-agent"), record: rec.result.name, status: rec.status };
  }`);
  assert.deepEqual(out.result, { title: "from-agent", listed: true, record: "agent.example.com", status: 200 });
});
