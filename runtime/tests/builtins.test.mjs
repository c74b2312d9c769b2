// The builtins load in a bare context and install what they promise (fast check in Node's vm;
// behaviour is checked in loaderd by conformance cases).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBuiltins, builtinOrder } from "../../tools/testing/builtins-vm.mjs";

test("every builtin listed in ORDER loads", () => {
  const g = loadBuiltins();
  assert.ok(builtinOrder().includes("globals.js"));
  assert.equal(g.navigator.userAgent, "Cloudflare-Workers");
  assert.deepEqual(Object.keys(g).filter((k) => ["navigator", "structuredClone"].includes(k)), [],
    "globals are not enumerable");
});
