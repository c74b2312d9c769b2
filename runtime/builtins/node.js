// Node.js compatibility (the `nodejs_compat` flag): node:buffer, node:events, node:util,
// node:crypto, node:assert, node:path, node:url, node:string_decoder, node:async_hooks and the
// `process` global, with workerd's observable choices (its error messages and codes, a strict
// node:assert, process values of its process v2 shape).
//
// Loaded lazily (workers.js nodeModule()): on the first import of a `node:*` module or the first
// touch of the Buffer/process globals. Sets
//   internal.node = { buffer, events, util, crypto, assert, path, url, string_decoder,
//                     async_hooks, process }
// each value a module's exports object (its own properties are the named exports, the object
// itself the default export). `process` is the `process` global's value.
//
// AsyncLocalStorage: with internal.native.{get,set}ContinuationData (V8's continuation-preserved
// embedder data) the store follows every promise reaction, so `await` inside run() keeps it.
// Without them (tools/testing/builtins-vm.mjs, or a build lacking the natives) the store is seen
// synchronously inside run(), in then()/catch()/finally() callbacks registered inside run(), and
// in setTimeout/setInterval/queueMicrotask/process.nextTick callbacks scheduled inside run(); it
// is NOT seen after an `await` that suspends inside run().
"use strict";
const native = internal.native;

// --- errors -----------------------------------------------------------------------------------

function nodeError(Ctor, code, message) {
  const error = new Ctor(message);
  Object.defineProperty(error, "code", { value: code, writable: true, enumerable: true, configurable: true });
  return error;
}

function addSeparators(text) {
  let result = "";
  let i = text.length;
  const end = text[0] === "-" ? 1 : 0;
  for (; i >= end + 4; i -= 3) result = `_${text.slice(i - 3, i)}${result}`;
  return `${text.slice(0, i)}${result}`;
}

// Node's "Received ..." suffix of ERR_INVALID_ARG_TYPE.
function received(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === "function") return ` Received function ${value.name}`;
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? ` Received an instance of ${name}` : ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function invalidArgType(name, expected, value) {
  const what = name.includes(" ") ? name : `"${name}" argument`;
  const prefix = name.startsWith("The ") ? name : `The ${what}`;
  return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `${prefix} must be ${expected}.${received(value)}`);
}

function outOfRange(name, range, value) {
  let shown;
  if (typeof value === "bigint") {
    shown = `${value > 2n ** 32n || value < -(2n ** 32n) ? addSeparators(String(value)) : value}n`;
  } else if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) > 2 ** 32) {
    shown = addSeparators(String(value));
  } else {
    shown = inspect(value);
  }
  return nodeError(RangeError, "ERR_OUT_OF_RANGE",
                   `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
}

function validateFunction(value, name) {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

function validateString(value, name) {
  if (typeof value !== "string") throw invalidArgType(name, "of type string", value);
}

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

// --- node:buffer: encodings ----------------------------------------------------------------------

const ENCODINGS = {
  "utf8": "utf8", "utf-8": "utf8", "ucs2": "utf16le", "ucs-2": "utf16le", "utf16le": "utf16le",
  "utf-16le": "utf16le", "latin1": "latin1", "binary": "latin1", "base64": "base64",
  "base64url": "base64url", "hex": "hex", "ascii": "ascii",
};

function normalizeEncoding(encoding) {
  if (encoding === undefined || encoding === null || encoding === "") return "utf8";
  const name = ENCODINGS[String(encoding).toLowerCase()];
  if (name === undefined) throw nodeError(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${encoding}`);
  return name;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  BASE64_VALUES[BASE64.charCodeAt(i)] = i;
  BASE64_VALUES[BASE64URL.charCodeAt(i)] = i;
}
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hexValue(code) {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

// A string's bytes in `encoding` (normalized), as a plain Uint8Array.
function encodeString(text, encoding) {
  switch (encoding) {
    case "utf8": return native.utf8Encode(text);
    case "latin1": case "ascii": {
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      return bytes;
    }
    case "utf16le": {
      const bytes = new Uint8Array(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        bytes[2 * i] = c & 0xff;
        bytes[2 * i + 1] = c >> 8;
      }
      return bytes;
    }
    case "hex": {
      const bytes = new Uint8Array(text.length >>> 1);
      let n = 0;
      for (; n < bytes.length; n++) {
        const hi = hexValue(text.charCodeAt(2 * n));
        const lo = hexValue(text.charCodeAt(2 * n + 1));
        if (hi < 0 || lo < 0) break;
        bytes[n] = hi * 16 + lo;
      }
      return n === bytes.length ? bytes : bytes.slice(0, n);
    }
    default: {  // base64, base64url: both alphabets, other characters skipped, '=' ends the data
      const bytes = new Uint8Array((text.length * 3 >>> 2) + 3);
      let n = 0, acc = 0, bits = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 61) break;
        const v = c < 128 ? BASE64_VALUES[c] : -1;
        if (v < 0) continue;
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          bytes[n++] = (acc >> bits) & 0xff;
        }
      }
      return bytes.slice(0, n);
    }
  }
}

function latin1Decode(bytes, mask) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    const chunk = bytes.subarray(i, i + 4096);
    text += String.fromCharCode.apply(null, mask === 0xff ? chunk : Array.from(chunk, (b) => b & mask));
  }
  return text;
}

function base64Encode(bytes, alphabet, pad) {
  let text = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    text += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + alphabet[n & 63];
  }
  if (i + 1 === bytes.length) {
    const n = bytes[i] << 16;
    text += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + (pad ? "==" : "");
  } else if (i + 2 === bytes.length) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    text += alphabet[n >> 18] + alphabet[(n >> 12) & 63] + alphabet[(n >> 6) & 63] + (pad ? "=" : "");
  }
  return text;
}

function decodeBytes(bytes, encoding) {
  switch (encoding) {
    case "utf8": return native.utf8Decode(bytes, false);
    case "latin1": return latin1Decode(bytes, 0xff);
    case "ascii": return latin1Decode(bytes, 0x7f);
    case "utf16le": {
      let text = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return text;
    }
    case "hex": {
      let text = "";
      for (let i = 0; i < bytes.length; i++) text += HEX[bytes[i]];
      return text;
    }
    case "base64": return base64Encode(bytes, BASE64, true);
    default: return base64Encode(bytes, BASE64URL, false);
  }
}

function byteLengthOf(text, encoding) {
  switch (encoding) {
    case "utf8": {
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x80) n += 1;
        else if (c < 0x800) n += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
                 (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
        else n += 3;
      }
      return n;
    }
    case "utf16le": return text.length * 2;
    case "hex": return text.length >>> 1;
    case "base64": case "base64url": {
      let n = text.length;
      if (n > 0 && text.charCodeAt(n - 1) === 61) n--;
      if (n > 0 && text.charCodeAt(n - 1) === 61) n--;
      return (n * 3) >>> 2;
    }
    default: return text.length;
  }
}

// --- node:buffer: Buffer -------------------------------------------------------------------

class FastBuffer extends Uint8Array {}

function Buffer(arg, encodingOrOffset, length) {
  if (typeof arg === "number") {
    if (typeof encodingOrOffset === "string") {
      throw invalidArgType("string", "of type string", arg);
    }
    return Buffer.alloc(arg);
  }
  return Buffer.from(arg, encodingOrOffset, length);
}
Object.defineProperty(Buffer, "prototype", { value: FastBuffer.prototype, writable: false });
Object.defineProperty(FastBuffer.prototype, "constructor", { value: Buffer, writable: true, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);

const isUint8 = (x) => x instanceof Uint8Array;
const asBuffer = (bytes) => new FastBuffer(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const FROM_TYPES = "of type string or an instance of Buffer, TypedArray, ArrayBuffer, SharedArrayBuffer, or Array or an Array-like Object";

function fromString(text, encoding) {
  return asBuffer(encodeString(text, normalizeEncoding(encoding)));
}

function fromArrayLike(values) {
  const length = values.length >>> 0;
  const buffer = new FastBuffer(length);
  for (let i = 0; i < length; i++) buffer[i] = values[i];
  return buffer;
}

const defineStatic = (name, fn) => Object.defineProperty(Buffer, name, { value: fn, writable: true, configurable: true, enumerable: true });

defineStatic("from", function from(value, encodingOrOffset, length) {
  if (typeof value === "string") return fromString(value, encodingOrOffset);
  if (typeof value === "object" && value !== null) {
    if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
      const offset = encodingOrOffset === undefined ? 0 : +encodingOrOffset || 0;
      if (offset > value.byteLength) throw nodeError(RangeError, "ERR_BUFFER_OUT_OF_BOUNDS", '"offset" is outside of buffer bounds');
      const max = value.byteLength - offset;
      const len = length === undefined ? max : +length || 0;
      if (len > max) throw nodeError(RangeError, "ERR_BUFFER_OUT_OF_BOUNDS", '"length" is outside of buffer bounds');
      return new FastBuffer(value, offset, Math.max(len, 0));
    }
    if (isUint8(value)) return asBuffer(value.slice());
    if (ArrayBuffer.isView(value) || Array.isArray(value)) return fromArrayLike(value);
    const primitive = value.valueOf?.();
    if (primitive != null && primitive !== value && (typeof primitive === "string" || typeof primitive === "object")) {
      return Buffer.from(primitive, encodingOrOffset, length);
    }
    if (typeof value.length === "number") return fromArrayLike(value);
    if (value.type === "Buffer" && Array.isArray(value.data)) return fromArrayLike(value.data);
    if (typeof value[Symbol.toPrimitive] === "function") {
      const p = value[Symbol.toPrimitive]("string");
      if (typeof p === "string") return fromString(p, encodingOrOffset);
    }
  }
  throw invalidArgType("The first argument", FROM_TYPES, value);
});

function validateSize(size) {
  if (typeof size !== "number") throw invalidArgType("size", "of type number", size);
}

defineStatic("alloc", function alloc(size, fill, encoding) {
  validateSize(size);
  const buffer = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) buffer.fill(fill, encoding);
  return buffer;
});
defineStatic("allocUnsafe", function allocUnsafe(size) { validateSize(size); return new FastBuffer(size); });
defineStatic("allocUnsafeSlow", function allocUnsafeSlow(size) { validateSize(size); return new FastBuffer(size); });
defineStatic("isBuffer", function isBuffer(value) { return value instanceof Buffer; });
defineStatic("isEncoding", function isEncoding(encoding) {
  return typeof encoding === "string" && encoding.length > 0 && ENCODINGS[encoding.toLowerCase()] !== undefined;
});
defineStatic("byteLength", function byteLength(value, encoding) {
  if (typeof value !== "string") {
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
    throw invalidArgType("string", "of type string or an instance of Buffer or ArrayBuffer", value);
  }
  return byteLengthOf(value, ENCODINGS[String(encoding).toLowerCase()] ?? "utf8");
});
function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
defineStatic("compare", function compare(a, b) {
  if (!isUint8(a)) throw invalidArgType("a", "an instance of Buffer or Uint8Array", a);
  if (!isUint8(b)) throw invalidArgType("b", "an instance of Buffer or Uint8Array", b);
  return compareBytes(a, b);
});
defineStatic("concat", function concat(list, totalLength) {
  if (!Array.isArray(list)) throw invalidArgType("list", "an (Buffer|Uint8Array)[]", list);
  if (list.length === 0) return new FastBuffer(0);
  for (let i = 0; i < list.length; i++) {
    if (!isUint8(list[i])) throw invalidArgType("list", "an (Buffer|Uint8Array)[]", list[i]);
  }
  const length = totalLength === undefined ? list.reduce((n, b) => n + b.length, 0) : totalLength;
  validateInteger(length, "length", 0);
  const result = new FastBuffer(length);
  let at = 0;
  for (const b of list) {
    if (at >= length) break;
    const part = b.length > length - at ? b.subarray(0, length - at) : b;
    result.set(part, at);
    at += part.length;
  }
  return result;
});
defineStatic("poolSize", 0);
defineStatic("of", function of(...items) { return fromArrayLike(items); });

