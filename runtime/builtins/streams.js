// The WHATWG Streams Standard (https://streams.spec.whatwg.org/): ReadableStream (default and
// byte streams), its readers and controllers, WritableStream, TransformStream, the queuing
// strategies, TextEncoderStream/TextDecoderStream, and workerd's IdentityTransformStream and
// FixedLengthStream. CompressionStream/DecompressionStream need native zlib and are not here.
//
// Shape: every public object holds one private record (`#r`); the spec's algorithms below work
// on records (plain objects whose fields are the spec's internal slots), and `rec.pub` is the
// public object. Records are unreachable from user code. Error messages follow workerd's.
//
// For the C++ Request/Response integration this file sets `internal.streams`:
//   isReadableStream(x) -> boolean
//   isWritableStream(x) -> boolean
//   isDisturbed(stream) -> boolean            the stream has been read from or cancelled
//   isLocked(stream) -> boolean
//   readAllBytes(stream) -> Promise<Uint8Array>
//       locks the stream and concatenates every chunk (each must be a BufferSource; otherwise
//       the promise rejects with a TypeError and the stream is cancelled)
//   readAllText(stream) -> Promise<string>     readAllBytes + UTF-8 decode (replacement chars)
//   fromBytes(uint8array) -> ReadableStream    a byte stream that yields the bytes once, in chunks
//       of at most 64 KiB (the array is not copied; do not mutate it afterwards)
//   fromChunks(iterable of Uint8Array) -> ReadableStream   a byte stream over buffered chunks
//   fromPull(pull(controller) -> Promise|void, cancel(reason)?, {highWaterMark}) -> ReadableStream
//       a byte stream driven by native code; controller has enqueue(bytes)/close()/error(e)
//   tee(stream) -> [ReadableStream, ReadableStream]   (Request/Response.clone())
//   reader(stream) -> {read() -> Promise<{value, done}>, cancel(reason), release()}
//       a default reader for native pumping (e.g. sending a body chunk by chunk)
//   expectedLength(stream) -> number | undefined   FixedLengthStream's length, for Content-Length
"use strict";

const { native } = internal;
const define = internal.define;

// ---------------------------------------------------------------------------------------------
// Small helpers.

const promiseThen = Promise.prototype.then;
const PromiseCtor = Promise;
const promiseResolve = (v) => PromiseCtor.resolve(v);
const ArrayBufferSlice = ArrayBuffer.prototype.slice;
const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
const TypedArray = Object.getPrototypeOf(Uint8Array);
const taBuffer = Object.getOwnPropertyDescriptor(TypedArray.prototype, "buffer").get;
const taByteOffset = Object.getOwnPropertyDescriptor(TypedArray.prototype, "byteOffset").get;
const taByteLength = Object.getOwnPropertyDescriptor(TypedArray.prototype, "byteLength").get;
const taLength = Object.getOwnPropertyDescriptor(TypedArray.prototype, "length").get;
const taTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag).get;
const dvBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, "buffer").get;
const dvByteOffset = Object.getOwnPropertyDescriptor(DataView.prototype, "byteOffset").get;
const dvByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get;
const AsyncIteratorPrototype =
  Object.getPrototypeOf(Object.getPrototypeOf((async function* () {}).prototype));
const noop = () => {};
const resolvedUndefined = () => promiseResolve(undefined);

const ILLEGAL_INVOCATION = "Illegal invocation: function called with incorrect `this` reference. " +
  "See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors " +
  "for details.";
const illegalInvocation = () => new TypeError(ILLEGAL_INVOCATION);
const illegalConstructor = () => new TypeError("Illegal constructor");

function domException(message, name) {
  const D = global.DOMException ?? internal.DOMException;
  if (typeof D === "function") return new D(message, name);
  const e = new Error(message);
  e.name = name;
  return e;
}

function uponPromise(promise, onFulfilled, onRejected) {
  promiseThen.call(promise, onFulfilled, onRejected);
}
function transformPromise(promise, onFulfilled, onRejected) {
  return promiseThen.call(promise, onFulfilled, onRejected);
}
function markHandled(promise) {
  promiseThen.call(promise, undefined, noop);
  return promise;
}
function rejected(e) {
  return markHandled(PromiseCtor.reject(e));
}
// Runs fn in a microtask (queueMicrotask ordering, without depending on the global).
function microtask(fn) {
  promiseThen.call(promiseResolve(undefined), fn);
}

// workerd settles the promises a reader hands out (read(), closed) one microtask after the
// stream's state changes; user-visible reader promises go through this hop to match.
const identity = (v) => v;
function workerdHop(promise) {
  return promiseThen.call(promise, identity);
}
function setReaderClosedPromise(r, d) {
  r.closedPromise = d;
  r.closedPublic = markHandled(workerdHop(d.promise));
}

// A promise with its resolving functions and whether it is still pending.
function deferred() {
  const d = { promise: undefined, resolve: undefined, reject: undefined, pending: true };
  d.promise = new PromiseCtor((resolve, reject) => {
    d.resolve = (v) => { if (d.pending) { d.pending = false; resolve(v); } };
    d.reject = (e) => { if (d.pending) { d.pending = false; reject(e); } };
  });
  return d;
}
function deferredResolved(v) {
  const d = deferred();
  d.resolve(v);
  return d;
}
function deferredRejected(e) {
  const d = deferred();
  d.reject(e);
  markHandled(d.promise);
  return d;
}

// Calls `fn` and converts the result (or a throw) to a promise.
function promiseCall(fn, thisArg, ...args) {
  try {
    return promiseResolve(Reflect.apply(fn, thisArg, args));
  } catch (e) {
    return PromiseCtor.reject(e);
  }
}

