// WHATWG Headers semantics.
export default {
  fetch() {
    const out = {};
    const h = new Headers({ "Content-Type": "text/html", "X-Multi": "a" });
    h.append("x-multi", "b");
    h.append("Set-Cookie", "a=1");
    h.append("set-cookie", "b=2");
    out.get = h.get("content-type");
    out.combined = h.get("X-MULTI");
    out.cookies = h.getSetCookie();
    out.entries = [...h];
    out.keys = [...h.keys()];
    out.values = [...h.values()];
    const seen = [];
    h.forEach((value, key, obj) => seen.push(`${key}=${value}:${obj === h}`));
    out.forEach = seen;
    h.set("x-multi", "c");
    out.afterSet = h.get("x-multi");
    h.delete("X-Multi");
    out.afterDelete = h.has("x-multi");
    out.fromPairs = [...new Headers([["b", "2"], ["a", "1"], ["a", "3"]])];
    out.copy = [...new Headers(new Headers({ q: "r" }))];
    out.trimmed = new Headers({ t: "  padded \t" }).get("t");
    const errors = [];
    for (const f of [
      () => new Headers({ "bad name": "x" }),
      () => new Headers().set("x", "a\nb"),
      () => new Headers([["only-one"]]),
      () => new Headers(5),
    ]) {
      try { f(); errors.push("none"); } catch (e) { errors.push(e.constructor.name); }
    }
    out.errors = errors;
    out.tag = Object.prototype.toString.call(h);
    out.iteratorIsIterable = typeof h.entries()[Symbol.iterator] === "function";
    return new Response(JSON.stringify(out), { headers: h.has("content-type") ? { "x-kind": "json" } : {} });
  },
};