const bufferMethods = {
  toString(encoding, start, end) {
    if (arguments.length === 0) return native.utf8Decode(this, false);
    const len = this.length;
    start = start === undefined || start < 0 ? 0 : Math.min(Math.trunc(start) || 0, len);
    end = end === undefined || end > len ? len : Math.trunc(end) || 0;
    if (end <= start) return "";
    return decodeBytes(this.subarray(start, end), normalizeEncoding(encoding));
  },
  toLocaleString(encoding, start, end) { return this.toString(encoding, start, end); },
  write(text, offset, length, encoding) {
    validateString(text, "string");
    if (typeof offset === "string") { encoding = offset; offset = 0; length = undefined; }
    else if (typeof length === "string") { encoding = length; length = undefined; }
    offset = offset === undefined ? 0 : offset;
    validateInteger(offset, "offset", 0, this.length);
    const room = this.length - offset;
    length = length === undefined ? room : Math.min(length, room);
    validateInteger(length, "length", 0, this.length);
    const enc = normalizeEncoding(encoding);
    let bytes = encodeString(text, enc);
    if (bytes.length > length) {
      let n = length;
      if (enc === "utf8") {
        // Never write part of a character: back up to a lead byte whose sequence fits.
        while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
      } else if (enc === "utf16le") {
        n -= n % 2;
      }
      bytes = bytes.subarray(0, n);
    }
    this.set(bytes, offset);
    return bytes.length;
  },
  toJSON() { return { type: "Buffer", data: Array.from(this) }; },
  equals(other) {
    if (!isUint8(other)) throw invalidArgType("otherBuffer", "an instance of Buffer or Uint8Array", other);
    return this.length === other.length && compareBytes(this, other) === 0;
  },
  compare(target, targetStart = 0, targetEnd = target?.length, sourceStart = 0, sourceEnd = this.length) {
    if (!isUint8(target)) throw invalidArgType("target", "an instance of Buffer or Uint8Array", target);
    return compareBytes(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
  },
  copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
    if (!isUint8(target)) throw invalidArgType("target", "an instance of Buffer or Uint8Array", target);
    const part = this.subarray(sourceStart, sourceEnd).subarray(0, Math.max(target.length - targetStart, 0));
    target.set(part, targetStart);
    return part.length;
  },
  slice(start, end) { return this.subarray(start, end); },
  subarray(start, end) {
    const len = this.length;
    start = start === undefined ? 0 : Math.trunc(+start) || 0;
    end = end === undefined ? len : Math.trunc(+end) || 0;
    if (start < 0) start = Math.max(len + start, 0); else start = Math.min(start, len);
    if (end < 0) end = Math.max(len + end, 0); else end = Math.min(end, len);
    return new FastBuffer(this.buffer, this.byteOffset + start, Math.max(end - start, 0));
  },
  fill(value, offset, end, encoding) {
    if (typeof offset === "string") { encoding = offset; offset = 0; end = this.length; }
    else if (typeof end === "string") { encoding = end; end = this.length; }
    offset = offset === undefined ? 0 : offset;
    end = end === undefined ? this.length : end;
    if (typeof value === "number" || typeof value === "boolean") {
      Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
      return this;
    }
    const bytes = typeof value === "string" ? encodeString(value, normalizeEncoding(encoding)) : value;
    if (!isUint8(bytes)) throw invalidArgType("value", "one of type string, Buffer, or Uint8Array", value);
    if (bytes.length === 0) {
      if (typeof value === "string" && value.length > 0) {
        throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The argument 'value' is invalid. Received '${value}'`);
      }
      Uint8Array.prototype.fill.call(this, 0, offset, end);
      return this;
    }
    for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
    return this;
  },
  indexOf(value, byteOffset, encoding) { return bufferIndexOf(this, value, byteOffset, encoding, true); },
  lastIndexOf(value, byteOffset, encoding) { return bufferIndexOf(this, value, byteOffset, encoding, false); },
  includes(value, byteOffset, encoding) { return this.indexOf(value, byteOffset, encoding) !== -1; },
  swap16() { return swap(this, 2); },
  swap32() { return swap(this, 4); },
  swap64() { return swap(this, 8); },
  [Symbol.for("nodejs.util.inspect.custom")](depth, options) {
    const max = 50;
    let text = Array.from(this.subarray(0, max), (b) => HEX[b]).join(" ");
    if (this.length > max) text += ` ... ${this.length - max} more byte${this.length - max > 1 ? "s" : ""}`;
    return `<${this.constructor.name} ${text}>`.replace(/ >$/, ">");
  },
};

function swap(buffer, size) {
  if (buffer.length % size !== 0) {
    throw nodeError(RangeError, "ERR_INVALID_BUFFER_SIZE", `Buffer size must be a multiple of ${size * 8}-bits`);
  }
  for (let i = 0; i < buffer.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = buffer[a]; buffer[a] = buffer[b]; buffer[b] = t;
    }
  }
  return buffer;
}

function bufferIndexOf(buffer, value, byteOffset, encoding, forward) {
  if (typeof byteOffset === "string") { encoding = byteOffset; byteOffset = undefined; }
  let needle;
  if (typeof value === "number") needle = new Uint8Array([value & 255]);
  else if (typeof value === "string") needle = encodeString(value, normalizeEncoding(encoding));
  else if (isUint8(value)) needle = value;
  else throw invalidArgType("value", "one of type number or string or an instance of Buffer or Uint8Array", value);
  const len = buffer.length;
  let start = byteOffset === undefined || byteOffset === null || Number.isNaN(+byteOffset) ? (forward ? 0 : len) : Math.trunc(+byteOffset);
  if (start < 0) start += len;
  if (forward) {
    if (start < 0) start = 0;
    if (needle.length === 0) return Math.min(start, len);
    for (let i = start; i + needle.length <= len; i++) {
      let j = 0;
      while (j < needle.length && buffer[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
  } else {
    if (start < 0) return -1;
    if (needle.length === 0) return Math.min(start, len);
    for (let i = Math.min(start, len - needle.length); i >= 0; i--) {
      let j = 0;
      while (j < needle.length && buffer[i + j] === needle[j]) j++;
      if (j === needle.length) return i;
    }
  }
  return -1;
}

// Offsets and values for read*/write*, with Node's checks and messages.
function checkOffset(buffer, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== "number") throw invalidArgType("offset", "of type number", offset);
  if (!Number.isInteger(offset)) throw outOfRange("offset", "an integer", offset);
  const max = buffer.length - size;
  if (max < 0) throw nodeError(RangeError, "ERR_BUFFER_OUT_OF_BOUNDS", "Attempt to access memory outside buffer bounds");
  if (offset < 0 || offset > max) throw outOfRange("offset", `>= 0 && <= ${max}`, offset);
  return offset;
}

function checkByteLength(byteLength) {
  if (typeof byteLength !== "number") throw invalidArgType("byteLength", "of type number", byteLength);
  if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 6) {
    throw outOfRange("byteLength", Number.isInteger(byteLength) ? ">= 1 and <= 6" : "an integer", byteLength);
  }
}

function readUnsigned(buffer, offset, size, little) {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + buffer[offset + (little ? size - 1 - i : i)];
  return value;
}

function writeUnsigned(buffer, offset, size, little, value) {
  for (let i = 0; i < size; i++) {
    buffer[offset + (little ? i : size - 1 - i)] = value % 256;
    value = Math.floor(value / 256);
  }
  return offset + size;
}

function defineIntMethods(proto) {
  const define = (name, fn) => {
    proto[name] = fn;
    if (name.includes("UInt")) proto[name.replace("UInt", "Uint")] = fn;
  };
  for (const [size, suffixes] of [[1, [""]], [2, ["LE", "BE"]], [4, ["LE", "BE"]]]) {
    for (const suffix of suffixes) {
      const little = suffix !== "BE";
      const bits = size * 8;
      define(`readUInt${bits}${suffix}`, function (offset) {
        return readUnsigned(this, checkOffset(this, offset, size), size, little);
      });
      define(`readInt${bits}${suffix}`, function (offset) {
        const v = readUnsigned(this, checkOffset(this, offset, size), size, little);
        return v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
      });
      define(`writeUInt${bits}${suffix}`, function (value, offset) {
        return writeInt(this, value, offset, size, little, false);
      });
      define(`writeInt${bits}${suffix}`, function (value, offset) {
        return writeInt(this, value, offset, size, little, true);
      });
    }
  }
  for (const suffix of ["LE", "BE"]) {
    const little = suffix === "LE";
    define(`readUInt${suffix}`, function (offset, byteLength) {
      checkByteLength(byteLength);
      return readUnsigned(this, checkOffset(this, offset, byteLength), byteLength, little);
    });
    define(`readInt${suffix}`, function (offset, byteLength) {
      checkByteLength(byteLength);
      const v = readUnsigned(this, checkOffset(this, offset, byteLength), byteLength, little);
      return v >= 2 ** (byteLength * 8 - 1) ? v - 2 ** (byteLength * 8) : v;
    });
    define(`writeUInt${suffix}`, function (value, offset, byteLength) {
      checkByteLength(byteLength);
      return writeInt(this, value, offset, byteLength, little, false);
    });
    define(`writeInt${suffix}`, function (value, offset, byteLength) {
      checkByteLength(byteLength);
      return writeInt(this, value, offset, byteLength, little, true);
    });
    for (const [kind, size, dvName] of [["Float", 4, "Float32"], ["Double", 8, "Float64"]]) {
      define(`read${kind}${suffix}`, function (offset) {
        offset = checkOffset(this, offset, size);
        return new DataView(this.buffer, this.byteOffset, this.byteLength)[`get${dvName}`](offset, little);
      });
      define(`write${kind}${suffix}`, function (value, offset) {
        offset = checkOffset(this, offset, size);
        new DataView(this.buffer, this.byteOffset, this.byteLength)[`set${dvName}`](offset, +value, little);
        return offset + size;
      });
    }
    define(`readBigUInt64${suffix}`, function (offset) {
      offset = checkOffset(this, offset, 8);
      return new DataView(this.buffer, this.byteOffset, this.byteLength).getBigUint64(offset, little);
    });
    define(`readBigInt64${suffix}`, function (offset) {
      offset = checkOffset(this, offset, 8);
      return new DataView(this.buffer, this.byteOffset, this.byteLength).getBigInt64(offset, little);
    });
    define(`writeBigUInt64${suffix}`, function (value, offset) {
      if (typeof value !== "bigint") throw invalidArgType("value", "of type bigint", value);
      if (value < 0n || value >= 2n ** 64n) throw outOfRange("value", ">= 0n and < 2n ** 64n", value);
      offset = checkOffset(this, offset, 8);
      new DataView(this.buffer, this.byteOffset, this.byteLength).setBigUint64(offset, value, little);
      return offset + 8;
    });
    define(`writeBigInt64${suffix}`, function (value, offset) {
      if (typeof value !== "bigint") throw invalidArgType("value", "of type bigint", value);
      if (value < -(2n ** 63n) || value >= 2n ** 63n) throw outOfRange("value", ">= -(2n ** 63n) and < 2 ** 63n", value);
      offset = checkOffset(this, offset, 8);
      new DataView(this.buffer, this.byteOffset, this.byteLength).setBigInt64(offset, value, little);
      return offset + 8;
    });
  }
}

function writeInt(buffer, value, offset, size, little, signed) {
  value = +value;
  const bits = size * 8;
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (value < min || value > max || Number.isNaN(value)) {
    let range;
    if (size > 4) range = signed ? `>= -(2 ** ${bits - 1}) and < 2 ** ${bits - 1}` : `>= 0 and < 2 ** ${bits}`;
    else range = `>= ${min} and <= ${max}`;
    throw outOfRange("value", range, value);
  }
  offset = checkOffset(buffer, offset, size);
  value = Math.trunc(value);
  return writeUnsigned(buffer, offset, size, little, value < 0 ? value + 2 ** bits : value);
}

defineIntMethods(bufferMethods);
for (const key of Reflect.ownKeys(bufferMethods)) {
  Object.defineProperty(FastBuffer.prototype, key, {
    value: bufferMethods[key], writable: true, configurable: true, enumerable: false,
  });
}

const kMaxLength = 2147483647;
const kStringMaxLength = 536870888;
const bufferModule = {
  Buffer,
  SlowBuffer: Buffer,
  kMaxLength,
  kStringMaxLength,
  INSPECT_MAX_BYTES: 50,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  atob: global.atob,
  btoa: global.btoa,
  Blob: global.Blob,
  File: global.File,
  isUtf8(input) { return native.utf8Decode(viewOf(input), true) !== null; },
  isAscii(input) { return viewOf(input).every((b) => b < 0x80); },
  transcode(source, from, to) { return fromString(decodeBytes(viewOf(source), normalizeEncoding(from)), to); },
};

function viewOf(input) {
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw invalidArgType("input", "an instance of ArrayBuffer, Buffer, or TypedArray", input);
}

// --- node:events -----------------------------------------------------------------------------

const kCapture = Symbol("kCapture");
const errorMonitor = Symbol("events.errorMonitor");
const captureRejectionSymbol = Symbol.for("nodejs.rejection");
let defaultMaxListeners = 10;

function EventEmitter(options) {
  EventEmitter.init.call(this, options);
}
EventEmitter.prototype._events = undefined;
EventEmitter.prototype._eventsCount = 0;
EventEmitter.prototype._maxListeners = undefined;
EventEmitter.init = function init(options) {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
  this[kCapture] = !!options?.captureRejections;
};

function checkListener(listener) { validateFunction(listener, "listener"); }

function addListener(target, type, listener, prepend) {
  checkListener(listener);
  let events = target._events;
  if (events === undefined) {
    events = target._events = Object.create(null);
    target._eventsCount = 0;
  } else if (events.newListener !== undefined) {
    target.emit("newListener", type, listener.listener ?? listener);
    events = target._events;
  }
  const existing = events[type];
  if (existing === undefined) {
    events[type] = listener;
    target._eventsCount++;
  } else {
    const list = typeof existing === "function" ? [existing] : existing;
    if (prepend) list.unshift(listener); else list.push(listener);
    events[type] = list;
    const max = target.getMaxListeners();
    if (max > 0 && list.length > max && !list.warned) {
      list.warned = true;
      const warning = new Error(`Possible EventEmitter memory leak detected. ${list.length} ${String(type)} listeners added to ${target.constructor?.name === "EventEmitter" ? "[EventEmitter]" : `[${target.constructor?.name}]`}. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`);
      warning.name = "MaxListenersExceededWarning";
      warning.emitter = target; warning.type = type; warning.count = list.length;
      processObject.emitWarning(warning);
    }
  }
  return target;
}

function onceWrapper(target, type, listener) {
  const state = { fired: false, target, type, listener };
  const wrapped = function (...args) {
    if (state.fired) return undefined;
    state.target.removeListener(state.type, wrapped);
    state.fired = true;
    return state.listener.apply(state.target, args);
  };
  wrapped.listener = listener;
  return wrapped;
}

const emitterMethods = {
  setMaxListeners(n) {
    if (typeof n !== "number" || n < 0 || Number.isNaN(n)) throw outOfRange("n", "a non-negative number", n);
    this._maxListeners = n;
    return this;
  },
  getMaxListeners() { return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners; },
  emit(type, ...args) {
    const events = this._events;
    if (type === "error" && events?.[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
    const handler = events?.[type];
    if (handler === undefined) {
      if (type !== "error") return false;
      const er = args[0];
      if (er instanceof Error) throw er;
      let shown;
      try { shown = inspect(er); } catch { shown = String(er); }
      const error = nodeError(Error, "ERR_UNHANDLED_ERROR", `Unhandled error. (${shown})`);
      error.context = er;
      throw error;
    }
    const listeners = typeof handler === "function" ? [handler] : handler.slice();
    for (const listener of listeners) {
      const result = listener.apply(this, args);
      if (this[kCapture] && result !== undefined && result !== null && typeof result.then === "function") {
        result.then(undefined, (err) => {
          queueMicrotask(() => {
            if (typeof this[captureRejectionSymbol] === "function") this[captureRejectionSymbol](err, type, ...args);
            else this.emit("error", err);
          });
        });
      }
    }
    return true;
  },
  addListener(type, listener) { return addListener(this, type, listener, false); },
  on(type, listener) { return addListener(this, type, listener, false); },
  prependListener(type, listener) { return addListener(this, type, listener, true); },
  once(type, listener) {
    checkListener(listener);
    return this.on(type, onceWrapper(this, type, listener));
  },
  prependOnceListener(type, listener) {
    checkListener(listener);
    return this.prependListener(type, onceWrapper(this, type, listener));
  },
  removeListener(type, listener) {
    checkListener(listener);
    const events = this._events;
    const list = events?.[type];
    if (list === undefined) return this;
    if (list === listener || list.listener === listener) {
      if (--this._eventsCount === 0) this._events = Object.create(null);
      else delete events[type];
      if (events.removeListener !== undefined) this.emit("removeListener", type, list.listener ?? listener);
    } else if (typeof list !== "function") {
      const index = list.findLastIndex((l) => l === listener || l.listener === listener);
      if (index < 0) return this;
      list.splice(index, 1);
      if (list.length === 1) events[type] = list[0];
      if (events.removeListener !== undefined) this.emit("removeListener", type, listener);
    }
    return this;
  },
  off(type, listener) { return this.removeListener(type, listener); },
  removeAllListeners(type) {
    const events = this._events;
    if (events === undefined) return this;
    if (events.removeListener === undefined) {
      if (arguments.length === 0) {
        this._events = Object.create(null);
        this._eventsCount = 0;
      } else if (events[type] !== undefined) {
        if (--this._eventsCount === 0) this._events = Object.create(null);
        else delete events[type];
      }
      return this;
    }
    if (arguments.length === 0) {
      for (const key of Reflect.ownKeys(events)) {
        if (key !== "removeListener") this.removeAllListeners(key);
      }
      this.removeAllListeners("removeListener");
      this._events = Object.create(null);
      this._eventsCount = 0;
      return this;
    }
    const listeners = events[type];
    if (typeof listeners === "function") this.removeListener(type, listeners);
    else if (listeners !== undefined) {
      for (let i = listeners.length - 1; i >= 0; i--) this.removeListener(type, listeners[i]);
    }
    return this;
  },
  listeners(type) { return this.rawListeners(type).map((l) => l.listener ?? l); },
  rawListeners(type) {
    const list = this._events?.[type];
    return list === undefined ? [] : typeof list === "function" ? [list] : list.slice();
  },
  listenerCount(type, listener) {
    const list = this.rawListeners(type);
    return listener === undefined ? list.length
      : list.filter((l) => l === listener || l.listener === listener).length;
  },
  eventNames() { return this._eventsCount > 0 ? Reflect.ownKeys(this._events) : []; },
};
for (const [key, value] of Object.entries(emitterMethods)) {
  Object.defineProperty(EventEmitter.prototype, key, { value, writable: true, configurable: true, enumerable: true });
}

function once(emitter, name, options = {}) {
  const signal = options?.signal;
  if (signal?.aborted) {
    return Promise.reject(Object.assign(new DOMException("The operation was aborted", "AbortError"), { cause: signal.reason }));
  }
  return new Promise((resolve, reject) => {
    if (typeof emitter.addEventListener === "function" && typeof emitter.on !== "function") {
      emitter.addEventListener(name, (event) => resolve([event]), { once: true, signal });
      return;
    }
    const onError = (err) => { emitter.removeListener(name, onEvent); reject(err); };
    const onEvent = (...args) => {
      if (name !== "error") emitter.removeListener("error", onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
    signal?.addEventListener("abort", () => {
      emitter.removeListener(name, onEvent);
      emitter.removeListener("error", onError);
      reject(Object.assign(new DOMException("The operation was aborted", "AbortError"), { cause: signal.reason }));
    }, { once: true });
  });
}

function on(emitter, name) {
  const queue = [];
  const waiting = [];
  let error = null, done = false;
  const push = (...args) => {
    if (waiting.length > 0) waiting.shift().resolve({ value: args, done: false });
    else queue.push(args);
  };
  const fail = (err) => {
    done = true;
    if (waiting.length > 0) waiting.shift().reject(err); else error = err;
  };
  emitter.on(name, push);
  if (name !== "error") emitter.on("error", fail);
  const finish = () => {
    done = true;
    emitter.removeListener(name, push);
    emitter.removeListener("error", fail);
    for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
      if (error) { const e = error; error = null; finish(); return Promise.reject(e); }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return: finish,
    throw(err) { fail(err); return finish(); },
    [Symbol.asyncIterator]() { return this; },
  };
}

const eventsModule = EventEmitter;
Object.defineProperty(EventEmitter, "defaultMaxListeners", {
  get() { return defaultMaxListeners; },
  set(n) {
    if (typeof n !== "number" || n < 0 || Number.isNaN(n)) throw outOfRange("defaultMaxListeners", "a non-negative number", n);
    defaultMaxListeners = n;
  },
  enumerable: true, configurable: true,
});
Object.assign(EventEmitter, {
  EventEmitter, once, on, errorMonitor, captureRejectionSymbol, captureRejections: false, usingDomains: false,
  listenerCount: (emitter, type) => emitter.listenerCount(type),
  getEventListeners(target, type) {
    if (typeof target.listeners === "function") return target.listeners(type);
    return internal.events?.listeners?.(target, type) ?? [];
  },
  getMaxListeners: (target) => (typeof target.getMaxListeners === "function" ? target.getMaxListeners() : defaultMaxListeners),
  setMaxListeners(n = defaultMaxListeners, ...targets) {
    if (targets.length === 0) defaultMaxListeners = n;
    for (const t of targets) if (typeof t.setMaxListeners === "function") t.setMaxListeners(n);
  },
  addAbortListener(signal, listener) {
    validateFunction(listener, "listener");
    const handler = () => listener();
    if (signal.aborted) queueMicrotask(handler);
    else signal.addEventListener("abort", handler, { once: true });
    return { [internal.symbolDispose ?? Symbol("dispose")]() { signal.removeEventListener("abort", handler); } };
  },
});

// --- node:util: inspect ----------------------------------------------------------------------

const customInspect = Symbol.for("nodejs.util.inspect.custom");
const inspectDefaults = {
  showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
  maxArrayLength: 100, maxStringLength: 10000, breakLength: 128, compact: 3, sorted: false,
  getters: false, numericSeparator: false,
};
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const objectToString = (v) => Object.prototype.toString.call(v);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;

function inspect(value, options) {
  const ctx = { ...inspectDefaults, seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0 };
  if (typeof options === "boolean") ctx.showHidden = options;  // legacy (value, showHidden, depth)
  else if (options !== null && typeof options === "object") {
    for (const key of Object.keys(options)) if (key in inspectDefaults || key === "stylize") ctx[key] = options[key];
  }
  if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
  if (ctx.depth === null) ctx.depth = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspect;
inspect.defaultOptions = inspectDefaults;

function quoteString(text) {
  let quote = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) quote = '"';
    else if (!text.includes("`") && !text.includes("${")) quote = "`";
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case "string": {
      let trailer = "";
      if (value.length > ctx.maxStringLength) {
        trailer = `... ${value.length - ctx.maxStringLength} more character${value.length - ctx.maxStringLength > 1 ? "s" : ""}`;
        value = value.slice(0, ctx.maxStringLength);
      }
      return quoteString(value) + trailer;
    }
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "bigint": return `${value}n`;
    case "symbol": return value.toString();
    default: return String(value);
  }
}

function formatKey(key, hidden) {
  let text;
  if (typeof key === "symbol") text = key.toString();
  else if (IDENTIFIER.test(key)) text = key;
  else text = quoteString(key);
  return hidden ? `[${text}]` : text;
}

function constructorName(obj) {
  let proto = obj;
  while (proto !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (descriptor !== undefined && typeof descriptor.value === "function" && descriptor.value.name !== "") {
      return descriptor.value.name;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function prefix(name, tag, fallback, size = "") {
  if (name === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== "" && name !== tag) return `${name}${size} [${tag}] `;
  return `${name}${size} `;
}

function functionBase(value, name, tag) {
  const source = Function.prototype.toString.call(value);
  if (source.startsWith("class") && /^class\b/.test(source)) {
    let base = `[class ${value.name || "(anonymous)"}`;
    const superclass = Object.getPrototypeOf(value);
    if (superclass && superclass !== Function.prototype && superclass.name) base += ` extends ${superclass.name}`;
    return `${base}]`;
  }
  let type = "Function";
  const kind = objectToString(value).slice(8, -1);
  if (kind === "AsyncFunction" || kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction") type = kind;
  let base = `[${type}`;
  if (name === null) base += " (null prototype)";
  base += value.name === "" ? " (anonymous)" : `: ${value.name}`;
  base += "]";
  if (tag !== "" && tag !== name && tag !== type) base += ` [${tag}]`;
  return base;
}

function errorBase(err) {
  const stack = typeof err.stack === "string" && err.stack !== "" ? err.stack : null;
  if (stack !== null) return stack;
  return `[${Error.prototype.toString.call(err)}]`;
}

function ownKeys(ctx, value, filterIndices) {
  let keys;
  if (ctx.showHidden) {
    keys = Object.getOwnPropertyNames(value).concat(Object.getOwnPropertySymbols(value));
  } else {
    keys = Object.keys(value);
    for (const s of Object.getOwnPropertySymbols(value)) {
      if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
    }
  }
  if (filterIndices) keys = keys.filter((k) => typeof k === "symbol" || !/^(0|[1-9][0-9]*)$/.test(k) || +k >= 2 ** 32 - 1);
  if (ctx.sorted) keys.sort(typeof ctx.sorted === "function" ? ctx.sorted : undefined);
  return keys;
}

function formatProperty(ctx, value, depth, key, arrayLike) {
  const descriptor = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let shown;
  if (descriptor.value !== undefined || !("get" in descriptor)) {
    ctx.indentationLvl += 2;
    shown = formatValue(ctx, descriptor.value, depth + 1);
    ctx.indentationLvl -= 2;
  } else if (descriptor.get !== undefined) {
    shown = descriptor.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else {
    shown = descriptor.set !== undefined ? "[Setter]" : "undefined";
  }
  if (arrayLike) return shown;
  return `${formatKey(key, !descriptor.enumerable)}: ${shown}`;
}

function formatValue(ctx, value, depth) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  if (ctx.customInspect) {
    let custom;
    try { custom = value[customInspect]; } catch { custom = undefined; }
    if (typeof custom === "function" && custom !== inspect) {
      const options = { ...ctx, depth: ctx.depth - depth, stylize: (s) => s };
      const result = custom.call(value, ctx.depth - depth, options, inspect);
      if (result !== value) {
        if (typeof result !== "string") return formatValue(ctx, result, depth);
        return result.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, depth);
}

function formatRaw(ctx, value, depth) {
  const name = constructorName(value);
  let tag = "";
  try { tag = value[Symbol.toStringTag]; } catch {}
  if (typeof tag !== "string") tag = "";
  let keys = [];
  let braces;
  let base = "";
  let formatter = () => [];
  let extrasType = "object";

  if (Array.isArray(value)) {
    const size = name !== "Array" || tag !== "" ? prefix(name, tag, "Array", `(${value.length})`) : "";
    keys = ownKeys(ctx, value, true);
    braces = [`${size}[`, "]"];
    extrasType = "array";
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatArray;
  } else if (typeof value === "function") {
    base = functionBase(value, name, tag);
    keys = ownKeys(ctx, value, false).filter((k) => !(ctx.showHidden && (k === "length" || k === "name" || k === "prototype" || k === "arguments" || k === "caller")));
    if (keys.length === 0) return base;
    braces = ["{", "}"];
  } else if (value instanceof Map || objectToString(value) === "[object Map]") {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag, "Map", `(${value.size})`)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = formatMap;
  } else if (value instanceof Set || objectToString(value) === "[object Set]") {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag, "Set", `(${value.size})`)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = formatSet;
  } else if (ArrayBuffer.isView(value) && typedArrayTag.call(value) !== undefined) {
    const type = typedArrayTag.call(value);
    keys = ownKeys(ctx, value, true);
    braces = [`${prefix(name, tag === type ? "" : tag, type, `(${value.length})`)}[`, "]"];
    extrasType = "array";
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatTypedArray;
  } else {
    keys = ownKeys(ctx, value, false);
    braces = ["{", "}"];
    if (value instanceof Error || objectToString(value) === "[object Error]") {
      base = errorBase(value);
      keys = keys.filter((k) => k !== "stack" && k !== "message");
      if (keys.length === 0) return base;
      if (ctx.indentationLvl > 0) base = base.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
    } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
      const type = value instanceof ArrayBuffer ? "ArrayBuffer" : "SharedArrayBuffer";
      braces[0] = `${prefix(name, tag === type ? "" : tag, type)}{`;
      formatter = () => {
        const bytes = new Uint8Array(value, 0, Math.min(ctx.maxArrayLength, value.byteLength));
        let hex = Array.from(bytes, (b) => HEX[b]).join(" ");
        if (value.byteLength > bytes.length) hex += ` ... ${value.byteLength - bytes.length} more byte${value.byteLength - bytes.length > 1 ? "s" : ""}`;
        return [`[Uint8Contents]: <${hex}>`, `byteLength: ${formatValue(ctx, value.byteLength, depth)}`];
      };
    } else if (value instanceof Promise) {
      braces[0] = `${prefix(name, tag === "Promise" ? "" : tag, "Promise")}{`;
      formatter = () => {
        const state = native.promiseState?.(value);
        if (state === undefined) return ["<unknown>"];
        if (state[0] === "pending") return ["<pending>"];
        ctx.indentationLvl += 2;
        const shown = formatValue(ctx, state[1], depth + 1);
        ctx.indentationLvl -= 2;
        return [state[0] === "rejected" ? `<rejected> ${shown}` : shown];
      };
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      braces[0] = `${prefix(name, "", value instanceof WeakMap ? "WeakMap" : "WeakSet")}{`;
      formatter = () => ["<items unknown>"];
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean ||
               value instanceof BigInt || value instanceof Symbol) {
      const prim = value.valueOf();
      const type = typeof prim === "string" ? "String" : typeof prim === "number" ? "Number"
        : typeof prim === "boolean" ? "Boolean" : typeof prim === "bigint" ? "BigInt" : "Symbol";
      base = `[${type}${type !== name && name !== null ? ` (${name})` : ""}: ${formatPrimitive(ctx, prim)}]`;
      if (typeof prim === "string") keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
      if (keys.length === 0) return base;
    } else {
      if (name === "Object" && tag === "") {
        if (keys.length === 0) return "{}";
      } else {
        braces[0] = `${prefix(name, tag, "Object")}{`;
        if (keys.length === 0) return `${braces[0]}}`;
      }
    }
  }

  if (depth > ctx.depth) {
    return Array.isArray(value) ? "[Array]" : `[${name ?? "Object: null prototype"}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = depth;
  let output;
  try {
    output = formatter(ctx, value, depth);
    for (const key of keys) output.push(formatProperty(ctx, value, depth, key, false));
  } finally {
    ctx.seen.pop();
  }
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const reference = `<ref *${index}>`;
    base = base === "" ? reference : `${reference} ${base}`;
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, depth, value);
}

function formatArray(ctx, value, depth) {
  const output = [];
  const limit = Math.min(ctx.maxArrayLength, value.length);
  let holes = 0;
  const flushHoles = () => {
    if (holes > 0) output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    holes = 0;
  };
  let i = 0;
  for (; i < value.length && output.length < limit; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) { holes++; continue; }
    flushHoles();
    output.push(formatProperty(ctx, value, depth, String(i), true));
  }
  flushHoles();
  if (i < value.length) output.push(`... ${value.length - i} more item${value.length - i > 1 ? "s" : ""}`);
  return output;
}

function formatTypedArray(ctx, value) {
  const limit = Math.min(ctx.maxArrayLength, value.length);
  const output = [];
  for (let i = 0; i < limit; i++) output.push(formatPrimitive(ctx, value[i]));
  if (value.length > limit) output.push(`... ${value.length - limit} more item${value.length - limit > 1 ? "s" : ""}`);
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ["BYTES_PER_ELEMENT", "length", "byteLength", "byteOffset", "buffer"]) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], ctx.currentDepth + 1)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatSet(ctx, value, depth) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of value) output.push(formatValue(ctx, v, depth + 1));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, depth) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) output.push(`${formatValue(ctx, k, depth + 1)} => ${formatValue(ctx, v, depth + 1)}`);
  ctx.indentationLvl -= 2;
  return output;
}

// Arrays of more than six short entries are laid out in aligned columns, about as many as make
// the block roughly square (characters being ~2.5 times taller than wide), at most 15 and at
// most 4 * compact, within breakLength.
function groupArrayElements(ctx, output, value) {
  let count = output.length;
  if (ctx.maxArrayLength < output.length) count--;  // the "... more items" entry stands alone
  const lengths = output.slice(0, count).map((s) => s.length);
  const total = lengths.reduce((a, n) => a + n + 2, 0);
  const longest = Math.max(0, ...lengths);
  const cell = longest + 2;
  if (!(cell * 3 + ctx.indentationLvl < ctx.breakLength && (total / cell > 5 || longest <= 6))) return output;
  const bias = Math.sqrt(cell - total / output.length);
  const biased = Math.max(cell - 3 - bias, 1);
  const columns = Math.min(Math.round(Math.sqrt(2.5 * biased * count) / biased),
                           Math.floor((ctx.breakLength - ctx.indentationLvl) / cell), ctx.compact * 4, 15);
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let width = 0;
    for (let j = c; j < output.length; j += columns) width = Math.max(width, lengths[j] ?? 0);
    widths.push(width + 2);
  }
  let numeric = value !== undefined;
  for (let i = 0; numeric && i < output.length; i++) {
    if (typeof value[i] !== "number" && typeof value[i] !== "bigint") numeric = false;
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const last = Math.min(i + columns, count) - 1;
    let row = "";
    for (let j = i; j < last; j++) {
      const cellText = `${output[j]}, `;
      row += numeric ? cellText.padStart(widths[j - i]) : cellText.padEnd(widths[j - i]);
    }
    row += numeric ? output[last].padStart(widths[last - i] - 2) : output[last];
    rows.push(row);
  }
  if (count < output.length) rows.push(output[count]);
  return rows;
}

function reduceToSingleString(ctx, output, base, braces, extrasType, depth, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === "number" && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === "array" && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        let total = output.length + start;
        const fits = total + output.length <= ctx.breakLength &&
          output.every((s) => (total += s.length) <= ctx.breakLength) && !base.includes("\n");
        if (fits) {
          const joined = output.join(", ");
          if (!joined.includes("\n")) {
            return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
  const total = output.reduce((n, s) => n + s.length, output.length);
  if (total + start <= ctx.breakLength) {
    return `${base ? `${base} ` : ""}${braces[0]} ${output.join(", ")} ${braces[1]}`;
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

// --- node:util: format, deep equality, the rest --------------------------------------------

function hasOwnToString(value) {
  // Objects with a user-defined toString are %s-formatted through it; plain ones are inspected.
  let proto = value;
  while (proto !== null && proto !== Object.prototype && proto !== Error.prototype) {
    if (Object.prototype.hasOwnProperty.call(proto, "toString")) {
      const builtins = [Array.prototype, Date.prototype, RegExp.prototype, Function.prototype, Map.prototype, Set.prototype];
      return !builtins.includes(proto) && !(proto instanceof Object && Object.getPrototypeOf(proto) === null);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

function formatWithOptions(options, ...args) {
  const first = args[0];
  let out = "";
  let next = 0;
  if (typeof first === "string") {
    if (args.length === 1) return first;
    next = 1;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;  // '%'
      const c = first[i + 1];
      if (c === "%") {
        out += first.slice(last, i) + "%";
        last = i + 2;
        i++;
        continue;
      }
      if (next >= args.length || !"sdifjoOc".includes(c)) continue;
      const arg = args[next];
      let piece;
      switch (c) {
        case "s":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "number") piece = formatPrimitive({ ...inspectDefaults }, arg);
          else if (typeof arg === "object" && arg !== null && !hasOwnToString(arg)) {
            piece = inspect(arg, { ...options, depth: 0, colors: false, compact: 3 });
          } else piece = String(arg);
          break;
        case "d":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "symbol") piece = "NaN";
          else piece = formatPrimitive({ ...inspectDefaults }, typeof arg === "object" && arg !== null ? Number(arg) : Number(arg));
          break;
        case "i":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "symbol") piece = "NaN";
          else piece = formatPrimitive({ ...inspectDefaults }, parseInt(arg));
          break;
        case "f":
          piece = typeof arg === "symbol" ? "NaN" : formatPrimitive({ ...inspectDefaults }, parseFloat(arg));
          break;
        case "j":
          try { piece = JSON.stringify(arg); } catch (e) {
            if (e instanceof TypeError && /circular/i.test(e.message)) piece = "[Circular]"; else throw e;
          }
          break;
        case "o": piece = inspect(arg, { ...options, showHidden: true, showProxy: true, depth: 4 }); break;
        case "O": piece = inspect(arg, options); break;
        case "c": piece = ""; break;
      }
      out += first.slice(last, i) + piece;
      last = i + 2;
      i++;
      next++;
    }
    out += first.slice(last);
  }
  for (; next < args.length; next++) {
    const arg = args[next];
    out += (out === "" && next === 0 ? "" : " ") + (typeof arg === "string" ? arg : inspect(arg, options));
  }
  return out;
}

function format(...args) { return formatWithOptions(undefined, ...args); }

const tagOf = (v) => objectToString(v).slice(8, -1);

function isDeepEqual(a, b, memo = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;  // functions are compared by identity only
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = objectToString(a);
  if (tag !== objectToString(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  let seen = memo.get(a);
  if (seen?.has(b)) return true;
  if (seen === undefined) memo.set(a, seen = new Set());
  seen.add(b);
  if (a instanceof Date) {
    if (!Object.is(a.getTime(), b.getTime())) return false;
  } else if (a instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    if (typedArrayTag.call(a) !== typedArrayTag.call(b)) return false;
    if (typedArrayTag.call(a) === "Float32Array" || typedArrayTag.call(a) === "Float64Array") {
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    } else if (compareBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
                            new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) !== 0) return false;
  } else if (a instanceof ArrayBuffer) {
    if (compareBytes(new Uint8Array(a), new Uint8Array(b)) !== 0) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt || a instanceof Symbol) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  } else if (a instanceof WeakMap || a instanceof WeakSet || a instanceof Promise) {
    return false;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    const pending = [];
    for (const [key, value] of a) {
      if (typeof key !== "object" || key === null) {
        if (!b.has(key) || !isDeepEqual(value, b.get(key), memo)) return false;
      } else pending.push([key, value]);
    }
    const candidates = [...b].filter(([k]) => typeof k === "object" && k !== null);
    for (const [key, value] of pending) {
      const i = candidates.findIndex(([k, v]) => isDeepEqual(key, k, memo) && isDeepEqual(value, v, memo));
      if (i < 0) return false;
      candidates.splice(i, 1);
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    const candidates = [...b].filter((k) => typeof k === "object" && k !== null);
    for (const value of a) {
      if (typeof value !== "object" || value === null) {
        if (!b.has(value)) return false;
        continue;
      }
      const i = candidates.findIndex((v) => isDeepEqual(value, v, memo));
      if (i < 0) return false;
      candidates.splice(i, 1);
    }
  }
  const keysA = ownKeys({ showHidden: false }, a, ArrayBuffer.isView(a));
  const keysB = ownKeys({ showHidden: false }, b, ArrayBuffer.isView(b));
  if (keysA.length !== keysB.length) return false;
  if (Array.isArray(a) && a.length !== b.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!isDeepEqual(a[key], b[key], memo)) return false;
  }
  return true;
}

const kCustomPromisify = Symbol.for("nodejs.util.promisify.custom");
function promisify(original) {
  validateFunction(original, "original");
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    validateFunction(fn, "util.promisify.custom");
    return Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      }]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  validateFunction(original, "original");
  function callbackified(...args) {
    const callback = args.pop();
    validateFunction(callback, "last argument");
    Reflect.apply(original, this, args).then(
      (value) => processObject.nextTick(callback, null, value),
      (reason) => {
        if (!reason) {
          const wrapped = nodeError(Error, "ERR_FALSY_VALUE_REJECTION", "Promise was rejected with falsy value");
          wrapped.reason = reason;
          reason = wrapped;
        }
        processObject.nextTick(callback, reason);
      });
  }
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  Object.defineProperties(callbackified, Object.getOwnPropertyDescriptors(original));
  return callbackified;
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType("ctor", "of type function", ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType("superCtor", "of type function", superCtor);
  if (superCtor.prototype === undefined) throw invalidArgType("superCtor.prototype", "of type object", superCtor.prototype);
  Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warnedCodes = new Set();
function deprecate(fn, message, code) {
  validateFunction(fn, "fn");
  let warned = false;
  function deprecated(...args) {
    if (!warned && !(code !== undefined && warnedCodes.has(code))) {
      warned = true;
      if (code !== undefined) warnedCodes.add(code);
      processObject.emitWarning(message, "DeprecationWarning", code);
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function brand(method) {
  return (value) => {
    try { method(value); return true; } catch { return false; }
  };
}
const typedTag = (name) => (v) => ArrayBuffer.isView(v) && typedArrayTag.call(v) === name;
const types = {
  isPromise: (v) => v instanceof Promise || tagOf(v) === "Promise",
  isDate: brand((v) => Date.prototype.getTime.call(v)),
  isRegExp: (v) => typeof v === "object" && v !== null && v !== RegExp.prototype && brand((x) => Object.getOwnPropertyDescriptor(RegExp.prototype, "flags").get && RegExp.prototype.exec.call(x, ""))(v),
  isMap: brand((v) => Map.prototype.has.call(v)),
  isSet: brand((v) => Set.prototype.has.call(v)),
  isWeakMap: brand((v) => WeakMap.prototype.has.call(v, {})),
  isWeakSet: brand((v) => WeakSet.prototype.has.call(v, {})),
  isArrayBuffer: brand((v) => Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get.call(v)),
  isSharedArrayBuffer: (v) => typeof SharedArrayBuffer !== "undefined" && brand((x) => Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get.call(x))(v),
  isAnyArrayBuffer: (v) => types.isArrayBuffer(v) || types.isSharedArrayBuffer(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray: (v) => ArrayBuffer.isView(v) && typedArrayTag.call(v) !== undefined,
  isDataView: brand((v) => Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get.call(v)),
  isUint8Array: typedTag("Uint8Array"), isUint8ClampedArray: typedTag("Uint8ClampedArray"),
  isUint16Array: typedTag("Uint16Array"), isUint32Array: typedTag("Uint32Array"),
  isInt8Array: typedTag("Int8Array"), isInt16Array: typedTag("Int16Array"), isInt32Array: typedTag("Int32Array"),
  isFloat32Array: typedTag("Float32Array"), isFloat64Array: typedTag("Float64Array"),
  isBigInt64Array: typedTag("BigInt64Array"), isBigUint64Array: typedTag("BigUint64Array"),
  isAsyncFunction: (v) => typeof v === "function" && (tagOf(v) === "AsyncFunction" || tagOf(v) === "AsyncGeneratorFunction"),
  isGeneratorFunction: (v) => typeof v === "function" && (tagOf(v) === "GeneratorFunction" || tagOf(v) === "AsyncGeneratorFunction"),
  isGeneratorObject: (v) => tagOf(v) === "Generator" || tagOf(v) === "AsyncGenerator",
  isNumberObject: brand((v) => typeof v === "object" && Number.prototype.valueOf.call(v)),
  isStringObject: (v) => typeof v === "object" && brand((x) => String.prototype.valueOf.call(x))(v),
  isBooleanObject: (v) => typeof v === "object" && brand((x) => Boolean.prototype.valueOf.call(x))(v),
  isBigIntObject: (v) => typeof v === "object" && brand((x) => BigInt.prototype.valueOf.call(x))(v),
  isSymbolObject: (v) => typeof v === "object" && brand((x) => Symbol.prototype.valueOf.call(x))(v),
  isBoxedPrimitive: (v) => types.isNumberObject(v) || types.isStringObject(v) || types.isBooleanObject(v) ||
    types.isBigIntObject(v) || types.isSymbolObject(v),
  isNativeError: (v) => v instanceof Error || tagOf(v) === "Error",
  isMapIterator: (v) => tagOf(v) === "Map Iterator",
  isSetIterator: (v) => tagOf(v) === "Set Iterator",
  isArgumentsObject: (v) => tagOf(v) === "Arguments",
  isModuleNamespaceObject: (v) => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === null && v[Symbol.toStringTag] === "Module",
  isProxy: () => false,  // not observable from JavaScript
  isExternal: () => false,
  isWeakRef: (v) => typeof WeakRef !== "undefined" && v instanceof WeakRef,
  isCryptoKey: (v) => typeof CryptoKey !== "undefined" && v instanceof CryptoKey,
  isKeyObject: () => false,
};
// Numbers: the brand check passes for 0 too.
types.isNumberObject = (v) => typeof v === "object" && v !== null && brand((x) => Number.prototype.valueOf.call(x))(v);
types.isRegExp = (v) => {
  if (typeof v !== "object" || v === null) return false;
  try { Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get.call(v); } catch { return false; }
  return v !== RegExp.prototype;
};

const utilModule = {
  inspect, format, formatWithOptions, promisify, callbackify, inherits, deprecate, types,
  isDeepStrictEqual: (a, b) => isDeepEqual(a, b),
  TextEncoder: global.TextEncoder,
  TextDecoder: global.TextDecoder,
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === "boolean",
  isBuffer: (v) => v instanceof Buffer,
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === "number",
  isString: (v) => typeof v === "string",
  isSymbol: (v) => typeof v === "symbol",
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === "object",
  isDate: types.isDate,
  isError: (v) => types.isNativeError(v),
  isFunction: (v) => typeof v === "function",
  isPrimitive: (v) => v === null || (typeof v !== "object" && typeof v !== "function"),
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  debug: () => Object.assign(() => {}, { enabled: false }),
  toUSVString: (text) => String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  stripVTControlCharacters(text) {
    validateString(text, "str");
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u001B\u009B][[\]()#;?]*(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007|(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~])/g, "");
  },
  _extend(target, source) {
    if (source === null || typeof source !== "object") return target;
    for (const key of Object.keys(source)) target[key] = source[key];
    return target;
  },
  aborted(signal, resource) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve(); else signal.addEventListener("abort", () => resolve(), { once: true });
    });
  },
};

// --- node:crypto -----------------------------------------------------------------------------

const HASH_NAMES = { "md5": "MD5", "sha1": "SHA-1", "sha-1": "SHA-1", "sha256": "SHA-256", "sha-256": "SHA-256",
                     "sha384": "SHA-384", "sha-384": "SHA-384", "sha512": "SHA-512", "sha-512": "SHA-512",
                     "rsa-sha256": "SHA-256", "rsa-sha1": "SHA-1", "rsa-md5": "MD5" };

function hashName(algorithm) {
  validateString(algorithm, "algorithm");
  const name = HASH_NAMES[algorithm.toLowerCase()];
  if (name === undefined) throw new Error("Digest method not supported");
  return name;
}

function dataBytes(data, encoding, what = "data") {
  if (typeof data === "string") return encodeString(data, normalizeEncoding(encoding));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw invalidArgType(what, "of type string or an instance of Buffer, TypedArray, or DataView", data);
}

function keyBytes(key, encoding) {
  if (typeof key === "string") return encodeString(key, normalizeEncoding(encoding));
  if (ArrayBuffer.isView(key)) return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  if (key instanceof SecretKeyObject) return secretKeys.get(key);
  throw invalidArgType("key", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey", key);
}

function output(bytes, encoding) {
  const buffer = new FastBuffer(bytes instanceof ArrayBuffer ? bytes : bytes.buffer);
  return encoding === undefined || encoding === "buffer" ? buffer : buffer.toString(encoding);
}

const concatBytes = (chunks) => Buffer.concat(chunks.map((c) => (c instanceof Uint8Array ? c : new Uint8Array(c))));

// Hash and Hmac buffer their input and digest once, at digest().
class Hash {
  #algorithm;
  #chunks = [];
  #finalized = false;
  constructor(algorithm, options) {
    if (!new.target) return new Hash(algorithm, options);
    this.#algorithm = hashName(algorithm);
  }
  update(data, encoding) {
    if (this.#finalized) throw nodeError(Error, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    this.#chunks.push(dataBytes(data, encoding).slice());
    return this;
  }
  digest(encoding) {
    if (this.#finalized) throw nodeError(Error, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    this.#finalized = true;
    return output(native.cryptoDigest(this.#algorithm, concatBytes(this.#chunks)), encoding);
  }
  copy() {
    if (this.#finalized) throw nodeError(Error, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    const copy = new Hash(Object.keys(HASH_NAMES).find((k) => HASH_NAMES[k] === this.#algorithm));
    for (const chunk of this.#chunks) copy.update(chunk);
    return copy;
  }
}

class Hmac {
  #algorithm;
  #key;
  #chunks = [];
  #finalized = false;
  constructor(algorithm, key, options) {
    if (!new.target) return new Hmac(algorithm, key, options);
    this.#algorithm = hashName(algorithm);
    this.#key = keyBytes(key, options?.encoding).slice();
  }
  update(data, encoding) {
    if (this.#finalized) throw nodeError(Error, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    this.#chunks.push(dataBytes(data, encoding).slice());
    return this;
  }
  digest(encoding) {
    if (this.#finalized) return output(new ArrayBuffer(0), encoding);
    this.#finalized = true;
    return output(native.cryptoHmac(this.#algorithm, this.#key, concatBytes(this.#chunks)), encoding);
  }
}

const secretKeys = new WeakMap();
class KeyObject {
  constructor() { throw new TypeError("Illegal constructor"); }
}
class SecretKeyObject extends KeyObject {
  get type() { return "secret"; }
  get symmetricKeySize() { return secretKeys.get(this).length; }
  export(options) {
    const bytes = new FastBuffer(secretKeys.get(this).slice());
    if (options?.format === "jwk") return { kty: "oct", k: bytes.toString("base64url") };
    return bytes;
  }
  equals(other) { return other instanceof SecretKeyObject && Buffer.compare(secretKeys.get(this), secretKeys.get(other)) === 0; }
}
function createSecretKey(key, encoding) {
  const bytes = keyBytes(key, encoding).slice();
  const object = Object.create(SecretKeyObject.prototype);
  secretKeys.set(object, bytes);
  return object;
}

function randomBytes(size, callback) {
  validateInteger(size, "size", 0, kMaxLength);
  const buffer = new FastBuffer(size);
  for (let i = 0; i < size; i += 65536) native.getRandomValues(buffer.subarray(i, i + 65536));
  if (callback === undefined) return buffer;
  validateFunction(callback, "callback");
  processObject.nextTick(callback, null, buffer);
  return undefined;
}

function randomFillSync(buffer, offset = 0, size) {
  if (!ArrayBuffer.isView(buffer) && !(buffer instanceof ArrayBuffer)) {
    throw invalidArgType("buf", "an instance of ArrayBuffer or ArrayBufferView", buffer);
  }
  const bytes = dataBytes(buffer, undefined, "buf");
  validateInteger(offset, "offset", 0, bytes.length);
  size = size === undefined ? bytes.length - offset : size;
  validateInteger(size, "size", 0, bytes.length - offset);
  for (let i = offset; i < offset + size; i += 65536) {
    native.getRandomValues(bytes.subarray(i, Math.min(i + 65536, offset + size)));
  }
  return buffer;
}

function randomInt(min, max, callback) {
  if (max === undefined || typeof max === "function") { callback = max; max = min; min = 0; }
  if (!Number.isSafeInteger(min)) throw invalidArgType("min", "a safe integer", min);
  if (!Number.isSafeInteger(max)) throw invalidArgType("max", "a safe integer", max);
  if (max <= min) throw outOfRange("max", `greater than the value of "min" (${min})`, max);
  const range = max - min;
  if (range > 2 ** 48 - 1) throw outOfRange("max - min", `<= ${2 ** 48 - 1}`, range);
  const limit = 2 ** 48 - (2 ** 48 % range);  // rejection sampling keeps the result uniform
  let value;
  do {
    const bytes = native.getRandomValues(new Uint8Array(6));
    value = readUnsigned(bytes, 0, 6, false);
  } while (value >= limit);
  const result = min + (value % range);
  if (callback === undefined) return result;
  validateFunction(callback, "callback");
  processObject.nextTick(callback, null, result);
  return undefined;
}

function timingSafeEqual(a, b) {
  const x = dataBytes(a, undefined, "buf1"), y = dataBytes(b, undefined, "buf2");
  if (typeof a === "string") throw invalidArgType("buf1", "an instance of ArrayBuffer, Buffer, TypedArray, or DataView", a);
  if (typeof b === "string") throw invalidArgType("buf2", "an instance of ArrayBuffer, Buffer, TypedArray, or DataView", b);
  if (x.length !== y.length) {
    throw nodeError(RangeError, "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length");
  }
  return native.cryptoEqual(x, y);
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  validateInteger(iterations, "iterations", 1, 2147483647);
  validateInteger(keylen, "keylen", 0, 2147483647);
  validateString(digest, "digest");
  const name = HASH_NAMES[digest.toLowerCase()];
  if (name === undefined || name === "MD5") throw nodeError(TypeError, "ERR_CRYPTO_INVALID_DIGEST", `Invalid digest: ${digest}`);
  return output(native.cryptoPbkdf2(name, keyBytes(password).slice(), dataBytes(salt, undefined, "salt").slice(), iterations, keylen * 8));
}

function hkdfSync(digest, ikm, salt, info, keylen) {
  validateString(digest, "digest");
  const name = HASH_NAMES[digest.toLowerCase()];
  if (name === undefined || name === "MD5") throw nodeError(TypeError, "ERR_CRYPTO_INVALID_DIGEST", `Invalid digest: ${digest}`);
  validateInteger(keylen, "length", 0, 255 * 64);
  const bytes = native.cryptoHkdf(name, keyBytes(ikm).slice(), dataBytes(salt, undefined, "salt").slice(),
                                  dataBytes(info, undefined, "info").slice(), keylen * 8);
  return bytes instanceof ArrayBuffer ? bytes : bytes.buffer;
}

const withCallback = (fn) => function (...args) {
  const callback = args.pop();
  validateFunction(callback, "callback");
  let result;
  try { result = fn(...args); } catch (e) { processObject.nextTick(callback, e); return; }
  processObject.nextTick(callback, null, result);
};

const cryptoModule = {
  createHash: (algorithm, options) => new Hash(algorithm, options),
  createHmac: (algorithm, key, options) => new Hmac(algorithm, key, options),
  Hash, Hmac, KeyObject, SecretKeyObject, createSecretKey,
  hash(algorithm, data, outputEncoding = "hex") {
    return output(native.cryptoDigest(hashName(algorithm), dataBytes(data).slice()), outputEncoding);
  },
  getHashes: () => ["md5", "sha1", "sha256", "sha384", "sha512"],
  randomBytes, pseudoRandomBytes: randomBytes, randomFillSync, randomInt, timingSafeEqual,
  randomFill(buffer, ...args) {
    const callback = args.pop();
    validateFunction(callback, "callback");
    randomFillSync(buffer, ...args);
    processObject.nextTick(callback, null, buffer);
  },
  randomUUID: (options) => global.crypto.randomUUID(),
  getRandomValues: (array) => global.crypto.getRandomValues(array),
  pbkdf2Sync, pbkdf2: withCallback(pbkdf2Sync), hkdfSync, hkdf: withCallback(hkdfSync),
  constants: {},
};
Object.defineProperty(cryptoModule, "webcrypto", { get: () => global.crypto, enumerable: true, configurable: true });
Object.defineProperty(cryptoModule, "subtle", { get: () => global.crypto.subtle, enumerable: true, configurable: true });
Object.defineProperty(cryptoModule, "CryptoKey", { get: () => global.CryptoKey, enumerable: true, configurable: true });

// --- node:assert (strict, as workerd's is) -----------------------------------------------------

class AssertionError extends Error {
  constructor(options) {
    if (options === null || typeof options !== "object") throw invalidArgType("options", "of type object", options);
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message) : defaultAssertionMessage(actual, expected, operator));
    this.generatedMessage = message === undefined;
    this.code = "ERR_ASSERTION";
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
  toString() { return `${this.name} [${this.code}]: ${this.message}`; }
}
Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError", writable: true, configurable: true });

function defaultAssertionMessage(actual, expected, operator) {
  if (operator === "strictEqual") return `Expected values to be strictly equal:\n\n${inspect(actual)} !== ${inspect(expected)}\n`;
  if (operator === "deepStrictEqual") return `Expected values to be strictly deep-equal:\n\n${inspect(actual)} !== ${inspect(expected)}\n`;
  return `${inspect(actual)} ${operator} ${inspect(expected)}`;
}

function fail(message) {
  if (message instanceof Error) throw message;
  const error = new AssertionError({ message: message ?? "Failed", operator: "fail" });
  error.generatedMessage = message === undefined;
  Error.captureStackTrace?.(error, fail);
  throw error;
}

function innerFail(generated, actual, expected, operator, message, stackStartFn) {
  if (message instanceof Error) throw message;
  const error = new AssertionError({ actual, expected, operator, message: message ?? generated });
  error.generatedMessage = message === undefined;
  Error.captureStackTrace?.(error, stackStartFn);
  throw error;
}

const indentLines = (text, pad) => text.split("\n").map((l) => pad + l).join("\n");

function strictDiffMessage(actual, expected) {
  const a = inspect(actual).split("\n"), b = inspect(expected).split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  const lines = [...a.slice(0, head).map((l) => `    ${l}`), ...a.slice(head).map((l) => `-   ${l}`),
                 ...b.slice(head).map((l) => `+   ${l}`)];
  if (typeof actual === "string" && typeof expected === "string" && (actual.includes("\n") || expected.includes("\n"))) {
    const x = actual.split("\n"), y = expected.split("\n");
    let same = 0;
    while (same < x.length && same < y.length && x[same] === y[same]) same++;
    const esc = (s) => s.replace(/\\/g, "\\\\");
    const shown = [...x.slice(0, same).map((l) => `    ${esc(l)}\\n`), ...x.slice(same).map((l) => `-   ${esc(l)}`),
                   ...y.slice(same).map((l) => `+   ${esc(l)}`)];
    return `Values are not strictly equal:\n\n\n[Diff] Actual / Expected\n\n\n${shown.join("\n")}\n\n`;
  }
  return `Values are not strictly equal:\n\n\n[Diff] Actual / Expected\n\n\n${lines.join("\n")}\n`;
}

function deepDiffMessage(actual, expected) {
  const a = inspect(actual), b = inspect(expected);
  if ((typeof actual !== "object" || actual === null) && (typeof expected !== "object" || expected === null) &&
      typeof actual !== "function" && typeof expected !== "function") {
    return `Expected values to be strictly deep-equal:\n\n${a} !== ${b}\n`;
  }
  let text = `Expected values to be strictly deep-equal:\n+ actual - expected\n\n`;
  if (!a.includes("\n") && !b.includes("\n")) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `${text}+ ${a}\n- ${b}\n${" ".repeat(i + 2)}^`;
  }
  const x = a.split("\n"), y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === y[i]) text += `  ${x[i]}\n`;
    else {
      if (x[i] !== undefined) text += `+ ${x[i]}\n`;
      if (y[i] !== undefined) text += `- ${y[i]}\n`;
    }
  }
  return text.trimEnd();
}

function ok(...args) {
  if (args.length === 0) innerFail("No value argument passed to `assert.ok()`", undefined, true, "==", undefined, ok);
  if (!args[0]) innerFail(`${inspect(args[0])} == true`, args[0], true, "==", args[1], ok);
}
function assert(...args) {
  if (args.length === 0) innerFail("No value argument passed to `assert.ok()`", undefined, true, "==", undefined, assert);
  if (!args[0]) innerFail(`${inspect(args[0])} == true`, args[0], true, "==", args[1], assert);
}

function strictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) return;
  let generated;
  if (typeof actual === "object" && actual !== null && typeof expected === "object" && expected !== null &&
      inspect(actual) === inspect(expected)) {
    generated = `Values have the same structure but are not reference-equal:\n\n${indentLines(inspect(actual), "    ")}\n`;
  } else {
    generated = strictDiffMessage(actual, expected);
  }
  innerFail(generated, actual, expected, "strictEqual", message, strictEqual);
}
function notStrictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) return;
  innerFail("Expected actual to be strictly unequal to expected", actual, expected, "notStrictEqual", message, notStrictEqual);
}
function deepStrictEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected)) return;
  innerFail(deepDiffMessage(actual, expected), actual, expected, "deepStrictEqual", message, deepStrictEqual);
}
function notDeepStrictEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected)) return;
  innerFail("Expected actual to not be deeply strictly equal to expected", actual, expected, "notDeepStrictEqual", message, notDeepStrictEqual);
}

const NO_EXCEPTION = Symbol("no exception");

function checkError(actual, expected, message, fn) {
  if (expected === undefined) return;
  if (typeof expected === "function") {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      const got = actual?.constructor?.name ?? typeof actual;
      innerFail(`The error is expected to be an instance of "${expected.name}". Received "${got}"\n\nError message:\n\n${actual?.message ?? inspect(actual)}`,
                actual, expected, fn.name, message, fn);
    }
    const result = expected.call({}, actual);
    if (result !== true) {
      const what = expected.name ? `"${expected.name}" validation function` : "validation function";
      innerFail(`The ${what} is expected to return "true". Received ${inspect(result)}\n\nCaught error:\n\n${actual}`,
                actual, expected, fn.name, message, fn);
    }
    return;
  }
  if (expected instanceof RegExp) {
    const text = String(actual);
    if (RegExp.prototype.test.call(expected, text)) return;
    innerFail(`The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(text)}\n`,
              actual, expected, fn.name, message, fn);
  }
  if (typeof expected !== "object" || expected === null) {
    throw invalidArgType("error", "of type function or an instance of Error, RegExp, or Object", expected);
  }
  const keys = Object.keys(expected);
  if (expected instanceof Error) keys.push("name", "message");
  for (const key of keys) {
    const want = expected[key];
    const got = actual?.[key];
    if (want instanceof RegExp && typeof got === "string" && want.test(got)) continue;
    if (!isDeepEqual(got, want)) innerFail(deepDiffMessage(got, want), actual, expected, fn.name, message, fn);
  }
}

function getThrown(fn) {
  validateFunction(fn, "fn");
  try { fn(); } catch (e) { return e; }
  return NO_EXCEPTION;
}

async function getRejected(promiseOrFn) {
  let promise = promiseOrFn;
  if (typeof promiseOrFn === "function") {
    promise = promiseOrFn();
    if (promise === null || typeof promise?.then !== "function") {
      throw nodeError(TypeError, "ERR_INVALID_RETURN_VALUE",
                      `Expected instance of Promise to be returned from the "promiseFn" function but got ${promise === undefined ? "undefined" : `type ${typeof promise}`}.`);
    }
  } else if (promise === null || typeof promise?.then !== "function") {
    throw invalidArgType("promiseFn", "of type function or an instance of Promise", promise);
  }
  try { await promise; } catch (e) { return e; }
  return NO_EXCEPTION;
}

function expectsError(fn, actual, error, message) {
  if (typeof error === "string") { message = error; error = undefined; }
  if (actual === NO_EXCEPTION) {
    const rejection = fn === rejects;
    let details = "";
    if (error?.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : ".";
    innerFail(`Missing expected ${rejection ? "rejection" : "exception"}${details}`, undefined, error, fn.name, undefined, fn);
  }
  checkError(actual, error, message, fn);
}

function expectsNoError(fn, actual, error, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof error === "string") { message = error; error = undefined; }
  if (error === undefined || (typeof error === "function" && actual instanceof error) ||
      (error instanceof RegExp && error.test(String(actual)))) {
    const details = message ? `: ${message}` : ".";
    innerFail(`Got unwanted exception${details}\nActual message: "${actual?.message}"`, actual, error, fn.name, undefined, fn);
  }
  throw actual;
}

function throws(fn, error, message) { expectsError(throws, getThrown(fn), error, message); }
async function rejects(promiseOrFn, error, message) { expectsError(rejects, await getRejected(promiseOrFn), error, message); }
function doesNotThrow(fn, error, message) { expectsNoError(doesNotThrow, getThrown(fn), error, message); }
async function doesNotReject(promiseOrFn, error, message) { expectsNoError(doesNotReject, await getRejected(promiseOrFn), error, message); }

function ifError(err) {
  if (err === null || err === undefined) return;
  const text = typeof err === "object" && typeof err.message === "string"
    ? (err.message.length === 0 && err.constructor ? err.constructor.name : err.message) : inspect(err);
  const error = new AssertionError({ actual: err, expected: null, operator: "ifError", message: `ifError got unwanted exception: ${text}` });
  error.generatedMessage = false;
  throw error;
}

function match(text, regexp, message) {
  if (!(regexp instanceof RegExp)) throw invalidArgType("regexp", "an instance of RegExp", regexp);
  if (typeof text === "string" && RegExp.prototype.test.call(regexp, text)) return;
  innerFail(`actual: ${JSON.stringify(text)} expected to match: "${regexp}"`, text, regexp, "match", message, match);
}
function doesNotMatch(text, regexp, message) {
  if (!(regexp instanceof RegExp)) throw invalidArgType("regexp", "an instance of RegExp", regexp);
  if (typeof text === "string" && !RegExp.prototype.test.call(regexp, text)) return;
  innerFail(`actual: ${JSON.stringify(text)} expected to not match: "${regexp}"`, text, regexp, "doesNotMatch", message, doesNotMatch);
}

Object.assign(assert, {
  ok, fail, AssertionError, strictEqual, notStrictEqual, deepStrictEqual, notDeepStrictEqual,
  equal: strictEqual, notEqual: notStrictEqual, deepEqual: deepStrictEqual, notDeepEqual: notDeepStrictEqual,
  throws, rejects, doesNotThrow, doesNotReject, ifError, match, doesNotMatch,
});
assert.strict = assert;

// --- node:path (POSIX) ---------------------------------------------------------------------

// Resolves "." and ".." segments of a path without its leading slash.
function normalizeSegments(path, allowAboveRoot) {
  const out = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else {
      out.push(segment);
    }
  }
  return out.join("/");
}

const posix = {
  sep: "/",
  delimiter: ":",
  resolve(...paths) {
    let resolved = "";
    let absolute = false;
    for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
      const path = i >= 0 ? paths[i] : processObject.cwd();
      validateString(path, `paths[${i}]`);
      if (path === "") continue;
      resolved = `${path}/${resolved}`;
      absolute = path.charCodeAt(0) === 47;
    }
    resolved = normalizeSegments(resolved, !absolute);
    return absolute ? `/${resolved}` : resolved || ".";
  },
  normalize(path) {
    validateString(path, "path");
    if (path === "") return ".";
    const absolute = path.charCodeAt(0) === 47;
    const trailing = path.charCodeAt(path.length - 1) === 47;
    let result = normalizeSegments(path, !absolute);
    if (result === "" && !absolute) result = ".";
    if (result !== "" && trailing) result += "/";
    return absolute ? `/${result}` : result;
  },
  isAbsolute(path) {
    validateString(path, "path");
    return path.length > 0 && path.charCodeAt(0) === 47;
  },
  join(...paths) {
    const parts = [];
    for (const path of paths) {
      validateString(path, "path");
      if (path !== "") parts.push(path);
    }
    return parts.length === 0 ? "." : posix.normalize(parts.join("/"));
  },
  relative(from, to) {
    validateString(from, "from");
    validateString(to, "to");
    if (from === to) return "";
    from = posix.resolve(from);
    to = posix.resolve(to);
    if (from === to) return "";
    const a = from === "/" ? [] : from.slice(1).split("/");
    const b = to === "/" ? [] : to.slice(1).split("/");
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return [...Array(a.length - common).fill(".."), ...b.slice(common)].join("/");
  },
  toNamespacedPath(path) { return path; },
  dirname(path) {
    validateString(path, "path");
    if (path === "") return ".";
    const absolute = path.charCodeAt(0) === 47;
    let end = -1;
    let matchedSlash = true;
    for (let i = path.length - 1; i >= 1; i--) {
      if (path.charCodeAt(i) === 47) {
        if (!matchedSlash) { end = i; break; }
      } else {
        matchedSlash = false;
      }
    }
    if (end === -1) return absolute ? "/" : ".";
    if (absolute && end === 1) return "//";
    return path.slice(0, end);
  },
  basename(path, suffix) {
    if (suffix !== undefined) validateString(suffix, "ext");
    validateString(path, "path");
    let end = path.length;
    while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
    const start = path.lastIndexOf("/", end - 1) + 1;
    const base = path.slice(start, end);
    if (suffix !== undefined && suffix !== base && base.endsWith(suffix)) return base.slice(0, base.length - suffix.length);
    return base;
  },
  extname(path) {
    validateString(path, "path");
    const base = posix.basename(path);
    const dot = base.lastIndexOf(".");
    if (dot <= 0 || (dot === 1 && base === "..")) return "";
    return base.slice(dot);
  },
  format(pathObject) {
    if (pathObject === null || typeof pathObject !== "object") throw invalidArgType("pathObject", "of type object", pathObject);
    const dir = pathObject.dir || pathObject.root;
    const ext = pathObject.ext ? (pathObject.ext.startsWith(".") ? pathObject.ext : `.${pathObject.ext}`) : "";
    const base = pathObject.base || `${pathObject.name || ""}${ext}`;
    if (!dir) return base;
    return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
  },
  parse(path) {
    validateString(path, "path");
    const result = { root: "", dir: "", base: "", ext: "", name: "" };
    if (path === "") return result;
    if (path.charCodeAt(0) === 47) result.root = "/";
    let end = path.length;
    while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
    const trimmed = path.slice(0, end);
    const slash = trimmed.lastIndexOf("/");
    result.base = trimmed.slice(slash + 1);
    if (result.base === "" && result.root === "/") return result;
    result.ext = posix.extname(result.base);
    result.name = result.ext ? result.base.slice(0, -result.ext.length) : result.base;
    if (slash > 0) result.dir = trimmed.slice(0, slash);
    else if (result.root) result.dir = "/";
    return result;
  },
  matchesGlob: undefined,
};
delete posix.matchesGlob;
posix.posix = posix;

