// The Code Mode service over an API that is not Cloudflare's: an OpenAPI 3.1 document in YAML
// (fixtures/petstore-3.1.yaml), no clientName in SETTINGS (so the client is `api`), an upstream
// without Cloudflare's envelope. Nothing in the service may assume Cloudflare.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ROOT, scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const SPEC = path.join(ROOT, "samples/tests/fixtures/petstore-3.1.yaml");
let proc, client;
before(async () => {
  const dir = scratchDir();
  writeFiles(dir, { "loaderd.yaml": `main: codemode
workers:
  codemode:
    main: ${JSON.stringify(path.join(ROOT, "samples/codemode-mcp/index.js"))}
    compatibility_date: "2025-11-20"
    bindings:
      LOADER: { worker_loader: {} }
      SPEC: { json_file: ${JSON.stringify(SPEC)} }
      SETTINGS: { json: { baseUrl: "https://petstore.example/v2" } }
      API:
        http_api:
          base_url: "https://petstore.example/v2"
          spec: ${JSON.stringify(SPEC)}
          auth: { header: Authorization, value_from_env: LOADERD_TEST_PET_TOKEN, prefix: "Bearer " }
          upstream: pets
  pets:
    main: ${JSON.stringify(path.join(ROOT, "samples/tests/fixtures/petstore-api.js"))}
    compatibility_date: "2025-06-01"
` });
  proc = await startLoaderd(dir, { env: { ...process.env, LOADERD_TEST_PET_TOKEN: "pet-token" } });
  client = new Client({ name: "loaderd-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", proc.url)));
});
after(async () => { await client?.close(); await proc?.stop(); });

const text = (result) => result.content[0].text;
const call = async (name, code) => {
  const r = await client.callTool({ name, arguments: { code } });
  assert.equal(r.isError, false, JSON.stringify(r));
  return JSON.parse(text(r));
};

test("tools describe the `api` client and the spec's tags, not Cloudflare", async () => {
  const { tools } = await client.listTools();
  assert.match(tools[1].description, /declare const api: \{ request\(/);
  assert.match(tools[0].description, /Products: pets, store\./);
  assert.ok(!JSON.stringify(tools).toLowerCase().includes("cloudflare"));
});

test("search: 3.1 path items by $ref, $ref siblings, type arrays and const", async () => {
  assert.deepEqual(await call("search", `async () => Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => m + " " + p))`),
    ["get /pets", "post /pets", "get /pets/{petId}", "delete /pets/{petId}", "post /store/orders"]);
  const op = await call("search", `async () => spec.paths["/pets/{petId}"].get`);
  assert.deepEqual(op.parameters, [{ name: "petId", in: "path", required: true, schema: { type: "integer" } }]);
  const body = await call("search", `async () => spec.paths["/pets"].post.requestBody.content["application/json"].schema`);
  assert.equal(body.description, "The pet to add");
  assert.deepEqual(body.required, ["name"]);
  const ts = await client.callTool({ name: "search", arguments: { code: `async () => [toTypeScript("get", "/pets"), toTypeScript("post", "/store/orders")].join("\\n")` } });
  assert.match(text(ts), /function listPets\(query\?: \{\n  limit\?: number \| null;\n\}\): Promise</);
  assert.match(text(ts), /kind\?: "adoption";/);
  assert.ok(text(ts).includes("friends?: (unknown /* circular: #/components/schemas/Pet */)[];"), text(ts));
});

test("execute: calls through the binding, with the spec's operations and the token on the host", async () => {
  const out = await call("execute", `async () => {
    const created = await api.request({ method: "POST", path: "/pets", body: { name: "Tom", tag: "cat" } });
    const listed = await api.request({ method: "GET", path: "/pets", query: { limit: 10 } });
    const one = await api.request({ method: "GET", path: "/pets/" + created.result.id });
    const gone = await api.request({ method: "DELETE", path: "/pets/" + created.result.id });
    let missing;
    try { await api.request({ method: "GET", path: "/pets/99" }); } catch (e) { missing = e.message; }
    let unknown;
    try { await api.request({ method: "PUT", path: "/pets/1" }); } catch (e) { unknown = e.message; }
    return { created: created.status, names: listed.result.map((p) => p.name), one: one.result.name,
             gone: gone.status, missing, unknown };
  }`);
  assert.deepEqual(out, { created: 201, names: ["Rex", "Tom"], one: "Tom", gone: 204,
    missing: 'API error: 404 {"message":"no such pet"}',
    unknown: out.unknown });
  assert.match(out.unknown, /The API spec has no PUT \/pets\/1 \(the path exists with other methods\)/);
  assert.ok(!proc.stdout.includes("pet-token") && !proc.stderr.includes("pet-token"));
});