// A FIFO with O(1) shift (Array.prototype.shift is O(n) on large arrays).
class Queue {
  constructor() { this.items = []; this.head = 0; }
  get length() { return this.items.length - this.head; }
  push(v) { this.items.push(v); }
  peek() { return this.items[this.head]; }
  at(i) { return this.items[this.head + i]; }
  shift() {
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
  clear() { this.items = []; this.head = 0; }
  *[Symbol.iterator]() { for (let i = this.head; i < this.items.length; i++) yield this.items[i]; }
}

function isObject(v) {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

// WebIDL dictionary argument: undefined/null -> {}, other non-objects -> TypeError.
function dictionary(value, what) {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new TypeError(`${what} must be an object.`);
  return value;
}

function isArrayBufferView(v) {
  return ArrayBuffer.isView(v);
}
function isTypedArray(v) {
  return ArrayBuffer.isView(v) && taTag.call(v) !== undefined;
}
function viewBuffer(v) { return isTypedArray(v) ? taBuffer.call(v) : dvBuffer.call(v); }
function viewByteOffset(v) { return isTypedArray(v) ? taByteOffset.call(v) : dvByteOffset.call(v); }
function viewByteLength(v) { return isTypedArray(v) ? taByteLength.call(v) : dvByteLength.call(v); }
function isArrayBuffer(v) {
  try { abByteLength.call(v); return true; } catch { return false; }
}
// A detached buffer reports byteLength 0 and cannot be sliced.
function isDetached(buffer) {
  if (abByteLength.call(buffer) !== 0) return false;
  try { ArrayBufferSlice.call(buffer, 0, 0); return false; } catch { return true; }
}
// TransferArrayBuffer. Without a native detach helper the buffer is kept: callers only use the
// result, and buffers handed in by user code are copied where aliasing would be observable.
const transferArrayBuffer = native.transferArrayBuffer?.bind(native) ?? ((buffer) => buffer);
const canDetach = typeof native.transferArrayBuffer === "function";
function copyBytes(buffer, byteOffset, byteLength) {
  return ArrayBufferSlice.call(buffer, byteOffset, byteOffset + byteLength);
}

// BufferSource -> Uint8Array over the same memory.
function toUint8Array(chunk) {
  if (isArrayBufferView(chunk)) {
    return new Uint8Array(viewBuffer(chunk), viewByteOffset(chunk), viewByteLength(chunk));
  }
  if (isArrayBuffer(chunk)) return new Uint8Array(chunk);
  return undefined;
}

function concatChunks(chunks, total) {
  if (chunks.length === 1 && chunks[0].byteLength === total) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Queue-with-sizes and strategy helpers.

function dequeueValue(c) {
  const pair = c.queue.shift();
  c.queueTotalSize -= pair.size;
  if (c.queueTotalSize < 0) c.queueTotalSize = 0;
  return pair.value;
}
function enqueueValueWithSize(c, value, size) {
  if (typeof size !== "number" || size !== size || size < 0 || size === Infinity) {
    throw new RangeError("The return value of a queuing strategy's size function must be a " +
      "finite, non-NaN, non-negative number.");
  }
  c.queue.push({ value, size });
  c.queueTotalSize += size;
}
function peekQueueValue(c) {
  return c.queue.peek().value;
}
function resetQueue(c) {
  c.queue = new Queue();
  c.queueTotalSize = 0;
}

function convertHighWaterMark(value) {
  const n = Number(value);
  if (n !== n) throw new TypeError("The value cannot be converted because it is not an integer.");
  if (n < 0) {
    throw new TypeError("The value cannot be converted because it is negative and this API " +
      "expects a positive bigint.");
  }
  return n;
}

// Reads a QueuingStrategy dictionary: {highWaterMark, size}.
function readStrategy(strategy) {
  const s = dictionary(strategy, "The queuing strategy");
  const hwm = s.highWaterMark;
  const size = s.size;
  if (size !== undefined && typeof size !== "function") {
    throw new TypeError("Incorrect type for the 'size' field on 'StreamQueuingStrategy': the " +
      "provided value is not of type 'function'.");
  }
  return { highWaterMark: hwm === undefined ? undefined : convertHighWaterMark(hwm), size };
}
function extractHighWaterMark(strategy, defaultHWM) {
  return strategy.highWaterMark === undefined ? defaultHWM : strategy.highWaterMark;
}
function extractSizeAlgorithm(strategy) {
  const size = strategy.size;
  if (size === undefined) return () => 1;
  return (chunk) => size(chunk);
}

// ---------------------------------------------------------------------------------------------
// Public classes (thin: they check their arguments and receivers and call the algorithms).

// The record handed to the next public constructor run by createPublic().
let pendingRecord = null;
function createPublic(Cls, record) {
  pendingRecord = record;
  try {
    record.pub = new Cls();
  } finally {
    pendingRecord = null;
  }
  return record.pub;
}
function takePendingRecord(name) {
  const r = pendingRecord;
  if (r === null) throw illegalConstructor();
  pendingRecord = null;
  return r;
}

function defineClass(Cls, name) {
  Object.defineProperty(Cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  // WebIDL: operations and attributes are enumerable.
  for (const key of Object.getOwnPropertyNames(Cls.prototype)) {
    if (key === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(Cls.prototype, key);
    d.enumerable = true;
    Object.defineProperty(Cls.prototype, key, d);
  }
  Object.defineProperty(Cls, "length", { value: 0 });
  define(name, Cls);
}

let rsRec, rdrRec, byobRdrRec, rsdcRec, rbscRec, byobReqRec, wsRec, wsdwRec, wsdcRec, tsRec, tsdcRec;

class ReadableStream {
  #r;
  static { rsRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(underlyingSource = undefined, strategy = undefined) {
    if (pendingRecord !== null && pendingRecord.kind === "ReadableStream") {
      this.#r = takePendingRecord();
      return;
    }
    const source = underlyingSource === undefined || underlyingSource === null
      ? null : dictionary(underlyingSource, "The underlying source");
    const st = readStrategy(strategy);
    const s = newReadableStreamRecord();
    s.pub = this;
    this.#r = s;
    const dict = readUnderlyingSource(source);
    if (dict.type === "bytes") {
      const hwm = extractHighWaterMark(st, 0);
      setUpReadableByteStreamControllerFromUnderlyingSource(s, source, dict, hwm);
    } else {
      const sizeAlgorithm = extractSizeAlgorithm(st);
      const hwm = extractHighWaterMark(st, 1);
      setUpReadableStreamDefaultControllerFromUnderlyingSource(s, source, dict, hwm,
        sizeAlgorithm);
    }
  }

  get locked() {
    const s = this.#r;
    return isReadableStreamLocked(s);
  }

  cancel(reason = undefined) {
    const s = rsRec(this);
    if (s === undefined) return rejected(illegalInvocation());
    if (isReadableStreamLocked(s)) {
      return rejected(new TypeError("This ReadableStream is currently locked to a reader."));
    }
    return readableStreamCancel(s, reason);
  }

  getReader(options = undefined) {
    const s = this.#r;
    const o = dictionary(options, "getReader() options");
    const mode = o.mode;
    if (mode === undefined) return acquireReadableStreamDefaultReader(s).pub;
    if (String(mode) !== "byob") {
      throw new TypeError("mode must be undefined or 'byob' in call to getReader().");
    }
    return acquireReadableStreamBYOBReader(s).pub;
  }

  pipeThrough(transform, options = undefined) {
    const s = this.#r;
    const t = dictionary(transform, "pipeThrough() transform");
    const readable = t.readable;
    const rs = rsRec(readable);
    if (rs === undefined) {
      throw new TypeError("Incorrect type for the 'readable' field on 'Transform': the " +
        "provided value is not of type 'ReadableStream'.");
    }
    const writable = t.writable;
    const ws = wsRec(writable);
    if (ws === undefined) {
      throw new TypeError("Incorrect type for the 'writable' field on 'Transform': the " +
        "provided value is not of type 'WritableStream'.");
    }
    const opts = readPipeOptions(options);
    if (isReadableStreamLocked(s)) {
      throw new TypeError("This ReadableStream is currently locked to a reader.");
    }
    if (isWritableStreamLocked(ws)) {
      throw new TypeError("This WritableStream is currently locked to a writer.");
    }
    const promise = readableStreamPipeTo(s, ws, opts.preventClose, opts.preventAbort,
      opts.preventCancel, opts.signal);
    markHandled(promise);
    return readable;
  }

  pipeTo(destination, options = undefined) {
    const s = rsRec(this);
    if (s === undefined) return rejected(illegalInvocation());
    const ws = wsRec(destination);
    if (ws === undefined) {
      return rejected(new TypeError("Failed to execute 'pipeTo' on 'ReadableStream': " +
        "parameter 1 is not of type 'WritableStream'."));
    }
    let opts;
    try {
      opts = readPipeOptions(options);
    } catch (e) {
      return rejected(e);
    }
    if (isReadableStreamLocked(s)) {
      return rejected(new TypeError("This ReadableStream is currently locked to a reader."));
    }
    if (isWritableStreamLocked(ws)) {
      // (sic: workerd's message has no period here)
      return rejected(new TypeError("This WritableStream is currently locked to a writer"));
    }
    return readableStreamPipeTo(s, ws, opts.preventClose, opts.preventAbort, opts.preventCancel,
      opts.signal);
  }

  tee() {
    const s = this.#r;
    if (isReadableStreamLocked(s)) {
      throw new TypeError("This ReadableStream is currently locked to a reader,");
    }
    return readableStreamTee(s, false).map((b) => b.pub);
  }

  values(options = undefined) {
    const s = this.#r;
    const o = dictionary(options, "values() options");
    return createAsyncIterator(s, Boolean(o.preventCancel));
  }

  [Symbol.asyncIterator](options = undefined) {
    const s = this.#r;
    const o = dictionary(options, "values() options");
    return createAsyncIterator(s, Boolean(o.preventCancel));
  }

  static from(asyncIterable) {
    return readableStreamFromIterable(asyncIterable).pub;
  }
}

// Wraps every member of Cls.prototype with the receiver check: TypeError "Illegal invocation"
// (a rejected promise for the members named in `promiseMembers`, as WebIDL does).
function wrapBrand(Cls, getRec, promiseMembers) {
  for (const key of Reflect.ownKeys(Cls.prototype)) {
    if (key === "constructor") continue;
    const d = Object.getOwnPropertyDescriptor(Cls.prototype, key);
    const returnsPromise = promiseMembers.includes(key);
    const wrap = (fn, prefix) => {
      const name = typeof key === "symbol" ? `[${key.description}]` : key;
      const wrapped = {
        [name](...args) {
          if (getRec(this) === undefined) {
            if (returnsPromise) return rejected(illegalInvocation());
            throw illegalInvocation();
          }
          return Reflect.apply(fn, this, args);
        },
      }[name];
      Object.defineProperty(wrapped, "length", { value: fn.length });
      Object.defineProperty(wrapped, "name", { value: prefix + name });
      return wrapped;
    };
    if (d.get) d.get = wrap(d.get, "get ");
    if (d.set) d.set = wrap(d.set, "set ");
    if (typeof d.value === "function") d.value = wrap(d.value, "");
    Object.defineProperty(Cls.prototype, key, d);
  }
}

function readUnderlyingSource(source) {
  if (source === null) return {};
  const autoAllocateChunkSize = source.autoAllocateChunkSize;
  const cancel = source.cancel;
  const pull = source.pull;
  const start = source.start;
  const type = source.type;
  for (const [k, v] of [["cancel", cancel], ["pull", pull], ["start", start]]) {
    if (v !== undefined && typeof v !== "function") {
      throw new TypeError(`Incorrect type for the '${k}' field on 'UnderlyingSource': the ` +
        "provided value is not of type 'function'.");
    }
  }
  let aacs;
  if (autoAllocateChunkSize !== undefined) {
    aacs = Number(autoAllocateChunkSize);
    if (!Number.isFinite(aacs) || aacs < 0) {
      throw new TypeError("The autoAllocateChunkSize option must be a positive integer.");
    }
    aacs = Math.trunc(aacs);
  }
  let t;
  if (type !== undefined) {
    t = String(type);
    if (t !== "bytes") throw new TypeError(`"${t}" is not a valid type of ReadableStream.`);
  }
  return { autoAllocateChunkSize: aacs, cancel, pull, start, type: t };
}

function readPipeOptions(options) {
  const o = dictionary(options, "pipeTo() options");
  const preventAbort = Boolean(o.preventAbort);
  const preventCancel = Boolean(o.preventCancel);
  const preventClose = Boolean(o.preventClose);
  const signal = o.signal;
  if (signal !== undefined) {
    const AS = global.AbortSignal;
    const ok = typeof AS === "function" ? signal instanceof AS
      : isObject(signal) && "aborted" in signal && typeof signal.addEventListener === "function";
    if (!ok) {
      throw new TypeError("Incorrect type for the 'signal' field on 'PipeToOptions': the " +
        "provided value is not of type 'AbortSignal'.");
    }
  }
  return { preventAbort, preventCancel, preventClose, signal };
}

class ReadableStreamDefaultReader {
  #r;
  static { rdrRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(stream) {
    if (pendingRecord !== null && pendingRecord.kind === "reader") {
      this.#r = takePendingRecord();
      return;
    }
    const s = rsRec(stream);
    if (s === undefined) {
      throw new TypeError("Failed to construct 'ReadableStreamDefaultReader': constructor " +
        "parameter 1 is not of type 'ReadableStream'.");
    }
    const r = newReaderRecord("default");
    r.pub = this;
    this.#r = r;
    setUpReadableStreamDefaultReader(r, s);
  }

  get closed() {
    return this.#r.closedPublic;
  }

  cancel(reason = undefined) {
    const r = rdrRec(this);
    if (r === undefined) return rejected(illegalInvocation());
    if (r.stream === undefined) return rejected(readerReleasedError());
    return readableStreamReaderGenericCancel(r, reason);
  }

  read() {
    const r = rdrRec(this);
    if (r === undefined) return rejected(illegalInvocation());
    if (r.stream === undefined) return rejected(readerReleasedError());
    const d = deferred();
    readableStreamDefaultReaderRead(r, {
      chunkSteps: (chunk) => d.resolve({ value: chunk, done: false }),
      closeSteps: () => d.resolve({ value: undefined, done: true }),
      errorSteps: (e) => d.reject(e),
    });
    return workerdHop(d.promise);
  }

  releaseLock() {
    const r = this.#r;
    if (r.stream === undefined) return;
    readableStreamDefaultReaderRelease(r);
  }
}

const readerReleasedError = () => new TypeError("This ReadableStream reader has been released.");

class ReadableStreamBYOBReader {
  #r;
  static { byobRdrRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(stream) {
    if (pendingRecord !== null && pendingRecord.kind === "reader") {
      this.#r = takePendingRecord();
      return;
    }
    const s = rsRec(stream);
    if (s === undefined) {
      throw new TypeError("Failed to construct 'ReadableStreamBYOBReader': constructor " +
        "parameter 1 is not of type 'ReadableStream'.");
    }
    const r = newReaderRecord("byob");
    r.pub = this;
    this.#r = r;
    setUpReadableStreamBYOBReader(r, s);
  }

  get closed() {
    return this.#r.closedPublic;
  }

  cancel(reason = undefined) {
    const r = byobRdrRec(this);
    if (r === undefined) return rejected(illegalInvocation());
    if (r.stream === undefined) return rejected(readerReleasedError());
    return readableStreamReaderGenericCancel(r, reason);
  }

  read(view, options = undefined) {
    const r = byobRdrRec(this);
    if (r === undefined) return rejected(illegalInvocation());
    let min;
    try {
      if (!isArrayBufferView(view)) {
        throw new TypeError("Failed to execute 'read' on 'ReadableStreamBYOBReader': parameter " +
          "1 is not of type 'ArrayBufferView'.");
      }
      const o = dictionary(options, "read() options");
      min = o.min === undefined ? 1 : Math.trunc(Number(o.min));
      if (!(min >= 0)) throw new TypeError("min must be a positive integer.");
    } catch (e) {
      return rejected(e);
    }
    return byobRead(r, view, min);
  }

  // workerd's extension: resolves once at least minBytes bytes were read (or at the end).
  readAtLeast(minBytes, view) {
    const r = byobRdrRec(this);
    if (r === undefined) return rejected(illegalInvocation());
    if (!isArrayBufferView(view)) {
      return rejected(new TypeError("Failed to execute 'readAtLeast' on " +
        "'ReadableStreamBYOBReader': parameter 2 is not of type 'ArrayBufferView'."));
    }
    const elementSize = isTypedArray(view) ? view.BYTES_PER_ELEMENT : 1;
    const bytes = Math.trunc(Number(minBytes));
    if (!(bytes > 0)) {
      return rejected(new TypeError("Requested invalid minimum number of bytes to read (" +
        `${minBytes}).`));
    }
    return byobRead(r, view, Math.ceil(bytes / elementSize));
  }

  releaseLock() {
    const r = this.#r;
    if (r.stream === undefined) return;
    readableStreamBYOBReaderRelease(r);
  }
}

function byobRead(r, view, min) {
  const byteLength = viewByteLength(view);
  if (byteLength === 0 || abByteLength.call(viewBuffer(view)) === 0) {
    return rejected(new TypeError("You must call read() on a \"byob\" reader with a " +
      "positive-sized TypedArray object."));
  }
  if (isDetached(viewBuffer(view))) {
    return rejected(new TypeError("The view's buffer has been detached."));
  }
  if (min === 0) return rejected(new TypeError("min must be greater than zero."));
  if (isTypedArray(view) ? min > taLength.call(view) : min > byteLength) {
    return rejected(new RangeError("min must not be greater than the view's length."));
  }
  if (r.stream === undefined) return rejected(readerReleasedError());
  const d = deferred();
  readableStreamBYOBReaderRead(r, view, min, {
    chunkSteps: (chunk) => d.resolve({ value: chunk, done: false }),
    closeSteps: (chunk) => d.resolve({ value: chunk, done: true }),
    errorSteps: (e) => d.reject(e),
  });
  return workerdHop(d.promise);
}

class ReadableStreamDefaultController {
  #r;
  static { rsdcRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor() {
    if (pendingRecord === null || pendingRecord.kind !== "ReadableStreamDefaultController") {
      throw illegalConstructor();
    }
    this.#r = takePendingRecord();
  }

  get desiredSize() {
    return readableStreamDefaultControllerGetDesiredSize(this.#r);
  }

  close() {
    const c = this.#r;
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(c)) {
      throw new TypeError("This ReadableStream is closed.");
    }
    readableStreamDefaultControllerClose(c);
  }

  enqueue(chunk = undefined) {
    const c = this.#r;
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(c)) {
      throw new TypeError("Unable to enqueue");
    }
    readableStreamDefaultControllerEnqueue(c, chunk);
  }

  error(e = undefined) {
    readableStreamDefaultControllerError(this.#r, e);
  }
}

class ReadableByteStreamController {
  #r;
  static { rbscRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor() {
    if (pendingRecord === null || pendingRecord.kind !== "ReadableByteStreamController") {
      throw illegalConstructor();
    }
    this.#r = takePendingRecord();
  }

  get byobRequest() {
    const req = readableByteStreamControllerGetBYOBRequest(this.#r);
    return req === null ? null : req.pub;
  }

  get desiredSize() {
    return readableByteStreamControllerGetDesiredSize(this.#r);
  }

  close() {
    const c = this.#r;
    if (c.closeRequested || c.stream.state !== "readable") {
      throw new TypeError("This ReadableStream is closed.");
    }
    readableByteStreamControllerClose(c);
  }

  enqueue(chunk) {
    const c = this.#r;
    if (!isArrayBufferView(chunk)) {
      throw new TypeError("Failed to execute 'enqueue' on 'ReadableByteStreamController': " +
        "parameter 1 is not of type 'BufferSource'.");
    }
    if (viewByteLength(chunk) === 0 || abByteLength.call(viewBuffer(chunk)) === 0) {
      throw new TypeError("Cannot enqueue a zero-length ArrayBuffer.");
    }
    if (c.closeRequested || c.stream.state !== "readable") {
      throw new TypeError("This ReadableByteStreamController is closed.");
    }
    readableByteStreamControllerEnqueue(c, chunk, true);
  }

  error(e = undefined) {
    readableByteStreamControllerError(this.#r, e);
  }
}

class ReadableStreamBYOBRequest {
  #r;
  static { byobReqRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor() {
    if (pendingRecord === null || pendingRecord.kind !== "ReadableStreamBYOBRequest") {
      throw illegalConstructor();
    }
    this.#r = takePendingRecord();
  }

  get view() {
    return this.#r.view;
  }

  // workerd's extension: the minimum number of bytes the pending read waits for.
  get atLeast() {
    const r = this.#r;
    if (r.controller === undefined) return null;
    const first = r.controller.pendingPullIntos.peek();
    return first === undefined ? null : Math.max(0, first.minimumFill - first.bytesFilled);
  }

  respond(bytesWritten) {
    const r = this.#r;
    if (r.controller === undefined) {
      throw new TypeError("This BYOB request has been invalidated.");
    }
    const n = Number(bytesWritten);
    if (!Number.isFinite(n) || n < 0) {
      throw new TypeError("bytesWritten must be a non-negative integer.");
    }
    if (isDetached(viewBuffer(r.view))) {
      throw new TypeError("The view's buffer has been detached.");
    }
    readableByteStreamControllerRespond(r.controller, Math.trunc(n));
  }

  respondWithNewView(view) {
    const r = this.#r;
    if (!isArrayBufferView(view)) {
      throw new TypeError("Failed to execute 'respondWithNewView' on " +
        "'ReadableStreamBYOBRequest': parameter 1 is not of type 'ArrayBufferView'.");
    }
    if (r.controller === undefined) {
      throw new TypeError("This BYOB request has been invalidated.");
    }
    if (isDetached(viewBuffer(view))) {
      throw new TypeError("The view's buffer has been detached.");
    }
    readableByteStreamControllerRespondWithNewView(r.controller, view);
  }
}

// ---------------------------------------------------------------------------------------------
// ReadableStream abstract operations.

function newReadableStreamRecord() {
  return {
    kind: "ReadableStream", pub: undefined, state: "readable", reader: undefined,
    storedError: undefined, disturbed: false, controller: undefined,
    // Set by FixedLengthStream on its readable side.
    expectedLength: undefined,
  };
}

function newReaderRecord(type) {
  return {
    kind: "reader", type, pub: undefined, stream: undefined, closedPromise: undefined,
    closedPublic: undefined,
    readRequests: new Queue(),
  };
}

function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm,
                              highWaterMark = 1, sizeAlgorithm = () => 1) {
  const s = newReadableStreamRecord();
  createPublic(ReadableStream, s);
  const c = newDefaultControllerRecord();
  setUpReadableStreamDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, sizeAlgorithm);
  return s;
}

function createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm,
                                  highWaterMark = 0, autoAllocateChunkSize = undefined) {
  const s = newReadableStreamRecord();
  createPublic(ReadableStream, s);
  const c = newByteControllerRecord();
  setUpReadableByteStreamController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, autoAllocateChunkSize);
  return s;
}

function isReadableStreamLocked(s) {
  return s.reader !== undefined;
}

function acquireReadableStreamDefaultReader(s) {
  const r = newReaderRecord("default");
  createPublic(ReadableStreamDefaultReader, r);
  setUpReadableStreamDefaultReader(r, s);
  return r;
}

function acquireReadableStreamBYOBReader(s) {
  const r = newReaderRecord("byob");
  createPublic(ReadableStreamBYOBReader, r);
  setUpReadableStreamBYOBReader(r, s);
  return r;
}

function readableStreamCancel(s, reason) {
  s.disturbed = true;
  if (s.state === "closed") return promiseResolve(undefined);
  if (s.state === "errored") return rejected(s.storedError);
  readableStreamClose(s);
  const reader = s.reader;
  if (reader !== undefined && reader.type === "byob") {
    const requests = reader.readRequests;
    reader.readRequests = new Queue();
    for (const req of requests) req.closeSteps(undefined);
  }
  const sourceCancelPromise = s.controller.cancelSteps(reason);
  return transformPromise(sourceCancelPromise, () => undefined);
}

function readableStreamClose(s) {
  s.state = "closed";
  const reader = s.reader;
  if (reader === undefined) return;
  // The spec resolves `closed` first; workerd settles pending reads first.
  if (reader.type === "default") {
    const requests = reader.readRequests;
    reader.readRequests = new Queue();
    for (const req of requests) req.closeSteps();
  }
  reader.closedPromise.resolve(undefined);
}

function readableStreamError(s, e) {
  s.state = "errored";
  s.storedError = e;
  const reader = s.reader;
  if (reader === undefined) return;
  reader.closedPromise.reject(e);
  markHandled(reader.closedPromise.promise);
  readableStreamReaderErrorReadRequests(reader, e);
}

function readableStreamReaderErrorReadRequests(reader, e) {
  const requests = reader.readRequests;
  reader.readRequests = new Queue();
  for (const req of requests) req.errorSteps(e);
}

function readableStreamAddReadRequest(s, readRequest) {
  s.reader.readRequests.push(readRequest);
}

function readableStreamFulfillReadRequest(s, chunk, done) {
  const reader = s.reader;
  const req = reader.readRequests.shift();
  if (done) req.closeSteps();
  else req.chunkSteps(chunk);
}

function readableStreamFulfillReadIntoRequest(s, chunk, done) {
  const reader = s.reader;
  const req = reader.readRequests.shift();
  if (done) req.closeSteps(chunk);
  else req.chunkSteps(chunk);
}

function readableStreamGetNumReadRequests(s) {
  return s.reader.readRequests.length;
}

function readableStreamHasDefaultReader(s) {
  return s.reader !== undefined && s.reader.type === "default";
}
function readableStreamHasBYOBReader(s) {
  return s.reader !== undefined && s.reader.type === "byob";
}

// Readers.

function readableStreamReaderGenericInitialize(r, s) {
  r.stream = s;
  s.reader = r;
  if (s.state === "readable") {
    setReaderClosedPromise(r, deferred());
  } else if (s.state === "closed") {
    setReaderClosedPromise(r, deferredResolved(undefined));
  } else {
    setReaderClosedPromise(r, deferredRejected(s.storedError));
  }
}

function readableStreamReaderGenericCancel(r, reason) {
  return readableStreamCancel(r.stream, reason);
}

function readableStreamReaderGenericRelease(r) {
  const s = r.stream;
  const e = readerReleasedError();
  if (s.state === "readable") {
    r.closedPromise.reject(e);
  } else {
    setReaderClosedPromise(r, deferredRejected(e));
  }
  markHandled(r.closedPromise.promise);
  s.controller.releaseSteps();
  s.reader = undefined;
  r.stream = undefined;
}

function setUpReadableStreamDefaultReader(r, s) {
  if (isReadableStreamLocked(s)) {
    throw new TypeError("This ReadableStream is currently locked to a reader.");
  }
  readableStreamReaderGenericInitialize(r, s);
  r.readRequests = new Queue();
}

function setUpReadableStreamBYOBReader(r, s) {
  if (isReadableStreamLocked(s)) {
    throw new TypeError("This ReadableStream is currently locked to a reader.");
  }
  if (s.controller.kind !== "ReadableByteStreamController") {
    throw new TypeError("This ReadableStream does not support BYOB reads.");
  }
  readableStreamReaderGenericInitialize(r, s);
  r.readRequests = new Queue();
}

function readableStreamDefaultReaderRead(r, readRequest) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === "closed") {
    readRequest.closeSteps();
  } else if (s.state === "errored") {
    readRequest.errorSteps(s.storedError);
  } else {
    s.controller.pullSteps(readRequest);
  }
}

function readableStreamDefaultReaderRelease(r) {
  readableStreamReaderGenericRelease(r);
  readableStreamReaderErrorReadRequests(r, readerReleasedError());
}

function readableStreamBYOBReaderRead(r, view, min, readIntoRequest) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === "errored") {
    readIntoRequest.errorSteps(s.storedError);
  } else {
    readableByteStreamControllerPullInto(s.controller, view, min, readIntoRequest);
  }
}

function readableStreamBYOBReaderRelease(r) {
  readableStreamReaderGenericRelease(r);
  readableStreamReaderErrorReadRequests(r, readerReleasedError());
}

// ---------------------------------------------------------------------------------------------
// ReadableStreamDefaultController.

function newDefaultControllerRecord() {
  const c = {
    kind: "ReadableStreamDefaultController", pub: undefined, stream: undefined,
    queue: new Queue(), queueTotalSize: 0, started: false, closeRequested: false,
    pullAgain: false, pulling: false, strategyHWM: 1, strategySizeAlgorithm: undefined,
    pullAlgorithm: undefined, cancelAlgorithm: undefined,
    cancelSteps: (reason) => {
      resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      readableStreamDefaultControllerClearAlgorithms(c);
      return result;
    },
    pullSteps: (readRequest) => {
      const s = c.stream;
      if (c.queue.length > 0) {
        const chunk = dequeueValue(c);
        if (c.closeRequested && c.queue.length === 0) {
          readableStreamDefaultControllerClearAlgorithms(c);
          readableStreamClose(s);
        } else {
          readableStreamDefaultControllerCallPullIfNeeded(c);
        }
        readRequest.chunkSteps(chunk);
      } else {
        readableStreamAddReadRequest(s, readRequest);
        readableStreamDefaultControllerCallPullIfNeeded(c, true);
      }
    },
    releaseSteps: noop,
  };
  return c;
}

// `fromRead`: called for a read() that found the queue empty. workerd then pulls even before
// start() has settled.
function readableStreamDefaultControllerCallPullIfNeeded(c, fromRead = false) {
  if (!readableStreamDefaultControllerShouldCallPull(c, fromRead)) return;
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  const pullPromise = c.pullAlgorithm();
  uponPromise(pullPromise, () => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      readableStreamDefaultControllerCallPullIfNeeded(c);
    }
  }, (e) => {
    readableStreamDefaultControllerError(c, e);
  });
}

function readableStreamDefaultControllerShouldCallPull(c, fromRead = false) {
  const s = c.stream;
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(c)) return false;
  if (!c.started && !fromRead) return false;
  if (isReadableStreamLocked(s) && readableStreamGetNumReadRequests(s) > 0) return true;
  return readableStreamDefaultControllerGetDesiredSize(c) > 0;
}

function readableStreamDefaultControllerClearAlgorithms(c) {
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function readableStreamDefaultControllerClose(c) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(c)) return;
  const s = c.stream;
  c.closeRequested = true;
  if (c.queue.length === 0) {
    readableStreamDefaultControllerClearAlgorithms(c);
    readableStreamClose(s);
  }
}

function readableStreamDefaultControllerEnqueue(c, chunk) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(c)) return;
  const s = c.stream;
  if (isReadableStreamLocked(s) && readableStreamGetNumReadRequests(s) > 0) {
    readableStreamFulfillReadRequest(s, chunk, false);
  } else {
    let chunkSize;
    try {
      chunkSize = c.strategySizeAlgorithm(chunk);
    } catch (e) {
      readableStreamDefaultControllerError(c, e);
      throw e;
    }
    try {
      enqueueValueWithSize(c, chunk, chunkSize);
    } catch (e) {
      readableStreamDefaultControllerError(c, e);
      throw e;
    }
  }
  readableStreamDefaultControllerCallPullIfNeeded(c);
}

