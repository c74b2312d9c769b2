// Blob, File (https://w3c.github.io/FileAPI/) and FormData (https://xhr.spec.whatwg.org/), with
// the multipart/form-data and application/x-www-form-urlencoded codecs that
// Request/Response.formData() and FormData bodies need. Error messages follow workerd's.
//
// For the C++ Request/Response integration this file sets:
//   internal.blob = {
//     isBlob(x) -> boolean,
//     bytes(blob) -> Uint8Array        the blob's bytes (shared: do not mutate)
//     type(blob) -> string
//     create(bytes: Uint8Array, type: string) -> Blob   (takes ownership of bytes)
//   }
//   internal.formData = {
//     isFormData(x) -> boolean,
//     serialize(formData) -> {contentType: string, bytes: Uint8Array}   multipart/form-data
//     parse(bytes: Uint8Array, contentType: string) -> FormData
//         multipart/form-data (needs a boundary parameter) or application/x-www-form-urlencoded;
//         anything else, or a malformed body, throws a TypeError
//   }
"use strict";

const { native } = internal;
const define = internal.define;

const ILLEGAL_INVOCATION = "Illegal invocation: function called with incorrect `this` reference. " +
  "See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors " +
  "for details.";
const illegalInvocation = () => new TypeError(ILLEGAL_INVOCATION);
const rejected = (e) => {
  const p = Promise.reject(e);
  p.then(undefined, () => {});
  return p;
};

const ArrayBufferSlice = ArrayBuffer.prototype.slice;
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
function isArrayBuffer(v) {
  try { abByteLength.call(v); return true; } catch { return false; }
}
function isObject(v) {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

// WebIDL USVString: lone surrogates become U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function toUSVString(v) {
  const s = String(v);
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, "\uFFFD") : s;
}
LONE_SURROGATE.lastIndex = 0;
function usv(v) {
  LONE_SURROGATE.lastIndex = 0;
  const s = toUSVString(v);
  LONE_SURROGATE.lastIndex = 0;
  return s;
}

let textEncoder;
function encodeUtf8(text) {
  const TE = global.TextEncoder;
  if (typeof TE === "function") {
    textEncoder ??= new TE();
    return textEncoder.encode(text);
  }
  return native.utf8Encode(text);
}
// UTF-8 decode with replacement characters, skipping a leading BOM.
function decodeUtf8(bytes) {
  if (bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
  }
  return native.utf8Decode(bytes, false);
}

