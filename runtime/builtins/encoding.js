// TextEncoder, TextDecoder (Encoding Standard: UTF-8, UTF-16LE/BE and windows-1252, with fatal,
// ignoreBOM and streaming) and atob/btoa (HTML's forgiving-base64), with workerd's messages.
"use strict";
const { native, webidlInterface, illegalInvocation, DOMException } = internal;
const { getOwnPropertyDescriptor, getPrototypeOf } = Object;
const { apply } = Reflect;
const StringFromCharCode = String.fromCharCode;
const StringPrototypeCharCodeAt = String.prototype.charCodeAt;
const StringPrototypeToWellFormed = String.prototype.toWellFormed;  // from polyfills.js on V8 10.2
const Uint8ArrayCtor = Uint8Array;
const ArrayBufferCtor = ArrayBuffer;
const ArrayBufferIsView = ArrayBuffer.isView;
const ArrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
const SharedArrayBufferByteLength = typeof SharedArrayBuffer === "function"
  ? getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get : undefined;
const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
const TypedArrayTag = getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const TypedArrayBuffer = getOwnPropertyDescriptor(TypedArrayPrototype, "buffer").get;
const TypedArrayByteOffset = getOwnPropertyDescriptor(TypedArrayPrototype, "byteOffset").get;
const TypedArrayByteLength = getOwnPropertyDescriptor(TypedArrayPrototype, "byteLength").get;
const TypedArrayLength = getOwnPropertyDescriptor(TypedArrayPrototype, "length").get;
const TypedArraySet = TypedArrayPrototype.set;
const TypedArraySubarray = TypedArrayPrototype.subarray;
const DataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, "buffer").get;
const DataViewByteOffset = getOwnPropertyDescriptor(DataView.prototype, "byteOffset").get;
const DataViewByteLength = getOwnPropertyDescriptor(DataView.prototype, "byteLength").get;

function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isUint8Array(value) {
  return isObject(value) && apply(TypedArrayTag, value, []) === "Uint8Array";
}

function byteLengthOfBuffer(value) {
  try {
    return apply(ArrayBufferByteLength, value, []);
  } catch {}
  if (SharedArrayBufferByteLength !== undefined) {
    try {
      return apply(SharedArrayBufferByteLength, value, []);
    } catch {}
  }
  return -1;
}

// A Uint8Array over the bytes of a BufferSource, or undefined when `value` is not one.
function bytesOf(value) {
  if (!isObject(value)) return undefined;
  if (ArrayBufferIsView(value)) {
    if (apply(TypedArrayTag, value, []) !== undefined) {
      return new Uint8ArrayCtor(apply(TypedArrayBuffer, value, []),
                                apply(TypedArrayByteOffset, value, []),
                                apply(TypedArrayByteLength, value, []));
    }
    return new Uint8ArrayCtor(apply(DataViewBuffer, value, []), apply(DataViewByteOffset, value, []),
                              apply(DataViewByteLength, value, []));
  }
  const length = byteLengthOfBuffer(value);
  return length < 0 ? undefined : new Uint8ArrayCtor(value, 0, length);
}

// Latin-1 string from bytes[start, end), in chunks small enough for apply().
function latin1(bytes, start = 0, end = apply(TypedArrayLength, bytes, [])) {
  let result = "";
  for (let i = start; i < end; i += 8192) {
    result += apply(StringFromCharCode, null, apply(TypedArraySubarray, bytes, [i, Math.min(i + 8192, end)]));
  }
  return result;
}

// --- TextEncoder -----------------------------------------------------------------------------------

