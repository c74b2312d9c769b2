// The `execute` tool's core (samples/codemode-mcp/executor.js) on loaderd over the http_api
// binding and the mock Cloudflare API: the seed workflow, console capture, errors with the
// agent's own line numbers, hostile code (infinite loop, no network, huge output), and no state
// carried between calls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, scratchDir, writeFiles, startLoaderd } from "../../tools/testing/harness.mjs";

const SPEC = path.resolve(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json");
const DIR = path.join(ROOT, "samples/codemode-mcp");
const BASE = "https://api.cloudflare.com/client/v4";

const HOST = `
import { execute } from "./executor.js";
import CLIENT from "./client.txt";
export default {
  async fetch(request, env) {
    const code = await request.text();
    const out = await execute({ loader: env.LOADER, api: env.API, code, clientName: "cloudflare",
                                baseUrl: ${JSON.stringify(BASE)}, clientSource: CLIENT, cpuMs: 500 });
    return Response.json(out);
  },
};`;

let proc;
before(async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "index.js": HOST,
    "executor.js": fs.readFileSync(path.join(DIR, "executor.js"), "utf8"),
    "format.js": fs.readFileSync(path.join(DIR, "format.js"), "utf8"),
    "client.txt": fs.readFileSync(path.join(DIR, "client.js"), "utf8"),
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
  assert.equal(syntax.text, "Error: Failed to start Worker:\nUncaught SyntaxError: Unexpected token ';'\n  at code.js:3:12");
  assert.match((await run(`42`)).text, /must be an async arrow function/);
});

test("hostile code: infinite loops hit the CPU limit, there is no network, state does not carry over", async () => {
  const loop = await run(`async () => { while (true) {} }`);
  assert.equal(loop.isError, true);
  assert.match(loop.text, /exceeded CPU time limit/);
  const net = await run(`async () => (await fetch("https://example.com/")).status`);
  assert.match(net.text, /not permitted to access the internet/);
  await run(`async () => { globalThis.leak = 1; Object.prototype.polluted = true; return 1; }`);
  const after = await run(`async () => [typeof globalThis.leak, ({}).polluted === true]`);
  assert.deepEqual(JSON.parse(after.text), ["undefined", false]);
});
