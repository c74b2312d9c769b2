// The Code Mode spec preprocessing on the real 2024-08 Cloudflare OpenAPI document (1,533
// operations): every $ref resolved, only true cycles marked, products listed, under 2 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../tools/testing/harness.mjs";
import { processSpec, productOf } from "../codemode-mcp/spec-processor.js";

const SPEC = path.join(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json");

function countMarkers(value, seen = new Set()) {
  if (value === null || typeof value !== "object" || seen.has(value)) return { refs: 0, circular: 0 };
  seen.add(value);
  let refs = typeof value.$ref === "string" ? 1 : 0;
  let circular = typeof value.$circular === "string" ? 1 : 0;
  for (const v of Object.values(value)) {
    const c = countMarkers(v, seen);
    refs += c.refs;
    circular += c.circular;
  }
  return { refs, circular };
}

test("processes the Cloudflare spec: 1,533 operations, no $ref left, only real cycles", () => {
  const text = readFileSync(SPEC, "utf8");
  const started = performance.now();
  const spec = processSpec(JSON.parse(text));
  const ms = performance.now() - started;
  assert.equal(spec.operations, 1533);
  assert.equal(Object.keys(spec.paths).length, 965);
  const markers = countMarkers(spec.paths);
  assert.equal(markers.refs, 0, "every $ref is resolved");
  assert.ok(spec.stats.circular <= 10, `only true cycles are marked (${spec.stats.circular})`);
  assert.ok(ms < 2000, `parse + process took ${ms.toFixed(0)} ms`);
  console.log(`processed in ${ms.toFixed(0)} ms; ${spec.products.length} products; ` +
              `${spec.stats.circular} circular markers; ${spec.stats.sharedRefs} shared refs`);
  const op = spec.paths["/accounts/{account_id}/workers/scripts"].get;
  assert.equal(op.tags[0], "workers");
  assert.ok(Array.isArray(op.parameters) && op.parameters.some((p) => p.name === "account_id"));
  assert.equal(typeof op.operationId, "string");
  assert.deepEqual(Object.keys(op), ["operationId", "summary", "description", "tags", "parameters", "requestBody", "responses"]);
  assert.ok(spec.products.includes("dns_records"));
  assert.ok(spec.products.includes("rulesets"));
  // The DAG survives structured cloning (how it reaches a sandbox) without expanding.
  const clone = structuredClone(spec.paths);
  assert.equal(Object.keys(clone).length, 965);
});

test("products and errors", () => {
  assert.equal(productOf("/accounts/{account_id}/workers/scripts"), "workers");
  assert.equal(productOf("/zones/{zone_id}/dns_records"), "dns_records");
  assert.equal(productOf("/user"), undefined);
  assert.throws(() => processSpec({}), /Not an OpenAPI document/);
  const cyclic = processSpec({
    paths: { "/a": { get: { responses: { 200: { content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } } } } } },
    components: { schemas: { Node: { type: "object", properties: { child: { $ref: "#/components/schemas/Node" }, sibling: { $ref: "#/components/schemas/Leaf" }, again: { $ref: "#/components/schemas/Leaf" } } }, Leaf: { type: "string" } } },
  });
  const node = cyclic.paths["/a"].get.responses[200].content["application/json"].schema;
  assert.deepEqual(node.properties.child, { $circular: "#/components/schemas/Node" });
  assert.deepEqual(node.properties.sibling, { type: "string" });
  assert.equal(node.properties.again, node.properties.sibling, "repeated refs are shared, not marked");
});