class TextEncoderImpl {
  #brand;
  static #check(self) {
    if (!isObject(self) || !(#brand in self)) throw illegalInvocation();
  }
  get encoding() {
    TextEncoderImpl.#check(this);
    return "utf-8";
  }
  encode(input = "") {
    TextEncoderImpl.#check(this);
    return native.utf8Encode(apply(StringPrototypeToWellFormed, `${input}`, []));
  }
  encodeInto(source, destination) {
    TextEncoderImpl.#check(this);
    const string = `${source}`;
    if (!isUint8Array(destination)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not " +
                          "of type 'Uint8Array'.");
    }
    const available = apply(TypedArrayLength, destination, []);
    const length = string.length;
    if (length * 3 <= available) {
      const bytes = native.utf8Encode(apply(StringPrototypeToWellFormed, string, []));
      apply(TypedArraySet, destination, [bytes]);
      return { read: length, written: apply(TypedArrayLength, bytes, []) };
    }
    let read = 0, written = 0;
    while (read < length) {
      let code = apply(StringPrototypeCharCodeAt, string, [read]);
      let units = 1;
      if (code >= 0xD800 && code <= 0xDBFF && read + 1 < length) {
        const next = apply(StringPrototypeCharCodeAt, string, [read + 1]);
        if (next >= 0xDC00 && next <= 0xDFFF) {
          code = 0x10000 + ((code - 0xD800) << 10) + (next - 0xDC00);
          units = 2;
        }
      }
      if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;
      const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (written + size > available) break;
      if (size === 1) {
        destination[written] = code;
      } else if (size === 2) {
        destination[written] = 0xC0 | (code >> 6);
        destination[written + 1] = 0x80 | (code & 0x3F);
      } else if (size === 3) {
        destination[written] = 0xE0 | (code >> 12);
        destination[written + 1] = 0x80 | ((code >> 6) & 0x3F);
        destination[written + 2] = 0x80 | (code & 0x3F);
      } else {
        destination[written] = 0xF0 | (code >> 18);
        destination[written + 1] = 0x80 | ((code >> 12) & 0x3F);
        destination[written + 2] = 0x80 | ((code >> 6) & 0x3F);
        destination[written + 3] = 0x80 | (code & 0x3F);
      }
      written += size;
      read += units;
    }
    return { read, written };
  }
}
internal.define("TextEncoder", webidlInterface(TextEncoderImpl));

// --- TextDecoder -----------------------------------------------------------------------------------

const LABELS = new Map();
for (const [encoding, labels] of [
  ["utf-8", ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
             "x-unicode20utf8"]],
  ["utf-16be", ["unicodefffe", "utf-16be"]],
  ["utf-16le", ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16",
                "utf-16le"]],
  ["windows-1252", ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
                    "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
                    "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"]],
]) {
  for (const label of labels) LABELS.set(label, encoding);
}

// windows-1252 bytes 0x80-0x9F (the Encoding Standard's index; the rest is Latin-1).
const WINDOWS_1252_HIGH = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160" +
  "\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122" +
  "\u0161\u203A\u0153\u009D\u017E\u0178";

// "get an encoding": ASCII whitespace trimmed, ASCII case-insensitive.
function encodingForLabel(label) {
  return LABELS.get(label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "").replace(/[A-Z]+/g,
    (upper) => upper.toLowerCase()));
}

function decodeError() {
  return new TypeError("Failed to decode input.");
}

// Length of the tail of bytes[0, end) that is a valid but incomplete UTF-8 sequence (0 if none).
function incompleteUtf8Tail(bytes, end) {
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const byte = bytes[i];
    if (byte >= 0x80 && byte <= 0xBF) continue;
    const needed = byte >= 0xC2 && byte <= 0xDF ? 2 : byte >= 0xE0 && byte <= 0xEF ? 3
      : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0;
    const have = end - i;
    if (needed <= have) return 0;
    if (have >= 2) {
      const second = bytes[i + 1];
      const low = byte === 0xE0 ? 0xA0 : byte === 0xF0 ? 0x90 : 0x80;
      const high = byte === 0xED ? 0x9F : byte === 0xF4 ? 0x8F : 0xBF;
      if (second < low || second > high) return 0;
    }
    return have;
  }
  return 0;
}

class TextDecoderImpl {
  #encoding;
  #fatal;
  #ignoreBOM;
  #bomSeen = false;
  #doNotFlush = false;
  #pending = null;  // Uint8Array of bytes carried to the next call (streaming)
  #leadSurrogate = -1;  // UTF-16: a lead surrogate waiting for its trail

