// Iterator helpers (ES2025), which V8 10.2 lacks (polyfilled in loaderd:
// runtime/builtins/polyfills.js), compared with workerd's V8 item by item.
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
const t = (f) => { try { const v = f(); return typeof v === "object" && v !== null ? Object.prototype.toString.call(v) + " " + JSON.stringify(v) : typeof v + " " + String(v); } catch (e) { return "err " + show(e); } };
function* gen(n) { for (let i = 0; i < n; i++) yield i; }
// An iterator that records what is called on it.
function tracked(values, log) {
  let i = 0;
  return { __proto__: Iterator.prototype, next() { log.push("next"); return i < values.length ? { value: values[i++], done: false } : { value: undefined, done: true }; }, return() { log.push("return"); return { done: true }; } };
}
const ITEMS = {
  shape: () => [t(() => typeof Iterator), t(() => Iterator.length), t(() => Iterator.name), t(() => Iterator.prototype === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))), t(() => new Iterator()), t(() => Iterator()), t(() => { class I extends Iterator {} return new I() instanceof Iterator; }),
    t(() => ["map", "filter", "take", "drop", "flatMap", "reduce", "toArray", "forEach", "some", "every", "find"].map((m) => m + "/" + Iterator.prototype[m].length).join(",")), t(() => Iterator.from.length), t(() => Object.prototype.toString.call(gen(1).map((x) => x))), t(() => Iterator.prototype[Symbol.toStringTag]), t(() => Iterator.prototype.constructor === Iterator), t(() => [].values() instanceof Iterator)],
  basics: () => [t(() => gen(5).map((x, i) => x * 10 + i).toArray()), t(() => gen(6).filter((x) => x % 2).toArray()), t(() => gen(10).take(3).toArray()), t(() => gen(5).drop(2).toArray()), t(() => gen(3).flatMap((x) => [x, x]).toArray()),
    t(() => gen(4).reduce((a, b) => a + b)), t(() => gen(4).reduce((a, b) => a + b, 10)), t(() => gen(4).some((x) => x > 2)), t(() => gen(4).every((x) => x < 2)), t(() => gen(4).find((x) => x > 1)), t(() => { const out = []; gen(3).forEach((x, i) => out.push(x + ":" + i)); return out; }),
    t(() => [5, 6].values().map((x) => x + 1).toArray()), t(() => new Set([1, 2]).values().filter((x) => x > 1).toArray()), t(() => "abc"[Symbol.iterator]().map((c) => c.toUpperCase()).toArray()), t(() => gen(Infinity).filter((x) => x % 3 === 0).take(4).toArray())],
  from: () => [t(() => Iterator.from([1, 2]).toArray()), t(() => Iterator.from("ab").toArray()), t(() => Iterator.from({ next() { return { done: true }; } }).toArray()), t(() => { const it = gen(2); return Iterator.from(it) === it; }),
    t(() => Object.prototype.toString.call(Iterator.from({ next() { return { done: true }; } }))), t(() => Iterator.from(5)), t(() => Iterator.from(null)), t(() => Iterator.from({})), t(() => Iterator.from({ [Symbol.iterator]: 1 }))],
  errors: () => [t(() => gen(2).map(5)), t(() => gen(2).filter()), t(() => gen(2).take(-1)), t(() => gen(2).take(NaN)), t(() => gen(2).drop(-1)), t(() => gen(2).drop("x")), t(() => gen(0).reduce((a, b) => a)), t(() => Iterator.prototype.map.call(5, (x) => x)), t(() => Iterator.prototype.toArray.call({})), t(() => gen(2).flatMap((x) => x).toArray()), t(() => gen(2).flatMap((x) => "ab").toArray()), t(() => gen(1).forEach()), t(() => gen(1).some("x")), t(() => Iterator.prototype.next)],
  closing: () => {
    const out = [];
    let log = [];
    t(() => tracked([1, 2, 3], log).map(5)); out.push("badMapper " + log.join(","));
    log = []; const h = tracked([1, 2, 3], log).map((x) => x); h.next(); h.return(); out.push("returnAfterNext " + log.join(","));
    log = []; const h2 = tracked([1, 2, 3], log).map((x) => x); h2.return(); out.push("returnBeforeNext " + log.join(",") + " " + JSON.stringify(h2.next()));
    log = []; tracked([1, 2, 3], log).some((x) => x === 2); out.push("someShort " + log.join(","));
    log = []; tracked([1, 2, 3], log).find((x) => x === 1); out.push("find " + log.join(","));
    log = []; tracked([1, 2, 3], log).take(1).toArray(); out.push("take1 " + log.join(","));
    log = []; t(() => tracked([1, 2], log).map(() => { throw new Error("m"); }).toArray()); out.push("mapperThrows " + log.join(","));
    log = []; t(() => tracked([1, 2], log).take(-1)); out.push("takeNeg " + log.join(","));
    log = []; const h3 = tracked([1, 2], log).filter((x) => true); out.push("helperNextShape " + JSON.stringify(h3.next()) + " " + JSON.stringify(h3.next()) + " " + JSON.stringify(h3.next()) + " " + log.join(","));
    return out;
  },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
