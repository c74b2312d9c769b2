// Node.js compatibility (nodejs_compat), part 2 of 3: node:buffer (Buffer and the encodings
// utf8, hex, base64, base64url, latin1/binary, ascii, utf16le/ucs2) and node:string_decoder.
// Shares through `internal.nodeImpl`: Buffer, FastBuffer, bufferModule, StringDecoder,
// normalizeEncoding, encodeString, decodeBytes, readUnsigned, kMaxLength.
"use strict";
const native = internal.native;
const impl = internal.nodeImpl;
const { nodeError, invalidArgType, outOfRange, validateString, validateInteger, HEX, compareBytes } = impl;

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
  // workerd's two checks: the offset within the buffer, then the value's bytes within it.
  if (offset < 0 || offset > buffer.length) throw outOfRange("offset", `>= 0 && <= ${buffer.length}`, offset);
  const max = buffer.length - size;
  if (max < 0) throw nodeError(RangeError, "ERR_BUFFER_OUT_OF_BOUNDS", "Attempt to access memory outside buffer bounds");
  if (offset > max) throw outOfRange("offset", `>= 0 and <= ${max}`, offset);
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

function viewOf(input, name = "input") {
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw invalidArgType(name, "an instance of ArrayBuffer, Buffer, or TypedArray", input);
}

// --- node:string_decoder ----------------------------------------------------------------------

class StringDecoder {
  #pending = new Uint8Array(0);
  constructor(encoding) {
    this.encoding = normalizeEncoding(encoding);
  }
  write(buffer) {
    if (typeof buffer === "string") return buffer;
    let bytes = viewOf(buffer, "buf");
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


Object.assign(impl, {
  Buffer, FastBuffer, bufferModule, StringDecoder, normalizeEncoding, encodeString, decodeBytes,
  readUnsigned, kMaxLength,
});
