// URLSearchParams: constructors, methods, form-urlencoded parsing and serialisation, iteration,
// errors, and the live link with URL.search.
const attempt = (f) => {
  try { return f(); } catch (e) { return `${e.constructor.name}: ${e.message}`; }
};
const entries = (p) => [...p];

export default {
  fetch() {
    const out = {};
    out.fromString = entries(new URLSearchParams("?a=1&b=2&a=3&&c&=d&e=&f=g=h"));
    out.decoding = entries(new URLSearchParams("x=a+b%20c&y=%E2%82%AC%zz%&z=%C3%28&%F0%9F%98%80=%ED%A0%80"));
    out.fromPairs = entries(new URLSearchParams([["a", 1], ["b", null], ["a", undefined]]));
    out.fromRecord = entries(new URLSearchParams({ b: "2", a: "1", [Symbol("s")]: "x", "é": "ü" }));
    out.fromParams = entries(new URLSearchParams(new URLSearchParams("k=v&k=w")));
    out.fromMap = entries(new URLSearchParams(new Map([["m", "1"], ["n", "2"]])));
    out.fromGenerator = entries(new URLSearchParams((function* () { yield ["g", "1"]; yield new Set(["h", "2"]); })()));
    out.empty = [String(new URLSearchParams()), String(new URLSearchParams("")), String(new URLSearchParams(undefined)),
      String(new URLSearchParams(null)), new URLSearchParams("?").size];
    out.errors = [
      attempt(() => new URLSearchParams([["a"]])), attempt(() => new URLSearchParams([["a", "b", "c"]])),
      attempt(() => new URLSearchParams([1])), attempt(() => new URLSearchParams(["ab"])),
      attempt(() => URLSearchParams("a=b")), attempt(() => new URLSearchParams().append("a")),
      attempt(() => new URLSearchParams().get()), attempt(() => new URLSearchParams().set("x")),
      attempt(() => new URLSearchParams().forEach()), attempt(() => new URLSearchParams().has()),
      attempt(() => new URLSearchParams().delete()), attempt(() => new URLSearchParams().getAll()),
      attempt(() => URLSearchParams.prototype.get.call({}, "a")),
      attempt(() => Object.getOwnPropertyDescriptor(URLSearchParams.prototype, "size").get.call(new URL("http://h"))),
    ];
    const p = new URLSearchParams("a=1&b=2&a=3");
    out.get = [p.get("a"), p.get("zz"), p.getAll("a"), p.getAll("zz"), p.has("b"), p.has("zz"),
      p.has("a", "3"), p.has("a", "4"), p.has("a", undefined), p.size];
    p.append("c", "x y");
    out.afterAppend = String(p);
    p.set("a", "9");
    out.afterSet = String(p);
    p.set("new", "n");
    out.afterSetNew = String(p);
    p.append("b", "3");
    p.delete("b", "2");
    out.afterDeleteValue = String(p);
    p.delete("b");
    out.afterDelete = String(p);
    const s = new URLSearchParams("z=1&a=2&\uFFFD=3&\uD83D\uDE00=4&a=0&\u00e9=5&A=6");
    s.sort();
    out.sorted = entries(s);
    out.serialize = String(new URLSearchParams([["a b", "c+d"], ["~!'()*-._", "&=?#/;:@,$"], ["é€", "\uD800"],
      ["\n\t", "%20"]]));
    const it = new URLSearchParams("a=1&b=2").entries();
    out.iterator = [it.next(), it.next(), it.next(), Object.prototype.toString.call(it),
      Object.prototype.toString.call(new URLSearchParams().keys()),
      Object.prototype.toString.call(new URLSearchParams().values()),
      typeof it[Symbol.iterator], it[Symbol.iterator]() === it];
    out.keysValues = [[...new URLSearchParams("x=1&y=2").keys()], [...new URLSearchParams("x=1&y=2").values()]];
    const mutating = new URLSearchParams("a=1&b=2&c=3");
    const seen = [];
    for (const [k] of mutating) { seen.push(k); if (k === "a") mutating.delete("a"); }
    out.mutateDuringIteration = seen;
    const each = [];
    new URLSearchParams("q=1&r=2").forEach(function (value, key, params) {
      each.push([key, value, params instanceof URLSearchParams, this === undefined ? "undefined" : String(this)]);
    }, "ctx");
    out.forEach = each;
    out.shape = {
      tag: Object.prototype.toString.call(new URLSearchParams()),
      protoKeys: Object.keys(URLSearchParams.prototype).sort(),
      ownKeys: Object.keys(new URLSearchParams("a=b")),
      sizeEnumerable: Object.getOwnPropertyDescriptor(URLSearchParams.prototype, "size").enumerable,
    };
    // The live link with a URL.
    const url = new URL("https://h/p?x=1&y=2#frag");
    const sp = url.searchParams;
    out.link = [entries(sp)];
    sp.append("z", "a b");
    out.link.push(url.href);
    url.search = "?m=%20n+o";
    out.link.push(entries(sp), url.search);
    url.href = "https://h/other?k=v";
    out.link.push(entries(sp), sp === url.searchParams);
    sp.delete("k");
    out.link.push(url.href, url.search);
    url.search = "";
    sp.append("after", "1");
    out.link.push(url.href);
    sp.sort();
    out.link.push(url.href);
    const opaque = new URL("data:text/plain,hello  ?q=1#h");
    opaque.searchParams.delete("q");
    out.opaque = [opaque.href, opaque.pathname];
    return Response.json(out);
  },
};
