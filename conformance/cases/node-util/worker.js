// node:util: inspect's Node formatting, format's directives, promisify/callbackify, inherits,
// deprecate, isDeepStrictEqual and util.types.
import util, { inspect, format, promisify, callbackify, types, isDeepStrictEqual } from "node:util";

class Foo { constructor() { this.a = 1; } }
class Bar extends Foo {}

export default {
  async fetch() {
    const circular = { a: 1 };
    circular.self = circular;
    const inspected = [
      inspect({ a: 1, b: "x", c: [1, 2, 3], d: { e: { f: { g: 1 } } } }), inspect("str"), inspect("a'b"), inspect("a'b\"c"),
      inspect("tab\there\n"), inspect([1, , 3]), inspect([1, , , , 5]), inspect(new Map([[1, 2], ["k", { v: [1] }]])), inspect(new Set([1, "a"])),
      inspect(new Map()), inspect(new Set()), inspect([]), inspect({}), inspect(new Foo()), inspect(new Bar()), inspect(circular),
      inspect(Symbol("s")), inspect(10n), inspect(-0), inspect(function foo() {}), inspect(() => {}), inspect(async () => {}),
      inspect(function* gen() {}), inspect(class A {}), inspect(class B extends Foo {}), inspect(null), inspect(undefined),
      inspect(new Date(0)), inspect(new Date(NaN)), inspect(/a\/b/gi), inspect(new Uint8Array([1, 2])), inspect(new Float64Array(2)),
      inspect(new ArrayBuffer(3)), inspect(Object.create(null)), inspect(Object.assign(Object.create(null), { x: 1 })),
      inspect({ "a-b": 1, valid_id: 2, 3: 4 }), inspect(new Array(200).fill(1)).length, inspect([["a"]], { depth: 0 }),
      inspect({ a: { b: { c: { d: 1 } } } }, { depth: 1 }), inspect({ a: { b: { c: { d: 1 } } } }, { depth: Infinity }),
      inspect(new WeakMap()), inspect(new WeakSet()), inspect([1, 2, 3], { compact: false }),
      inspect({ aaaaaaaaaaaaaaaaa: 1111111111, bbbbbbbbbbbbbbbbbbbbbb: 22222222222, cccccccccccccccccccccccc: 3333333333333, d: "dddddddddddddddd" }),
      inspect(Object.assign(() => {}, { x: 1 })), inspect([undefined, null, NaN, Infinity]), inspect(new Number(3)), inspect(new String("ab")),
      inspect(new Boolean(false)), inspect(Array.from({ length: 30 }, (_, i) => i)), inspect(Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 4 + 1))),
      inspect({ f() {}, get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} }),
      inspect({ nested: { list: Array.from({ length: 8 }, (_, i) => ({ id: i, name: `item${i}` })) } }),
      inspect({ [inspect.custom]: () => "custom!" }), inspect({ inner: { [inspect.custom]: (depth, options) => ({ replaced: depth }) } }),
      inspect([1, 2, 3], { maxArrayLength: 2 }), inspect("x".repeat(30), { maxStringLength: 5 }), inspect({ b: 1, a: 2 }, { sorted: true }),
      inspect([1, 2], { showHidden: true }), inspect(Object.defineProperty({}, "hidden", { value: 1 }), { showHidden: true }),
      inspect(new (class Coll extends Array {})(1, 2)), inspect(Object.assign([1], { extra: true })), inspect(new Error("boom")).split("\n")[0],
      inspect(Object.assign(new TypeError("typed"), { code: "E_X" })).split("\n")[0], inspect({ e: new RangeError("inner") }).split("\n")[0],
    ];
    const formatted = [
      format("%s %d %i %f %j %o %O %%", "a", 1.5, 2.7, "3.5", { j: 1 }, { o: [1] }, { O: 1 }), format("a", "b", 3), format("%s", { a: 1 }),
      format("%s", null), format("%s", undefined), format("%d", "x"), format("%s:%s", "a"), format(1, 2), format("%s", 5n), format("%d", 5n),
      format("%i", 5n), format("%s", Symbol("q")), format("%c", "css"), format({ a: 1 }, "s"), format("%s", [1, [2]]), format("%i", "42.9abc"),
      format("%s", -0), format("%d", -0), format("%f", "1e3"), format("%j", (() => { const c = {}; c.c = c; return c; })()), format("%%s %s", "x"),
      format("a%"), format("%s", "x", { y: 1 }, "z"), format("%s", { toString() { return "custom"; } }), format("%s", new Foo()),
      format("%d", {}), format("%o", [1]), format("%s %s", "only"), format(), format("", 1), format("%x", 1),
    ];
    const readFile = (name, cb) => (name === "bad" ? cb(new Error("nope")) : cb(null, `content of ${name}`));
    const custom = () => {};
    custom[promisify.custom] = () => Promise.resolve("from custom");
    const promisified = [await promisify(readFile)("a"), await promisify(readFile)("bad").catch((e) => e.message),
                         await promisify(custom)(), promisify(custom) === custom[promisify.custom]];
    const callbacks = await new Promise((resolve) => {
      const results = [];
      const done = () => results.length === 3 && resolve(results);
      callbackify(async (x) => x * 2)(21, (err, v) => { results[0] = [err, v]; done(); });
      callbackify(async () => { throw new Error("cb fail"); })((err) => { results[1] = err.message; done(); });
      callbackify(() => Promise.reject(null))((err) => { results[2] = [err.code, err.message, err.reason]; done(); });
    });
    function Animal() {}
    Animal.prototype.speak = function () { return "sound"; };
    function Dog() {}
    util.inherits(Dog, Animal);
    const deprecated = util.deprecate((x) => x + 1, "old function", "DEP0");
    return Response.json({
      inspected, formatted, promisified, callbacks,
      inherits: [new Dog().speak(), Dog.super_ === Animal, new Dog() instanceof Animal],
      deprecated: [deprecated(1), deprecated(2)],
      deepEqual: [isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), isDeepStrictEqual({ a: 1 }, { a: "1" }),
                  isDeepStrictEqual([1, 2], [1, 2, 3]), isDeepStrictEqual(new Map([[1, { x: 1 }]]), new Map([[1, { x: 1 }]])),
                  isDeepStrictEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }])), isDeepStrictEqual(new Set([1]), new Set([2])),
                  isDeepStrictEqual(NaN, NaN), isDeepStrictEqual(0, -0), isDeepStrictEqual(new Date(1), new Date(1)),
                  isDeepStrictEqual(new Date(1), new Date(2)), isDeepStrictEqual(/a/g, /a/g), isDeepStrictEqual(/a/g, /a/i),
                  isDeepStrictEqual(new Uint8Array([1]), new Uint8Array([1])), isDeepStrictEqual(new Uint8Array([1]), new Int8Array([1])),
                  isDeepStrictEqual(new Foo(), { a: 1 }), isDeepStrictEqual(circular, circular), isDeepStrictEqual([1, , 3], [1, undefined, 3]),
                  isDeepStrictEqual({ a: undefined }, {}), isDeepStrictEqual(new Error("x"), new Error("x")), isDeepStrictEqual(new Error("x"), new Error("y")),
                  isDeepStrictEqual(Object.create(null), {}), isDeepStrictEqual(new Number(1), new Number(1)), isDeepStrictEqual([{ k: Symbol.for("s") }], [{ k: Symbol.for("s") }])],
      types: [types.isPromise(Promise.resolve()), types.isPromise({ then() {} }), types.isDate(new Date()), types.isDate({}),
              types.isRegExp(/x/), types.isRegExp({}), types.isUint8Array(new Uint8Array()), types.isUint8Array(new Int8Array()),
              types.isArrayBuffer(new ArrayBuffer(1)), types.isArrayBuffer(new Uint8Array()), types.isAnyArrayBuffer(new ArrayBuffer(1)),
              types.isTypedArray(new Float32Array()), types.isTypedArray(new DataView(new ArrayBuffer(1))), types.isArrayBufferView(new DataView(new ArrayBuffer(1))),
              types.isDataView(new DataView(new ArrayBuffer(1))), types.isMap(new Map()), types.isSet(new Set()), types.isWeakMap(new WeakMap()),
              types.isAsyncFunction(async () => {}), types.isAsyncFunction(() => {}), types.isGeneratorFunction(function* () {}),
              types.isGeneratorObject((function* () {})()), types.isBoxedPrimitive(new String("")), types.isBoxedPrimitive(""),
              types.isNumberObject(new Number(0)), types.isNativeError(new TypeError()), types.isNativeError({ name: "Error" }),
              types.isMapIterator(new Map().keys()), types.isSetIterator(new Set().values()), types.isBigInt64Array(new BigInt64Array(1)),
              (function () { return types.isArgumentsObject(arguments); })()],
      legacy: [util.isArray([]), util.isString("s"), util.isNullOrUndefined(null), util.isPrimitive(1), util.isPrimitive({}),
               util.isFunction(() => {}), util.isObject(null)],
      misc: [util.TextEncoder === TextEncoder, util.TextDecoder === TextDecoder, typeof inspect.custom, inspect.custom === Symbol.for("nodejs.util.inspect.custom"),
             util.toUSVString("a\ud800b"), util.stripVTControlCharacters("\u001b[31mred\u001b[0m"), util.default === undefined],
    });
  },
};
