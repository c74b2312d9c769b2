// String.prototype.isWellFormed/toWellFormed and Symbol.dispose/asyncDispose.
function shape(object, name) {
  const d = Object.getOwnPropertyDescriptor(object, name);
  return [d.value.name, d.value.length, d.writable, d.enumerable, d.configurable, "prototype" in d.value];
}
function error(f) {
  try { return ["no error", f()]; } catch (e) { return [e.constructor.name, e.message]; }
}
const codes = (s) => [...s].map((c) => c.codePointAt(0).toString(16));
export default {
  fetch() {
    const out = {};
    out.shapes = [shape(String.prototype, "isWellFormed"), shape(String.prototype, "toWellFormed")];
    const samples = ["", "abc", "\u{1F600}", "a\uD800", "\uDC00b", "\uD800\uD800\uDC00", "\uDBFF\uDFFF\uDFFF", "x\uD83D", "é\uDE00\uD83D"];
    out.isWellFormed = samples.map((s) => s.isWellFormed());
    out.toWellFormed = samples.map((s) => codes(s.toWellFormed()));
    out.sameWhenWellFormed = "abc".toWellFormed() === "abc";
    out.coerce = [String.prototype.isWellFormed.call(123), String.prototype.toWellFormed.call({ toString() { return "o\uD800"; } }).length];
    out.stringErrors = [
      error(() => String.prototype.isWellFormed.call(null)),
      error(() => String.prototype.toWellFormed.call(undefined)),
      error(() => String.prototype.isWellFormed.call(Symbol())),
    ];
    out.symbols = ["dispose", "asyncDispose"].map((name) => {
      const d = Object.getOwnPropertyDescriptor(Symbol, name);
      return [typeof d.value, d.value.description, String(d.value), d.writable, d.enumerable, d.configurable,
              Symbol.keyFor(d.value) === undefined, d.value === Symbol.for(`Symbol.${name}`)];
    });
    out.distinct = Symbol.dispose !== Symbol.asyncDispose;
    // Objects can use the symbols as method keys today.
    const resource = { closed: false, [Symbol.dispose]() { this.closed = true; } };
    resource[Symbol.dispose]();
    out.disposeCall = resource.closed;
    return Response.json(out);
  },
};
