// node:string_decoder: characters split across writes (UTF-8, UTF-16LE, base64), end(), and the
// stateless encodings.
import { StringDecoder } from "node:string_decoder";
import { Buffer } from "node:buffer";

function feed(encoding, chunks, last) {
  const d = new StringDecoder(encoding);
  const out = chunks.map((c) => d.write(Buffer.from(c)));
  out.push(last === undefined ? d.end() : d.end(Buffer.from(last)));
  return out;
}

export default {
  async fetch() {
    const euro = [0xe2, 0x82, 0xac];
    const smile = [0xf0, 0x9f, 0x98, 0x80];
    let err;
    try { new StringDecoder("nope"); } catch (e) { err = [e.name, e.code, e.message]; }
    return Response.json({
      encodings: ["utf8", "utf-8", "UTF8", "ucs2", "utf16le", "latin1", "binary", "base64", "hex", "ascii", undefined].map((e) => new StringDecoder(e).encoding),
      utf8: [feed("utf8", [[euro[0]], [euro[1]], [euro[2], 0x41]]), feed("utf8", [smile.slice(0, 3)], smile.slice(3)), feed("utf8", [[0xe2, 0x82]]),
             feed("utf8", [[0x61, 0xff, 0x62]]), feed("utf8", [[0xf0, 0x9f], [0x98], [0x80, 0x21]])],
      utf16le: [feed("utf16le", [[0x61], [0x00, 0x62], [0x00]]), feed("utf16le", [[0x3d, 0xd8], [0x00, 0xde]]), feed("utf16le", [[0x61, 0x00, 0x62]])],
      base64: [feed("base64", [[0x66], [0x6f, 0x6f, 0x62], [0x61]], [0x72]), feed("base64", [[1, 2, 3, 4]])],
      other: [feed("hex", [[0xab], [0xcd]]), feed("latin1", [[0xe9], [0x41]]), new StringDecoder().write("string in")],
      err,
    });
  },
};