// --- node:url --------------------------------------------------------------------------------

function fileURLToPath(input) {
  let url = input;
  if (typeof input === "string") url = new URL(input);
  else if (!(input instanceof URL)) throw invalidArgType("path", "of type string or an instance of URL", input);
  if (url.protocol !== "file:") throw nodeError(TypeError, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file");
  if (url.hostname !== "") {
    throw nodeError(TypeError, "ERR_INVALID_FILE_URL_HOST", 'File URL host must be "localhost" or empty on linux');
  }
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) {
    throw nodeError(TypeError, "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters");
  }
  return decodeURIComponent(pathname);
}

function pathToFileURL(path) {
  validateString(path, "path");
  let resolved = posix.resolve(path);
  if (path.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
  const encoded = resolved.replace(/%/g, "%25").replace(/\\/g, "%5C").replace(/\n/g, "%0A")
    .replace(/\r/g, "%0D").replace(/\t/g, "%09").replace(/#/g, "%23").replace(/\?/g, "%3F");
  return new URL(`file://${encoded}`);
}

// The legacy url.parse() result.
function Url() {
  this.protocol = null; this.slashes = null; this.auth = null; this.host = null; this.port = null;
  this.hostname = null; this.hash = null; this.search = null; this.query = null; this.pathname = null;
  this.path = null; this.href = null;
}
const SLASHED_PROTOCOLS = new Set(["http:", "https:", "ftp:", "gopher:", "file:", "ws:", "wss:"]);

function urlParse(text, parseQueryString = false, slashesDenoteHost = false) {
  if (text instanceof Url) return text;
  validateString(text, "url");
  const result = new Url();
  let rest = text.trim().replace(/\\/g, "/");
  const hashAt = rest.indexOf("#");
  if (hashAt >= 0) { result.hash = rest.slice(hashAt); rest = rest.slice(0, hashAt); }
  const queryAt = rest.indexOf("?");
  if (queryAt >= 0) {
    result.search = rest.slice(queryAt);
    result.query = rest.slice(queryAt + 1);
    rest = rest.slice(0, queryAt);
  } else if (parseQueryString) {
    result.search = "";
    result.query = {};
  }
  if (parseQueryString && typeof result.query === "string") {
    result.query = Object.fromEntries(new URLSearchParams(result.query));
  }
  const protocol = /^([a-zA-Z][a-zA-Z0-9+\-.]*:)/.exec(rest);
  if (protocol) {
    result.protocol = protocol[1].toLowerCase();
    rest = rest.slice(protocol[1].length);
  }
  if ((slashesDenoteHost || protocol) && rest.startsWith("//") && !(result.protocol === "javascript:")) {
    result.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/]/);
    let authority = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      result.auth = decodeURIComponent(authority.slice(0, at));
      authority = authority.slice(at + 1);
    }
    const port = /:([0-9]*)$/.exec(authority);
    if (port) {
      if (port[1] !== "") result.port = port[1];
      authority = authority.slice(0, port.index);
    }
    result.hostname = authority.toLowerCase();
    result.host = result.port ? `${result.hostname}:${result.port}` : result.hostname;
    if (rest === "" && SLASHED_PROTOCOLS.has(result.protocol)) rest = "/";
  }
  result.pathname = rest === "" ? (result.slashes ? null : null) : rest;
  if (result.pathname === null && (result.search || result.hash) && SLASHED_PROTOCOLS.has(result.protocol) && result.slashes) result.pathname = "/";
  result.path = (result.pathname ?? "") + (result.search ?? "") || null;
  result.href = urlFormat(result);
  return result;
}