function readableStreamDefaultControllerError(c, e) {
  const s = c.stream;
  if (s.state !== "readable") return;
  resetQueue(c);
  readableStreamDefaultControllerClearAlgorithms(c);
  readableStreamError(s, e);
}

function readableStreamDefaultControllerGetDesiredSize(c) {
  const state = c.stream.state;
  if (state === "errored") return null;
  if (state === "closed") return 0;
  return c.strategyHWM - c.queueTotalSize;
}

function readableStreamDefaultControllerHasBackpressure(c) {
  return !readableStreamDefaultControllerShouldCallPull(c);
}

function readableStreamDefaultControllerCanCloseOrEnqueue(c) {
  return !c.closeRequested && c.stream.state === "readable";
}

function setUpReadableStreamDefaultController(s, c, startAlgorithm, pullAlgorithm,
                                              cancelAlgorithm, highWaterMark, sizeAlgorithm) {
  c.stream = s;
  resetQueue(c);
  c.started = false;
  c.closeRequested = false;
  c.pullAgain = false;
  c.pulling = false;
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = highWaterMark;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  s.controller = c;
  if (c.pub === undefined) createPublic(ReadableStreamDefaultController, c);
  // No start(): workerd counts the stream as started at once (the spec waits a microtask).
  if (startAlgorithm === null) {
    c.started = true;
    readableStreamDefaultControllerCallPullIfNeeded(c);
    return;
  }
  // workerd turns a throwing start() into an errored stream rather than a constructor throw.
  const startPromise = promiseCall(startAlgorithm, undefined);
  uponPromise(startPromise, () => {
    c.started = true;
    readableStreamDefaultControllerCallPullIfNeeded(c);
  }, (r) => {
    readableStreamDefaultControllerError(c, r);
  });
}

function setUpReadableStreamDefaultControllerFromUnderlyingSource(s, source, dict, hwm,
                                                                 sizeAlgorithm) {
  const c = newDefaultControllerRecord();
  createPublic(ReadableStreamDefaultController, c);
  const startAlgorithm = dict.start ? () => dict.start.call(source, c.pub) : null;
  const pullAlgorithm = dict.pull ? () => promiseCall(dict.pull, source, c.pub)
    : resolvedUndefined;
  const cancelAlgorithm = dict.cancel ? (reason) => promiseCall(dict.cancel, source, reason)
    : resolvedUndefined;
  setUpReadableStreamDefaultController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    hwm, sizeAlgorithm);
}

// ---------------------------------------------------------------------------------------------
// ReadableByteStreamController.

function newByteControllerRecord() {
  const c = {
    kind: "ReadableByteStreamController", pub: undefined, stream: undefined,
    autoAllocateChunkSize: undefined, byobRequest: null, cancelAlgorithm: undefined,
    closeRequested: false, pullAgain: false, pullAlgorithm: undefined, pulling: false,
    pendingPullIntos: new Queue(), queue: new Queue(), queueTotalSize: 0, started: false,
    strategyHWM: 0,
    cancelSteps: (reason) => {
      readableByteStreamControllerClearPendingPullIntos(c);
      resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      readableByteStreamControllerClearAlgorithms(c);
      return result;
    },
    pullSteps: (readRequest) => {
      const s = c.stream;
      if (c.queueTotalSize > 0) {
        readableByteStreamControllerFillReadRequestFromQueue(c, readRequest);
        return;
      }
      const size = c.autoAllocateChunkSize;
      if (size !== undefined) {
        let buffer;
        try {
          buffer = new ArrayBuffer(size);
        } catch (e) {
          readRequest.errorSteps(e);
          return;
        }
        c.pendingPullIntos.push({
          buffer, bufferByteLength: size, byteOffset: 0, byteLength: size, bytesFilled: 0,
          minimumFill: 1, elementSize: 1, viewConstructor: Uint8Array, readerType: "default",
        });
      }
      readableStreamAddReadRequest(s, readRequest);
      readableByteStreamControllerCallPullIfNeeded(c, true);
    },
    releaseSteps: () => {
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos.peek();
        first.readerType = "none";
        c.pendingPullIntos = new Queue();
        c.pendingPullIntos.push(first);
      }
    },
  };
  return c;
}

// `fromRead`: called for a read() that found the queue empty. workerd then pulls even before
// start() has settled.
function readableByteStreamControllerCallPullIfNeeded(c, fromRead = false) {
  if (!readableByteStreamControllerShouldCallPull(c, fromRead)) return;
  if (c.pulling) {
    c.pullAgain = true;
    return;
  }
  c.pulling = true;
  const pullPromise = c.pullAlgorithm();
  uponPromise(pullPromise, () => {
    c.pulling = false;
    if (c.pullAgain) {
      c.pullAgain = false;
      readableByteStreamControllerCallPullIfNeeded(c);
    }
  }, (e) => {
    readableByteStreamControllerError(c, e);
  });
}

function readableByteStreamControllerClearAlgorithms(c) {
  c.pullAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
}

function readableByteStreamControllerClearPendingPullIntos(c) {
  readableByteStreamControllerInvalidateBYOBRequest(c);
  c.pendingPullIntos = new Queue();
}

function readableByteStreamControllerClose(c) {
  const s = c.stream;
  if (c.closeRequested || s.state !== "readable") return;
  if (c.queueTotalSize > 0) {
    c.closeRequested = true;
    return;
  }
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos.peek();
    if (first.bytesFilled % first.elementSize !== 0) {
      const e = new TypeError("Insufficient bytes to fill elements in the given buffer.");
      readableByteStreamControllerError(c, e);
      throw e;
    }
  }
  readableByteStreamControllerClearAlgorithms(c);
  readableStreamClose(s);
}

function readableByteStreamControllerCommitPullIntoDescriptor(s, pullInto) {
  let done = false;
  if (s.state === "closed") done = true;
  const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullInto);
  if (pullInto.readerType === "default") {
    readableStreamFulfillReadRequest(s, filledView, done);
  } else {
    readableStreamFulfillReadIntoRequest(s, filledView, done);
  }
}

function readableByteStreamControllerConvertPullIntoDescriptor(pullInto) {
  const { bytesFilled, elementSize } = pullInto;
  const buffer = transferArrayBuffer(pullInto.buffer);
  return new pullInto.viewConstructor(buffer, pullInto.byteOffset, bytesFilled / elementSize);
}

// `copy`: the chunk comes from user code and the buffer cannot be detached, so it is copied to
// keep later writes to it from changing queued data.
function readableByteStreamControllerEnqueue(c, chunk, copy) {
  const s = c.stream;
  if (c.closeRequested || s.state !== "readable") return;
  const buffer = viewBuffer(chunk);
  let byteOffset = viewByteOffset(chunk);
  const byteLength = viewByteLength(chunk);
  if (isDetached(buffer)) throw new TypeError("The chunk's buffer has been detached.");
  let transferredBuffer;
  if (canDetach) {
    transferredBuffer = transferArrayBuffer(buffer);
  } else if (copy) {
    transferredBuffer = copyBytes(buffer, byteOffset, byteLength);
    byteOffset = 0;
  } else {
    transferredBuffer = buffer;
  }
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos.peek();
    if (isDetached(first.buffer)) {
      throw new TypeError("The BYOB request's buffer has been detached.");
    }
    readableByteStreamControllerInvalidateBYOBRequest(c);
    first.buffer = transferArrayBuffer(first.buffer);
    if (first.readerType === "none") {
      readableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, first);
    }
  }
  if (readableStreamHasDefaultReader(s)) {
    readableByteStreamControllerProcessReadRequestsUsingQueue(c);
    if (readableStreamGetNumReadRequests(s) === 0) {
      readableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset,
        byteLength);
    } else {
      if (c.pendingPullIntos.length > 0) readableByteStreamControllerShiftPendingPullInto(c);
      const transferredView = new Uint8Array(transferredBuffer, byteOffset, byteLength);
      readableStreamFulfillReadRequest(s, transferredView, false);
    }
  } else if (readableStreamHasBYOBReader(s)) {
    readableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset, byteLength);
    const filled = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
    for (const pullInto of filled) {
      readableByteStreamControllerCommitPullIntoDescriptor(s, pullInto);
    }
  } else {
    readableByteStreamControllerEnqueueChunkToQueue(c, transferredBuffer, byteOffset, byteLength);
  }
  readableByteStreamControllerCallPullIfNeeded(c);
}

function readableByteStreamControllerEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
  c.queue.push({ buffer, byteOffset, byteLength });
  c.queueTotalSize += byteLength;
}

function readableByteStreamControllerEnqueueClonedChunkToQueue(c, buffer, byteOffset,
                                                               byteLength) {
  let clone;
  try {
    clone = copyBytes(buffer, byteOffset, byteLength);
  } catch (e) {
    readableByteStreamControllerError(c, e);
    throw e;
  }
  readableByteStreamControllerEnqueueChunkToQueue(c, clone, 0, byteLength);
}

function readableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, pullInto) {
  if (pullInto.bytesFilled > 0) {
    readableByteStreamControllerEnqueueClonedChunkToQueue(c, pullInto.buffer,
      pullInto.byteOffset, pullInto.bytesFilled);
  }
  readableByteStreamControllerShiftPendingPullInto(c);
}

function readableByteStreamControllerFillPullIntoDescriptorFromQueue(c, pullInto) {
  const maxBytesToCopy = Math.min(c.queueTotalSize, pullInto.byteLength - pullInto.bytesFilled);
  const maxBytesFilled = pullInto.bytesFilled + maxBytesToCopy;
  let totalBytesToCopyRemaining = maxBytesToCopy;
  let ready = false;
  const remainderBytes = maxBytesFilled % pullInto.elementSize;
  const maxAlignedBytes = maxBytesFilled - remainderBytes;
  if (maxAlignedBytes >= pullInto.minimumFill) {
    totalBytesToCopyRemaining = maxAlignedBytes - pullInto.bytesFilled;
    ready = true;
  }
  const queue = c.queue;
  const dest = new Uint8Array(pullInto.buffer);
  while (totalBytesToCopyRemaining > 0) {
    const head = queue.peek();
    const bytesToCopy = Math.min(totalBytesToCopyRemaining, head.byteLength);
    const destStart = pullInto.byteOffset + pullInto.bytesFilled;
    dest.set(new Uint8Array(head.buffer, head.byteOffset, bytesToCopy), destStart);
    if (head.byteLength === bytesToCopy) {
      queue.shift();
    } else {
      head.byteOffset += bytesToCopy;
      head.byteLength -= bytesToCopy;
    }
    c.queueTotalSize -= bytesToCopy;
    pullInto.bytesFilled += bytesToCopy;
    totalBytesToCopyRemaining -= bytesToCopy;
  }
  return ready;
}

