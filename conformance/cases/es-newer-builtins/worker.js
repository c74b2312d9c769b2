// ECMAScript library functions newer than V8 10.2 that workerd's V8 has (polyfilled in
// loaderd: runtime/builtins/polyfills.js), compared on workerd item by item.
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
const t = (f) => { try { const v = f(); if (v instanceof Uint8Array) return "u8 " + Array.from(v).join(","); return typeof v === "object" && v !== null ? JSON.stringify(v) : typeof v + " " + String(v); } catch (e) { return "err " + show(e); } };
const b = (s) => new TextEncoder().encode(s);
const ITEMS = {
  shapes: () => [Promise.try, Error.isError, Atomics.pause, Uint8Array.fromBase64, Uint8Array.fromHex, Uint8Array.prototype.toBase64, Uint8Array.prototype.toHex, Uint8Array.prototype.setFromBase64, Uint8Array.prototype.setFromHex].map((f) => `${f.name}/${f.length}/${Object.getOwnPropertyDescriptor(f, "prototype") ? "proto" : "noproto"}`),
  promiseTry: async () => [
    await Promise.try(() => 1), await Promise.try((a, b) => a + b, 2, 3),
    await Promise.try(() => { throw new Error("sync"); }).catch((e) => "caught " + e.message),
    await Promise.try(async () => "async"),
    t(() => Promise.try(5)), t(() => Promise.try.call(5, () => 1)),
    await Promise.try.call(class extends Promise {}, () => 7).then((v) => v),
  ],
  isError: () => [Error.isError(new Error()), Error.isError(new TypeError()), Error.isError({ __proto__: Error.prototype }), Error.isError(Object.create(Error.prototype)), Error.isError({ [Symbol.toStringTag]: "Error" }), Error.isError(new DOMException("x")), Error.isError(null), Error.isError(), Error.isError(new (class extends Error {})()), Error.isError(new AggregateError([]))],
  atomicsPause: () => [t(() => Atomics.pause()), t(() => Atomics.pause(1)), t(() => Atomics.pause(-5)), t(() => Atomics.pause(1.5)), t(() => Atomics.pause("1")), t(() => Atomics.pause(NaN)), t(() => Atomics.pause(Infinity)), t(() => Atomics.pause(2 ** 60)), t(() => Atomics.pause(-0))],
  toBase64: () => [t(() => b("hello").toBase64()), t(() => b("hello").toBase64({ alphabet: "base64url" })), t(() => b("hello").toBase64({ omitPadding: true })), t(() => new Uint8Array([251, 255]).toBase64()), t(() => new Uint8Array([251, 255]).toBase64({ alphabet: "base64url" })), t(() => new Uint8Array([]).toBase64()), t(() => b("hi").toBase64({ alphabet: "x" })), t(() => b("hi").toBase64(5)), t(() => Uint8Array.prototype.toBase64.call([1])), t(() => b("hi").toBase64(null)), t(() => new Uint8Array([1, 2, 3, 4]).toBase64({ omitPadding: 1 }))],
  toHex: () => [t(() => new Uint8Array([0, 15, 16, 255]).toHex()), t(() => new Uint8Array([]).toHex()), t(() => Uint8Array.prototype.toHex.call(new Uint16Array(1)))],
  fromBase64: () => [
    t(() => Uint8Array.fromBase64("aGVsbG8=")), t(() => Uint8Array.fromBase64("aGVsbG8")), t(() => Uint8Array.fromBase64(" aGVs\nbG8= ")), t(() => Uint8Array.fromBase64("aGVsbG8", { lastChunkHandling: "strict" })),
    t(() => Uint8Array.fromBase64("aGVsbG8", { lastChunkHandling: "stop-before-partial" })), t(() => Uint8Array.fromBase64("-_8", { alphabet: "base64url" })), t(() => Uint8Array.fromBase64("+/8=")), t(() => Uint8Array.fromBase64("-_8=")),
    t(() => Uint8Array.fromBase64("a")), t(() => Uint8Array.fromBase64("ab=")), t(() => Uint8Array.fromBase64("ab==c")), t(() => Uint8Array.fromBase64("ab*c")), t(() => Uint8Array.fromBase64(5)), t(() => Uint8Array.fromBase64("aGk=", { alphabet: 5 })),
    t(() => Uint8Array.fromBase64("aGl=", { lastChunkHandling: "strict" })), t(() => Uint8Array.fromBase64("aGl=")), t(() => Uint8Array.fromBase64("aGk=", { lastChunkHandling: "bogus" })), t(() => Uint8Array.fromBase64("")), t(() => Uint8Array.fromBase64("====")), t(() => Uint8Array.fromBase64("aGk==")),
  ],
  fromHex: () => [t(() => Uint8Array.fromHex("00ff10AB")), t(() => Uint8Array.fromHex("")), t(() => Uint8Array.fromHex("abc")), t(() => Uint8Array.fromHex("zz")), t(() => Uint8Array.fromHex(5)), t(() => Uint8Array.fromHex(" 00"))],
  setFrom: () => {
    const out = [];
    const u = new Uint8Array(4);
    out.push(t(() => u.setFromBase64("aGVsbG8=")), t(() => Array.from(u).join(",")));
    const v = new Uint8Array(8);
    out.push(t(() => v.setFromBase64("aGVsbG8=")), t(() => Array.from(v).join(",")));
    const w = new Uint8Array(3);
    out.push(t(() => w.setFromHex("a1b2c3d4")), t(() => Array.from(w).join(",")), t(() => w.setFromHex("zz")), t(() => new Uint8Array(2).setFromHex("abc")));
    const x = new Uint8Array(2);
    out.push(t(() => x.setFromBase64("aGVsbG8=", { lastChunkHandling: "strict" })), t(() => Array.from(x).join(",")));
    out.push(t(() => new Uint8Array(5).setFromBase64("ab*c")));
    return out;
  },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