function urlFormat(object, options) {
  if (typeof object === "string") object = urlParse(object);
  else if (object instanceof URL) {
    const url = new URL(object.href);
    if (options?.auth === false) { url.username = ""; url.password = ""; }
    if (options?.fragment === false) url.hash = "";
    if (options?.search === false) url.search = "";
    return url.href;
  } else if (object === null || typeof object !== "object") {
    throw invalidArgType("urlObject", "of type object or string", object);
  }
  let auth = object.auth ? `${encodeURIComponent(object.auth).replace(/%3A/i, ":")}@` : "";
  let protocol = object.protocol || "";
  if (protocol && !protocol.endsWith(":")) protocol += ":";
  let host = "";
  if (object.host) host = auth + object.host;
  else if (object.hostname) {
    host = auth + (object.hostname.includes(":") ? `[${object.hostname}]` : object.hostname);
    if (object.port) host += `:${object.port}`;
  }
  let pathname = object.pathname || "";
  let search = object.search || "";
  if (!search && object.query && typeof object.query === "object") {
    const query = new URLSearchParams(object.query).toString();
    if (query) search = `?${query}`;
  }
  if (search && !search.startsWith("?")) search = `?${search}`;
  let hash = object.hash || "";
  if (hash && !hash.startsWith("#")) hash = `#${hash}`;
  if (object.slashes || SLASHED_PROTOCOLS.has(protocol) ? (host || protocol === "file:") : false) {
    host = `//${host}`;
    if (pathname && !pathname.startsWith("/")) pathname = `/${pathname}`;
  }
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  search = search.replace("#", "%23");
  return protocol + host + pathname + search + hash;
}

