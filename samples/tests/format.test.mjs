// Result formatting and truncation for the Code Mode tools (samples/codemode-mcp/format.js):
// strings as is, JSON otherwise, and over the budget a structural cut that stays valid JSON.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../../tools/testing/harness.mjs";
import { formatResult, DEFAULT_MAX_CHARS } from "../codemode-mcp/format.js";
import { processSpec } from "../codemode-mcp/spec-processor.js";

test("small results: strings as is, values as pretty JSON, awkward values made printable", () => {
  assert.deepEqual(formatResult("plain text"), { text: "plain text", truncated: false });
  assert.deepEqual(formatResult({ a: [1, 2] }), { text: '{\n  "a": [\n    1,\n    2\n  ]\n}', truncated: false });
  assert.equal(formatResult(undefined).text, "undefined");
  assert.equal(formatResult(12n).text, '"12n"');
  const cyclic = { name: "x" };
  cyclic.self = cyclic;
  assert.deepEqual(JSON.parse(formatResult(cyclic).text), { name: "x", self: "[Circular]" });
  const shared = { v: 1 };
  assert.deepEqual(JSON.parse(formatResult([shared, shared]).text), [{ v: 1 }, { v: 1 }]);
  assert.equal(formatResult("x".repeat(DEFAULT_MAX_CHARS)).truncated, false);
});

test("large JSON is cut structurally, stays valid JSON and says what was left out", () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `record-${i}`, tags: ["a", "b"] }));
  const out = formatResult({ success: true, result: rows, description: "d".repeat(50000) });
  assert.equal(out.truncated, true);
  assert.ok(out.text.length <= DEFAULT_MAX_CHARS, `${out.text.length} chars`);
  const parsed = JSON.parse(out.text);
  assert.equal(parsed.success, true);
  assert.deepEqual(parsed.result[0], { id: 0, name: "record-0", tags: ["a", "b"] });
  assert.match(parsed.result.at(-1), /^\[… \d+ more items\]$/);
  assert.match(parsed.description, /…\[\+\d+ chars\]$/);
  assert.match(out.note, /^Result was ~[\d,]+ tokens; shortened to fit 24,000 characters/);
});

test("a long string is cut to the budget with a note", () => {
  const out = formatResult("y".repeat(30000), { maxChars: 1000 });
  assert.equal(out.text.length, 1000);
  assert.match(out.note, /^Result cut to 1,000 of 30,000 characters \(~7,500 tokens\)/);
});

test("the whole processed Cloudflare spec fits the budget as valid JSON", () => {
  const spec = JSON.parse(fs.readFileSync(path.resolve(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json"), "utf8"));
  const processed = processSpec(spec);
  const out = formatResult(processed);
  assert.equal(out.truncated, true);
  assert.ok(out.text.length <= DEFAULT_MAX_CHARS);
  assert.equal(typeof JSON.parse(out.text), "object");
});