  constructor(label = "utf-8", options = undefined) {
    const labelString = `${label}`;
    let fatal = false, ignoreBOM = false;
    if (options !== undefined && options !== null) {
      if (!isObject(options)) {
        throw new TypeError("Failed to construct 'TextDecoder': constructor parameter 2 is not of " +
                            "type 'ConstructorOptions'.");
      }
      fatal = !!options.fatal;
      ignoreBOM = !!options.ignoreBOM;
    }
    const encoding = encodingForLabel(labelString);
    if (encoding === undefined) throw new RangeError(`"${labelString}" is not a valid encoding.`);
    this.#encoding = encoding;
    this.#fatal = fatal;
    this.#ignoreBOM = ignoreBOM;
  }

  static #check(self) {
    if (!isObject(self) || !(#encoding in self)) throw illegalInvocation();
    return self;
  }

  get encoding() { return TextDecoderImpl.#check(this).#encoding; }
  get fatal() { return TextDecoderImpl.#check(this).#fatal; }
  get ignoreBOM() { return TextDecoderImpl.#check(this).#ignoreBOM; }

  decode(input = undefined, options = undefined) {
    TextDecoderImpl.#check(this);
    let bytes;
    if (input === undefined) {
      bytes = new Uint8ArrayCtor(0);
    } else {
      bytes = bytesOf(input);
      if (bytes === undefined) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of " +
                            "type 'Array'.");
      }
    }
    let stream = false;
    if (options !== undefined && options !== null) {
      if (!isObject(options)) {
        throw new TypeError("Failed to execute 'decode' on 'TextDecoder': parameter 2 is not of " +
                            "type 'DecodeOptions'.");
      }
      stream = !!options.stream;
    }
    if (!this.#doNotFlush) {
      this.#pending = null;
      this.#leadSurrogate = -1;
      this.#bomSeen = false;
    }
    this.#doNotFlush = stream;
    if (this.#pending !== null) {
      const pending = this.#pending;
      const joined = new Uint8ArrayCtor(pending.length + bytes.length);
      apply(TypedArraySet, joined, [pending]);
      apply(TypedArraySet, joined, [bytes, pending.length]);
      bytes = joined;
      this.#pending = null;
    }
    let text;
    try {
      switch (this.#encoding) {
        case "utf-8": text = this.#utf8(bytes, stream); break;
        case "utf-16le": text = this.#utf16(bytes, stream, true); break;
        case "utf-16be": text = this.#utf16(bytes, stream, false); break;
        default: text = this.#windows1252(bytes); break;
      }
    } catch (error) {
      this.#doNotFlush = false;
      this.#pending = null;
      this.#leadSurrogate = -1;
      throw error;
    }
    if (!this.#bomSeen && text.length > 0 && this.#encoding !== "windows-1252") {
      this.#bomSeen = true;
      if (!this.#ignoreBOM && apply(StringPrototypeCharCodeAt, text, [0]) === 0xFEFF) {
        text = text.slice(1);
      }
    }
    return text;
  }

  #utf8(bytes, stream) {
    let end = bytes.length;
    if (stream) {
      const tail = incompleteUtf8Tail(bytes, end);
      if (tail > 0) {
        end -= tail;
        this.#pending = apply(TypedArraySubarray, bytes, [end]).slice();
        bytes = apply(TypedArraySubarray, bytes, [0, end]);
      }
    }
    if (end === 0) return "";
    const text = native.utf8Decode(bytes, this.#fatal);
    if (text === null) throw decodeError();
    return text;
  }

  #utf16(bytes, stream, littleEndian) {
    let length = bytes.length;
    if (length % 2 === 1) {
      length--;
      if (stream) {
        this.#pending = apply(TypedArraySubarray, bytes, [length]).slice();
      }
    }
    const units = [];
    let result = "";
    let lead = this.#leadSurrogate;
    const replacement = () => {
      if (this.#fatal) throw decodeError();
      units.push(0xFFFD);
    };
    for (let i = 0; i < length; i += 2) {
      const unit = littleEndian ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
      if (lead >= 0) {
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
          units.push(lead, unit);
          lead = -1;
          continue;
        }
        lead = -1;
        replacement();
      }
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        lead = unit;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        replacement();
      } else {
        units.push(unit);
      }
      if (units.length >= 8192) {
        result += apply(StringFromCharCode, null, units);
        units.length = 0;
      }
    }
    if (!stream && (lead >= 0 || length !== bytes.length)) {
      lead = -1;
      replacement();
    }
    this.#leadSurrogate = lead;
    return result + apply(StringFromCharCode, null, units);
  }

