// The mock Cloudflare API sample, on loaderd and on workerd in the same run: the seed workflow
// (list zones, read the ddos_l7 ruleset, change its sensitivity), DNS record CRUD, KV
// namespaces, Workers scripts, the envelope, and the errors for bad tokens and unknown routes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ROOT } from "../../tools/testing/harness.mjs";
import { startRuntime } from "../../conformance/runner.mjs";

const dir = path.join(ROOT, "samples/mock-cloudflare-api");
const sample = {
  name: "mock-cloudflare-api", dir, main: "index.js", modules: ["index.js"],
  spec: { compatibilityDate: "2025-06-01", bindings: { API_TOKEN: { text: "demo-token" } } },
};
const procs = [];
after(async () => { for (const p of procs) await p.stop(); });

async function api(proc, method, route, body, token = "demo-token") {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await proc.fetch(`/client/v4${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

for (const runtime of ["workerd", "loaderd"]) {
  test(`[${runtime}] the seed workflow and the API slice`, async () => {
    const proc = await startRuntime(runtime, sample);
    procs.push(proc);
    // Auth
    assert.deepEqual((await api(proc, "GET", "/zones", undefined, "wrong")).body.errors, [{ code: 10000, message: "Authentication error" }]);
    assert.equal((await api(proc, "GET", "/zones", undefined, null)).status, 400);
    // Seed workflow: zones -> ddos_l7 entrypoint -> update sensitivity.
    const zones = await api(proc, "GET", "/zones?name=example.com");
    assert.equal(zones.body.success, true);
    assert.equal(zones.body.result.length, 1);
    const zoneId = zones.body.result[0].id;
    const ruleset = await api(proc, "GET", `/zones/${zoneId}/rulesets/phases/ddos_l7/entrypoint`);
    assert.equal(ruleset.body.result.phase, "ddos_l7");
    const rule = ruleset.body.result.rules[0];
    assert.equal(rule.action_parameters.overrides.sensitivity_level, "default");
    const updated = await api(proc, "PUT", `/zones/${zoneId}/rulesets/phases/ddos_l7/entrypoint`, {
      rules: [{ ...rule, action_parameters: { ...rule.action_parameters, overrides: { sensitivity_level: "low" } } }],
    });
    assert.equal(updated.body.result.rules[0].action_parameters.overrides.sensitivity_level, "low");
    assert.equal(updated.body.result.version, "2");
    const bad = await api(proc, "PUT", `/zones/${zoneId}/rulesets/phases/ddos_l7/entrypoint`, {
      rules: [{ action_parameters: { overrides: { sensitivity_level: "extreme" } } }],
    });
    assert.equal(bad.status, 400);
    // DNS CRUD
    const created = await api(proc, "POST", `/zones/${zoneId}/dns_records`, { type: "A", name: "api.example.com", content: "192.0.2.1", ttl: 300 });
    assert.equal(created.body.result.name, "api.example.com");
    const id = created.body.result.id;
    assert.equal((await api(proc, "GET", `/zones/${zoneId}/dns_records?name=api.example.com`)).body.result.length, 1);
    assert.equal((await api(proc, "PATCH", `/zones/${zoneId}/dns_records/${id}`, { content: "192.0.2.2" })).body.result.content, "192.0.2.2");
    assert.deepEqual((await api(proc, "DELETE", `/zones/${zoneId}/dns_records/${id}`)).body.result, { id });
    assert.deepEqual((await api(proc, "GET", `/zones/${zoneId}/dns_records/${id}`)).body.errors, [{ code: 81044, message: "Record does not exist." }]);
    assert.equal((await api(proc, "POST", `/zones/${zoneId}/dns_records`, { type: "BOGUS", name: "x", content: "y" })).status, 400);
    // Accounts, Workers scripts, KV
    const accounts = await api(proc, "GET", "/accounts");
    const accountId = accounts.body.result[0].id;
    assert.equal(accounts.body.result_info.total_count, 1);
    assert.equal((await api(proc, "GET", `/accounts/${accountId}/workers/scripts`)).body.result[0].id, "hello-world");
    const ns = await api(proc, "POST", `/accounts/${accountId}/storage/kv/namespaces`, { title: "cache" });
    assert.equal(ns.body.result.title, "cache");
    assert.equal((await api(proc, "POST", `/accounts/${accountId}/storage/kv/namespaces`, { title: "cache" })).body.errors[0].code, 10014);
    assert.equal((await api(proc, "GET", `/accounts/${accountId}/storage/kv/namespaces`)).body.result.length, 2);
    // Unknown routes and zones
    assert.deepEqual((await api(proc, "GET", "/nope")).body.errors, [{ code: 7000, message: "No route for that URI" }]);
    assert.equal((await api(proc, "GET", "/zones/ffff/dns_records")).body.errors[0].code, 1001);
  });
}