// workerd hands a default reader of a byte stream everything queued as one chunk (the spec
// hands out one queued chunk per read).
function readableByteStreamControllerFillReadRequestFromQueue(c, readRequest) {
  let view;
  if (c.queue.length === 1) {
    const entry = c.queue.shift();
    view = new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength);
  } else {
    view = new Uint8Array(c.queueTotalSize);
    let at = 0;
    while (c.queue.length > 0) {
      const entry = c.queue.shift();
      view.set(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength), at);
      at += entry.byteLength;
    }
  }
  c.queueTotalSize = 0;
  readableByteStreamControllerHandleQueueDrain(c);
  readRequest.chunkSteps(view);
}

function readableByteStreamControllerGetBYOBRequest(c) {
  if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos.peek();
    const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled,
      first.byteLength - first.bytesFilled);
    const req = { kind: "ReadableStreamBYOBRequest", pub: undefined, controller: c, view };
    createPublic(ReadableStreamBYOBRequest, req);
    c.byobRequest = req;
  }
  return c.byobRequest;
}

function readableByteStreamControllerGetDesiredSize(c) {
  const state = c.stream.state;
  if (state === "errored") return null;
  if (state === "closed") return 0;
  return c.strategyHWM - c.queueTotalSize;
}

function readableByteStreamControllerHandleQueueDrain(c) {
  if (c.queueTotalSize === 0 && c.closeRequested) {
    readableByteStreamControllerClearAlgorithms(c);
    readableStreamClose(c.stream);
  } else {
    readableByteStreamControllerCallPullIfNeeded(c);
  }
}

function readableByteStreamControllerInvalidateBYOBRequest(c) {
  if (c.byobRequest === null) return;
  c.byobRequest.controller = undefined;
  c.byobRequest.view = null;
  c.byobRequest = null;
}

function readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c) {
  const filled = [];
  while (c.pendingPullIntos.length > 0) {
    if (c.queueTotalSize === 0) break;
    const pullInto = c.pendingPullIntos.peek();
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(c, pullInto)) {
      readableByteStreamControllerShiftPendingPullInto(c);
      filled.push(pullInto);
    } else {
      break;
    }
  }
  return filled;
}

function readableByteStreamControllerProcessReadRequestsUsingQueue(c) {
  const reader = c.stream.reader;
  while (reader.readRequests.length > 0) {
    if (c.queueTotalSize === 0) return;
    const readRequest = reader.readRequests.shift();
    readableByteStreamControllerFillReadRequestFromQueue(c, readRequest);
  }
}

// View constructors by [[TypedArrayName]], so a user-replaced `constructor` is not used.
function viewConstructorOf(view) {
  const tag = taTag.call(view);
  return global[tag] !== undefined && tag in TYPED_ARRAYS ? TYPED_ARRAYS[tag] : Uint8Array;
}
const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};

function readableByteStreamControllerPullInto(c, view, min, readIntoRequest) {
  const s = c.stream;
  let elementSize = 1;
  let ctor = DataView;
  if (isTypedArray(view)) {
    ctor = viewConstructorOf(view);
    elementSize = ctor.BYTES_PER_ELEMENT;
  }
  const minimumFill = min * elementSize;
  const byteOffset = viewByteOffset(view);
  const byteLength = viewByteLength(view);
  let buffer;
  try {
    buffer = transferArrayBuffer(viewBuffer(view));
  } catch (e) {
    readIntoRequest.errorSteps(e);
    return;
  }
  const pullInto = {
    buffer, bufferByteLength: abByteLength.call(buffer), byteOffset, byteLength, bytesFilled: 0,
    minimumFill, elementSize, viewConstructor: ctor, readerType: "byob",
  };
  if (c.pendingPullIntos.length > 0) {
    c.pendingPullIntos.push(pullInto);
    readableStreamAddReadRequest(s, readIntoRequest);
    return;
  }
  if (s.state === "closed") {
    readIntoRequest.closeSteps(new ctor(pullInto.buffer, pullInto.byteOffset, 0));
    return;
  }
  if (c.queueTotalSize > 0) {
    if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(c, pullInto)) {
      const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullInto);
      readableByteStreamControllerHandleQueueDrain(c);
      readIntoRequest.chunkSteps(filledView);
      return;
    }
    if (c.closeRequested) {
      const e = new TypeError("Insufficient bytes to fill elements in the given buffer.");
      readableByteStreamControllerError(c, e);
      readIntoRequest.errorSteps(e);
      return;
    }
  }
  c.pendingPullIntos.push(pullInto);
  readableStreamAddReadRequest(s, readIntoRequest);
  readableByteStreamControllerCallPullIfNeeded(c);
}

function readableByteStreamControllerRespond(c, bytesWritten) {
  const first = c.pendingPullIntos.peek();
  const state = c.stream.state;
  if (state === "closed") {
    if (bytesWritten !== 0) {
      throw new TypeError("The bytesWritten must be zero after the stream is closed.");
    }
  } else {
    if (bytesWritten === 0) {
      throw new TypeError("The bytesWritten must be more than zero while the stream is open.");
    }
    if (first.bytesFilled + bytesWritten > first.byteLength) {
      throw new RangeError(`Too many bytes [${bytesWritten}] in response to a BYOB read request.`);
    }
  }
  first.buffer = transferArrayBuffer(first.buffer);
  readableByteStreamControllerRespondInternal(c, bytesWritten);
}

function readableByteStreamControllerRespondInClosedState(c, first) {
  if (first.readerType === "none") readableByteStreamControllerShiftPendingPullInto(c);
  const s = c.stream;
  if (readableStreamHasBYOBReader(s)) {
    const filled = [];
    while (filled.length < readableStreamGetNumReadRequests(s)) {
      filled.push(readableByteStreamControllerShiftPendingPullInto(c));
    }
    for (const pullInto of filled) readableByteStreamControllerCommitPullIntoDescriptor(s, pullInto);
  }
}

function readableByteStreamControllerRespondInReadableState(c, bytesWritten, pullInto) {
  pullInto.bytesFilled += bytesWritten;
  if (pullInto.readerType === "none") {
    readableByteStreamControllerEnqueueDetachedPullIntoToQueue(c, pullInto);
    const filled = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
    for (const p of filled) readableByteStreamControllerCommitPullIntoDescriptor(c.stream, p);
    return;
  }
  if (pullInto.bytesFilled < pullInto.minimumFill) return;
  readableByteStreamControllerShiftPendingPullInto(c);
  const remainderSize = pullInto.bytesFilled % pullInto.elementSize;
  if (remainderSize > 0) {
    const end = pullInto.byteOffset + pullInto.bytesFilled;
    readableByteStreamControllerEnqueueClonedChunkToQueue(c, pullInto.buffer,
      end - remainderSize, remainderSize);
  }
  pullInto.bytesFilled -= remainderSize;
  const filled = readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(c);
  readableByteStreamControllerCommitPullIntoDescriptor(c.stream, pullInto);
  for (const p of filled) readableByteStreamControllerCommitPullIntoDescriptor(c.stream, p);
}

function readableByteStreamControllerRespondInternal(c, bytesWritten) {
  const first = c.pendingPullIntos.peek();
  readableByteStreamControllerInvalidateBYOBRequest(c);
  if (c.stream.state === "closed") {
    readableByteStreamControllerRespondInClosedState(c, first);
  } else {
    readableByteStreamControllerRespondInReadableState(c, bytesWritten, first);
  }
  readableByteStreamControllerCallPullIfNeeded(c);
}

function readableByteStreamControllerRespondWithNewView(c, view) {
  const first = c.pendingPullIntos.peek();
  const state = c.stream.state;
  const byteLength = viewByteLength(view);
  const byteOffset = viewByteOffset(view);
  const buffer = viewBuffer(view);
  if (state === "closed") {
    if (byteLength !== 0) {
      throw new TypeError("The view's length must be zero after the stream is closed.");
    }
  } else if (byteLength === 0) {
    throw new TypeError("The view's length must be greater than zero while the stream is open.");
  }
  if (first.byteOffset + first.bytesFilled !== byteOffset) {
    throw new RangeError("The region specified by view does not match byobRequest.");
  }
  if (first.bufferByteLength !== abByteLength.call(buffer)) {
    throw new RangeError("The buffer of view has different capacity than byobRequest.");
  }
  if (first.bytesFilled + byteLength > first.byteLength) {
    throw new RangeError("The region specified by view is larger than byobRequest.");
  }
  first.buffer = transferArrayBuffer(buffer);
  readableByteStreamControllerRespondInternal(c, byteLength);
}

function readableByteStreamControllerShiftPendingPullInto(c) {
  return c.pendingPullIntos.shift();
}

function readableByteStreamControllerShouldCallPull(c, fromRead = false) {
  const s = c.stream;
  if (s.state !== "readable") return false;
  if (c.closeRequested) return false;
  if (!c.started && !fromRead) return false;
  if (readableStreamHasDefaultReader(s) && readableStreamGetNumReadRequests(s) > 0) return true;
  if (readableStreamHasBYOBReader(s) && readableStreamGetNumReadRequests(s) > 0) return true;
  return readableByteStreamControllerGetDesiredSize(c) > 0;
}

function readableByteStreamControllerError(c, e) {
  const s = c.stream;
  if (s.state !== "readable") return;
  readableByteStreamControllerClearPendingPullIntos(c);
  resetQueue(c);
  readableByteStreamControllerClearAlgorithms(c);
  readableStreamError(s, e);
}

function setUpReadableByteStreamController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm,
                                           highWaterMark, autoAllocateChunkSize) {
  c.stream = s;
  c.pullAgain = false;
  c.pulling = false;
  c.byobRequest = null;
  resetQueue(c);
  c.closeRequested = false;
  c.started = false;
  c.strategyHWM = highWaterMark;
  c.pullAlgorithm = pullAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  c.autoAllocateChunkSize = autoAllocateChunkSize;
  c.pendingPullIntos = new Queue();
  s.controller = c;
  if (c.pub === undefined) createPublic(ReadableByteStreamController, c);
  if (startAlgorithm === null) {
    c.started = true;
    readableByteStreamControllerCallPullIfNeeded(c);
    return;
  }
  const startPromise = promiseCall(startAlgorithm, undefined);
  uponPromise(startPromise, () => {
    c.started = true;
    readableByteStreamControllerCallPullIfNeeded(c);
  }, (r) => {
    readableByteStreamControllerError(c, r);
  });
}

function setUpReadableByteStreamControllerFromUnderlyingSource(s, source, dict, hwm) {
  const c = newByteControllerRecord();
  createPublic(ReadableByteStreamController, c);
  const startAlgorithm = dict.start ? () => dict.start.call(source, c.pub) : null;
  const pullAlgorithm = dict.pull ? () => promiseCall(dict.pull, source, c.pub)
    : resolvedUndefined;
  const cancelAlgorithm = dict.cancel ? (reason) => promiseCall(dict.cancel, source, reason)
    : resolvedUndefined;
  if (dict.autoAllocateChunkSize === 0) {
    throw new TypeError("The autoAllocateChunkSize option cannot be zero.");
  }
  setUpReadableByteStreamController(s, c, startAlgorithm, pullAlgorithm, cancelAlgorithm, hwm,
    dict.autoAllocateChunkSize);
}

// ---------------------------------------------------------------------------------------------
// tee().

function readableStreamTee(s, cloneForBranch2) {
  if (s.controller.kind === "ReadableByteStreamController") return readableByteStreamTee(s);
  return readableStreamDefaultTee(s, cloneForBranch2);
}

