// Object.groupBy, Map.groupBy, the ES2025 Set methods, Promise.withResolvers, Array.fromAsync:
// shapes, results, iteration protocol details and errors.
function shape(object, name) {
  const d = Object.getOwnPropertyDescriptor(object, name);
  return [d.value.name, d.value.length, d.writable, d.enumerable, d.configurable, "prototype" in d.value];
}
function error(f) {
  try { return ["no error", f()]; } catch (e) { return [e.constructor.name, e.message]; }
}
async function rejection(f) {
  try { return ["resolved", await f()]; } catch (e) { return [e.constructor.name, e.message]; }
}
// A set-like whose calls are logged.
function setLike(values, log, size = values.length) {
  return {
    size,
    has(v) { log.push(`has:${v}`); return values.includes(v); },
    keys() {
      let i = 0;
      return {
        next() { log.push("next"); return i < values.length ? { value: values[i++], done: false } : { done: true }; },
        return() { log.push("return"); return {}; },
      };
    },
  };
}
export default {
  async fetch() {
    const out = {};
    out.shapes = [shape(Object, "groupBy"), shape(Map, "groupBy"), shape(Promise, "withResolvers"), shape(Array, "fromAsync")];
    out.setShapes = ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"]
      .map((n) => shape(Set.prototype, n));

    const grouped = Object.groupBy([1, 2, 3, 4, 5, 6], (x, i) => (x % 3 === 0 ? "fizz" : i < 2 ? 10 : "other"));
    out.groupBy = [Object.getPrototypeOf(grouped), Object.keys(grouped), grouped];
    out.groupByString = Object.groupBy("abca", (c) => c);
    const sym = Symbol("s");
    const symGroups = Object.groupBy([1], () => sym);
    out.groupBySymbol = symGroups[sym];
    out.groupByObjectKey = Object.keys(Object.groupBy([1], () => ({ toString() { return "str"; } })));
    const mg = Map.groupBy([-0, 0, 1, NaN, NaN], (x) => x);
    out.mapGroupBy = [mg instanceof Map, [...mg].map(([k, v]) => [Object.is(k, -0) ? "-0" : String(k), v.length])];
    const objKey = {};
    out.mapGroupByIdentity = Map.groupBy([1, 2], () => objKey).get(objKey);
    let closed = false;
    const iterable = { [Symbol.iterator]() { return { next: () => ({ value: 1, done: false }), return() { closed = true; return {}; } }; } };
    out.groupByCloses = [error(() => Object.groupBy(iterable, () => { throw new Error("cb"); })), closed];
    out.groupByErrors = [
      error(() => Object.groupBy(null, (x) => x)),
      error(() => Object.groupBy(undefined, (x) => x)),
      error(() => Object.groupBy([], 5)),
      error(() => Map.groupBy([], 5)),
      error(() => Map.groupBy(5, (x) => x)),
      error(() => Map.groupBy(null, (x) => x)),
    ];

    const A = new Set([1, 2, 3]), B = new Set([3, 4]);
    out.sets = {
      union: [...A.union(B)],
      intersection: [...A.intersection(B)],
      difference: [...A.difference(B)],
      symmetricDifference: [...A.symmetricDifference(B)],
      isSubsetOf: [new Set([3]).isSubsetOf(A), A.isSubsetOf(B), new Set().isSubsetOf(B)],
      isSupersetOf: [A.isSupersetOf(new Set([1, 3])), A.isSupersetOf(B)],
      isDisjointFrom: [A.isDisjointFrom(new Set([7])), A.isDisjointFrom(B)],
      notMutated: [[...A], [...B]],
      withMap: [...A.intersection(new Map([[2, "x"], [9, "y"]]))],
      negZero: [...new Set([1]).union(setLike([-0], []))].map((x) => Object.is(x, -0) ? "-0" : x),
      resultClass: A.union(B).constructor === Set,
    };
    class MySet extends Set {}
    out.sets.noSpecies = new MySet([1]).union(B).constructor === Set;
    // Which side is iterated depends on the sizes.
    const logs = {};
    for (const [name, f] of [
      ["intersectionSmallThis", (l) => new Set([1, 2]).intersection(setLike([2, 3, 4], l))],
      ["intersectionSmallOther", (l) => new Set([1, 2, 3]).intersection(setLike([2], l))],
      ["differenceSmallThis", (l) => new Set([1]).difference(setLike([1, 2], l))],
      ["differenceSmallOther", (l) => new Set([1, 2, 3]).difference(setLike([2], l))],
      ["isSubsetOfTooBig", (l) => new Set([1, 2, 3]).isSubsetOf(setLike([1], l))],
      ["isSubsetOf", (l) => new Set([1, 2]).isSubsetOf(setLike([1, 2, 3], l))],
      ["isSupersetOfEarlyExit", (l) => new Set([1, 2, 3]).isSupersetOf(setLike([1, 9, 2], l))],
      ["isDisjointFromEarlyExit", (l) => new Set([1]).isDisjointFrom(setLike([5, 1, 7], l, 0))],
      ["isDisjointFromHas", (l) => new Set([1, 2]).isDisjointFrom(setLike([2, 3, 4], l))],
      ["union", (l) => new Set([1]).union(setLike([1, 2], l))],
      ["symmetricDifference", (l) => new Set([1, 2]).symmetricDifference(setLike([2, 3], l))],
    ]) {
      const log = [];
      const result = f(log);
      logs[name] = [result instanceof Set ? [...result] : result, log];
    }
    out.setLogs = logs;
    out.setErrors = [
      error(() => new Set().union(5)),
      error(() => new Set().union([1])),
      error(() => new Set().union({ size: "x", has() {}, keys() {} })),
      error(() => new Set().union({ size: -1, has() {}, keys() {} })),
      error(() => new Set().union({ size: 1, keys() {} })),
      error(() => new Set().union({ size: 1, has() {} })),
      error(() => Set.prototype.union.call({}, new Set())),
      error(() => Set.prototype.isSubsetOf.call(new Map(), new Set())),
      error(() => new Set().union({ size: 1, has() {}, keys() { return 5; } })),
      error(() => new Set().union({ size: 1, has() {}, keys() { return { next: 5 }; } })),
      error(() => new Set().union({ size: 1, has() {}, keys() { return { next() { return 5; } }; } })),
      error(() => new Set().union({ size: undefined, has() {}, keys() {} })),
    ];
    out.sizeCoercion = [...new Set([1]).intersection({ size: "1.5", has: () => true, keys() {} })];

    const r = Promise.withResolvers();
    out.withResolvers = [Object.keys(r), r.promise instanceof Promise, typeof r.resolve, typeof r.reject];
    r.resolve("done");
    out.resolved = await r.promise;
    const r2 = Promise.withResolvers();
    r2.reject(new Error("no"));
    out.rejected = await rejection(() => r2.promise);
    class MyPromise extends Promise {}
    out.subclass = MyPromise.withResolvers().promise instanceof MyPromise;
    out.withResolversErrors = [
      error(() => Promise.withResolvers.call(5)),
      error(() => Promise.withResolvers.call({})).slice(0, 1),
      error(() => Promise.withResolvers.call(function (executor) { executor(1, 2); })),
    ];

    out.fromAsync = {
      array: await Array.fromAsync([Promise.resolve(3), 4]),
      mapped: await Array.fromAsync([Promise.resolve(3), 4], (x, i) => x * 10 + i),
      arrayLike: await Array.fromAsync({ length: 2, 0: Promise.resolve(1), 1: 2 }),
      number: await Array.fromAsync(5),
      generator: await Array.fromAsync((async function* () { yield 1; yield Promise.resolve(2); })(), async (x) => x + 100),
      thisArg: await Array.fromAsync([1], function (x) { return this.k + x; }, { k: 10 }),
      isPromise: Array.fromAsync([]) instanceof Promise,
      string: await Array.fromAsync("ab"),
      set: await Array.fromAsync(new Set([1, 2])),
    };
    class Box { constructor(...args) { this.args = args; } }
    const boxed = await Array.fromAsync.call(Box, [7, 8]);
    const boxedLike = await Array.fromAsync.call(Box, { length: 1, 0: 9 });
    out.fromAsyncConstructor = [boxed instanceof Box, boxed.args, boxed.length, boxed[1], boxedLike.args, boxedLike[0]];
    const plain = await Array.fromAsync.call({}, [1]);
    out.fromAsyncNonConstructor = Array.isArray(plain);
    // Rejections, never synchronous throws.
    let returned = false;
    const asyncIterable = {
      [Symbol.asyncIterator]() {
        return { next: async () => ({ value: 1, done: false }), return: async () => { returned = true; return {}; } };
      },
    };
    out.fromAsyncErrors = [
      await rejection(() => Array.fromAsync(null)),
      await rejection(() => Array.fromAsync([], 5)),
      await rejection(() => Array.fromAsync(asyncIterable, () => { throw new RangeError("map"); })),
      returned,
      await rejection(() => Array.fromAsync([Promise.reject(new Error("element"))])),
      (await rejection(() => Array.fromAsync({ [Symbol.asyncIterator]: 5 }))).slice(0, 1),
      (await rejection(() => Array.fromAsync({ [Symbol.asyncIterator]() { return { next() { return 5; } }; } }))).slice(0, 1),
    ];
    let threwSync = false;
    try { Array.fromAsync(null).catch(() => {}); } catch { threwSync = true; }
    out.fromAsyncNoSyncThrow = threwSync;
    return Response.json(out);
  },
};
