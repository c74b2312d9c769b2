// The polyfills run in the real loaderd (V8 10.2 lacks these functions natively) and behave per
// the ECMAScript specification. The conformance cases polyfills-* compare them with workerd's
// native versions; this test makes sure loaderd really uses the polyfills and checks the details
// a conformance case cannot see (the engine does not have them, spec corners).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const WORKER = String.raw`
const isNative = (f) => /\[native code\]/.test(Function.prototype.toString.call(f));
const TA = Object.getPrototypeOf(Uint8Array.prototype);
function error(f) {
  try { f(); return "no error"; } catch (e) { return e.constructor.name + ": " + e.message; }
}
export default {
  async fetch() {
    const out = {};
    out.polyfilled = {
      "Array.prototype.toSorted": !isNative(Array.prototype.toSorted),
      "Array.prototype.toReversed": !isNative(Array.prototype.toReversed),
      "Array.prototype.toSpliced": !isNative(Array.prototype.toSpliced),
      "Array.prototype.with": !isNative(Array.prototype.with),
      "TypedArray.prototype.toSorted": !isNative(TA.toSorted),
      "TypedArray.prototype.with": !isNative(TA.with),
      "Object.groupBy": !isNative(Object.groupBy),
      "Map.groupBy": !isNative(Map.groupBy),
      "Promise.withResolvers": !isNative(Promise.withResolvers),
      "Array.fromAsync": !isNative(Array.fromAsync),
      "Set.prototype.union": !isNative(Set.prototype.union),
      "String.prototype.toWellFormed": !isNative(String.prototype.toWellFormed),
    };
    // V8 10.2 has these natively: the polyfills must leave them alone.
    out.nativeKept = [isNative(Array.prototype.findLast), isNative(Array.prototype.findLastIndex),
                      isNative(TA.findLast), isNative(Array.prototype.at), isNative(Object.hasOwn)];

    const a = [3, 1, 2];
    const sorted = a.toSorted();
    out.toSorted = [sorted, a, sorted !== a];
    out.toSortedKeepsHoles = Object.keys([, 1].toSorted());
    out.withError = error(() => [1].with(1, 0));
    out.nonConstructor = error(() => new Array.prototype.toSorted());

    const groups = Object.groupBy(["a", "bb", "cc"], (s) => s.length);
    out.groupBy = [Object.getPrototypeOf(groups) === null, Object.keys(groups), groups[2]];
    out.groupByHasNoToString = "toString" in groups;
    out.mapGroupBy = [...Map.groupBy([1, 2, 3], (x) => x % 2)];

    const { promise, resolve } = Promise.withResolvers();
    resolve(7);
    out.withResolvers = await promise;
    out.fromAsync = await Array.fromAsync((async function* () { yield 1; yield 2; })());

    out.sets = [[...new Set([1, 2]).union(new Set([2, 3]))], new Set([1]).isSubsetOf(new Set([1, 2])),
                [...new Set([1, 2, 3]).symmetricDifference(new Set([3, 4]))]];
    // The methods read the Set's contents through captured intrinsics, not user-visible ones.
    const originalValues = Set.prototype.values;
    const originalHas = Set.prototype.has;
    Set.prototype.values = () => { throw new Error("tampered"); };
    Set.prototype.has = () => { throw new Error("tampered"); };
    try {
      out.tamperProof = [...new Set([1, 2]).difference(new Set([2]))];
    } finally {
      Set.prototype.values = originalValues;
      Set.prototype.has = originalHas;
    }
    out.wellFormed = ["a\uD800".isWellFormed(), "a\uD800b".toWellFormed() === "a\uFFFDb"];
    out.symbols = [typeof Symbol.dispose, typeof Symbol.asyncDispose,
                   Object.getOwnPropertyDescriptor(Symbol, "dispose").configurable];
    // Installed functions are not enumerable: for-in over an array sees only its elements.
    const keys = [];
    for (const k in [1]) keys.push(k);
    out.forIn = keys;
    return Response.json(out);
  },
};
`;

test("polyfills are installed in loaderd and follow the specification", async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "worker.js": WORKER,
    "loaderd.yaml": `workers:\n  w:\n    main: worker.js\n    compatibility_date: "2025-06-01"\n`,
  });
  const proc = await startLoaderd(path.join(dir, "loaderd.yaml"));
  try {
    const response = await proc.fetch("/");
    const text = await response.text();
    assert.equal(response.status, 200, `${text}\n${proc.stderr}`);
    const out = JSON.parse(text);
    for (const [name, polyfilled] of Object.entries(out.polyfilled)) {
      assert.equal(polyfilled, true, `${name} should come from polyfills.js on V8 10.2`);
    }
    assert.deepEqual(out.nativeKept, [true, true, true, true, true]);
    assert.deepEqual(out.toSorted, [[1, 2, 3], [3, 1, 2], true]);
    assert.deepEqual(out.toSortedKeepsHoles, ["0", "1"]);
    assert.equal(out.withError, "RangeError: Invalid index : 1");
    assert.equal(out.nonConstructor, "TypeError: Array.prototype.toSorted is not a constructor");
    assert.deepEqual(out.groupBy, [true, ["1", "2"], ["bb", "cc"]]);
    assert.equal(out.groupByHasNoToString, false);
    assert.deepEqual(out.mapGroupBy, [[1, [1, 3]], [0, [2]]]);
    assert.equal(out.withResolvers, 7);
    assert.deepEqual(out.fromAsync, [1, 2]);
    assert.deepEqual(out.sets, [[1, 2, 3], true, [1, 2, 4]]);
    assert.deepEqual(out.tamperProof, [1]);
    assert.deepEqual(out.wellFormed, [false, true]);
    assert.deepEqual(out.symbols, ["symbol", "symbol", false]);
    assert.deepEqual(out.forIn, ["0"]);
  } finally {
    await proc.stop();
  }
});