  #windows1252(bytes) {
    const length = bytes.length;
    let i = 0;
    while (i < length && (bytes[i] < 0x80 || bytes[i] > 0x9F)) i++;
    if (i === length) return latin1(bytes);
    let result = latin1(bytes, 0, i);
    for (; i < length; i++) {
      const byte = bytes[i];
      result += byte >= 0x80 && byte <= 0x9F ? WINDOWS_1252_HIGH[byte - 0x80] : StringFromCharCode(byte);
    }
    return result;
  }
}
internal.define("TextDecoder", webidlInterface(TextDecoderImpl));

// --- atob, btoa ------------------------------------------------------------------------------------

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUES[apply(StringPrototypeCharCodeAt, BASE64, [i])] = i;

const ATOB_INVALID = "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', " +
  "alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible " +
  "by 4 are allowed.)";

function isAsciiWhitespace(code) {
  return code === 0x20 || code === 0x09 || code === 0x0A || code === 0x0C || code === 0x0D;
}

// HTML's forgiving-base64 decode, to a Latin-1 string.
function atob(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'atob' on 'ServiceWorkerGlobalScope': parameter 1 is " +
                        "not of type 'string'.");
  }
  const string = `${data}`;
  const length = string.length;
  const sextets = new Uint8ArrayCtor(length);
  let count = 0, padding = 0;
  for (let i = 0; i < length; i++) {
    const code = apply(StringPrototypeCharCodeAt, string, [i]);
    if (isAsciiWhitespace(code)) continue;
    if (code === 0x3D) {  // "=": only at the end
      padding++;
      continue;
    }
    const value = code < 128 ? BASE64_VALUES[code] : -1;
    if (value < 0 || padding > 0) throw new DOMException(ATOB_INVALID, "InvalidCharacterError");
    sextets[count++] = value;
  }
  if (padding > 0 && (padding > 2 || (count + padding) % 4 !== 0)) {
    throw new DOMException(ATOB_INVALID, "InvalidCharacterError");
  }
  if (count % 4 === 1) throw new DOMException(ATOB_INVALID, "InvalidCharacterError");
  const bytes = new Uint8ArrayCtor((count * 3) >> 2);
  let j = 0, i = 0;
  for (; i + 4 <= count; i += 4) {
    const n = (sextets[i] << 18) | (sextets[i + 1] << 12) | (sextets[i + 2] << 6) | sextets[i + 3];
    bytes[j++] = n >> 16;
    bytes[j++] = (n >> 8) & 0xFF;
    bytes[j++] = n & 0xFF;
  }
  if (count - i === 2) {
    bytes[j++] = (sextets[i] << 2) | (sextets[i + 1] >> 4);
  } else if (count - i === 3) {
    const n = (sextets[i] << 12) | (sextets[i + 1] << 6) | sextets[i + 2];
    bytes[j++] = n >> 10;
    bytes[j++] = (n >> 2) & 0xFF;
  }
  return latin1(bytes);
}

function btoa(data) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'btoa' on 'ServiceWorkerGlobalScope': parameter 1 is " +
                        "not of type 'String'.");
  }
  const string = `${data}`;
  const length = string.length;
  const parts = [];
  let chunk = "";
  const char = (i) => apply(StringPrototypeCharCodeAt, string, [i]);
  for (let i = 0; i < length; i += 3) {
    const a = char(i), b = i + 1 < length ? char(i + 1) : 0, c = i + 2 < length ? char(i + 2) : 0;
    if (a > 0xFF || b > 0xFF || c > 0xFF) {
      throw new DOMException(
        "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.",
        "InvalidCharacterError");
    }
    const n = (a << 16) | (b << 8) | c;
    chunk += BASE64[n >> 18] + BASE64[(n >> 12) & 63] +
      (i + 1 < length ? BASE64[(n >> 6) & 63] : "=") + (i + 2 < length ? BASE64[n & 63] : "=");
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

internal.define("atob", atob);
internal.define("btoa", btoa);