function readableStreamDefaultTee(s, cloneForBranch2) {
  const reader = acquireReadableStreamDefaultReader(s);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1, reason2, branch1, branch2;
  const cancelPromise = deferred();
  const pullAlgorithm = () => {
    if (reading) {
      readAgain = true;
      return promiseResolve(undefined);
    }
    reading = true;
    readableStreamDefaultReaderRead(reader, {
      chunkSteps: (chunk) => microtask(() => {
        readAgain = false;
        const chunk1 = chunk;
        let chunk2 = chunk;
        if (!canceled2 && cloneForBranch2) {
          try {
            chunk2 = native.structuredClone(chunk);
          } catch (e) {
            readableStreamDefaultControllerError(branch1.controller, e);
            readableStreamDefaultControllerError(branch2.controller, e);
            cancelPromise.resolve(readableStreamCancel(s, e));
            return;
          }
        }
        if (!canceled1) readableStreamDefaultControllerEnqueue(branch1.controller, chunk1);
        if (!canceled2) readableStreamDefaultControllerEnqueue(branch2.controller, chunk2);
        reading = false;
        if (readAgain) pullAlgorithm();
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) readableStreamDefaultControllerClose(branch1.controller);
        if (!canceled2) readableStreamDefaultControllerClose(branch2.controller);
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
    return promiseResolve(undefined);
  };
  const cancel1Algorithm = (reason) => {
    canceled1 = true;
    reason1 = reason;
    return teeCancel(canceled2, reason);
  };
  const cancel2Algorithm = (reason) => {
    canceled2 = true;
    reason2 = reason;
    return teeCancel(canceled1, reason);
  };
  // workerd settles a branch's cancel() at once and cancels the source with the reason of the
  // branch cancelled last (the spec waits for both and passes [reason1, reason2]).
  const teeCancel = (otherCanceled, reason) => {
    if (!otherCanceled) return promiseResolve(undefined);
    cancelPromise.resolve(readableStreamCancel(s, reason));
    return cancelPromise.promise;
  };
  const startAlgorithm = () => undefined;
  branch1 = createReadableStream(startAlgorithm, pullAlgorithm, cancel1Algorithm);
  branch2 = createReadableStream(startAlgorithm, pullAlgorithm, cancel2Algorithm);
  uponPromise(reader.closedPromise.promise, undefined, (r) => {
    readableStreamDefaultControllerError(branch1.controller, r);
    readableStreamDefaultControllerError(branch2.controller, r);
    if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
  });
  return [branch1, branch2];
}

function cloneAsUint8Array(view) {
  return new Uint8Array(copyBytes(viewBuffer(view), viewByteOffset(view), viewByteLength(view)));
}

function readableByteStreamTee(s) {
  let reader = acquireReadableStreamDefaultReader(s);
  let reading = false;
  let readAgainForBranch1 = false;
  let readAgainForBranch2 = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1, reason2, branch1, branch2;
  const cancelPromise = deferred();

  const forwardReaderError = (thisReader) => {
    uponPromise(thisReader.closedPromise.promise, undefined, (r) => {
      if (thisReader !== reader) return;
      readableByteStreamControllerError(branch1.controller, r);
      readableByteStreamControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
    });
  };
  const errorBoth = (e) => {
    readableByteStreamControllerError(branch1.controller, e);
    readableByteStreamControllerError(branch2.controller, e);
    cancelPromise.resolve(readableStreamCancel(s, e));
  };
  const pullAgain = () => {
    if (readAgainForBranch1) pull1Algorithm();
    else if (readAgainForBranch2) pull2Algorithm();
  };

  const pullWithDefaultReader = () => {
    if (reader.type === "byob") {
      readableStreamBYOBReaderRelease(reader);
      reader = acquireReadableStreamDefaultReader(s);
      forwardReaderError(reader);
    }
    readableStreamDefaultReaderRead(reader, {
      chunkSteps: (chunk) => microtask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const chunk1 = chunk;
        let chunk2 = chunk;
        if (!canceled1 && !canceled2) {
          try {
            chunk2 = cloneAsUint8Array(chunk);
          } catch (e) {
            errorBoth(e);
            return;
          }
        }
        if (!canceled1) readableByteStreamControllerEnqueue(branch1.controller, chunk1, false);
        if (!canceled2) readableByteStreamControllerEnqueue(branch2.controller, chunk2, false);
        reading = false;
        pullAgain();
      }),
      closeSteps: () => {
        reading = false;
        if (!canceled1) readableByteStreamControllerClose(branch1.controller);
        if (!canceled2) readableByteStreamControllerClose(branch2.controller);
        if (branch1.controller.pendingPullIntos.length > 0) {
          readableByteStreamControllerRespond(branch1.controller, 0);
        }
        if (branch2.controller.pendingPullIntos.length > 0) {
          readableByteStreamControllerRespond(branch2.controller, 0);
        }
        if (!canceled1 || !canceled2) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pullWithBYOBReader = (view, forBranch2) => {
    if (reader.type === "default") {
      readableStreamDefaultReaderRelease(reader);
      reader = acquireReadableStreamBYOBReader(s);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? branch2 : branch1;
    const otherBranch = forBranch2 ? branch1 : branch2;
    readableStreamBYOBReaderRead(reader, view, 1, {
      chunkSteps: (chunk) => microtask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!otherCanceled) {
          let clone;
          try {
            clone = cloneAsUint8Array(chunk);
          } catch (e) {
            errorBoth(e);
            return;
          }
          if (!byobCanceled) {
            readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
          }
          readableByteStreamControllerEnqueue(otherBranch.controller, clone, false);
        } else if (!byobCanceled) {
          readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
        }
        reading = false;
        pullAgain();
      }),
      closeSteps: (chunk) => {
        reading = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!byobCanceled) readableByteStreamControllerClose(byobBranch.controller);
        if (!otherCanceled) readableByteStreamControllerClose(otherBranch.controller);
        if (chunk !== undefined) {
          if (!byobCanceled) {
            readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
          }
          if (!otherCanceled && otherBranch.controller.pendingPullIntos.length > 0) {
            readableByteStreamControllerRespond(otherBranch.controller, 0);
          }
        }
        if (!byobCanceled || !otherCanceled) cancelPromise.resolve(undefined);
      },
      errorSteps: () => {
        reading = false;
      },
    });
  };

  const pull1Algorithm = () => {
    if (reading) {
      readAgainForBranch1 = true;
      return promiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch1.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest.view, false);
    return promiseResolve(undefined);
  };
  const pull2Algorithm = () => {
    if (reading) {
      readAgainForBranch2 = true;
      return promiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch2.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest.view, true);
    return promiseResolve(undefined);
  };
  const cancel1Algorithm = (reason) => {
    canceled1 = true;
    reason1 = reason;
    return teeCancel(canceled2, reason);
  };
  const cancel2Algorithm = (reason) => {
    canceled2 = true;
    reason2 = reason;
    return teeCancel(canceled1, reason);
  };
  const teeCancel = (otherCanceled, reason) => {
    if (!otherCanceled) return promiseResolve(undefined);
    cancelPromise.resolve(readableStreamCancel(s, reason));
    return cancelPromise.promise;
  };
  const startAlgorithm = () => undefined;
  branch1 = createReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
  branch2 = createReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
  forwardReaderError(reader);
  return [branch1, branch2];
}

// ---------------------------------------------------------------------------------------------
// pipeTo().

function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = acquireReadableStreamDefaultReader(source);
  const writer = acquireWritableStreamDefaultWriter(dest);
  source.disturbed = true;
  let shuttingDown = false;
  const result = deferred();
  // The last write started; writes are sequential, so its settling means all have.
  let currentWrite = promiseResolve(undefined);
  let writesInFlight = 0;
  let abortAlgorithm;

  const finalize = (isError, error) => {
    writableStreamDefaultWriterRelease(writer);
    readableStreamDefaultReaderRelease(reader);
    if (signal !== undefined) signal.removeEventListener("abort", abortAlgorithm);
    if (isError) result.reject(error);
    else result.resolve(undefined);
  };
  const waitForWrites = (then) => {
    if (writesInFlight > 0 && dest.state === "writable" &&
        !writableStreamCloseQueuedOrInFlight(dest)) {
      // Wait for writes started before shutdown, including those started while waiting.
      const wait = () => {
        const w = currentWrite;
        uponPromise(w, () => (w === currentWrite ? then() : wait()),
          () => (w === currentWrite ? then() : wait()));
      };
      wait();
    } else {
      then();
    }
  };
  const shutdownWithAnAction = (action, originalIsError, originalError) => {
    if (shuttingDown) return;
    shuttingDown = true;
    waitForWrites(() => {
      let p;
      try {
        p = action();
      } catch (e) {
        p = PromiseCtor.reject(e);
      }
      uponPromise(p, () => finalize(originalIsError, originalError),
        (newError) => finalize(true, newError));
    });
  };
  const shutdown = (isError, error) => {
    if (shuttingDown) return;
    shuttingDown = true;
    waitForWrites(() => finalize(isError, error));
  };

  if (signal !== undefined) {
    abortAlgorithm = () => {
      const error = signal.reason;
      const actions = [];
      if (!preventAbort) {
        actions.push(() => dest.state === "writable" ? writableStreamAbort(dest, error)
          : promiseResolve(undefined));
      }
      if (!preventCancel) {
        actions.push(() => source.state === "readable" ? readableStreamCancel(source, error)
          : promiseResolve(undefined));
      }
      shutdownWithAnAction(() => PromiseCtor.all(actions.map((a) => a())), true, error);
    };
    if (signal.aborted) {
      abortAlgorithm();
      return result.promise;
    }
    signal.addEventListener("abort", abortAlgorithm);
  }

  // Error and close propagation, checked now and whenever the state changes.
  const sourceErrored = () => {
    if (!preventAbort) {
      shutdownWithAnAction(() => writableStreamAbort(dest, source.storedError), true,
        source.storedError);
    } else {
      shutdown(true, source.storedError);
    }
  };
  const destErrored = () => {
    if (!preventCancel) {
      shutdownWithAnAction(() => readableStreamCancel(source, dest.storedError), true,
        dest.storedError);
    } else {
      shutdown(true, dest.storedError);
    }
  };
  const sourceClosed = () => {
    if (!preventClose) {
      shutdownWithAnAction(() => writableStreamDefaultWriterCloseWithErrorPropagation(writer));
    } else {
      shutdown();
    }
  };
  const destClosing = () => {
    const destClosed = new TypeError("This WritableStream has been closed.");
    if (!preventCancel) {
      shutdownWithAnAction(() => readableStreamCancel(source, destClosed), true, destClosed);
    } else {
      shutdown(true, destClosed);
    }
  };

  if (source.state === "errored") sourceErrored();
  else if (dest.state === "errored" || dest.state === "erroring") destErrored();
  else if (source.state === "closed") sourceClosed();
  else if (writableStreamCloseQueuedOrInFlight(dest) || dest.state === "closed") destClosing();
  if (shuttingDown) return result.promise;

  uponPromise(reader.closedPromise.promise, () => {
    if (!shuttingDown) sourceClosed();
  }, () => {
    if (!shuttingDown) sourceErrored();
  });
  uponPromise(writer.closedPromise.promise, undefined, () => {
    if (!shuttingDown) destErrored();
  });

  const pipeStep = () => {
    if (shuttingDown) return;
    uponPromise(writer.readyPromise.promise, () => {
      if (shuttingDown) return;
      readableStreamDefaultReaderRead(reader, {
        chunkSteps: (chunk) => {
          writesInFlight++;
          const done = () => { writesInFlight--; };
          currentWrite = transformPromise(writableStreamDefaultWriterWrite(writer, chunk),
            done, done);
          pipeStep();
        },
        closeSteps: noop,
        errorSteps: noop,
      });
    }, noop);
  };
  pipeStep();
  return result.promise;
}

// ---------------------------------------------------------------------------------------------
// Async iteration.

const asyncIterators = new WeakMap();
const asyncIteratorRec = (o) => asyncIterators.get(o);
const END_OF_ITERATION = Symbol("end of iteration");
const ReadableStreamAsyncIteratorPrototype = Object.create(AsyncIteratorPrototype);
{
  const methods = {
    next() {
      const it = asyncIteratorRec(this);
      if (it === undefined) return rejected(illegalInvocation());
      const nextSteps = () => {
        if (it.isFinished) return promiseResolve({ value: undefined, done: true });
        const reader = it.reader;
        const d = deferred();
        readableStreamDefaultReaderRead(reader, {
          chunkSteps: (chunk) => d.resolve(chunk),
          closeSteps: () => {
            readableStreamDefaultReaderRelease(reader);
            d.resolve(END_OF_ITERATION);
          },
          errorSteps: (e) => {
            readableStreamDefaultReaderRelease(reader);
            d.reject(e);
          },
        });
        return transformPromise(d.promise, (v) => {
          it.ongoing = undefined;
          if (v === END_OF_ITERATION) {
            it.isFinished = true;
            return { value: undefined, done: true };
          }
          return { value: v, done: false };
        }, (e) => {
          it.ongoing = undefined;
          it.isFinished = true;
          throw e;
        });
      };
      it.ongoing = it.ongoing !== undefined
        ? transformPromise(it.ongoing, nextSteps, nextSteps) : nextSteps();
      return it.ongoing;
    },
    return(value = undefined) {
      const it = asyncIteratorRec(this);
      if (it === undefined) return rejected(illegalInvocation());
      const returnSteps = () => {
        if (it.isFinished) return promiseResolve({ value, done: true });
        it.isFinished = true;
        const reader = it.reader;
        let p;
        if (reader.stream === undefined) {
          p = promiseResolve(undefined);
        } else if (!it.preventCancel) {
          p = readableStreamReaderGenericCancel(reader, value);
          readableStreamDefaultReaderRelease(reader);
        } else {
          readableStreamDefaultReaderRelease(reader);
          p = promiseResolve(undefined);
        }
        return transformPromise(p, () => ({ value, done: true }));
      };
      const p = it.ongoing !== undefined
        ? transformPromise(it.ongoing, returnSteps, returnSteps) : returnSteps();
      return p;
    },
  };
  for (const key of ["next", "return"]) {
    Object.defineProperty(ReadableStreamAsyncIteratorPrototype, key,
      { value: methods[key], writable: true, enumerable: true, configurable: true });
  }
  Object.defineProperty(ReadableStreamAsyncIteratorPrototype, Symbol.toStringTag,
    { value: "ReadableStreamAsyncIterator", configurable: true });
}

function createAsyncIterator(s, preventCancel) {
  const reader = acquireReadableStreamDefaultReader(s);
  const obj = Object.create(ReadableStreamAsyncIteratorPrototype);
  asyncIterators.set(obj, { reader, preventCancel, ongoing: undefined, isFinished: false });
  return obj;
}

// ReadableStream.from().
function readableStreamFromIterable(asyncIterable) {
  const notIterable = () => new TypeError("Failed to execute 'from' on 'ReadableStream': " +
    "parameter 1 is not of type 'AsyncGenerator'.");
  if (asyncIterable === null || asyncIterable === undefined) throw notIterable();
  let method = asyncIterable[Symbol.asyncIterator];
  let isSync = false;
  if (method === undefined || method === null) {
    method = asyncIterable[Symbol.iterator];
    isSync = true;
  }
  if (typeof method !== "function") throw notIterable();
  const iterator = method.call(asyncIterable);
  if (!isObject(iterator)) throw new TypeError("The iterator must be an object.");
  const nextMethod = iterator.next;
  let s;
  const startAlgorithm = () => undefined;
  const pullAlgorithm = () => {
    let nextResult;
    try {
      nextResult = nextMethod.call(iterator);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
    if (isSync) {
      if (!isObject(nextResult)) return PromiseCtor.reject(new TypeError("The iterator result must be an object."));
      const done = Boolean(nextResult.done);
      nextResult = transformPromise(promiseResolve(nextResult.value), (value) => ({ value, done }));
    }
    return transformPromise(promiseResolve(nextResult), (iterResult) => {
      if (!isObject(iterResult)) throw new TypeError("The iterator result must be an object.");
      if (iterResult.done) {
        readableStreamDefaultControllerClose(s.controller);
      } else {
        readableStreamDefaultControllerEnqueue(s.controller, iterResult.value);
      }
    });
  };
  const cancelAlgorithm = (reason) => {
    let returnMethod;
    try {
      returnMethod = iterator.return;
    } catch (e) {
      return PromiseCtor.reject(e);
    }
    if (returnMethod === undefined || returnMethod === null) return promiseResolve(undefined);
    let returnResult;
    try {
      returnResult = returnMethod.call(iterator, reason);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
    return transformPromise(promiseResolve(returnResult), (r) => {
      if (!isObject(r)) throw new TypeError("The iterator's return() result must be an object.");
    });
  };
  s = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, 0);
  return s;
}

// ---------------------------------------------------------------------------------------------
// WritableStream and its writer and controller.

class WritableStream {
  #r;
  static { wsRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(underlyingSink = undefined, strategy = undefined) {
    if (pendingRecord !== null && pendingRecord.kind === "WritableStream") {
      this.#r = takePendingRecord();
      return;
    }
    const sink = underlyingSink === undefined || underlyingSink === null
      ? null : dictionary(underlyingSink, "The underlying sink");
    const st = readStrategy(strategy);
    const dict = readUnderlyingSink(sink);
    const s = newWritableStreamRecord();
    s.pub = this;
    this.#r = s;
    const sizeAlgorithm = extractSizeAlgorithm(st);
    const hwm = extractHighWaterMark(st, 1);
    setUpWritableStreamDefaultControllerFromUnderlyingSink(s, sink, dict, hwm, sizeAlgorithm);
  }

  get locked() {
    return isWritableStreamLocked(this.#r);
  }

  abort(reason = undefined) {
    const s = wsRec(this);
    if (s === undefined) return rejected(illegalInvocation());
    if (isWritableStreamLocked(s)) {
      return rejected(new TypeError("This WritableStream is currently locked to a writer."));
    }
    return writableStreamAbort(s, reason);
  }

  close() {
    const s = wsRec(this);
    if (s === undefined) return rejected(illegalInvocation());
    if (isWritableStreamLocked(s)) {
      return rejected(new TypeError("This WritableStream is currently locked to a writer."));
    }
    if (writableStreamCloseQueuedOrInFlight(s)) {
      return rejected(new TypeError("This WritableStream has been closed."));
    }
    return writableStreamClose(s);
  }

  getWriter() {
    return acquireWritableStreamDefaultWriter(this.#r).pub;
  }
}

function readUnderlyingSink(sink) {
  if (sink === null) return {};
  const abort = sink.abort;
  const close = sink.close;
  const start = sink.start;
  const write = sink.write;
  for (const [k, v] of [["abort", abort], ["close", close], ["start", start], ["write", write]]) {
    if (v !== undefined && typeof v !== "function") {
      throw new TypeError(`Incorrect type for the '${k}' field on 'UnderlyingSink': the ` +
        "provided value is not of type 'function'.");
    }
  }
  // workerd ignores `type` (the spec reserves it and throws a RangeError for any value).
  return { abort, close, start, write };
}

class WritableStreamDefaultWriter {
  #r;
  static { wsdwRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(stream) {
    if (pendingRecord !== null && pendingRecord.kind === "WritableStreamDefaultWriter") {
      this.#r = takePendingRecord();
      return;
    }
    const s = wsRec(stream);
    if (s === undefined) {
      throw new TypeError("Failed to construct 'WritableStreamDefaultWriter': constructor " +
        "parameter 1 is not of type 'WritableStream'.");
    }
    const w = newWriterRecord();
    w.pub = this;
    this.#r = w;
    setUpWritableStreamDefaultWriter(w, s);
  }

  get closed() {
    return this.#r.closedPromise.promise;
  }

  get desiredSize() {
    const w = this.#r;
    if (w.stream === undefined) throw writerReleasedError();
    return writableStreamDefaultWriterGetDesiredSize(w);
  }

  get ready() {
    return this.#r.readyPromise.promise;
  }

  abort(reason = undefined) {
    const w = wsdwRec(this);
    if (w === undefined) return rejected(illegalInvocation());
    if (w.stream === undefined) return rejected(writerReleasedError());
    return writableStreamAbort(w.stream, reason);
  }

  close() {
    const w = wsdwRec(this);
    if (w === undefined) return rejected(illegalInvocation());
    const s = w.stream;
    if (s === undefined) return rejected(writerReleasedError());
    if (writableStreamCloseQueuedOrInFlight(s)) {
      return rejected(new TypeError("This WritableStream has been closed."));
    }
    return writableStreamClose(s);
  }

  releaseLock() {
    const w = this.#r;
    if (w.stream === undefined) return;
    writableStreamDefaultWriterRelease(w);
  }

  write(chunk = undefined) {
    const w = wsdwRec(this);
    if (w === undefined) return rejected(illegalInvocation());
    if (w.stream === undefined) return rejected(writerReleasedError());
    return writableStreamDefaultWriterWrite(w, chunk);
  }
}

const writerReleasedError = () =>
  new TypeError("This WritableStream writer has been released.");

class WritableStreamDefaultController {
  #r;
  static { wsdcRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor() {
    if (pendingRecord === null || pendingRecord.kind !== "WritableStreamDefaultController") {
      throw illegalConstructor();
    }
    this.#r = takePendingRecord();
  }

  get signal() {
    return this.#r.abortController.signal;
  }

  error(e = undefined) {
    const c = this.#r;
    if (c.stream.state !== "writable") return;
    writableStreamDefaultControllerError(c, e);
  }
}

// An AbortController from events.js, or a minimal stand-in while that is missing.
function newAbortController() {
  const AC = global.AbortController;
  if (typeof AC === "function") return new AC();
  const listeners = [];
  const signal = {
    aborted: false, reason: undefined,
    addEventListener(type, fn) { if (type === "abort") listeners.push(fn); },
    removeEventListener(type, fn) {
      const i = listeners.indexOf(fn);
      if (i >= 0) listeners.splice(i, 1);
    },
    throwIfAborted() { if (signal.aborted) throw signal.reason; },
  };
  return {
    signal,
    abort(reason) {
      if (signal.aborted) return;
      signal.aborted = true;
      signal.reason = reason === undefined ? domException("The operation was aborted.",
        "AbortError") : reason;
      for (const fn of listeners.slice()) fn.call(signal, { type: "abort", target: signal });
    },
  };
}

function newWritableStreamRecord() {
  return {
    kind: "WritableStream", pub: undefined, state: "writable", storedError: undefined,
    writer: undefined, controller: undefined, inFlightWriteRequest: undefined,
    closeRequest: undefined, inFlightCloseRequest: undefined, pendingAbortRequest: undefined,
    writeRequests: new Queue(), backpressure: false,
  };
}

function newWriterRecord() {
  return {
    kind: "WritableStreamDefaultWriter", pub: undefined, stream: undefined,
    readyPromise: undefined, closedPromise: undefined,
  };
}

function acquireWritableStreamDefaultWriter(s) {
  const w = newWriterRecord();
  setUpWritableStreamDefaultWriter(w, s);
  createPublic(WritableStreamDefaultWriter, w);
  return w;
}

function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm,
                              highWaterMark = 1, sizeAlgorithm = () => 1) {
  const s = newWritableStreamRecord();
  createPublic(WritableStream, s);
  const c = newWritableControllerRecord();
  setUpWritableStreamDefaultController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, highWaterMark, sizeAlgorithm);
  return s;
}

function isWritableStreamLocked(s) {
  return s.writer !== undefined;
}

function setUpWritableStreamDefaultWriter(w, s) {
  if (isWritableStreamLocked(s)) {
    throw new TypeError("This WritableStream is currently locked to a writer.");
  }
  w.stream = s;
  s.writer = w;
  const state = s.state;
  if (state === "writable") {
    if (!writableStreamCloseQueuedOrInFlight(s) && s.backpressure) {
      w.readyPromise = deferred();
    } else {
      w.readyPromise = deferredResolved(undefined);
    }
    w.closedPromise = deferred();
  } else if (state === "erroring") {
    w.readyPromise = deferredRejected(s.storedError);
    w.closedPromise = deferred();
  } else if (state === "closed") {
    w.readyPromise = deferredResolved(undefined);
    w.closedPromise = deferredResolved(undefined);
  } else {
    w.readyPromise = deferredRejected(s.storedError);
    w.closedPromise = deferredRejected(s.storedError);
  }
}

function writableStreamAbort(s, reason) {
  if (s.state === "closed" || s.state === "errored") return promiseResolve(undefined);
  s.controller.abortController.abort(reason);
  const state = s.state;
  if (state === "closed" || state === "errored") return promiseResolve(undefined);
  if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.promise.promise;
  let wasAlreadyErroring = false;
  if (state === "erroring") {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const promise = deferred();
  s.pendingAbortRequest = { promise, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) writableStreamStartErroring(s, reason);
  return promise.promise;
}

function writableStreamClose(s) {
  const state = s.state;
  // workerd rejects with the stored error of an errored stream (the spec uses a TypeError).
  if (state === "errored") return rejected(s.storedError);
  if (state === "closed") return rejected(new TypeError("This WritableStream has been closed."));
  const promise = deferred();
  s.closeRequest = promise;
  const w = s.writer;
  if (w !== undefined && s.backpressure && state === "writable") w.readyPromise.resolve(undefined);
  writableStreamDefaultControllerClose(s.controller);
  return promise.promise;
}

function writableStreamAddWriteRequest(s) {
  const d = deferred();
  s.writeRequests.push(d);
  return d.promise;
}

function writableStreamCloseQueuedOrInFlight(s) {
  return s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function writableStreamDealWithRejection(s, error) {
  if (s.state === "writable") {
    writableStreamStartErroring(s, error);
    return;
  }
  writableStreamFinishErroring(s);
}

function writableStreamFinishErroring(s) {
  s.state = "errored";
  s.controller.errorSteps();
  const storedError = s.storedError;
  const requests = s.writeRequests;
  s.writeRequests = new Queue();
  for (const req of requests) req.reject(storedError);
  if (s.pendingAbortRequest === undefined) {
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  const abortRequest = s.pendingAbortRequest;
  s.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.promise.reject(storedError);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  const promise = s.controller.abortSteps(abortRequest.reason);
  uponPromise(promise, () => {
    abortRequest.promise.resolve(undefined);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
  }, (reason) => {
    abortRequest.promise.reject(reason);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(s);
  });
}

function writableStreamFinishInFlightClose(s) {
  s.inFlightCloseRequest.resolve(undefined);
  s.inFlightCloseRequest = undefined;
  if (s.state === "erroring") {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== undefined) {
      s.pendingAbortRequest.promise.resolve(undefined);
      s.pendingAbortRequest = undefined;
    }
  }
  s.state = "closed";
  const w = s.writer;
  if (w !== undefined) w.closedPromise.resolve(undefined);
}

function writableStreamFinishInFlightCloseWithError(s, error) {
  s.inFlightCloseRequest.reject(error);
  s.inFlightCloseRequest = undefined;
  if (s.pendingAbortRequest !== undefined) {
    s.pendingAbortRequest.promise.reject(error);
    s.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(s, error);
}

function writableStreamFinishInFlightWrite(s) {
  s.inFlightWriteRequest.resolve(undefined);
  s.inFlightWriteRequest = undefined;
}

function writableStreamFinishInFlightWriteWithError(s, error) {
  s.inFlightWriteRequest.reject(error);
  s.inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(s, error);
}

function writableStreamHasOperationMarkedInFlight(s) {
  return s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined;
}

function writableStreamMarkCloseRequestInFlight(s) {
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = undefined;
}

function writableStreamMarkFirstWriteRequestInFlight(s) {
  s.inFlightWriteRequest = s.writeRequests.shift();
}

function writableStreamRejectCloseAndClosedPromiseIfNeeded(s) {
  if (s.closeRequest !== undefined) {
    s.closeRequest.reject(s.storedError);
    s.closeRequest = undefined;
  }
  const w = s.writer;
  if (w !== undefined) {
    w.closedPromise.reject(s.storedError);
    markHandled(w.closedPromise.promise);
  }
}

function writableStreamStartErroring(s, reason) {
  const c = s.controller;
  s.state = "erroring";
  s.storedError = reason;
  const w = s.writer;
  if (w !== undefined) writableStreamDefaultWriterEnsureReadyPromiseRejected(w, reason);
  if (!writableStreamHasOperationMarkedInFlight(s) && c.started) {
    writableStreamFinishErroring(s);
  }
}

function writableStreamUpdateBackpressure(s, backpressure) {
  const w = s.writer;
  if (w !== undefined && backpressure !== s.backpressure) {
    if (backpressure) w.readyPromise = deferred();
    else w.readyPromise.resolve(undefined);
  }
  s.backpressure = backpressure;
}

function writableStreamDefaultWriterCloseWithErrorPropagation(w) {
  const s = w.stream;
  const state = s.state;
  if (writableStreamCloseQueuedOrInFlight(s) || state === "closed") {
    return promiseResolve(undefined);
  }
  if (state === "errored") return rejected(s.storedError);
  return writableStreamClose(s);
}

function writableStreamDefaultWriterEnsureClosedPromiseRejected(w, error) {
  if (w.closedPromise.pending) w.closedPromise.reject(error);
  else w.closedPromise = deferredRejected(error);
  markHandled(w.closedPromise.promise);
}

function writableStreamDefaultWriterEnsureReadyPromiseRejected(w, error) {
  if (w.readyPromise.pending) w.readyPromise.reject(error);
  else w.readyPromise = deferredRejected(error);
  markHandled(w.readyPromise.promise);
}

function writableStreamDefaultWriterGetDesiredSize(w) {
  const s = w.stream;
  const state = s.state;
  if (state === "errored" || state === "erroring") return null;
  if (state === "closed") return 0;
  return writableStreamDefaultControllerGetDesiredSize(s.controller);
}

function writableStreamDefaultWriterRelease(w) {
  const s = w.stream;
  const releasedError = writerReleasedError();
  writableStreamDefaultWriterEnsureReadyPromiseRejected(w, releasedError);
  writableStreamDefaultWriterEnsureClosedPromiseRejected(w, releasedError);
  s.writer = undefined;
  w.stream = undefined;
}

function writableStreamDefaultWriterWrite(w, chunk) {
  const s = w.stream;
  const c = s.controller;
  const chunkSize = writableStreamDefaultControllerGetChunkSize(c, chunk);
  if (s !== w.stream) return rejected(writerReleasedError());
  const state = s.state;
  if (state === "errored") return rejected(s.storedError);
  if (writableStreamCloseQueuedOrInFlight(s) || state === "closed") {
    return rejected(new TypeError("This WritableStream has been closed."));
  }
  if (state === "erroring") return rejected(s.storedError);
  const promise = writableStreamAddWriteRequest(s);
  writableStreamDefaultControllerWrite(c, chunk, chunkSize);
  return promise;
}

const CLOSE_SENTINEL = Symbol("close");

function newWritableControllerRecord() {
  const c = {
    kind: "WritableStreamDefaultController", pub: undefined, stream: undefined,
    abortController: undefined, abortAlgorithm: undefined, closeAlgorithm: undefined,
    queue: new Queue(), queueTotalSize: 0, started: false, strategyHWM: 1,
    strategySizeAlgorithm: undefined, writeAlgorithm: undefined,
    abortSteps: (reason) => {
      const result = c.abortAlgorithm(reason);
      writableStreamDefaultControllerClearAlgorithms(c);
      return result;
    },
    errorSteps: () => resetQueue(c),
  };
  return c;
}

function setUpWritableStreamDefaultController(s, c, startAlgorithm, writeAlgorithm,
                                              closeAlgorithm, abortAlgorithm, highWaterMark,
                                              sizeAlgorithm) {
  c.stream = s;
  s.controller = c;
  resetQueue(c);
  c.abortController = newAbortController();
  c.started = false;
  c.strategySizeAlgorithm = sizeAlgorithm;
  c.strategyHWM = highWaterMark;
  c.writeAlgorithm = writeAlgorithm;
  c.closeAlgorithm = closeAlgorithm;
  c.abortAlgorithm = abortAlgorithm;
  if (c.pub === undefined) createPublic(WritableStreamDefaultController, c);
  const backpressure = writableStreamDefaultControllerGetBackpressure(c);
  writableStreamUpdateBackpressure(s, backpressure);
  if (startAlgorithm === null) {
    c.started = true;
    writableStreamDefaultControllerAdvanceQueueIfNeeded(c);
    return;
  }
  const startPromise = promiseCall(startAlgorithm, undefined);
  uponPromise(startPromise, () => {
    c.started = true;
    writableStreamDefaultControllerAdvanceQueueIfNeeded(c);
  }, (r) => {
    c.started = true;
    writableStreamDealWithRejection(s, r);
  });
}

function setUpWritableStreamDefaultControllerFromUnderlyingSink(s, sink, dict, hwm,
                                                               sizeAlgorithm) {
  const c = newWritableControllerRecord();
  createPublic(WritableStreamDefaultController, c);
  const startAlgorithm = dict.start ? () => dict.start.call(sink, c.pub) : null;
  const writeAlgorithm = dict.write ? (chunk) => promiseCall(dict.write, sink, chunk, c.pub)
    : resolvedUndefined;
  const closeAlgorithm = dict.close ? () => promiseCall(dict.close, sink) : resolvedUndefined;
  const abortAlgorithm = dict.abort ? (reason) => promiseCall(dict.abort, sink, reason)
    : resolvedUndefined;
  setUpWritableStreamDefaultController(s, c, startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, hwm, sizeAlgorithm);
}

function writableStreamDefaultControllerAdvanceQueueIfNeeded(c) {
  const s = c.stream;
  if (!c.started) return;
  if (s.inFlightWriteRequest !== undefined) return;
  const state = s.state;
  if (state === "erroring") {
    writableStreamFinishErroring(s);
    return;
  }
  if (c.queue.length === 0) return;
  const value = peekQueueValue(c);
  if (value === CLOSE_SENTINEL) writableStreamDefaultControllerProcessClose(c);
  else writableStreamDefaultControllerProcessWrite(c, value);
}

function writableStreamDefaultControllerClearAlgorithms(c) {
  c.writeAlgorithm = undefined;
  c.closeAlgorithm = undefined;
  c.abortAlgorithm = undefined;
  c.strategySizeAlgorithm = undefined;
}

function writableStreamDefaultControllerClose(c) {
  enqueueValueWithSize(c, CLOSE_SENTINEL, 0);
  writableStreamDefaultControllerAdvanceQueueIfNeeded(c);
}

function writableStreamDefaultControllerError(c, error) {
  const s = c.stream;
  writableStreamDefaultControllerClearAlgorithms(c);
  writableStreamStartErroring(s, error);
}

function writableStreamDefaultControllerErrorIfNeeded(c, error) {
  if (c.stream.state === "writable") writableStreamDefaultControllerError(c, error);
}

function writableStreamDefaultControllerGetBackpressure(c) {
  return writableStreamDefaultControllerGetDesiredSize(c) <= 0;
}

function writableStreamDefaultControllerGetChunkSize(c, chunk) {
  if (c.strategySizeAlgorithm === undefined) return 1;
  try {
    return c.strategySizeAlgorithm(chunk);
  } catch (e) {
    writableStreamDefaultControllerErrorIfNeeded(c, e);
    return 1;
  }
}

function writableStreamDefaultControllerGetDesiredSize(c) {
  return c.strategyHWM - c.queueTotalSize;
}

function writableStreamDefaultControllerProcessClose(c) {
  const s = c.stream;
  writableStreamMarkCloseRequestInFlight(s);
  dequeueValue(c);
  const sinkClosePromise = c.closeAlgorithm();
  writableStreamDefaultControllerClearAlgorithms(c);
  uponPromise(sinkClosePromise, () => {
    writableStreamFinishInFlightClose(s);
  }, (reason) => {
    writableStreamFinishInFlightCloseWithError(s, reason);
  });
}

function writableStreamDefaultControllerProcessWrite(c, chunk) {
  const s = c.stream;
  writableStreamMarkFirstWriteRequestInFlight(s);
  const sinkWritePromise = c.writeAlgorithm(chunk);
  uponPromise(sinkWritePromise, () => {
    writableStreamFinishInFlightWrite(s);
    const state = s.state;
    dequeueValue(c);
    if (!writableStreamCloseQueuedOrInFlight(s) && state === "writable") {
      const backpressure = writableStreamDefaultControllerGetBackpressure(c);
      writableStreamUpdateBackpressure(s, backpressure);
    }
    writableStreamDefaultControllerAdvanceQueueIfNeeded(c);
  }, (reason) => {
    if (s.state === "writable") writableStreamDefaultControllerClearAlgorithms(c);
    writableStreamFinishInFlightWriteWithError(s, reason);
  });
}

function writableStreamDefaultControllerWrite(c, chunk, chunkSize) {
  try {
    enqueueValueWithSize(c, chunk, chunkSize);
  } catch (e) {
    writableStreamDefaultControllerErrorIfNeeded(c, e);
    return;
  }
  const s = c.stream;
  if (!writableStreamCloseQueuedOrInFlight(s) && s.state === "writable") {
    const backpressure = writableStreamDefaultControllerGetBackpressure(c);
    writableStreamUpdateBackpressure(s, backpressure);
  }
  writableStreamDefaultControllerAdvanceQueueIfNeeded(c);
}

// ---------------------------------------------------------------------------------------------
// TransformStream.

class TransformStream {
  #r;
  static { tsRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor(transformer = undefined, writableStrategy = undefined,
              readableStrategy = undefined) {
    if (pendingRecord !== null && pendingRecord.kind === "TransformStream") {
      this.#r = takePendingRecord();
      return;
    }
    const t = transformer === undefined || transformer === null
      ? null : dictionary(transformer, "The transformer");
    const ws = readStrategy(writableStrategy);
    const rs = readStrategy(readableStrategy);
    const dict = readTransformer(t);
    const s = newTransformStreamRecord();
    s.pub = this;
    this.#r = s;
    const readableHWM = extractHighWaterMark(rs, 0);
    const readableSize = extractSizeAlgorithm(rs);
    const writableHWM = extractHighWaterMark(ws, 1);
    const writableSize = extractSizeAlgorithm(ws);
    const startPromise = deferred();
    initializeTransformStream(s, startPromise.promise, writableHWM, writableSize, readableHWM,
      readableSize);
    setUpTransformStreamDefaultControllerFromTransformer(s, t, dict);
    if (dict.start !== undefined) {
      // As with ReadableStream, a throwing start() errors the stream (workerd's behaviour).
      // workerd settles a transformer's start one microtask later than the spec.
      try {
        const result = dict.start.call(t, s.controller.pub);
        microtask(() => startPromise.resolve(result));
      } catch (e) {
        startPromise.reject(e);
      }
    } else {
      startPromise.resolve(undefined);
    }
  }

  get readable() {
    return this.#r.readable.pub;
  }

  get writable() {
    return this.#r.writable.pub;
  }
}

function readTransformer(t) {
  if (t === null) return {};
  const cancel = t.cancel;
  const flush = t.flush;
  const readableType = t.readableType;
  const start = t.start;
  const transform = t.transform;
  const writableType = t.writableType;
  for (const [k, v] of [["cancel", cancel], ["flush", flush], ["start", start],
    ["transform", transform]]) {
    if (v !== undefined && typeof v !== "function") {
      throw new TypeError(`Incorrect type for the '${k}' field on 'Transformer': the ` +
        "provided value is not of type 'function'.");
    }
  }
  if (readableType !== undefined) throw new TypeError("transformer.readableType must be undefined.");
  if (writableType !== undefined) throw new TypeError("transformer.writableType must be undefined.");
  return { cancel, flush, start, transform };
}

class TransformStreamDefaultController {
  #r;
  static { tsdcRec = (o) => (isObject(o) && #r in o) ? o.#r : undefined; }

  constructor() {
    if (pendingRecord === null || pendingRecord.kind !== "TransformStreamDefaultController") {
      throw illegalConstructor();
    }
    this.#r = takePendingRecord();
  }

  get desiredSize() {
    const c = this.#r;
    return readableControllerDesiredSize(c.stream.readable.controller);
  }

  enqueue(chunk = undefined) {
    transformStreamDefaultControllerEnqueue(this.#r, chunk);
  }

  error(reason = undefined) {
    transformStreamDefaultControllerError(this.#r, reason);
  }

  terminate() {
    transformStreamDefaultControllerTerminate(this.#r);
  }
}

function newTransformStreamRecord() {
  return {
    kind: "TransformStream", pub: undefined, backpressure: undefined, validateChunk: undefined,
    backpressureChangePromise: undefined, controller: undefined, readable: undefined,
    writable: undefined,
  };
}

// Dispatch on the readable side's controller kind (IdentityTransformStream uses a byte stream).
function readableControllerDesiredSize(rc) {
  return rc.kind === "ReadableByteStreamController"
    ? readableByteStreamControllerGetDesiredSize(rc)
    : readableStreamDefaultControllerGetDesiredSize(rc);
}
function readableControllerCanCloseOrEnqueue(rc) {
  return !rc.closeRequested && rc.stream.state === "readable";
}
function readableControllerClose(rc) {
  if (rc.kind === "ReadableByteStreamController") {
    readableByteStreamControllerClose(rc);
    // A pending BYOB read is answered with "done".
    if (rc.pendingPullIntos.length > 0 && rc.stream.state === "closed") {
      readableByteStreamControllerRespond(rc, 0);
    }
  } else {
    readableStreamDefaultControllerClose(rc);
  }
}
function readableControllerError(rc, e) {
  if (rc.kind === "ReadableByteStreamController") readableByteStreamControllerError(rc, e);
  else readableStreamDefaultControllerError(rc, e);
}
function readableControllerHasBackpressure(rc) {
  if (rc.kind === "ReadableByteStreamController") {
    return !readableByteStreamControllerShouldCallPull(rc);
  }
  return readableStreamDefaultControllerHasBackpressure(rc);
}

// `bytes`: the readable side is a byte stream (IdentityTransformStream).
function initializeTransformStream(s, startPromise, writableHWM, writableSize, readableHWM,
                                   readableSize, bytes = false) {
  const startAlgorithm = () => startPromise;
  const writeAlgorithm = (chunk) => transformStreamDefaultSinkWriteAlgorithm(s, chunk);
  const abortAlgorithm = (reason) => transformStreamDefaultSinkAbortAlgorithm(s, reason);
  const closeAlgorithm = () => transformStreamDefaultSinkCloseAlgorithm(s);
  s.writable = createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm,
    abortAlgorithm, writableHWM, writableSize);
  const pullAlgorithm = () => transformStreamDefaultSourcePullAlgorithm(s);
  const cancelAlgorithm = (reason) => transformStreamDefaultSourceCancelAlgorithm(s, reason);
  s.readable = bytes
    ? createReadableByteStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, readableHWM)
    : createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, readableHWM,
      readableSize);
  s.backpressure = undefined;
  s.backpressureChangePromise = undefined;
  transformStreamSetBackpressure(s, true);
  s.controller = undefined;
}

function transformStreamError(s, e) {
  readableControllerError(s.readable.controller, e);
  transformStreamErrorWritableAndUnblockWrite(s, e);
}

function transformStreamErrorWritableAndUnblockWrite(s, e) {
  transformStreamDefaultControllerClearAlgorithms(s.controller);
  writableStreamDefaultControllerErrorIfNeeded(s.writable.controller, e);
  transformStreamUnblockWrite(s);
}

function transformStreamSetBackpressure(s, backpressure) {
  if (s.backpressureChangePromise !== undefined) s.backpressureChangePromise.resolve(undefined);
  s.backpressureChangePromise = deferred();
  s.backpressure = backpressure;
}

function transformStreamUnblockWrite(s) {
  if (s.backpressure) transformStreamSetBackpressure(s, false);
}

function setUpTransformStreamDefaultController(s, c, transformAlgorithm, flushAlgorithm,
                                               cancelAlgorithm) {
  c.stream = s;
  s.controller = c;
  c.transformAlgorithm = transformAlgorithm;
  c.flushAlgorithm = flushAlgorithm;
  c.cancelAlgorithm = cancelAlgorithm;
  if (c.pub === undefined) createPublic(TransformStreamDefaultController, c);
}

function newTransformControllerRecord() {
  return {
    kind: "TransformStreamDefaultController", pub: undefined, stream: undefined,
    transformAlgorithm: undefined, flushAlgorithm: undefined, cancelAlgorithm: undefined,
    finishPromise: undefined,
  };
}

function setUpTransformStreamDefaultControllerFromTransformer(s, transformer, dict) {
  const c = newTransformControllerRecord();
  createPublic(TransformStreamDefaultController, c);
  let transformAlgorithm = (chunk) => {
    try {
      transformStreamDefaultControllerEnqueue(c, chunk);
      return promiseResolve(undefined);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  };
  let flushAlgorithm = resolvedUndefined;
  let cancelAlgorithm = resolvedUndefined;
  if (dict.transform !== undefined) {
    transformAlgorithm = (chunk) => promiseCall(dict.transform, transformer, chunk, c.pub);
  }
  if (dict.flush !== undefined) {
    flushAlgorithm = () => promiseCall(dict.flush, transformer, c.pub);
  }
  if (dict.cancel !== undefined) {
    cancelAlgorithm = (reason) => promiseCall(dict.cancel, transformer, reason);
  }
  setUpTransformStreamDefaultController(s, c, transformAlgorithm, flushAlgorithm,
    cancelAlgorithm);
}

function transformStreamDefaultControllerClearAlgorithms(c) {
  c.transformAlgorithm = undefined;
  c.flushAlgorithm = undefined;
  c.cancelAlgorithm = undefined;
}

function transformStreamDefaultControllerEnqueue(c, chunk) {
  const s = c.stream;
  const rc = s.readable.controller;
  if (!readableControllerCanCloseOrEnqueue(rc)) {
    throw new TypeError("The readable side of this TransformStream is no longer readable.");
  }
  try {
    if (rc.kind === "ReadableByteStreamController") {
      readableByteStreamControllerEnqueue(rc, chunk, false);
    } else {
      readableStreamDefaultControllerEnqueue(rc, chunk);
    }
  } catch (e) {
    transformStreamErrorWritableAndUnblockWrite(s, e);
    throw s.readable.storedError;
  }
  const backpressure = readableControllerHasBackpressure(rc);
  if (backpressure !== s.backpressure) transformStreamSetBackpressure(s, true);
}

function transformStreamDefaultControllerError(c, e) {
  transformStreamError(c.stream, e);
}

function transformStreamDefaultControllerPerformTransform(c, chunk) {
  const transformPromiseResult = c.transformAlgorithm(chunk);
  return transformPromise(transformPromiseResult, undefined, (r) => {
    transformStreamError(c.stream, r);
    throw r;
  });
}

function transformStreamDefaultControllerTerminate(c) {
  const s = c.stream;
  const rc = s.readable.controller;
  if (readableControllerCanCloseOrEnqueue(rc)) readableControllerClose(rc);
  const error = new TypeError("The transform stream has been terminated");
  transformStreamErrorWritableAndUnblockWrite(s, error);
}

function transformStreamDefaultSinkWriteAlgorithm(s, chunk) {
  const c = s.controller;
  // workerd checks the chunk type of its byte-oriented transforms when the write is processed,
  // not when the readable side pulls it.
  if (s.validateChunk !== undefined) {
    try {
      s.validateChunk(chunk);
    } catch (e) {
      transformStreamError(s, e);
      return PromiseCtor.reject(e);
    }
  }
  if (s.backpressure) {
    return transformPromise(s.backpressureChangePromise.promise, () => {
      const writable = s.writable;
      if (writable.state === "erroring") throw writable.storedError;
      return transformStreamDefaultControllerPerformTransform(c, chunk);
    });
  }
  return transformStreamDefaultControllerPerformTransform(c, chunk);
}

function transformStreamDefaultSinkAbortAlgorithm(s, reason) {
  const c = s.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = s.readable;
  c.finishPromise = deferred();
  const cancelPromise = c.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(c);
  uponPromise(cancelPromise, () => {
    if (readable.state === "errored") {
      c.finishPromise.reject(readable.storedError);
    } else {
      readableControllerError(readable.controller, reason);
      c.finishPromise.resolve(undefined);
    }
  }, (r) => {
    readableControllerError(readable.controller, r);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

function transformStreamDefaultSinkCloseAlgorithm(s) {
  const c = s.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const readable = s.readable;
  c.finishPromise = deferred();
  const flushPromise = c.flushAlgorithm();
  transformStreamDefaultControllerClearAlgorithms(c);
  uponPromise(flushPromise, () => {
    if (readable.state === "errored") {
      c.finishPromise.reject(readable.storedError);
    } else {
      if (readableControllerCanCloseOrEnqueue(readable.controller)) {
        readableControllerClose(readable.controller);
      }
      c.finishPromise.resolve(undefined);
    }
  }, (r) => {
    readableControllerError(readable.controller, r);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

function transformStreamDefaultSourceCancelAlgorithm(s, reason) {
  const c = s.controller;
  if (c.finishPromise !== undefined) return c.finishPromise.promise;
  const writable = s.writable;
  c.finishPromise = deferred();
  const cancelPromise = c.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(c);
  uponPromise(cancelPromise, () => {
    if (writable.state === "errored") {
      c.finishPromise.reject(writable.storedError);
    } else {
      writableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
      transformStreamUnblockWrite(s);
      c.finishPromise.resolve(undefined);
    }
  }, (r) => {
    writableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
    transformStreamUnblockWrite(s);
    c.finishPromise.reject(r);
  });
  return c.finishPromise.promise;
}

function transformStreamDefaultSourcePullAlgorithm(s) {
  transformStreamSetBackpressure(s, false);
  return s.backpressureChangePromise.promise;
}

// Builds a TransformStream from algorithms (for the subclasses below and internal users).
function setUpTransformStreamFromAlgorithms(s, { transform, flush, cancel, bytes = false,
  writableHWM = 1, readableHWM = 0 }) {
  initializeTransformStream(s, promiseResolve(undefined), writableHWM, () => 1, readableHWM,
    () => 1, bytes);
  const c = newTransformControllerRecord();
  const transformAlgorithm = (chunk) => {
    try {
      transform(chunk, c);
      return promiseResolve(undefined);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  };
  const flushAlgorithm = () => {
    try {
      if (flush) flush(c);
      return promiseResolve(undefined);
    } catch (e) {
      return PromiseCtor.reject(e);
    }
  };
  const cancelAlgorithm = (reason) => {
    if (cancel) cancel(reason);
    return promiseResolve(undefined);
  };
  setUpTransformStreamDefaultController(s, c, transformAlgorithm, flushAlgorithm,
    cancelAlgorithm);
}

// ---------------------------------------------------------------------------------------------
// Queuing strategies.

function readStrategyInit(init, name) {
  if (!isObject(init)) {
    throw new TypeError(`Failed to construct '${name}': constructor parameter 1 is not of ` +
      "type 'QueuingStrategyInit'.");
  }
  const hwm = init.highWaterMark;
  if (hwm === undefined) {
    throw new TypeError(`Failed to construct '${name}': required member highWaterMark is ` +
      "undefined.");
  }
  return Number(hwm);
}

let cqsRec, blqsRec;
// Returns fn (an argument position keeps it from being named after a field).
const anonymous = (fn) => fn;
// The spec shares one size function per realm; workerd makes one per instance, unnamed.
class CountQueuingStrategy {
  #hwm;
  #size = anonymous(() => 1);
  static { cqsRec = (o) => isObject(o) && #hwm in o; }
  constructor(init) {
    this.#hwm = readStrategyInit(init, "CountQueuingStrategy");
  }
  get highWaterMark() { return this.#hwm; }
  get size() { return this.#size; }
}

class ByteLengthQueuingStrategy {
  #hwm;
  #size = anonymous((chunk) => chunk.byteLength);
  static { blqsRec = (o) => isObject(o) && #hwm in o; }
  constructor(init) {
    this.#hwm = readStrategyInit(init, "ByteLengthQueuingStrategy");
  }
  get highWaterMark() { return this.#hwm; }
  get size() { return this.#size; }
}

// ---------------------------------------------------------------------------------------------
// TextEncoderStream and TextDecoderStream.

let tesRec, tdsRec;
const notBufferSource = () => new TypeError("This TransformStream is being used as a byte " +
  "stream, but received a value that is not a BufferSource.");

class TextEncoderStream extends TransformStream {
  #pendingHighSurrogate;
  static { tesRec = (o) => isObject(o) && #pendingHighSurrogate in o; }

  constructor() {
    const s = newTransformStreamRecord();
    pendingRecord = s;
    super();
    pendingRecord = null;
    s.pub = this;
    this.#pendingHighSurrogate = null;
    const self = this;
    setUpTransformStreamFromAlgorithms(s, {
      transform(chunk, c) {
        let text = String(chunk);
        if (self.#pendingHighSurrogate !== null) {
          text = self.#pendingHighSurrogate + text;
          self.#pendingHighSurrogate = null;
        }
        const last = text.charCodeAt(text.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          self.#pendingHighSurrogate = text[text.length - 1];
          text = text.slice(0, -1);
        }
        if (text.length === 0) return;
        transformStreamDefaultControllerEnqueue(c, encodeUtf8(text));
      },
      flush(c) {
        if (self.#pendingHighSurrogate !== null) {
          transformStreamDefaultControllerEnqueue(c, new Uint8Array([0xef, 0xbf, 0xbd]));
        }
      },
    });
  }

  get encoding() {
    if (!tesRec(this)) throw illegalInvocation();
    return "utf-8";
  }
}

function encodeUtf8(text) {
  const TE = global.TextEncoder;
  if (typeof TE === "function") {
    textEncoder ??= new TE();
    return textEncoder.encode(text);
  }
  return native.utf8Encode(text);
}
let textEncoder;

class TextDecoderStream extends TransformStream {
  #decoder;
  static { tdsRec = (o) => (isObject(o) && #decoder in o) ? o.#decoder : undefined; }

  constructor(label = "utf-8", options = undefined) {
    const o = dictionary(options, "TextDecoderStream options");
    const fatal = Boolean(o.fatal);
    const ignoreBOM = Boolean(o.ignoreBOM);
    const decoder = newStreamingDecoder(String(label), fatal, ignoreBOM);
    const s = newTransformStreamRecord();
    pendingRecord = s;
    super();
    pendingRecord = null;
    s.pub = this;
    this.#decoder = decoder;
    s.validateChunk = (chunk) => {
      if (toUint8Array(chunk) === undefined) throw notBufferSource();
    };
    setUpTransformStreamFromAlgorithms(s, {
      transform(chunk, c) {
        const bytes = toUint8Array(chunk);
        if (bytes === undefined) throw notBufferSource();
        const text = decoder.decode(bytes, true);
        if (text.length > 0) transformStreamDefaultControllerEnqueue(c, text);
      },
      flush(c) {
        const text = decoder.decode(undefined, false);
        if (text.length > 0) transformStreamDefaultControllerEnqueue(c, text);
      },
    });
  }

  get encoding() {
    const d = tdsRec(this);
    if (d === undefined) throw illegalInvocation();
    return d.encoding;
  }

  get fatal() {
    const d = tdsRec(this);
    if (d === undefined) throw illegalInvocation();
    return d.fatal;
  }

  get ignoreBOM() {
    const d = tdsRec(this);
    if (d === undefined) throw illegalInvocation();
    return d.ignoreBOM;
  }
}

// {encoding, fatal, ignoreBOM, decode(bytes | undefined, stream) -> string}. Uses TextDecoder
// from encoding.js when present; otherwise a UTF-8-only decoder over native.utf8Decode.
function newStreamingDecoder(label, fatal, ignoreBOM) {
  const TD = global.TextDecoder;
  if (typeof TD === "function") {
    const td = new TD(label, { fatal, ignoreBOM });
    return {
      encoding: td.encoding, fatal, ignoreBOM,
      decode: (bytes, stream) => td.decode(bytes, { stream }),
    };
  }
  const l = label.trim().toLowerCase();
  if (!["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8",
    "x-unicode20utf8"].includes(l)) {
    throw new RangeError(`"${label}" is not a valid encoding.`);
  }
  let pending = new Uint8Array(0);
  let bomSeen = ignoreBOM;
  return {
    encoding: "utf-8", fatal, ignoreBOM,
    decode(bytes, stream) {
      let input = bytes === undefined ? pending
        : pending.byteLength === 0 ? bytes : concatChunks([pending, bytes],
          pending.byteLength + bytes.byteLength);
      let end = input.byteLength;
      if (stream) {
        // Hold back an incomplete trailing sequence.
        let i = end - 1;
        let back = 0;
        while (i >= 0 && back < 3 && (input[i] & 0xc0) === 0x80) { i--; back++; }
        if (i >= 0) {
          const lead = input[i];
          const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
          if (need > 1 && need > back + 1 && lead <= 0xf4) end = i;
        }
      }
      pending = input.slice(end);
      input = input.subarray(0, end);
      if (!bomSeen && input.byteLength > 0) {
        if (input.byteLength >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
          input = input.subarray(3);
        }
        bomSeen = true;
      }
      if (!stream) bomSeen = ignoreBOM;
      const text = native.utf8Decode(input, fatal);
      if (text === null) {
        pending = new Uint8Array(0);
        throw new TypeError("The encoded data was not valid for encoding utf-8");
      }
      return text;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// workerd's IdentityTransformStream and FixedLengthStream: byte pass-through with a byte
// stream (BYOB-capable) readable side.

let itsRec;
class IdentityTransformStream extends TransformStream {
  #kind;
  static { itsRec = (o) => isObject(o) && #kind in o; }

  constructor(options = undefined) {
    const o = dictionary(options, "IdentityTransformStream options");
    // A native stream on workerd: an I/O object, made only within a handler.
    internal.native.refuseInGlobalScope();
    const hwm = o.highWaterMark === undefined ? 0 : convertHighWaterMark(o.highWaterMark);
    const s = newTransformStreamRecord();
    pendingRecord = s;
    super();
    pendingRecord = null;
    s.pub = this;
    this.#kind = "identity";
    // Set by FixedLengthStream before the first write.
    s.expectedLength = undefined;
    s.written = 0;
    // workerd accepts strings here and writes them as UTF-8.
    const toBytes = (chunk) => typeof chunk === "string" ? encodeUtf8(chunk) : toUint8Array(chunk);
    s.validateChunk = (chunk) => {
      const bytes = toBytes(chunk);
      if (bytes === undefined) throw notBufferSource();
      if (s.expectedLength !== undefined && s.validated + bytes.byteLength > s.expectedLength) {
        throw new TypeError("Attempt to write too many bytes through a FixedLengthStream.");
      }
      s.validated += bytes.byteLength;
    };
    s.validated = 0;
    setUpTransformStreamFromAlgorithms(s, {
      bytes: true,
      readableHWM: hwm,
      transform(chunk, c) {
        const bytes = toBytes(chunk);
        s.written += bytes.byteLength;
        if (bytes.byteLength === 0) return;
        const copy = new Uint8Array(bytes.byteLength);
        copy.set(bytes);
        transformStreamDefaultControllerEnqueue(c, copy);
      },
      flush() {
        if (s.expectedLength !== undefined && s.written < s.expectedLength) {
          throw new TypeError("FixedLengthStream did not see all expected bytes before close().");
        }
      },
    });
  }
}

class FixedLengthStream extends IdentityTransformStream {
  constructor(expectedLength, options = undefined) {
    if (expectedLength === undefined) {
      throw new TypeError("Failed to construct 'FixedLengthStream': constructor parameter 1 is " +
        "not of type 'bigint'.");
    }
    const n = Number(expectedLength);
    if (n !== n || !Number.isInteger(n)) {
      throw new TypeError("The value cannot be converted because it is not an integer.");
    }
    if (n < 0) {
      throw new TypeError("The value cannot be converted because it is negative and this API " +
        "expects a positive bigint.");
    }
    super(options);
    const s = tsRec(this);
    s.expectedLength = n;
    s.readable.expectedLength = n;
  }
}

// ---------------------------------------------------------------------------------------------
// Registration.

const truthy = (f) => (o) => f(o) || undefined;
const CLASSES = [
  [ReadableStream, "ReadableStream", rsRec, ["cancel", "pipeTo"]],
  [ReadableStreamDefaultReader, "ReadableStreamDefaultReader", rdrRec, ["closed", "cancel",
    "read"]],
  [ReadableStreamBYOBReader, "ReadableStreamBYOBReader", byobRdrRec, ["closed", "cancel", "read",
    "readAtLeast"]],
  [ReadableStreamDefaultController, "ReadableStreamDefaultController", rsdcRec, []],
  [ReadableByteStreamController, "ReadableByteStreamController", rbscRec, []],
  [ReadableStreamBYOBRequest, "ReadableStreamBYOBRequest", byobReqRec, []],
  [WritableStream, "WritableStream", wsRec, ["abort", "close"]],
  [WritableStreamDefaultWriter, "WritableStreamDefaultWriter", wsdwRec, ["closed", "ready",
    "abort", "close", "write"]],
  [WritableStreamDefaultController, "WritableStreamDefaultController", wsdcRec, []],
  [TransformStream, "TransformStream", tsRec, []],
  [TransformStreamDefaultController, "TransformStreamDefaultController", tsdcRec, []],
  [CountQueuingStrategy, "CountQueuingStrategy", truthy(cqsRec), []],
  [ByteLengthQueuingStrategy, "ByteLengthQueuingStrategy", truthy(blqsRec), []],
  [TextEncoderStream, "TextEncoderStream", truthy(tesRec), []],
  [TextDecoderStream, "TextDecoderStream", tdsRec, []],
  [IdentityTransformStream, "IdentityTransformStream", truthy(itsRec), []],
  [FixedLengthStream, "FixedLengthStream", truthy(itsRec), []],
];
for (const [Cls, name, getRec, promiseMembers] of CLASSES) {
  wrapBrand(Cls, getRec, promiseMembers);
  defineClass(Cls, name);
}

// ---------------------------------------------------------------------------------------------
// internal.streams: the interface for native Request/Response bodies (documented at the top).

const CHUNK = 64 * 1024;

function readAllBytes(stream) {
  const s = rsRec(stream);
  if (s === undefined) return rejected(new TypeError("Expected a ReadableStream."));
  let reader;
  try {
    reader = acquireReadableStreamDefaultReader(s);
  } catch (e) {
    return rejected(e);
  }
  const chunks = [];
  let total = 0;
  const d = deferred();
  const step = () => {
    readableStreamDefaultReaderRead(reader, {
      chunkSteps: (chunk) => {
        const bytes = toUint8Array(chunk);
        if (bytes === undefined) {
          const e = new TypeError("This ReadableStream did not return bytes.");
          readableStreamReaderGenericCancel(reader, e);
          readableStreamDefaultReaderRelease(reader);
          d.reject(e);
          return;
        }
        chunks.push(bytes);
        total += bytes.byteLength;
        // Read on in a microtask so synchronous sources cannot grow the stack.
        microtask(step);
      },
      closeSteps: () => {
        readableStreamDefaultReaderRelease(reader);
        d.resolve(concatChunks(chunks, total));
      },
      errorSteps: (e) => {
        readableStreamDefaultReaderRelease(reader);
        d.reject(e);
      },
    });
  };
  step();
  return d.promise;
}

// `beforePull`, if given, runs before each chunk is handed out; what it throws errors the stream.
function fromBytes(bytes, beforePull = undefined) {
  const view = toUint8Array(bytes);
  if (view === undefined) throw new TypeError("Expected bytes.");
  const chunks = [];
  for (let at = 0; at < view.byteLength; at += CHUNK) {
    chunks.push(view.subarray(at, Math.min(at + CHUNK, view.byteLength)));
  }
  return makeChunkStream(chunks, beforePull);
}

function makeChunkStream(chunks, beforePull = undefined) {
  const iterator = chunks[Symbol.iterator]();
  let s;
  const pull = () => {
    if (beforePull !== undefined) {
      try {
        beforePull();
      } catch (e) {
        return PromiseCtor.reject(e);
      }
    }
    const next = iterator.next();
    if (next.done) {
      readableControllerClose(s.controller);
    } else {
      const view = toUint8Array(next.value);
      if (view.byteLength > 0) readableByteStreamControllerEnqueue(s.controller, view, false);
    }
    return promiseResolve(undefined);
  };
  s = createReadableByteStream(() => undefined, pull, () => promiseResolve(undefined));
  return s.pub;
}

function fromPull(pull, cancel, options = {}) {
  return pullSource(pull, cancel, options).stream;
}

// fromPull()'s stream and the controller its pulls get (for a source that also ends or errors
// the stream outside a pull: a socket).
function pullSource(pull, cancel, options = {}) {
  let s;
  const controller = {
    enqueue(bytes) {
      const view = toUint8Array(bytes);
      if (view === undefined) throw new TypeError("Expected bytes.");
      if (view.byteLength === 0 || !readableControllerCanCloseOrEnqueue(s.controller)) return;
      readableByteStreamControllerEnqueue(s.controller, view, false);
    },
    close() {
      if (readableControllerCanCloseOrEnqueue(s.controller)) readableControllerClose(s.controller);
    },
    error(e) { readableByteStreamControllerError(s.controller, e); },
    get desiredSize() { return readableByteStreamControllerGetDesiredSize(s.controller); },
  };
  s = createReadableByteStream(() => undefined, () => promiseCall(pull, undefined, controller),
    (reason) => (cancel ? promiseCall(cancel, undefined, reason) : promiseResolve(undefined)),
    options.highWaterMark ?? 0);
  return { stream: s.pub, controller };
}

internal.streams = {
  isReadableStream: (x) => rsRec(x) !== undefined,
  isWritableStream: (x) => wsRec(x) !== undefined,
  isDisturbed: (x) => rsRec(x).disturbed,
  isLocked: (x) => isReadableStreamLocked(rsRec(x)),
  readAllBytes,
  readAllText: (stream) => transformPromise(readAllBytes(stream),
    (bytes) => native.utf8Decode(bytes, false)),
  fromBytes,
  fromChunks: (chunks) => makeChunkStream(chunks),
  fromPull,
  pullSource,
  // Whatever locks them (a socket's close()): cancel a readable, close a writable after what is
  // queued (undefined if it is already closed or closing), abort a writable.
  cancel: (stream, reason) => readableStreamCancel(rsRec(stream), reason),
  // `writerError`: once closed, its writer's `closed` rejects with it (a socket's close()).
  close(stream, writerError = undefined) {
    const s = wsRec(stream);
    if (s.state !== "writable" || writableStreamCloseQueuedOrInFlight(s)) return undefined;
    const closing = writableStreamClose(s);
    if (writerError === undefined) return closing;
    return transformPromise(closing, () => {
      if (s.writer !== undefined) s.writer.closedPromise = deferredRejected(writerError);
    });
  },
  abort: (stream, reason) => writableStreamAbort(wsRec(stream), reason),
  tee: (stream) => readableStreamTee(rsRec(stream), false).map((b) => b.pub),
  reader(stream) {
    const r = acquireReadableStreamDefaultReader(rsRec(stream));
    return {
      read() {
        const d = deferred();
        readableStreamDefaultReaderRead(r, {
          chunkSteps: (value) => d.resolve({ value, done: false }),
          closeSteps: () => d.resolve({ value: undefined, done: true }),
          errorSteps: (e) => d.reject(e),
        });
        return d.promise;
      },
      cancel: (reason) => readableStreamReaderGenericCancel(r, reason),
      release() { if (r.stream !== undefined) readableStreamDefaultReaderRelease(r); },
    };
  },
  expectedLength: (stream) => rsRec(stream)?.expectedLength,
};