function urlResolve(from, to) {
  const base = new URL(from, "resolve://");
  const resolved = new URL(to, base);
  if (resolved.protocol === "resolve:") {
    const { pathname, search, hash } = resolved;
    return from.startsWith("/") ? pathname + search + hash : pathname.slice(1) + search + hash;
  }
  return resolved.href;
}

const urlModule = {
  URL: global.URL, URLSearchParams: global.URLSearchParams, Url,
  fileURLToPath, pathToFileURL, parse: urlParse, format: urlFormat, resolve: urlResolve,
  domainToASCII(domain) {
    try { return new URL(`ws://${domain}`).hostname; } catch { return ""; }
  },
  urlToHttpOptions(url) {
    const options = {
      protocol: url.protocol,
      hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
      hash: url.hash, search: url.search, pathname: url.pathname,
      path: `${url.pathname || ""}${url.search || ""}`, href: url.href,
    };
    if (url.port !== "") options.port = Number(url.port);
    if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    return options;
  },
};

// --- node:string_decoder ----------------------------------------------------------------------

class StringDecoder {
  #pending = new Uint8Array(0);
  constructor(encoding) {
    this.encoding = normalizeEncoding(encoding);
  }
  write(buffer) {
    if (typeof buffer === "string") return buffer;
    let bytes = dataBytes(buffer, undefined, "buf");
    if (this.#pending.length > 0) {
      const joined = new Uint8Array(this.#pending.length + bytes.length);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.length);
      bytes = joined;
    }
    const keep = this.#incompleteTail(bytes);
    this.#pending = bytes.slice(bytes.length - keep);
    return decodeBytes(bytes.subarray(0, bytes.length - keep), this.encoding);
  }
  end(buffer) {
    let text = buffer === undefined ? "" : this.write(buffer);
    const pending = this.#pending;
    this.#pending = new Uint8Array(0);
    if (pending.length > 0) {
      if (this.encoding === "utf16le") text += decodeBytes(pending.subarray(0, pending.length - (pending.length % 2)), "utf16le");
      else text += decodeBytes(pending, this.encoding);
    }
    return text;
  }
  // How many bytes at the end of `bytes` start a character that later bytes must complete.
  #incompleteTail(bytes) {
    const n = bytes.length;
    switch (this.encoding) {
      case "utf8": {
        for (let back = 1; back <= Math.min(3, n); back++) {
          const b = bytes[n - back];
          if ((b & 0xc0) === 0x80) continue;  // continuation byte: look further back
          const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 1;
          return need > back ? back : 0;
        }
        return 0;
      }
      case "utf16le": {
        if (n % 2 === 1) return 1 + (n >= 3 && (bytes[n - 2] & 0xfc) === 0xd8 ? 2 : 0);
        return n >= 2 && (bytes[n - 1] & 0xfc) === 0xd8 ? 2 : 0;
      }
      case "base64": case "base64url": return n % 3;
      default: return 0;
    }
  }
  get lastNeed() { return 0; }
}
Object.defineProperty(StringDecoder.prototype, "text", { value(buffer) { return this.write(buffer); }, writable: true, configurable: true });

