// node:assert (strict on workerd): pass/fail behaviour, AssertionError fields and the generated
// messages for primitives and single-line values.
import assert, { AssertionError } from "node:assert";
import * as named from "node:assert";

const attempt = (f) => {
  try { f(); return "ok"; } catch (e) {
    return [e.name, e.code ?? null, e.message, e instanceof AssertionError, e.generatedMessage ?? null, e.operator ?? null];
  }
};
const attemptAsync = async (f) => { try { await f(); return "ok"; } catch (e) { return [e.name, e.message]; } };

export default {
  async fetch() {
    const results = [
      attempt(() => assert(true)), attempt(() => assert(false)), attempt(() => assert.ok(0, "custom")), attempt(() => assert.ok()),
      attempt(() => assert.ok(null)), attempt(() => assert.ok("")), attempt(() => assert.ok(1)),
      attempt(() => assert.strictEqual(1, 2)), attempt(() => assert.strictEqual("a", "b", "mine")), attempt(() => assert.strictEqual(NaN, NaN)),
      attempt(() => assert.strictEqual({ a: 1 }, { a: 1 })), attempt(() => assert.equal(1, "1")), attempt(() => assert.notEqual(1, "1")),
      attempt(() => assert.notStrictEqual(1, 1)), attempt(() => assert.notStrictEqual({}, {})),
      attempt(() => assert.deepStrictEqual({ a: 1 }, { a: 2 })), attempt(() => assert.deepStrictEqual([1, 2, 3, 4], [1, 2, 5, 4])),
      attempt(() => assert.deepStrictEqual(new Map([[1, 2]]), new Map([[1, 3]]))), attempt(() => assert.deepStrictEqual(1, 2)),
      attempt(() => assert.deepEqual({ a: 1 }, { a: "1" })), attempt(() => assert.deepStrictEqual(new Set([1]), new Set([1]))),
      attempt(() => assert.notDeepStrictEqual([1], [1])), attempt(() => assert.notDeepEqual([1], [2])),
      attempt(() => assert.fail()), attempt(() => assert.fail("msg")), attempt(() => assert.fail(new TypeError("own"))),
      attempt(() => assert.throws(() => {})), attempt(() => assert.throws(() => {}, Error)), attempt(() => assert.throws(() => {}, "my msg")),
      attempt(() => assert.throws(() => { throw new TypeError("x"); }, RangeError)), attempt(() => assert.throws(() => { throw new TypeError("x"); }, TypeError)),
      attempt(() => assert.throws(() => { throw new Error("abc"); }, /abc/)), attempt(() => assert.throws(() => { throw new Error("abc"); }, { message: "abc" })),
      attempt(() => assert.throws(() => { throw new Error("abc"); }, { message: "xyz" })),
      attempt(() => assert.throws(() => { throw new Error("abc"); }, (e) => e.message === "abc")),
      attempt(() => assert.doesNotThrow(() => {})), attempt(() => assert.doesNotThrow(() => { throw new Error("q"); })),
      attempt(() => assert.match("abc", /b/)), attempt(() => assert.match("abc", /x/)), attempt(() => assert.doesNotMatch("abc", /x/)),
      attempt(() => assert.ifError(null)), attempt(() => assert.ifError(undefined)), attempt(() => assert.ifError(new Error("ie"))),
    ];
    const asyncResults = [
      await attemptAsync(() => assert.rejects(Promise.resolve(1))), await attemptAsync(() => assert.rejects(Promise.reject(new Error("r")), /r/)),
      await attemptAsync(() => assert.rejects(async () => { throw new TypeError("t"); }, RangeError)),
      await attemptAsync(() => assert.rejects(async () => { throw new TypeError("t"); }, TypeError)),
      await attemptAsync(() => assert.doesNotReject(Promise.resolve(1))), await attemptAsync(() => assert.doesNotReject(Promise.reject(new Error("d")))),
    ];
    let fields;
    try { assert.strictEqual(1, 2); } catch (err) {
      fields = { actual: err.actual, expected: err.expected, operator: err.operator, generated: err.generatedMessage, code: err.code,
                 name: err.name, isError: err instanceof Error, keys: Object.keys(err) };
    }
    const constructed = new AssertionError({ actual: 1, expected: 2, operator: "strictEqual" });
    return Response.json({
      results, asyncResults, fields,
      constructed: [constructed.message, constructed.generatedMessage, new AssertionError({ message: "m" }).message],
      shape: [typeof assert, assert.strict === assert, assert.strict.strict === assert, named.default === assert, named.ok === assert.ok,
              typeof named.deepStrictEqual],
    });
  },
};
