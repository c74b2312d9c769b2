// Operations of the processed spec as TypeScript declarations (samples/codemode-mcp/typescript.js):
// schema rules on small inputs, and every one of the Cloudflare spec's 1,533 operations rendered
// as a declaration that esbuild parses as TypeScript.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { ROOT } from "../../tools/testing/harness.mjs";
import { processSpec } from "../codemode-mcp/spec-processor.js";
import { schemaToTypeScript, operationToTypeScript } from "../codemode-mcp/typescript.js";

const parses = (declaration) => transformSync(`declare ${declaration};`, { loader: "ts" });

test("schema rules", () => {
  assert.equal(schemaToTypeScript({ type: "string", enum: ["a", "b"] }), '"a" | "b"');
  const many = schemaToTypeScript({ type: "string", enum: Array.from({ length: 20 }, (_, i) => `v${i}`) });
  assert.match(many, /"v11" \| \/\* \+8 more \*\/ string$/);
  assert.equal(schemaToTypeScript({ type: "integer", nullable: true }), "number | null");
  assert.equal(schemaToTypeScript({ type: ["string", "null"] }), "string | null");
  assert.equal(schemaToTypeScript({ type: "array", items: { oneOf: [{ type: "string" }, { type: "number" }] } }), "(string | number)[]");
  assert.equal(schemaToTypeScript({ $circular: "#/components/schemas/node" }), "unknown /* circular: #/components/schemas/node */");
  // allOf: annotation-only parts add nothing; object parts merge.
  assert.equal(schemaToTypeScript({ allOf: [{ type: "string" }, { description: "x", readOnly: true }] }), "string");
  assert.equal(schemaToTypeScript({ allOf: [
    { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    { properties: { "b-c": { type: "boolean" } } },
  ] }), '{\n  a: string;\n  "b-c"?: boolean;\n}');
  // readOnly fields are left out of what the caller sends, writeOnly out of what comes back.
  const schema = { type: "object", properties: { id: { type: "string", readOnly: true }, secret: { type: "string", writeOnly: true } } };
  assert.equal(schemaToTypeScript(schema, 3, "", "readOnly"), "{\n  secret?: string;\n}");
  assert.equal(schemaToTypeScript(schema), "{\n  id?: string;\n}");
  // Depth is cut to `object`.
  assert.equal(schemaToTypeScript({ type: "object", properties: { a: { type: "object", properties: { b: { type: "string" } } } } }, 1),
               "{\n  a?: object;\n}");
});

test("every Cloudflare operation renders as a declaration TypeScript accepts", () => {
  const spec = JSON.parse(fs.readFileSync(path.resolve(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json"), "utf8"));
  const processed = processSpec(spec);
  let count = 0, chars = 0;
  for (const [p, operations] of Object.entries(processed.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const ts = operationToTypeScript(method, p, operation);
      assert.doesNotThrow(() => parses(ts), `${method} ${p}:\n${ts}`);
      count++;
      chars += ts.length;
    }
  }
  assert.equal(count, 1533);
  assert.ok(chars / count < 2000, `average ${Math.round(chars / count)} characters`);
  const zones = operationToTypeScript("get", "/zones", processed.paths["/zones"].get);
  assert.match(zones, /^\/\*\* List Zones — GET \/zones \*\/\nfunction zones_get\(query\?: \{/);
  assert.match(zones, /\n  status\?: "initializing" \| "pending" \| "active" \| "moved";\n/);
  assert.match(zones, /\n  "account\.id"\?: string;\n/);
  const ddos = operationToTypeScript("put", "/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint",
    processed.paths["/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint"].put);
  assert.match(ddos, /path: \{\n  ruleset_phase: "ddos_l4" \| "ddos_l7"/);
  assert.match(ddos, /body: \{\n/);
});