// --- node:async_hooks ------------------------------------------------------------------------

// The current context frame: a Map from AsyncLocalStorage to its store, or undefined.
let fallbackFrame;
const nativeFrames = typeof native.getContinuationData === "function" && typeof native.setContinuationData === "function";
const getFrame = nativeFrames ? () => native.getContinuationData() ?? undefined : () => fallbackFrame;
const setFrame = nativeFrames ? (frame) => native.setContinuationData(frame) : (frame) => { fallbackFrame = frame; };

function runInFrame(frame, fn, thisArg, args) {
  const previous = getFrame();
  setFrame(frame);
  try {
    return Reflect.apply(fn, thisArg, args);
  } finally {
    setFrame(previous);
  }
}

function bindToFrame(fn, frame = getFrame()) {
  if (typeof fn !== "function" || frame === undefined) return fn;
  return function (...args) { return runInFrame(frame, fn, this, args); };
}

// Callbacks scheduled while a store is active run with it (timers, microtasks and, without the
// native continuation data, promise reactions). Installed on the first AsyncLocalStorage use.
let propagationInstalled = false;
function installPropagation() {
  if (propagationInstalled) return;
  propagationInstalled = true;
  const wrapScheduler = (name, callbackIndex = 0) => {
    const original = global[name];
    if (typeof original !== "function") return;
    const wrapped = {
      [name](...args) {
        if (getFrame() !== undefined) args[callbackIndex] = bindToFrame(args[callbackIndex]);
        return Reflect.apply(original, this, args);
      },
    }[name];
    Object.defineProperty(wrapped, "length", { value: original.length });
    const descriptor = Object.getOwnPropertyDescriptor(global, name);
    Object.defineProperty(global, name, { ...descriptor, value: wrapped });
  };
  wrapScheduler("setTimeout");
  wrapScheduler("setInterval");
  wrapScheduler("queueMicrotask");
  if (!nativeFrames) {
    const originalThen = Promise.prototype.then;
    const then = {
      then(onFulfilled, onRejected) {
        const frame = fallbackFrame;
        if (frame !== undefined) {
          onFulfilled = bindToFrame(onFulfilled, frame);
          onRejected = bindToFrame(onRejected, frame);
        }
        return Reflect.apply(originalThen, this, [onFulfilled, onRejected]);
      },
    }.then;
    Object.defineProperty(Promise.prototype, "then", { value: then, writable: true, configurable: true, enumerable: false });
  }
}

