// Node.js compatibility (the `nodejs_compat` flag): node:buffer, node:events, node:util,
// node:crypto, node:assert, node:path, node:url, node:string_decoder, node:async_hooks and the
// `process` global, with workerd's observable choices (its error messages and codes, a strict
// node:assert, process values of its process v2 shape). Three files, run in this order:
// node-util.js (errors, inspect, format, deep equality, node:util), node-buffer.js (node:buffer,
// node:string_decoder) and this one (the other modules, process, and internal.node).
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
// is NOT seen after an `await` that suspends inside run(). enterWith() then lasts until the
// current task's microtasks start (the frame is one global and must not leak into later events).
"use strict";
const native = internal.native;
const impl = internal.nodeImpl;
if (impl?.Buffer === undefined) {
  // node-util.js and node-buffer.js did not run before this file (see ORDER): no Node.js modules.
  internal.node = {};
  return;
}
const {
  nodeError, invalidArgType, outOfRange, validateFunction, validateString, validateInteger,
  inspect, isDeepEqual, utilModule, Buffer, FastBuffer, bufferModule, StringDecoder,
  normalizeEncoding, encodeString, readUnsigned, kMaxLength,
} = impl;

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
emitterMethods.on = emitterMethods.addListener;
emitterMethods.off = emitterMethods.removeListener;
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
  validateInteger(min, "min");
  validateInteger(max, "max");
  if (max <= min) throw outOfRange("min", "min < max", min);
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
  if (x.length !== y.length) throw new TypeError("Input buffers must have the same byte length.");
  return native.cryptoEqual(x, y);
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  validateInteger(iterations, "iterations", 1, 2147483647);
  validateInteger(keylen, "keylen", 0, 2147483647);
  validateString(digest, "digest");
  const name = HASH_NAMES[digest.toLowerCase()];
  if (name === undefined || name === "MD5") throw nodeError(TypeError, "ERR_CRYPTO_INVALID_DIGEST", `Invalid digest: ${digest}`);
  return output(native.cryptoPbkdf2(name, keyBytes(password).slice(), dataBytes(salt, undefined, "salt").slice(), iterations, keylen * 8, true));
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
// For node-crypto-keys.js (asymmetric keys and signatures), which runs right after this file.
internal.nodeCrypto = { KeyObject, Buffer, dataBytes, output, hashName, nodeError, invalidArgType };
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

// `generatedFlag`: what workerd reports as generatedMessage for a message assert made up.
function innerFail(generated, actual, expected, operator, message, stackStartFn, generatedFlag = false) {
  if (message instanceof Error) throw message;
  const error = new AssertionError({ actual, expected, operator, message: message ?? generated });
  error.generatedMessage = message === undefined && generatedFlag;
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
  if (args.length === 0) innerFail("No value argument passed to `assert.ok()`", undefined, true, undefined, undefined, ok);
  if (!args[0]) innerFail(`${inspect(args[0])} == true`, args[0], true, "==", args[1], ok, true);
}
function assert(...args) {
  if (args.length === 0) innerFail("No value argument passed to `assert.ok()`", undefined, true, undefined, undefined, assert);
  if (!args[0]) innerFail(`${inspect(args[0])} == true`, args[0], true, "==", args[1], assert, true);
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
  innerFail(deepDiffMessage(actual, expected), actual, expected, "deepStrictEqual", message, deepStrictEqual, true);
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
                actual, expected, fn.name, message, fn, true);
    }
    const result = expected.call({}, actual);
    if (result !== true) {
      const what = expected.name ? `"${expected.name}" validation function` : "validation function";
      innerFail(`The ${what} is expected to return "true". Received ${inspect(result)}\n\nCaught error:\n\n${actual}`,
                actual, expected, fn.name, message, fn, true);
    }
    return;
  }
  if (expected instanceof RegExp) {
    const text = String(actual);
    if (RegExp.prototype.test.call(expected, text)) return;
    innerFail(`The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(text)}\n`,
              actual, expected, fn.name, message, fn, true);
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
    if (!isDeepEqual(got, want)) innerFail(deepDiffMessage(got, want), actual, expected, "deepStrictEqual", message, fn, true);
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

function strict(...args) {
  if (args.length === 0) innerFail("No value argument passed to `assert.ok()`", undefined, true, undefined, undefined, strict);
  if (!args[0]) innerFail(`${inspect(args[0])} == true`, args[0], true, "==", args[1], strict, true);
}
for (const target of [assert, strict]) {
  Object.assign(target, {
    ok, fail, AssertionError, strictEqual, notStrictEqual, deepStrictEqual, notDeepStrictEqual,
    equal: strictEqual, notEqual: notStrictEqual, deepEqual: deepStrictEqual, notDeepEqual: notDeepStrictEqual,
    throws, rejects, doesNotThrow, doesNotReject, ifError, match, doesNotMatch, strict,
  });
}

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
    if (suffix !== undefined && base.endsWith(suffix)) return base.slice(0, base.length - suffix.length);
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
    if (result.base === "" && result.root === "/") {
      result.dir = "/";
      return result;
    }
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
  if (url.protocol !== "file:") throw nodeError(Error, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file");
  if (url.hostname !== "") {
    throw nodeError(Error, "ERR_INVALID_FILE_URL_HOST", 'File URL host must be "localhost" or empty on linux');
  }
  const pathname = url.pathname;
  if (/%2f/i.test(pathname)) {
    throw nodeError(Error, "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters");
  }
  return decodeURIComponent(pathname);
}

function pathToFileURL(path) {
  validateString(path, "filepath");
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
  const slashes = (slashesDenoteHost || protocol) && rest.startsWith("//");
  const hostless = result.protocol === "javascript:";
  // Slashed authorities, and (as Node has it) any other protocol's leading "user@host".
  if (!hostless && (slashes || (protocol && !SLASHED_PROTOCOLS.has(result.protocol)))) {
    if (slashes) {
      result.slashes = true;
      rest = rest.slice(2);
    }
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
    const previous = getFrame();
    const frame = new Map(previous);
    frame.set(this, store);
    setFrame(frame);
    // Without native continuation data the frame is one global: it lasts until the current task's
    // microtasks start, so it cannot leak into later events.
    if (!nativeFrames) queueMicrotaskOriginal(() => { if (fallbackFrame === frame) fallbackFrame = previous; });
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
    // Like workerd, no synchronous check: a non-function fails when the tick runs.
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

impl.process = processObject;

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
