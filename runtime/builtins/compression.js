// CompressionStream and DecompressionStream (Compression Streams standard): gzip, deflate and
// deflate-raw, as TransformStreams over a native zlib stream (runtime/api/zlib.h).
"use strict";
const native = internal.native;
const FORMATS = ["gzip", "deflate", "deflate-raw"];

function toBytes(chunk) {
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
}

function makeTransform(format, compress, name) {
  if (!FORMATS.includes(format)) {
    throw new TypeError(`Failed to construct '${name}': Unsupported compression format: '${format}'`);
  }
  const zlib = native.zlibCreate(format, compress);
  // The output comes in slices of at most about 1 MiB (ZlibStream::read).
  const pass = (bytes, finish, controller) => {
    zlib.write(bytes, finish);
    for (let out; (out = zlib.read()) != null;) {
      if (out.byteLength > 0) controller.enqueue(new Uint8Array(out));
    }
  };
  return new TransformStream({
    transform(chunk, controller) { pass(toBytes(chunk), false, controller); },
    flush(controller) { pass(new Uint8Array(0), true, controller); },
  });
}

// CompressionStream and DecompressionStream differ only in direction.
function defineStream(name, compress) {
  const C = class {
    #transform;
    constructor(format) {
      if (new.target === undefined) {
        throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this DOM object constructor cannot be called as a function.`);
      }
      native.refuseInGlobalScope();  // an I/O object on workerd
      this.#transform = makeTransform(String(format), compress, name);
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
  };
  Object.defineProperty(C, "name", { value: name });
  return C;
}
const CompressionStream = defineStream("CompressionStream", true);
const DecompressionStream = defineStream("DecompressionStream", false);

for (const C of [CompressionStream, DecompressionStream]) {
  Object.defineProperty(C.prototype, Symbol.toStringTag, { value: C.name });
  internal.define(C.name, C);
}