class AsyncLocalStorage {
  constructor() { installPropagation(); }
  static bind(fn) {
    validateFunction(fn, "fn");
    return bindToFrame(fn) ?? fn;
  }
  static snapshot() {
    const frame = getFrame();
    return (fn, ...args) => runInFrame(frame, fn, undefined, args);
  }
  run(store, fn, ...args) {
    const frame = new Map(getFrame());
    frame.set(this, store);
    return runInFrame(frame, fn, undefined, args);
  }
  exit(fn, ...args) {
    const frame = new Map(getFrame());
    frame.delete(this);
    return runInFrame(frame.size === 0 ? undefined : frame, fn, undefined, args);
  }
  getStore() { return getFrame()?.get(this); }
  enterWith(store) {
    const frame = new Map(getFrame());
    frame.set(this, store);
    setFrame(frame);
  }
  disable() {
    const frame = getFrame();
    if (frame?.has(this)) {
      const next = new Map(frame);
      next.delete(this);
      setFrame(next.size === 0 ? undefined : next);
    }
  }
}

let nextAsyncId = 1;
class AsyncResource {
  #frame;
  #asyncId = ++nextAsyncId;
  #triggerAsyncId;
  constructor(type, options) {
    validateString(type, "type");
    installPropagation();
    this.#frame = getFrame();
    this.#triggerAsyncId = typeof options === "number" ? options : options?.triggerAsyncId ?? 1;
  }
  runInAsyncScope(fn, thisArg, ...args) { return runInFrame(this.#frame, fn, thisArg, args); }
  bind(fn, thisArg) {
    validateFunction(fn, "fn");
    const resource = this;
    const bound = function (...args) { return resource.runInAsyncScope(fn, thisArg === undefined ? this : thisArg, ...args); };
    Object.defineProperty(bound, "length", { value: fn.length });
    return bound;
  }
  static bind(fn, type, thisArg) { return new AsyncResource(type || fn.name || "bound-anonymous-fn").bind(fn, thisArg); }
  emitDestroy() { return this; }
  asyncId() { return this.#asyncId; }
  triggerAsyncId() { return this.#triggerAsyncId; }
}

const asyncHooksModule = {
  AsyncLocalStorage, AsyncResource,
  executionAsyncId: () => 1,
  triggerAsyncId: () => 0,
  executionAsyncResource: () => ({}),
  createHook: () => ({ enable() { return this; }, disable() { return this; } }),
  asyncWrapProviders: Object.freeze({ __proto__: null }),
};

// --- process -----------------------------------------------------------------------------------

const startedAt = native.monotonicNow();
const NODE_VERSION = "22.23.4";  // what workerd's process v2 reports
function ProcessPrototype() {}
Object.setPrototypeOf(ProcessPrototype.prototype, EventEmitter.prototype);
Object.defineProperty(ProcessPrototype.prototype, Symbol.toStringTag, { value: "process", configurable: true });
const processObject = new ProcessPrototype();
EventEmitter.init.call(processObject);

function hrtime(previous) {
  const ns = BigInt(Math.round(native.monotonicNow() * 1e6));
  let sec = Number(ns / 1000000000n), nsec = Number(ns % 1000000000n);
  if (previous !== undefined) {
    if (!Array.isArray(previous)) throw invalidArgType("time", "an instance of Array", previous);
    if (previous.length !== 2) throw outOfRange("time", "2", previous.length);
    sec -= previous[0];
    nsec -= previous[1];
    if (nsec < 0) { sec--; nsec += 1e9; }
  }
  return [sec, nsec];
}
hrtime.bigint = () => BigInt(Math.round(native.monotonicNow() * 1e6));

const memoryUsage = () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 });
memoryUsage.rss = () => 0;

Object.assign(processObject, {
  version: `v${NODE_VERSION}`,
  versions: { node: NODE_VERSION },
  release: { name: "node", lts: true, sourceUrl: "", headersUrl: "" },
  platform: "linux",
  arch: "x64",
  title: "loaderd",
  argv: ["loaderd"],
  argv0: "loaderd",
  execArgv: [],
  execPath: "",
  pid: 1,
  ppid: 0,
  exitCode: undefined,
  env: {},
  features: { inspector: false, debug: false, uv: false, ipv6: true, tls_alpn: true, tls_sni: true,
              tls_ocsp: true, tls: true, cached_builtins: true, typescript: false, require_module: false },
  config: { target_defaults: {}, variables: {} },
  cwd: () => "/bundle",
  chdir(directory) {
    validateString(directory, "directory");
    throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The chdir() method is not implemented");
  },
  umask: () => 0o22,
  uptime: () => (native.monotonicNow() - startedAt) / 1000,
  hrtime,
  memoryUsage,
  cpuUsage: () => ({ user: 0, system: 0 }),
  resourceUsage: () => ({}),
  nextTick(callback, ...args) {
    validateFunction(callback, "callback");
    const frame = getFrame();
    queueMicrotaskOriginal(frame === undefined ? () => callback(...args) : () => runInFrame(frame, callback, undefined, args));
  },
  emitWarning(warning, type, code, ctor) {
    if (type !== null && typeof type === "object") ({ type, code } = type);
    if (typeof warning === "string") {
      const error = new Error(warning);
      error.name = typeof type === "string" ? type : "Warning";
      if (code !== undefined) error.code = code;
      warning = error;
    } else if (!(warning instanceof Error)) {
      throw invalidArgType("warning", "of type string or an instance of Error", warning);
    }
    if (warning.name === "DeprecationWarning" && processObject.noDeprecation) return;
    queueMicrotaskOriginal(() => {
      if (processObject.listenerCount("warning") > 0) processObject.emit("warning", warning);
      else console.warn(`(loaderd) ${warning.code ? `[${warning.code}] ` : ""}${warning.name}: ${warning.message}`);
    });
  },
  exit(code) {
    throw new Error(`The Node.js process.exit(${code ?? ""}) API was called. Canceling the request.`);
  },
  abort() { throw new Error("The Node.js process.abort() API was called. Canceling the request."); },
  kill() { throw nodeError(Error, "ERR_METHOD_NOT_IMPLEMENTED", "The kill() method is not implemented"); },
  getBuiltinModule(id) {
    validateString(id, "id");
    const name = id.startsWith("node:") ? id.slice(5) : id;
    return Object.hasOwn(internal.node, name) && name !== "process" ? internal.node[name] : undefined;
  },
  noDeprecation: false,
  throwDeprecation: false,
  traceDeprecation: false,
});
const queueMicrotaskOriginal = global.queueMicrotask;

// --- the modules ---------------------------------------------------------------------------------

internal.node = {
  buffer: bufferModule,
  events: eventsModule,
  util: utilModule,
  crypto: cryptoModule,
  assert,
  path: posix,
  url: urlModule,
  string_decoder: { StringDecoder },
  async_hooks: asyncHooksModule,
  process: processObject,
};
