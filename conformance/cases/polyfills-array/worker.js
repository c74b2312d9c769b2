// ES2023 "change array by copy" methods (Array and TypedArray), findLast/findLastIndex:
// property shapes, results, no mutation, holes, array-likes, argument coercion and errors.
function shape(object, name) {
  const d = Object.getOwnPropertyDescriptor(object, name);
  return [typeof d.value, d.value.name, d.value.length, d.writable, d.enumerable, d.configurable,
          "prototype" in d.value];
}
function error(f) {
  try { return ["no error", f()]; } catch (e) { return [e.constructor.name, e.message]; }
}
export default {
  fetch() {
    const out = {};
    const TA = Object.getPrototypeOf(Uint8Array.prototype);
    out.shapes = {};
    for (const n of ["toSorted", "toReversed", "toSpliced", "with", "findLast", "findLastIndex"]) {
      out.shapes[n] = shape(Array.prototype, n);
    }
    for (const n of ["toSorted", "toReversed", "with", "findLast", "findLastIndex"]) {
      out.shapes[`TA.${n}`] = shape(TA, n);
    }
    const unscopables = Array.prototype[Symbol.unscopables];
    out.unscopable = ["toSorted", "toReversed", "toSpliced", "with"].map((n) => unscopables[n] === true);

    const a = [3, 1, undefined, 10, 2];
    out.toSorted = a.toSorted();
    out.toSortedCmp = a.toSorted((x, y) => y - x);
    out.stable = [["b", 1], ["a", 1], ["c", 0]].toSorted((x, y) => x[1] - y[1]).map((p) => p[0]);
    out.notMutated = a;
    out.toReversed = [1, 2, 3].toReversed();
    out.holes = [1, , 3].toReversed().map((v) => v === undefined ? "undef" : v);
    out.holesHaveOwn = Object.keys([, 1].toSorted());
    out.toSpliced = [
      [1, 2, 3, 4].toSpliced(1, 2, "x"),
      [1, 2, 3].toSpliced(),
      [1, 2, 3].toSpliced(1),
      [1, 2, 3].toSpliced(-1, 0, "y", "z"),
      [1, 2, 3].toSpliced(-10, 1),
      [1, 2, 3].toSpliced("1", "1.9"),
      [1, 2, 3].toSpliced(1, -5, "w"),
      [1, 2, 3].toSpliced(Infinity, Infinity, "end"),
    ];
    out.with = [[1, 2, 3].with(0, "a"), [1, 2, 3].with(-1, "z"), [1, 2, 3].with("1", "s"), [1, 2].with(1.7, "f")];
    const arrayLike = { length: 3, 0: "c", 1: "a", 2: "b", 3: "ignored" };
    out.arrayLike = [
      Array.prototype.toSorted.call(arrayLike),
      Array.prototype.toReversed.call(arrayLike),
      Array.prototype.with.call(arrayLike, 0, "z"),
      Array.prototype.toSpliced.call(arrayLike, 0, 1),
      Array.prototype.toReversed.call("abc"),
    ];
    class MyArray extends Array {}
    out.noSpecies = new MyArray(1, 2).toReversed().constructor === Array;
    out.findLast = [[1, 2, 3, 4].findLast((x) => x % 2), [1, 2, 3, 4].findLastIndex((x) => x % 2),
                    [1].findLast((x) => x > 5) ?? "undef", [1].findLastIndex((x) => x > 5)];
    const calls = [];
    [5, 6].findLast(function (v, i, arr) { calls.push([v, i, arr.length, this.tag]); }, { tag: "t" });
    out.findLastCalls = calls;

    out.errors = [
      error(() => [1].toSorted(5)),
      error(() => [1].toSorted(null)),
      error(() => Array.prototype.toSorted.call(null)),
      error(() => Array.prototype.toReversed.call(undefined)),
      error(() => [1].with(5, 1)),
      error(() => [1].with(-2, 1)),
      error(() => Array.prototype.toSpliced.call({ length: 2 ** 53 - 1 }, 0, 0, 1)),
      error(() => Array.prototype.toSorted.call({ length: 2 ** 32 })),
      error(() => Array.prototype.toReversed.call({ length: 2 ** 32 })),
      error(() => [1].with(Symbol(), 1)),
      error(() => [1].findLast(5)).slice(0, 1),  // the message differs between V8 versions
    ];
    // toSorted checks the comparator before reading `this`.
    out.order = error(() => Array.prototype.toSorted.call(null, 5));

    const ta = new Int16Array([5, -3, 10, 0]);
    out.ta = {
      toSorted: [...ta.toSorted()],
      toSortedCmp: [...ta.toSorted((x, y) => y - x)],
      toReversed: [...ta.toReversed()],
      with: [...ta.with(1, 7.9), ...ta.with(-1, 70000)],
      kind: [ta.toSorted().constructor.name, new Float32Array(1).with(0, 0.1)[0], new Uint8ClampedArray(1).with(0, 300)[0]],
      notMutated: [...ta],
      bigint: new BigInt64Array([3n, 1n]).toSorted().join(),
      bigintWith: new BigUint64Array(2).with(0, 5n).join(),
      nan: [...new Float64Array([NaN, 1, -0, 0]).toSorted()].map((x) => Object.is(x, -0) ? "-0" : String(x)),
    };
    out.taErrors = [
      error(() => new Uint8Array(1).with(5, 1)),
      error(() => new Uint8Array(1).with(-2, 1)),
      error(() => new Uint8Array(1).toSorted(5)),
      error(() => new BigInt64Array(1).with(0, 1)),
      error(() => TA.toReversed.call([])).slice(0, 1),
      error(() => TA.with.call({}, 0, 0)).slice(0, 1),
    ];
    // The value is converted before the index is checked.
    const order = [];
    out.taOrder = error(() => new Uint8Array(1).with(9, { valueOf() { order.push("valueOf"); return 1; } }));
    out.taOrderLog = order;
    return Response.json(out);
  },
};
