// TextEncoder: encode (lone surrogates become U+FFFD), encodeInto (stops before a character that
// does not fit), shapes and errors.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.message]; }
}
export default {
  fetch() {
    const out = {};
    const te = new TextEncoder();
    out.encoding = te.encoding;
    out.encode = ["héllo\u{1F600}", "", "\uD800x", "x\uDC00", "\uD83D\uDE00\uD83D", 123, null, {}].map((s) => [...te.encode(s)]);
    out.encodeNoArgs = [[...te.encode()], [...te.encode(undefined)]];
    out.returnsUint8Array = [te.encode("a") instanceof Uint8Array, te.encode("a").buffer.byteLength];
    const big = "a\u00e9\u4e2d\u{1F600}".repeat(5000);
    out.bigLength = te.encode(big).length;
    const into = (s, size, offset = 0) => {
      const buffer = new Uint8Array(size).fill(0xEE);
      const view = offset ? buffer.subarray(offset) : buffer;
      const result = te.encodeInto(s, view);
      return [result, [...buffer]];
    };
    out.encodeInto = [
      into("a\u{1F600}b", 5),
      into("héé", 2),
      into("\uD800", 4),
      into("é", 1),
      into("abc", 8),
      into("", 2),
      into("\u{1F600}", 3),
      into("x\u4e2dy", 4, 1),
    ];
    out.encodeIntoKeys = Object.keys(te.encodeInto("a", new Uint8Array(1)));
    out.encodeIntoBig = te.encodeInto(big, new Uint8Array(big.length * 4)).written === out.bigLength;
    out.ignoresArguments = new TextEncoder("utf-16").encoding;
    out.shape = [Object.keys(TextEncoder.prototype).sort(), Object.prototype.toString.call(te)];
    out.errors = [
      error(() => te.encodeInto("x")),
      error(() => te.encodeInto("x", new Uint16Array(2))),
      error(() => te.encodeInto("x", new ArrayBuffer(2))),
      error(() => te.encodeInto("x", [0, 0])),
      error(() => TextEncoder()),
      error(() => te.encode(Symbol())),
      error(() => TextEncoder.prototype.encode.call({}, "x"))[0],
    ];
    return Response.json(out);
  },
};