function concat(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

// Blob type: lowercase when every code unit is printable ASCII, "" otherwise.
function normalizeType(t) {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return "";
  }
  return t.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Blob and File.

let blobRec, fileRec;
let creating = null;

class Blob {
  #bytes;
  #type;
  static {
    blobRec = (o) => (isObject(o) && #bytes in o) ? { bytes: o.#bytes, type: o.#type } : undefined;
  }

  constructor(blobParts = undefined, options = undefined) {
    if (creating !== null) {
      this.#bytes = creating.bytes;
      this.#type = creating.type;
      creating = null;
      return;
    }
    let parts = [];
    if (blobParts !== undefined) {
      if (!isObject(blobParts) || typeof blobParts[Symbol.iterator] !== "function") {
        throw new TypeError(`Failed to construct '${new.target === File ? "File" : "Blob"}': ` +
          "constructor parameter 1 is not of type 'Array'.");
      }
      parts = [...blobParts];
    }
    const o = readBlobOptions(options);
    this.#bytes = bytesFromParts(parts);
    this.#type = o.type;
  }

  get size() {
    return this.#bytes.byteLength;
  }

  get type() {
    return this.#type;
  }

  slice(start = undefined, end = undefined, contentType = undefined) {
    const bytes = this.#bytes;
    const size = bytes.byteLength;
    const clamp = (v, dflt) => {
      if (v === undefined) return dflt;
      let n = Math.trunc(Number(v));
      if (n !== n) n = 0;
      return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
    };
    const from = clamp(start, 0);
    const to = clamp(end, size);
    const type = contentType === undefined ? "" : normalizeType(String(contentType));
    return makeBlob(bytes.subarray(from, Math.max(from, to)), type);
  }

  text() {
    return Promise.resolve(decodeUtf8(this.#bytes));
  }

  arrayBuffer() {
    const b = this.#bytes;
    return Promise.resolve(ArrayBufferSlice.call(b.buffer, b.byteOffset,
      b.byteOffset + b.byteLength));
  }

  bytes() {
    return Promise.resolve(this.#bytes.slice());
  }

  stream() {
    internal.native.refuseInGlobalScope();  // workerd's is a native byte stream
    return internal.streams.fromBytes(this.#bytes);
  }
}

function readBlobOptions(options) {
  if (options !== undefined && options !== null && !isObject(options)) {
    throw new TypeError("Failed to construct 'Blob': The provided value is not of type " +
      "'BlobPropertyBag'.");
  }
  const o = options ?? {};
  if (o.endings !== undefined) {
    throw new Error("The 'endings' field on 'Options' is not implemented.");
  }
  const type = o.type === undefined ? "" : normalizeType(String(o.type));
  return { type, lastModified: o.lastModified };
}

function bytesFromParts(parts) {
  const chunks = [];
  let total = 0;
  for (const part of parts) {
    let bytes;
    const rec = blobRec(part);
    if (rec !== undefined) {
      bytes = rec.bytes;
    } else if (ArrayBuffer.isView(part)) {
      bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    } else if (isArrayBuffer(part)) {
      bytes = new Uint8Array(part);
    } else {
      bytes = encodeUtf8(usv(part));
    }
    if (bytes.byteLength === 0) continue;
    chunks.push(bytes);
    total += bytes.byteLength;
  }
  // Always copy: parts from user code may change later.
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function makeBlob(bytes, type) {
  creating = { bytes, type };
  try {
    return new Blob();
  } finally {
    creating = null;
  }
}

class File extends Blob {
  #name;
  #lastModified;
  static {
    fileRec = (o) => (isObject(o) && #name in o)
      ? { name: o.#name, lastModified: o.#lastModified } : undefined;
  }

  constructor(fileBits, fileName, options = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to construct 'File': constructor parameter 2 is not of type " +
        "'string'.");
    }
    const name = usv(fileName);
    const o = readBlobOptions(options);
    super(fileBits, o.type === "" ? undefined : { type: o.type });
    this.#name = name;
    this.#lastModified = o.lastModified === undefined ? Date.now()
      : Math.trunc(Number(o.lastModified)) || 0;
  }

  get name() {
    return this.#name;
  }

  get lastModified() {
    return this.#lastModified;
  }
}

// ---------------------------------------------------------------------------------------------
// FormData.

let formDataEntries;
const iteratorState = new WeakMap();

class FormData {
  #entries = [];
  static { formDataEntries = (o) => (isObject(o) && #entries in o) ? o.#entries : undefined; }

  // workerd accepts and ignores a form argument (there are no HTML forms).
  constructor(form = undefined) {}

  append(name, value, filename = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'append' on 'FormData': parameter 2 is not of " +
        "type 'File or Blob or string'.");
    }
    this.#entries.push(createEntry(name, value, filename, arguments.length > 2));
  }

  delete(name) {
    const n = usv(name);
    this.#entries = this.#entries.filter((e) => e.name !== n);
  }

  get(name) {
    const n = usv(name);
    const e = this.#entries.find((x) => x.name === n);
    return e === undefined ? null : e.value;
  }

  getAll(name) {
    const n = usv(name);
    return this.#entries.filter((x) => x.name === n).map((x) => x.value);
  }

  has(name) {
    const n = usv(name);
    return this.#entries.some((x) => x.name === n);
  }

  set(name, value, filename = undefined) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to execute 'set' on 'FormData': parameter 2 is not of " +
        "type 'File or Blob or string'.");
    }
    const entry = createEntry(name, value, filename, arguments.length > 2);
    const list = this.#entries;
    const i = list.findIndex((x) => x.name === entry.name);
    if (i < 0) {
      list.push(entry);
      return;
    }
    list[i] = entry;
    this.#entries = list.filter((x, j) => j <= i || x.name !== entry.name);
  }

  entries() {
    return makeIterator(this, "entries");
  }

  keys() {
    return makeIterator(this, "keys");
  }

  values() {
    return makeIterator(this, "values");
  }

  forEach(callback, thisArg = undefined) {
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of " +
        "type 'Function'.");
    }
    for (let i = 0; i < this.#entries.length; i++) {
      const e = this.#entries[i];
      callback.call(thisArg, e.value, e.name, this);
    }
  }
}

function createEntry(name, value, filename, hasFilename) {
  const n = usv(name);
  if (blobRec(value) !== undefined) {
    const file = fileRec(value);
    if (file !== undefined && !hasFilename) return { name: n, value };
    // workerd names an unnamed Blob after the entry (the spec says "blob").
    const fname = hasFilename && filename !== undefined ? usv(filename)
      : file !== undefined ? file.name : n;
    return { name: n, value: new File([value], fname, { type: value.type }) };
  }
  return { name: n, value: usv(value) };
}

// Iterators see entries appended after they were made (index-based, as WebIDL's are).
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
const ITERATOR_PROTOS = {};
for (const [kind, tag] of [["entries", "EntryIterator"], ["keys", "KeyIterator"],
  ["values", "ValueIterator"]]) {
  const proto = Object.create(IteratorPrototype);
  Object.defineProperty(proto, "next", {
    value: function next() {
      const st = iteratorState.get(this);
      if (st === undefined || st.kind !== kind) throw illegalInvocation();
      const list = formDataEntries(st.formData);
      if (st.index >= list.length) return { value: undefined, done: true };
      const e = list[st.index++];
      const value = kind === "entries" ? [e.name, e.value] : kind === "keys" ? e.name : e.value;
      return { value, done: false };
    },
    writable: true, enumerable: true, configurable: true,
  });
  Object.defineProperty(proto, Symbol.toStringTag, { value: tag, configurable: true });
  ITERATOR_PROTOS[kind] = proto;
}
function makeIterator(formData, kind) {
  const it = Object.create(ITERATOR_PROTOS[kind]);
  iteratorState.set(it, { formData, kind, index: 0 });
  return it;
}

// ---------------------------------------------------------------------------------------------
// Class shape: receiver checks, enumerable members, toStringTag, registration.

function finishClass(Cls, name, isInstance, promiseMembers) {
  for (const key of Reflect.ownKeys(Cls.prototype)) {
    if (key === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(Cls.prototype, key);
    const wrap = (fn, prefix) => {
      const wrapped = {
        [key](...args) {
          if (!isInstance(this)) {
            if (promiseMembers.includes(key)) return rejected(illegalInvocation());
            throw illegalInvocation();
          }
          return Reflect.apply(fn, this, args);
        },
      }[key];
      Object.defineProperty(wrapped, "length", { value: fn.length });
      Object.defineProperty(wrapped, "name", { value: prefix + String(key) });
      return wrapped;
    };
    if (d.get) d.get = wrap(d.get, "get ");
    if (typeof d.value === "function") d.value = wrap(d.value, "");
    d.enumerable = true;
    Object.defineProperty(Cls.prototype, key, d);
  }
  Object.defineProperty(Cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  Object.defineProperty(Cls, "length", { value: 0 });
  define(name, Cls);
}

finishClass(Blob, "Blob", (o) => blobRec(o) !== undefined, ["text", "arrayBuffer", "bytes"]);
finishClass(File, "File", (o) => fileRec(o) !== undefined, []);
finishClass(FormData, "FormData", (o) => formDataEntries(o) !== undefined, []);
// workerd's @@iterator is a function of its own, not `entries`.
Object.defineProperty(FormData.prototype, Symbol.iterator, {
  value: {
    [Symbol.iterator]() {
      if (formDataEntries(this) === undefined) throw illegalInvocation();
      return makeIterator(this, "entries");
    },
  }[Symbol.iterator],
  writable: true, enumerable: false, configurable: true,
});

// ---------------------------------------------------------------------------------------------
// multipart/form-data and application/x-www-form-urlencoded.

// Parses a Content-Type value: {essence, params: Map} (lowercased essence and parameter names).
function parseContentType(value) {
  const s = String(value);
  const semi = s.indexOf(";");
  const essence = (semi < 0 ? s : s.slice(0, semi)).trim().toLowerCase();
  const params = new Map();
  let i = semi < 0 ? s.length : semi + 1;
  while (i < s.length) {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === ";")) i++;
    let eq = i;
    while (eq < s.length && s[eq] !== "=" && s[eq] !== ";") eq++;
    const key = s.slice(i, eq).trim().toLowerCase();
    if (eq >= s.length || s[eq] === ";") {
      i = eq + 1;
      continue;
    }
    i = eq + 1;
    let val = "";
    if (s[i] === "\"") {
      i++;
      while (i < s.length && s[i] !== "\"") {
        if (s[i] === "\\" && i + 1 < s.length) i++;
        val += s[i++];
      }
      while (i < s.length && s[i] !== ";") i++;
    } else {
      const end = s.indexOf(";", i);
      val = s.slice(i, end < 0 ? s.length : end).trim();
      i = end < 0 ? s.length : end;
    }
    if (key && !params.has(key)) params.set(key, val);
  }
  return { essence, params };
}

function escapeMultipartName(s) {
  return s.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
}
function normalizeNewlines(s) {
  return s.replace(/\r\n|\r|\n/g, "\r\n");
}

function randomBoundary() {
  const bytes = native.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `----formdata-loaderd-${hex}`;
}

function serialize(formData) {
  const list = formDataEntries(formData);
  if (list === undefined) throw new TypeError("Expected a FormData.");
  const boundary = randomBoundary();
  const chunks = [];
  let total = 0;
  const push = (bytes) => {
    chunks.push(bytes);
    total += bytes.byteLength;
  };
  const pushText = (text) => push(encodeUtf8(text));
  for (const { name, value } of list) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="` +
      `${escapeMultipartName(normalizeNewlines(name))}"`;
    if (typeof value === "string") {
      pushText(`${head}\r\n\r\n${normalizeNewlines(value)}\r\n`);
    } else {
      const file = fileRec(value);
      const type = blobRec(value).type || "application/octet-stream";
      head += `; filename="${escapeMultipartName(file.name)}"\r\nContent-Type: ${type}\r\n\r\n`;
      pushText(head);
      push(blobRec(value).bytes);
      pushText("\r\n");
    }
  }
  pushText(`--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    bytes: concat(chunks, total),
  };
}

// Index of `needle` in `hay` at or after `from`, or -1.
function indexOfBytes(hay, needle, from) {
  const first = needle[0];
  const last = hay.byteLength - needle.byteLength;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.byteLength && hay[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}

const parseError = () => new TypeError("Failed to parse body as FormData.");

function parseMultipart(bytes, boundary) {
  const fd = new FormData();
  const entries = formDataEntries(fd);
  const delimiter = encodeUtf8(`--${boundary}`);
  const crlfDelimiter = encodeUtf8(`\r\n--${boundary}`);
  const headerEnd = encodeUtf8("\r\n\r\n");
  let pos = indexOfBytes(bytes, delimiter, 0);
  if (pos < 0) throw parseError();
  pos += delimiter.byteLength;
  for (;;) {
    // After a delimiter: "--" ends the body, otherwise CRLF starts a part.
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) break;
    while (bytes[pos] === 0x20 || bytes[pos] === 0x09) pos++;
    if (bytes[pos] !== 0x0d || bytes[pos + 1] !== 0x0a) throw parseError();
    pos += 2;
    const hEnd = indexOfBytes(bytes, headerEnd, pos);
    let headerText;
    let bodyStart;
    if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) {
      headerText = "";
      bodyStart = pos + 2;
    } else {
      if (hEnd < 0) throw parseError();
      headerText = decodeUtf8(bytes.subarray(pos, hEnd));
      bodyStart = hEnd + 4;
    }
    const next = indexOfBytes(bytes, crlfDelimiter, bodyStart);
    if (next < 0) throw parseError();
    const body = bytes.subarray(bodyStart, next);
    let name;
    let filename;
    let contentType = "";
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const val = line.slice(colon + 1).trim();
      if (key === "content-disposition") {
        const cd = parseContentType(val);
        if (cd.essence !== "form-data") throw parseError();
        name = cd.params.get("name");
        filename = cd.params.get("filename");
      } else if (key === "content-type") {
        contentType = val;
      }
    }
    if (name === undefined) throw parseError();
    if (filename !== undefined) {
      entries.push({ name, value: new File([body], filename, { type: contentType }) });
    } else {
      entries.push({ name, value: decodeUtf8(body) });
    }
    pos = next + crlfDelimiter.byteLength;
  }
  return fd;
}

function percentDecodeBytes(bytes) {
  const out = new Uint8Array(bytes.byteLength);
  let n = 0;
  const hex = (c) => (c >= 0x30 && c <= 0x39) ? c - 0x30 : (c >= 0x41 && c <= 0x46) ? c - 0x37
    : (c >= 0x61 && c <= 0x66) ? c - 0x57 : -1;
  for (let i = 0; i < bytes.byteLength; i++) {
    const c = bytes[i];
    if (c === 0x2b) {
      out[n++] = 0x20;
    } else if (c === 0x25 && i + 2 < bytes.byteLength && hex(bytes[i + 1]) >= 0 &&
               hex(bytes[i + 2]) >= 0) {
      out[n++] = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

function parseUrlEncoded(bytes) {
  const fd = new FormData();
  const entries = formDataEntries(fd);
  let start = 0;
  while (start <= bytes.byteLength) {
    let end = bytes.indexOf(0x26, start);
    if (end < 0) end = bytes.byteLength;
    if (end > start) {
      const seq = bytes.subarray(start, end);
      const eq = seq.indexOf(0x3d);
      const nameBytes = eq < 0 ? seq : seq.subarray(0, eq);
      const valueBytes = eq < 0 ? seq.subarray(seq.byteLength) : seq.subarray(eq + 1);
      entries.push({
        name: native.utf8Decode(percentDecodeBytes(nameBytes), false),
        value: native.utf8Decode(percentDecodeBytes(valueBytes), false),
      });
    }
    start = end + 1;
  }
  return fd;
}

function parse(bytes, contentType) {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  const { essence, params } = parseContentType(contentType ?? "");
  if (essence === "multipart/form-data") {
    const boundary = params.get("boundary");
    if (!boundary) {
      throw new TypeError("No boundary string in Content-Type header. The multipart/form-data " +
        "MIME type requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; " +
        "boundary=\"abcd\"'. See RFC 7578, section 4.");
    }
    return parseMultipart(view, boundary);
  }
  if (essence === "application/x-www-form-urlencoded") return parseUrlEncoded(view);
  throw new TypeError("Unrecognized Content-Type header value. FormData can only parse the " +
    "following MIME types: multipart/form-data, application/x-www-form-urlencoded");
}

internal.blob = {
  isBlob: (x) => blobRec(x) !== undefined,
  bytes: (blob) => blobRec(blob).bytes,
  type: (blob) => blobRec(blob).type,
  create: (bytes, type) => makeBlob(bytes, normalizeType(String(type ?? ""))),
};
internal.formData = {
  isFormData: (x) => formDataEntries(x) !== undefined,
  serialize,
  parse,
};
