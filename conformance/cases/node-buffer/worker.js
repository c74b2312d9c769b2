// node:buffer through nodejs_compat: encodings, construction, comparison, search, integer
// reads and writes, and Node's error codes and messages.
import { Buffer, constants, kMaxLength, INSPECT_MAX_BYTES } from "node:buffer";
import bufferDefault from "node:buffer";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };

export default {
  async fetch() {
    const hello = Buffer.from("héllo wörld");
    return Response.json({
      shape: [Object.getPrototypeOf(Buffer) === Uint8Array, Buffer.from("a") instanceof Uint8Array,
              Buffer.from("a") instanceof Buffer, globalThis.Buffer === Buffer, bufferDefault.Buffer === Buffer,
              Buffer.name, Buffer.isBuffer(Buffer.alloc(1)), Buffer.isBuffer(new Uint8Array(1)),
              Buffer.from("abc").slice(1) instanceof Buffer, Buffer.from("abc").subarray(1) instanceof Buffer,
              Buffer.from("abc").map((x) => x + 1) instanceof Buffer],
      constants: [constants.MAX_LENGTH, constants.MAX_STRING_LENGTH, kMaxLength, INSPECT_MAX_BYTES],
      encodings: ["utf8", "hex", "base64", "base64url", "latin1", "binary", "ascii", "utf16le", "ucs2"]
        .map((e) => [e, hello.toString(e), Buffer.from(hello.toString(e), e).equals(hello)]),
      decode: [Buffer.from("aGk=", "base64").toString(), Buffer.from("a$G k", "base64").toString("hex"),
               Buffer.from("_-8", "base64").toString("hex"), Buffer.from("Zm9v", "base64url").toString(),
               Buffer.from("abz1", "hex").toString("hex"), Buffer.from("hé", "latin1").toString("hex"),
               Buffer.from("hé", "ascii").toString("hex"), Buffer.from([0xe9, 0x80]).toString("ascii"),
               Buffer.from("hi", "utf16le").toString("hex"), Buffer.from("\u00e9\ud800").toString("hex"),
               Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url"), Buffer.from([0xff, 0xfe, 0xfd, 1]).toString("base64"),
               Buffer.from([0xf0, 0x9f, 0x98]).toString(), Buffer.from("hello world").toString("utf8", 6),
               Buffer.from("hello world").toString("hex", 0, 2)],
      byteLength: [Buffer.byteLength("aGk=", "base64"), Buffer.byteLength("héllo"), Buffer.byteLength("😀"),
                   Buffer.byteLength("abcd", "hex"), Buffer.byteLength("ab", "utf16le"), Buffer.byteLength(new Uint8Array(7))],
      from: [Buffer.from([1, 256, -1, 3.7]).toString("hex"), Buffer.from(new Uint16Array([1, 256])).toString("hex"),
             Buffer.from(new Uint8Array([1, 2, 3]).buffer, 1).toString("hex"), Buffer.from(new Uint8Array([1, 2, 3]).buffer, 1, 1).toString("hex"),
             Buffer.from({ length: 2, 0: 7 }).toString("hex"), Buffer.from(new String("xy")).toString(),
             Buffer.from({ type: "Buffer", data: [1, 2] }).toString("hex"), Buffer.from(Buffer.from("copy")).toString()],
      shared: (() => { const ab = new ArrayBuffer(2); const b = Buffer.from(ab); new Uint8Array(ab)[0] = 9; return b[0]; })(),
      alloc: [Buffer.alloc(5, "ab").toString(), Buffer.alloc(3).fill(0x41).toString(), Buffer.alloc(4, "aGk=", "base64").toString(),
              Buffer.allocUnsafe(3).length, Buffer.alloc(2).toString("hex"), Buffer.alloc(6).fill("xy", 1, 4).toString("hex")],
      concat: [Buffer.concat([Buffer.from("a"), new Uint8Array([98])]).toString(), Buffer.concat([Buffer.from("a"), new Uint8Array([98])], 5).toString("hex"),
               Buffer.concat([Buffer.from("abc")], 2).toString(), Buffer.concat([]).length],
      compare: [Buffer.compare(Buffer.from("a"), Buffer.from("b")), Buffer.from("b").compare(Buffer.from("a")),
                Buffer.from("abc").equals(Buffer.from("abc")), Buffer.from("abc").equals(new Uint8Array([97, 98])),
                [Buffer.from("b"), Buffer.from("a"), Buffer.from("ab")].sort(Buffer.compare).map(String)],
      search: [hello.indexOf("l"), hello.lastIndexOf("l"), hello.indexOf(108, -4), hello.includes("wör"), hello.indexOf("zz"),
               hello.indexOf(Buffer.from("wö")), hello.indexOf("6c", "hex"), hello.indexOf(""), Buffer.from("aaa").lastIndexOf("a", 1)],
      write: [(() => { const b = Buffer.alloc(4); return [b.write("€€"), b.toString("hex")]; })(),
              (() => { const b = Buffer.alloc(6); return [b.write("abcdef", 1, 3, "latin1"), b.toString("hex")]; })(),
              (() => { const b = Buffer.alloc(4); return [b.write("6869", "hex"), b.toString("hex")]; })(),
              (() => { const b = Buffer.alloc(3); return [b.write("xyz", 1), b.toString()]; })()],
      ints: (() => {
        const b = Buffer.alloc(16);
        const ends = [b.writeUInt8(255, 0), b.writeUInt16LE(0x1234, 1), b.writeUInt16BE(0x1234, 3), b.writeInt32LE(-2, 5),
                      b.writeUInt32BE(0xdeadbeef, 9), b.writeInt8(-1, 13), b.writeUIntBE(0x010203, 13, 3)];
        const big = Buffer.alloc(8);
        big.writeBigInt64LE(-2n);
        const f = Buffer.alloc(12);
        f.writeDoubleBE(1.5); f.writeFloatLE(-0.25, 8);
        return [ends, b.toString("hex"), b.readUInt8(0), b.readUInt16LE(1), b.readUInt16BE(3), b.readInt32LE(5), b.readUInt32BE(9),
                b.readInt8(9), b.readUIntLE(1, 3), b.readIntBE(13, 3), b.readIntLE(5, 2), b.readUint16LE(1),
                big.toString("hex"), String(big.readBigInt64LE()), String(big.readBigUInt64LE()), String(big.readBigUInt64BE()),
                f.readDoubleBE(), f.readFloatLE(8), Buffer.from([1, 2, 3, 4]).readFloatBE(), Buffer.from([0xff, 0xff]).readInt16LE()];
      })(),
      misc: [Buffer.from("abc").toJSON(), JSON.stringify(Buffer.from("a")), String(Buffer.from("x")), Buffer.from("ab").swap16().toString(),
             Buffer.from("abcd").swap32().toString(), Buffer.isEncoding("UTF-8"), Buffer.isEncoding("latin1"), Buffer.isEncoding("x"),
             (() => { const t = Buffer.alloc(4); return [Buffer.from("xyz").copy(t, 1), t.toString("hex")]; })()],
      errors: [
        attempt(() => Buffer.from("hi").toString("bogus")), attempt(() => Buffer.from("x", "nope")), attempt(() => Buffer.from(5)),
        attempt(() => Buffer.from({})), attempt(() => Buffer.from("x").readUInt8(5)), attempt(() => Buffer.alloc(2).readUInt32LE()),
        attempt(() => Buffer.alloc(8).readUInt8(1.5)), attempt(() => Buffer.alloc(8).readUInt8("1")),
        attempt(() => Buffer.alloc(2).writeUInt8(300)), attempt(() => Buffer.alloc(4).writeInt8(-129)),
        attempt(() => Buffer.alloc(8).writeUInt32BE(2 ** 32)), attempt(() => Buffer.alloc(8).writeUIntLE(2 ** 48, 0, 6)),
        attempt(() => Buffer.alloc(8).writeBigInt64LE(2n ** 63n)), attempt(() => Buffer.concat(5)),
        attempt(() => Buffer.from("abc").swap16()), attempt(() => Buffer.alloc(-1).length),
      ],
    });
  },
};
