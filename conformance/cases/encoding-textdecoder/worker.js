// TextDecoder: labels, BOM handling, replacement and fatal errors, input types, streaming that
// carries partial sequences across calls, UTF-16LE/BE and windows-1252.
function error(f) {
  try { return ["ok", f()]; } catch (e) { return [e.constructor.name, e.message]; }
}
const u8 = (...bytes) => new Uint8Array(bytes);
export default {
  fetch() {
    const out = {};
    const labels = ["utf-8", "UTF8", " utf-8\n", "unicode-1-1-utf-8", "utf-16le", "utf-16", "UTF-16BE", "unicodefffe",
                    "latin1", "iso-8859-1", "windows-1252", "ascii", "us-ascii", "replacement", "iso-2022-kr", "foo", "",
                    "utf-32", "utf-8 x", "\u00a0utf-8"];
    out.labels = Object.fromEntries(labels.map((l) => [JSON.stringify(l), error(() => new TextDecoder(l).encoding)]));
    const d = new TextDecoder();
    out.defaults = [d.encoding, d.fatal, d.ignoreBOM, new TextDecoder(undefined).encoding];
    out.options = (() => { const x = new TextDecoder("utf-8", { fatal: 1, ignoreBOM: "yes" }); return [x.fatal, x.ignoreBOM]; })();
    out.utf8 = [
      d.decode(u8(0xEF, 0xBB, 0xBF, 0x68, 0x69)),
      d.decode(u8(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF)),
      new TextDecoder("utf-8", { ignoreBOM: true }).decode(u8(0xEF, 0xBB, 0xBF, 0x68)),
      d.decode(u8(0xFF, 0x61, 0xC3)),
      d.decode(u8(0xE0, 0x80, 0x80)),
      d.decode(u8(0xF0, 0x9F, 0x98)),
      d.decode(u8(0xED, 0xA0, 0x80)),
      d.decode(u8(0xF4, 0x90, 0x80, 0x80)),
      d.decode(u8(0xC0, 0xAF)),
      d.decode(u8(0xF0, 0x9F, 0x41)),
      d.decode(u8(0x68, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xF0, 0x9F, 0x98, 0x80)),
      d.decode(u8(0x61, 0x00, 0x62)),
    ].map((s) => [...s].map((c) => c.codePointAt(0).toString(16)));
    out.fatal = [
      error(() => new TextDecoder("utf-8", { fatal: true }).decode(u8(0xFF))),
      error(() => new TextDecoder("utf-8", { fatal: true }).decode(u8(0xE2, 0x82))),
      error(() => new TextDecoder("utf-8", { fatal: true }).decode(u8(0xE2, 0x82, 0xAC))),
    ];
    out.inputs = [
      error(() => d.decode()),
      error(() => d.decode(undefined)),
      error(() => d.decode(u8(0x61, 0x62).buffer)),
      error(() => d.decode(new DataView(u8(0x61, 0x62, 0x63).buffer, 1))),
      error(() => d.decode(new Uint16Array([0x6261]))),
      error(() => d.decode(u8(0x61, 0x62, 0x63).subarray(1, 2))),
      error(() => d.decode(new Uint8Array(new SharedArrayBuffer(2)))),
      error(() => d.decode(u8(0x61), {})),
    ];
    const big = "a\u00e9\u4e2d\u{1F600}".repeat(20000);
    out.big = d.decode(new TextEncoder().encode(big)) === big;

    const s = new TextDecoder();
    out.stream = [[0xF0], [0x9F, 0x98], [0x80, 0x61], [0xE2, 0x82]].map((p) => s.decode(new Uint8Array(p), { stream: true }));
    out.streamFlush = s.decode();
    out.streamReuse = s.decode(u8(0x7A));
    const b = new TextDecoder();
    out.bomStream = [b.decode(u8(0xEF), { stream: true }), b.decode(u8(0xBB, 0xBF, 0x41), { stream: true }),
                     b.decode(u8(0xEF, 0xBB, 0xBF)), b.decode(u8(0xEF, 0xBB, 0xBF, 0x42))];
    const inv = new TextDecoder();
    out.invalidInStream = [inv.decode(u8(0x61, 0xFF), { stream: true }), inv.decode(u8(0xE2), { stream: true }),
                           inv.decode(u8(0x41), { stream: true }), inv.decode(u8(0xF0, 0x9F), { stream: true }), inv.decode()];
    const f = new TextDecoder("utf-8", { fatal: true });
    out.fatalStream = [f.decode(u8(0xE2, 0x82), { stream: true }), error(() => f.decode(u8(0x41))), error(() => f.decode(u8(0x42)))];
    const byByte = new TextDecoder();
    const encoded = new TextEncoder().encode("\uFEFFh\u00e9\u4e2d\u{1F600}!");
    let joined = "";
    for (const byte of encoded) joined += byByte.decode(u8(byte), { stream: true });
    joined += byByte.decode();
    out.byteByByte = [...joined].map((c) => c.codePointAt(0).toString(16));

    const le = new TextDecoder("utf-16le");
    out.utf16le = [
      le.decode(u8(0xFF, 0xFE, 0x68, 0, 0x69, 0)),
      le.decode(u8(0x68, 0, 0x3D, 0xD8, 0x00, 0xDE)),
      le.decode(u8(0x68, 0, 0x69)),
      new TextDecoder("utf-16le", { ignoreBOM: true }).decode(u8(0xFF, 0xFE, 0x68, 0)),
    ];
    const les = new TextDecoder("utf-16le");
    out.utf16leStream = [les.decode(u8(0x68), { stream: true }), les.decode(u8(0, 0x3D), { stream: true }),
                         les.decode(u8(0xD8, 0x00), { stream: true }), les.decode(u8(0xDE))];
    out.utf16be = [new TextDecoder("utf-16be").decode(u8(0xFE, 0xFF, 0, 0x68, 0xD8, 0x3D, 0xDE, 0x00)),
                   new TextDecoder("utf-16be").decode(u8(0, 0x68, 0))];
    out.windows1252 = [...new TextDecoder("latin1").decode(Uint8Array.from({ length: 256 }, (_, i) => i))]
      .map((c) => c.charCodeAt(0).toString(16)).join(" ");
    out.windows1252Bom = new TextDecoder("ascii").decode(u8(0xEF, 0xBB, 0xBF));
    out.shape = [Object.keys(TextDecoder.prototype).sort(), Object.prototype.toString.call(d)];
    out.errors = [
      error(() => TextDecoder()),
      error(() => new TextDecoder("utf-8", 5)),
      error(() => new TextDecoder(null)),
      error(() => d.decode(null)),
      error(() => d.decode("abc")),
      error(() => d.decode(5)),
      error(() => d.decode({})),
      error(() => d.decode(u8(1), 5)),
      error(() => TextDecoder.prototype.decode.call({}))[0],
    ];
    return Response.json(out);
  },
};
