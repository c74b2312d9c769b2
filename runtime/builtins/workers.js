// Entrypoints, the `cloudflare:workers` module and the JavaScript half of JS RPC.
//
// C++ calls into this file through:
//   internal.workers.validateExports(namespace)            at startup
//   internal.workers.callFetch(ns, name, request, env, ctx) for HTTP requests
//   internal.rpcHooks.*                                     for JS RPC (bindings/rpc.c++)
// and this file calls C++ through internal.rpc (bindings/rpc.c++; absent when a worker runs
// without RPC support, e.g. in unit tests).
"use strict";
const rpc = internal.rpc;
// Intrinsics, captured before any user code can replace the globals.
// (WebAssembly's error classes join at a worker's start, captureWasm(): V8 installs
// WebAssembly only in contexts restored from the startup snapshot, not while it is made.)
const Intrinsics = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError };

// --- cloudflare:workers classes -------------------------------------------------------------

class RpcTarget {}
Object.defineProperty(RpcTarget.prototype, Symbol.toStringTag, { value: "RpcTarget" });

class WorkerEntrypoint extends RpcTarget {
  constructor(ctx, env) {
    super();
    this.ctx = ctx;
    this.env = env;
  }
}
Object.defineProperty(WorkerEntrypoint.prototype, Symbol.toStringTag, { value: "WorkerEntrypoint" });

const DURABLE_OBJECTS_UNSUPPORTED =
  "Durable Objects are not supported by loaderd: a DurableObject class can be imported and " +
  "extended, but no binding can instantiate it.";
class DurableObject extends RpcTarget {
  constructor(ctx, env) {
    super();
    this.ctx = ctx;
    this.env = env;
  }
}
class WorkflowEntrypoint extends WorkerEntrypoint {}

// Stubs: C++ RpcClient handles wrapped in callable proxies.
const stubClients = new WeakMap();  // stub proxy -> RpcClient
const RESERVED_ENTRYPOINT_METHODS = new Set([
  "fetch", "connect", "alarm", "webSocketMessage", "webSocketClose", "webSocketError", "dup",
  "constructor",
]);

// What Object.getPrototypeOf() gives for stubs and call promises, as on workerd: classes of
// their own, so `stub instanceof Function` is false although `typeof stub` is "function".
const JsRpcStub = class JsRpcStub {};
const JsRpcPromise = class JsRpcPromise {};

function makeStub(client, path = []) {
  const callable = function () {};
  const proxy = new Proxy(callable, {
    get(_, prop) {
      if (prop === Symbol.toStringTag) return "JsRpcStub";
      if (typeof prop === "symbol") {
        if (prop === (Symbol.dispose ?? internal.symbolDispose) && path.length === 0) {
          return () => rpc.dispose(client);
        }
        return undefined;
      }
      if (path.length === 0 && prop === "dup") return () => makeStub(rpc.dup(client));
      if (prop === "toString" || prop === "valueOf") return () => "[object JsRpcStub]";
      if (prop === "constructor" && path.length === 0) return JsRpcStub;
      if (prop === "then") {
        if (path.length === 0) return undefined;
        const result = rpc.getProperty(client, path);
        const promise = result.promise().then(withResultDisposer);
        return promise.then.bind(promise);
      }
      return makeStub(client, [...path, prop]);
    },
    apply(_, thisArg, args) {
      return sendCall(client, path, args);
    },
    set() { return false; },
    has(_, prop) { return typeof prop === "string"; },
    getPrototypeOf() { return JsRpcStub.prototype; },
  });
  if (path.length === 0) stubClients.set(proxy, client);
  return proxy;
}

// A call that cannot be sent — a disposed stub, arguments that cannot be cloned or are over the
// size limit — returns a call promise that rejects, as on workerd, instead of throwing at the
// call site.
function sendCall(client, path, args) {
  let result;
  try {
    result = rpc.call(client, path, prepareArgs(args));
  } catch (e) {
    return failedCallPromise(e);
  }
  return makeCallPromise(result);
}

function failedCallPromise(error) {
  let promise;
  const getPromise = () => (promise ??= Promise.reject(error));
  const callable = function () {};
  const proxy = new Proxy(callable, {
    get(_, prop) {
      if (prop === "then" || prop === "catch" || prop === "finally") {
        const p = getPromise();
        return p[prop].bind(p);
      }
      if (prop === (Symbol.dispose ?? internal.symbolDispose)) return () => {};
      if (prop === Symbol.toStringTag) return "JsRpcPromise";
      if (typeof prop === "symbol") return undefined;
      return failedCallPromise(error);
    },
    apply() {
      return failedCallPromise(error);
    },
    getPrototypeOf() { return JsRpcPromise.prototype; },
  });
  callPromises.add(proxy);
  return proxy;
}

// The thenable a call returns: awaitable, disposable, and pipelinable (property reads and
// calls on it go to the result before it arrives).
const callPromises = new WeakSet();  // what makeCallPromise()/failedCallPromise() made
// A method's result that is another call's promise is awaited, as workerd does, instead of
// crossing as a function stub.
const settledResult = (value) => callPromises.has(value) ? Promise.resolve(value) : value;
// A result that is a plain object or an array gets a [Symbol.dispose] of its own (not
// enumerable) that disposes every stub inside it, as on workerd.
function withResultDisposer(value) {
  if (typeof value !== "object" || value === null || stubClients.has(value)) return value;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  Object.defineProperty(value, Symbol.dispose ?? internal.symbolDispose, {
    value: () => disposeStubsIn(value, new Set()), writable: true, enumerable: false,
    configurable: true,
  });
  return value;
}
function disposeStubsIn(value, seen) {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return;
  if (seen.has(value)) return;
  seen.add(value);
  const client = stubClients.get(value);
  if (client !== undefined) {
    rpc.dispose(client);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) disposeStubsIn(item, seen);
  } else if (value instanceof Map) {
    for (const [k, v] of value) { disposeStubsIn(k, seen); disposeStubsIn(v, seen); }
  } else if (value instanceof Set) {
    for (const v of value) disposeStubsIn(v, seen);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) disposeStubsIn(value[key], seen);
  }
}

function makeCallPromise(result) {
  let promise;
  const getPromise = () => (promise ??= result.promise().then(withResultDisposer));
  let disposed = false;
  const callable = function () {};
  const proxy = new Proxy(callable, {
    get(_, prop) {
      if (prop === "then" || prop === "catch" || prop === "finally") {
        if (disposed) {
          return (...a) => Promise.reject(new Error("RPC promise used after being disposed."))[prop](...a);
        }
        const p = getPromise();
        return p[prop].bind(p);
      }
      if (prop === (Symbol.dispose ?? internal.symbolDispose)) {
        return () => { disposed = true; result.dispose(); };
      }
      if (prop === Symbol.toStringTag) return "JsRpcPromise";
      if (typeof prop === "symbol") return undefined;
      return makeStub(result.pipeline(), [prop]);
    },
    apply(_, thisArg, args) {
      // The result is a function: called before it arrives, with these arguments (pipelined).
      return sendCall(result.pipeline(), [], args);
    },
    getPrototypeOf() { return JsRpcPromise.prototype; },
  });
  callPromises.add(proxy);
  return proxy;
}

const DYNAMIC_TRANSFER_MESSAGE =
  "Entrypoints to dynamically-loaded workers cannot be transferred to other Workers, because " +
  "the system does not know how to reload this Worker from scratch. Instead, have the parent " +
  "Worker expose an entrypoint which constructs the dynamic worker and forwards to it.";

// A Fetcher's native for serialization; dynamic entrypoints refuse to be transferred.
function transferableFetcher(native) {
  if (rpc.isDynamicFetcher(native)) throw new DOMException(DYNAMIC_TRANSFER_MESSAGE, "DataCloneError");
  return native;
}

// Fetchers (service bindings, entrypoints): fetch() goes over HTTP, any other property is an
// RPC method of the entrypoint.
const fetcherNatives = new WeakMap();  // Fetcher proxy -> NativeFetcher
class Fetcher {}
Object.defineProperty(Fetcher.prototype, Symbol.toStringTag, { value: "Fetcher" });

function makeFetcher(native) {
  let targetClient;
  const target = () => (targetClient ??= rpc.fetcherTarget(native));
  const fetchMethod = function fetch(input, init = undefined) {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    return internal.bodies.abortable(request, (canceler) => fetchThrough(native, request, canceler));
  };
  const connectMethod = function connect(address, options = undefined) {
    internal.native.loadBuiltin("sockets.js");
    return internal.sockets.connectThrough(native, address, options);
  };
  const proxy = new Proxy(new Fetcher(), {
    get(t, prop) {
      if (prop === "fetch") return fetchMethod;
      if (prop === "connect") return connectMethod;
      // JSON.stringify() skips workerd's Fetcher's wildcard properties when it looks for toJSON:
      // a Fetcher stringifies as {} (here no RPC call named toJSON is made either).
      if (prop === "toJSON") return undefined;
      if (typeof prop === "symbol") return t[prop];
      if (prop === "then") return undefined;
      // Object.prototype's members (toString, valueOf, ...) behave as on any object.
      if (prop in Object.prototype) return t[prop];
      return makeStub(target(), [prop]);
    },
  });
  fetcherNatives.set(proxy, native);
  return proxy;
}

// workerd's DataCloneError for an object of a type that does not serialize.
function notSerializable(typeName) {
  return new DOMException(
    `Could not serialize object of type "${typeName}". This type does not support serialization.`,
    "DataCloneError");
}

// Generator objects go to V8's serializer too ("[object AsyncGenerator] could not be cloned.").
const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype;
const AsyncGeneratorPrototype = Object.getPrototypeOf(async function* () {}).prototype;
function isGeneratorObject(value) {
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return false;
  const base = Object.getPrototypeOf(proto);
  return base === GeneratorPrototype || base === AsyncGeneratorPrototype;
}

// Instances of the engine's own classes (WeakMap, ...) go to V8's serializer, which reports
// them in its words ("#<WeakMap> could not be cloned."). The engine's classes are what the global
// holds now, before the builtins that define Web API classes (URL, Event, ...) run: instances
// of those cannot cross (workerd's DataCloneError names them).
const ENGINE_PROTOTYPES = new Set();
function addEnginePrototypes(holder) {
  for (const name of Object.getOwnPropertyNames(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, name);
    const value = descriptor?.value;
    if (typeof value === "function" && typeof value.prototype === "object" && value.prototype !== null) {
      ENGINE_PROTOTYPES.add(value.prototype);
    }
  }
}
addEnginePrototypes(global);
addEnginePrototypes(global.Intl ?? {});
// WebAssembly's classes (Memory, Table, ...) and errors, captured before the worker's own code
// runs (applyCompat): see Intrinsics.
function captureWasm() {
  const wasm = Object.getOwnPropertyDescriptor(global, "WebAssembly")?.value;
  if (typeof wasm !== "object" || wasm === null || Intrinsics.CompileError !== undefined) return;
  addEnginePrototypes(wasm);
  Intrinsics.CompileError = wasm.CompileError;
  Intrinsics.LinkError = wasm.LinkError;
  Intrinsics.RuntimeError = wasm.RuntimeError;
}
// (globals.js, which runs first, defines Navigator: not an engine class.)
ENGINE_PROTOTYPES.delete(global.Navigator?.prototype);
function isEngineObject(value) {
  return ENGINE_PROTOTYPES.has(Object.getPrototypeOf(value));
}

// ctx.exports: for each entrypoint export, a loopback stub that is a Fetcher to that
// entrypoint and, called with ({props}), makes one with props.
const loopbackStubs = new WeakSet();
const LOOPBACK_NAME = Symbol("loopbackName");
function makeLoopbackStub(name) {
  let base;
  const fetcher = () => (base ??= makeFetcher(rpc.loopback(name, undefined)));
  const callable = function LoopbackServiceStub(options = undefined) {};
  const proxy = new Proxy(callable, {
    apply(_, thisArg, [options]) {
      return makeFetcher(rpc.loopback(name, options?.props === undefined ? undefined
                                                                        : prepareEnv(options.props)));
    },
    get(t, prop) {
      if (prop === Symbol.toStringTag) return "LoopbackServiceStub";
      if (prop === LOOPBACK_NAME) return name;
      const f = fetcher();
      const value = f[prop];
      return value;
    },
  });
  loopbackStubs.add(proxy);
  return proxy;
}

// ReadableStreams cross JS RPC by reference: the sender keeps the stream (locked to a reader)
// behind an RpcTarget whose read() returns the next chunk as bytes, and the receiver gets a new
// byte stream pulling from it, one call per chunk. On the wire the stream is a marker object
// holding the capability.
const STREAM_MARKER = "$loaderd.ReadableStream";
class StreamSource extends RpcTarget {
  #reader;
  constructor(reader) {
    super();
    this.#reader = reader;
  }
  async read() {
    const { value, done } = await this.#reader.read();
    if (done) return null;
    if (typeof value === "string") return internal.native.utf8Encode(value);
    const bytes = chunkBytes(value);
    if (bytes === undefined) throw new TypeError("This ReadableStream did not return bytes.");
    return bytes.slice();  // only the view's bytes cross, not its whole buffer
  }
  cancel(reason) {
    return this.#reader.cancel(reason);
  }
}
function streamForRpc(stream) {
  if (internal.streams.isLocked(stream)) {
    throw new TypeError("The ReadableStream has been locked to a reader.");
  }
  return { [STREAM_MARKER]: rpc.external(new StreamSource(internal.streams.reader(stream)), undefined) };
}
// WritableStreams cross by reference too: the sender keeps the stream (locked to a writer) behind
// an RpcTarget whose write(bytes), close() and abort(reason) go to it, and the receiver gets a new
// WritableStream calling them, one call per chunk.
const WRITABLE_MARKER = "$loaderd.WritableStream";
class StreamSink extends RpcTarget {
  #writer;
  constructor(writer) {
    super();
    this.#writer = writer;
  }
  write(bytes) { return this.#writer.write(bytes); }
  close() { return this.#writer.close(); }
  abort(reason) { return this.#writer.abort(reason); }
}
function writableForRpc(stream) {
  if (stream.locked) throw new TypeError("This WritableStream is currently locked to a writer.");
  return { [WRITABLE_MARKER]: rpc.external(new StreamSink(stream.getWriter()), undefined) };
}
function writableFromRpc(client) {
  const [sink, release] = heldStub(client);
  const call = async (promise) => {
    try {
      return await promise;
    } catch (e) {
      release();
      throw e;
    }
  };
  return new WritableStream({
    write(chunk) {
      const bytes = typeof chunk === "string" ? internal.native.utf8Encode(chunk) : chunkBytes(chunk);
      if (bytes === undefined) {
        throw new TypeError("This WritableStream only accepts bytes (ArrayBuffer or ArrayBufferView).");
      }
      return call(sink.write(bytes.slice()));
    },
    async close() { await call(sink.close()); release(); },
    async abort(reason) {
      try { await sink.abort(reason instanceof Error ? reason.message : reason); } catch {}
      release();
    },
  });
}

// A Request or Response whose body is a stream crosses as a marker with its parts; the body
// as a stream marker.
const REQUEST_MARKER = "$loaderd.Request", RESPONSE_MARKER = "$loaderd.Response";
function streamBodyForRpc(value) {
  const bodies = internal.bodies;
  const body = streamForRpc(bodies.streamBody(value));
  const headers = [...value.headers];
  if (value instanceof bodies.Request) {
    return { [REQUEST_MARKER]: { url: value.url, method: value.method, headers,
                                 redirect: value.redirect, body } };
  }
  return { [RESPONSE_MARKER]: { status: value.status, statusText: value.statusText, headers, body } };
}
function reviveMarker(value, seen) {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const parts = value[keys[0]];
  if (keys[0] === WRITABLE_MARKER && rpc.classify(parts) === "client") return writableFromRpc(parts);
  if (keys[0] === REQUEST_MARKER) {
    return new internal.bodies.Request(parts.url, { method: parts.method, headers: parts.headers,
      redirect: parts.redirect, body: revive(parts.body, seen) });
  }
  if (keys[0] === RESPONSE_MARKER) {
    return new internal.bodies.Response(revive(parts.body, seen),
      { status: parts.status, statusText: parts.statusText, headers: parts.headers });
  }
  return undefined;
}
function isStreamMarker(value) {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === STREAM_MARKER &&
    rpc.classify(value[STREAM_MARKER]) === "client";
}
// A stream's stub of our own, and its release (once): parameter stubs are released when the call
// completes, and the receiver may use the stream after that.
function heldStub(client) {
  const stub = makeStub(rpc.dupUnbound(client));
  let open = true;
  return [stub, () => {
    if (open) { open = false; stub[Symbol.dispose](); }
  }];
}
function streamFromRpc(client) {
  const [source, release] = heldStub(client);
  return pullStream(async () => {
    let chunk;
    try {
      chunk = await source.read();
    } catch {
      release();
      throw new Error("ReadableStream received over RPC disconnected prematurely.");
    }
    if (chunk === null) release();
    return chunk;
  }, async (reason) => {
    try { await source.cancel(reason instanceof Error ? reason.message : reason); } catch {}
    release();
  });
}

// A byte stream pulling chunks from `read` (-> Uint8Array, or null at the end).
function pullStream(read, cancel) {
  if (internal.streams === undefined) internal.native.loadBuiltin("streams.js");
  return internal.streams.fromPull(async (controller) => {
    const chunk = await read();
    if (chunk === null) controller.close(); else controller.enqueue(chunk);
  }, cancel);
}

// fetch() through a Fetcher; a response body that is still arriving (from the internet) becomes
// the Response's stream body, read as it comes.
function fetchThrough(native, request, canceler) {
  // A stream body goes out as it is produced.
  return rpc.fetch(native, request, canceler, bodyReaderOf(request)).then((response) => {
    const source = rpc.takeBodySource(response);
    if (source !== undefined) attachBodySource(response, source);
    return response;
  });
}
// A native source ({ read(maxBytes) -> chunk | null, cancel() }) as a Request's or Response's
// stream body.
function attachBodySource(body, source) {
  const read = () => { internal.native.checkBodyReadable(body); return source.read(65536); };
  internal.bodies.attachStream(body, pullStream(read, () => source.cancel()));
}

// The chunks of a Request's or Response's stream body, for C++ (the HTTP server, a Fetcher): a
// function returning the next chunk as a Uint8Array, or null at the end; undefined for a body
// that is not a stream.
function bodyReaderOf(body) {
  const stream = internal.bodies?.streamBody(body);
  if (stream === undefined) return undefined;
  const reader = internal.streams.reader(stream);
  return async () => {
    const { value, done } = await reader.read();
    if (done) return null;
    const bytes = chunkBytes(value);
    if (bytes !== undefined) return bytes;
    const error = new TypeError("This ReadableStream did not return bytes.");
    reader.cancel(error);
    throw error;
  };
}

// A stream chunk as a Uint8Array view, or undefined if it is not bytes.
function chunkBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// What crosses by value, by V8's serializer, without a walk.
function isBuiltinCloneable(value) {
  return value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer || (value instanceof Error && rpc.isSerializableError(value)) ||
    value instanceof Boolean ||
    value instanceof Number || value instanceof String || (typeof BigInt === "function" &&
    Object.prototype.toString.call(value) === "[object BigInt]");
}

// Replaces what crosses by reference (functions, RpcTargets, stubs) with native placeholders
// the serializer turns into capabilities, copying only the containers on the way to them.
// Rejects class instances that cannot be serialized, with workerd's messages.
function prepare(value, seen = undefined) {
  if (typeof value === "function") {
    const client = stubClients.get(value);
    return rpc.external(value, client);
  }
  if (typeof value !== "object" || value === null) return value;
  if (seen === undefined) seen = new Map();
  else if (seen.has(value)) return seen.get(value);
  const fetcher = fetcherNatives.get(value);
  if (fetcher !== undefined) return transferableFetcher(fetcher);
  const client = stubClients.get(value);
  if (client !== undefined) return rpc.external(value, client);
  if (value instanceof WorkerEntrypoint || value instanceof DurableObject) {
    // Entrypoints are RpcTargets here, but never cross by reference (as on workerd).
    throw notSerializable(value.constructor?.name ?? "Object");
  }
  if (value instanceof RpcTarget) return rpc.external(value, undefined);
  if (internal.streams?.isReadableStream(value)) {
    const marker = streamForRpc(value);
    seen.set(value, marker);
    return marker;
  }
  if (internal.streams?.isWritableStream(value)) {
    const marker = writableForRpc(value);
    seen.set(value, marker);
    return marker;
  }
  if (internal.blob?.isBlob(value)) {
    // A Blob crosses by value; a File does not (as on workerd).
    if (value instanceof File) throw notSerializable("File");
    const native = rpc.blobValue(internal.blob.type(value), internal.blob.bytes(value));
    seen.set(value, native);
    return native;
  }
  if (internal.abort?.isSignal(value)) {
    throw new DOMException("AbortSignal serialization is not enabled.", "DataCloneError");
  }
  if (rpc.isHostObject(value)) {
    // Request, Response and Headers cross by value with their buffered bodies; a stream body
    // crosses as a stream (a marker with the other parts).
    if (internal.bodies?.hasStreamBody(value)) {
      const marker = streamBodyForRpc(value);
      seen.set(value, marker);
      return marker;
    }
    return value;
  }
  if (Array.isArray(value)) {
    seen.set(value, value);
    let copy = null;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const v = value[i];
      const p = prepare(v, seen);
      if (p !== v) {
        if (copy === null) { copy = value.slice(); seen.set(value, copy); }
        copy[i] = p;
      }
    }
    return copy ?? value;
  }
  if (value instanceof Map) {
    seen.set(value, value);
    let changed = false;
    const entries = [];
    for (const [k, v] of value) {
      const pk = prepare(k, seen), pv = prepare(v, seen);
      if (pk !== k || pv !== v) changed = true;
      entries.push([pk, pv]);
    }
    if (!changed) return value;
    const copy = new Map(entries);
    seen.set(value, copy);
    return copy;
  }
  if (value instanceof Set) {
    seen.set(value, value);
    let changed = false;
    const items = [];
    for (const v of value) {
      const pv = prepare(v, seen);
      if (pv !== v) changed = true;
      items.push(pv);
    }
    if (!changed) return value;
    const copy = new Set(items);
    seen.set(value, copy);
    return copy;
  }
  if (isBuiltinCloneable(value)) return value;
  // workerd's serializer takes only Object.prototype's objects as plain: a null-prototype one is
  // refused too (structuredClone() still copies it).
  if (Object.getPrototypeOf(value) === null) throw notSerializable("Object");
  if (!isPlainObject(value)) {
    if (value instanceof Promise || isEngineObject(value) || isGeneratorObject(value)) return value;
    throw notSerializable(value.constructor?.name ?? "Object");
  }
  seen.set(value, value);
  let copy = null;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const p = prepare(v, seen);
    if (p !== v) {
      if (copy === null) { copy = { ...value }; seen.set(value, copy); }
      copy[key] = p;
    }
  }
  return copy ?? value;
}

// After deserialization: natives the serializer left for capabilities become stubs and
// Fetchers (the deserializer itself may not run JavaScript). Mutates the fresh value in place.
function revive(value, seen = undefined) {
  if (typeof value !== "object" || value === null) return value;
  seen ??= new Set();
  const kind = rpc.classify(value);
  if (kind === "client") return makeStub(value);
  if (kind === "fetcher") return makeFetcher(value);
  if (kind === "blob") {
    if (internal.blob === undefined) internal.native.loadBuiltin("blob-formdata.js");
    return internal.blob.create(value.getBytes(), value.type);
  }
  if (seen.has(value) || rpc.isHostObject(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (i in value) value[i] = revive(value[i], seen);
  } else if (value instanceof Map) {
    const entries = [...value];
    value.clear();
    for (const [k, v] of entries) value.set(revive(k, seen), revive(v, seen));
  } else if (value instanceof Set) {
    const items = [...value];
    value.clear();
    for (const v of items) value.add(revive(v, seen));
  } else if (isPlainObject(value)) {
    if (isStreamMarker(value)) return streamFromRpc(value[STREAM_MARKER]);
    const revived = reviveMarker(value, seen);
    if (revived !== undefined) return revived;
    for (const key of Object.keys(value)) value[key] = revive(value[key], seen);
  }
  return value;
}

function prepareArgs(args) {
  // Most calls pass only primitives: nothing to walk.
  let primitive = true;
  for (let i = 0; i < args.length && primitive; i++) {
    const type = typeof args[i];
    primitive = (type !== "object" && type !== "function") || args[i] === null;
  }
  const list = Array.prototype.slice.call(args);
  return primitive ? list : prepare(list);
}

function RpcStub(value) {
  if (new.target === undefined) {
    throw new TypeError("Failed to construct 'JsRpcStub': Please use the 'new' operator, this " +
                        "object constructor cannot be called as a function.");
  }
  if ((typeof value !== "object" && typeof value !== "function") || value === null) {
    throw new TypeError(
      "Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'Object'.");
  }
  if (!(typeof value === "function" || value instanceof RpcTarget || isPlainObject(value))) {
    throw new TypeError(
      "RpcStubs can only wrap plain objects, functions, and RpcTarget derivatives.");
  }
  const existing = stubClients.get(value);
  if (existing) return makeStub(rpc.dup(existing));
  return makeStub(rpc.wrapLocal(value));
}

// --- Receiver rules (spec/worker-loader.md sections 3, 8.4) ----------------------------------

function isEntrypointClass(value) {
  return typeof value === "function" && value.prototype instanceof RpcTarget;
}

function methodOf(target, name, kind) {
  // kind: "entrypoint" | "handler" (plain-object export) | "target" (RpcTarget instance) |
  //       "object" (plain object or function reached through a stub)
  if (kind === "entrypoint" && RESERVED_ENTRYPOINT_METHODS.has(name)) {
    throw new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
  }
  if ((kind === "target") && (name === "dup" || name === "constructor")) {
    throw new TypeError(`'${name}' is a reserved method and cannot be called over RPC.`);
  }
  if (kind === "entrypoint" || kind === "target") {
    // Class members only: never own (instance) properties, never Object.prototype's.
    if (Object.hasOwn(target, name)) return undefined;
    for (let proto = Object.getPrototypeOf(target); proto && proto !== Object.prototype;
         proto = Object.getPrototypeOf(proto)) {
      const desc = Object.getOwnPropertyDescriptor(proto, name);
      if (desc) return { desc, holder: proto };
    }
    return undefined;
  }
  // Plain objects, handler objects and functions: own properties only. Other objects (arrays,
  // Maps, dates) cannot be walked, as on workerd: `ep.list().length` does not reach the array.
  if (typeof target !== "function" && !isPlainObject(target)) return undefined;
  const desc = Object.getOwnPropertyDescriptor(target, name);
  return desc ? { desc, holder: target } : undefined;
}

function kindOf(value) {
  if (value instanceof RpcTarget) return "target";
  return "object";
}

// Walks `path` from `target` and calls or reads. Returns the value (maybe a promise).
function dispatch(target, kind, path, isCall, args) {
  let receiver = target;
  let receiverKind = kind;
  for (let i = 0; i < path.length; i++) {
    const name = path[i];
    const last = i === path.length - 1;
    if (receiver === null || (typeof receiver !== "object" && typeof receiver !== "function")) {
      throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
    }
    const found = methodOf(receiver, name, receiverKind);
    if (!found) {
      throw new TypeError(`The RPC receiver does not implement the method "${name}".`);
    }
    const { desc } = found;
    const value = desc.get ? desc.get.call(receiver) : desc.value;
    if (last) {
      if (!isCall) return value;
      if (typeof value !== "function") throw new TypeError(`"${path.join(".")}" is not a function.`);
      if (receiverKind === "handler") {
        if (value.length > 3) {
          throw new TypeError(`Cannot call handler function "${name}" over RPC because it has the wrong number of arguments. A simple function handler can only be called over RPC if it has exactly the arguments (arg, env, ctx), where only the first argument comes from the client. To support multi-argument RPC functions, use class-based syntax (extending WorkerEntrypoint) instead.`);
        }
        if (args.length !== 1) {
          throw new TypeError(`Attempted to call RPC function "${name}" with the wrong number of arguments. When calling a top-level handler function that is not declared as part of a class, you must always send exactly one argument. In order to support variable numbers of arguments, the server must use class-based syntax (extending WorkerEntrypoint) instead.`);
        }
        return value.call(receiver, args[0], handlerEnv, handlerCtx);
      }
      return Reflect.apply(value, receiver, args);
    }
    receiver = value;
    receiverKind = kindOf(value);
  }
  // Empty path: the target itself is called (a function stub).
  if (!isCall) return target;
  if (typeof target !== "function") throw new TypeError(`"" is not a function.`);
  return Reflect.apply(target, undefined, args);
}

// Set per entrypoint dispatch for plain-object handlers (arg, env, ctx).
let handlerEnv, handlerCtx;

// Errors of the runtime rather than of the callee's code reach the caller without `remote`.
const LOCAL_ERROR = Symbol("localError");
function localError(message) {
  const error = new Error(message);
  Object.defineProperty(error, LOCAL_ERROR, { value: true });
  return error;
}

function entrypointOf(ns, name) {
  const key = name ?? "default";
  if (!Object.hasOwn(ns, key) || ns[key] === undefined) {
    if (key === "default") throw localError("Worker has no default entrypoint.");
    throw localError(`Worker has no such entrypoint: ${key}`);
  }
  return ns[key];
}

function callFetchUntraced(ns, name, request, env, ctx) {
  const exported = entrypointOf(ns, name);
  let result;
  if (isEntrypointClass(exported)) {
    const instance = new exported(ctx, env);
    if (typeof instance.fetch !== "function") {
      throw new Error("Handler does not export a fetch() function.");
    }
    result = instance.fetch(request);
  } else if (typeof exported === "object" && typeof exported.fetch === "function") {
    result = exported.fetch(request, env, ctx);
  } else {
    throw new Error("Handler does not export a fetch() function.");
  }
  // A stream body is read by C++ as it goes out (bodyReader).
  return result;
}

function dispatchEntrypointUntraced(ns, name, env, ctx, path, isCall, args) {
  const exported = entrypointOf(ns, name);
  if (isEntrypointClass(exported)) {
    if (exported.prototype instanceof DurableObject) throw new Error(DURABLE_OBJECTS_UNSUPPORTED);
    return dispatch(new exported(ctx, env), "entrypoint", path, isCall, args);
  }
  if (typeof exported === "function") {
    throw new TypeError(`Entrypoint "${name ?? "default"}" is a plain function, not a class ` +
      "extending WorkerEntrypoint; it cannot be called over RPC.");
  }
  handlerEnv = env;
  handlerCtx = ctx;
  try {
    return dispatch(exported, "handler", path, isCall, args);
  } finally {
    handlerEnv = handlerCtx = undefined;
  }
}

// --- Tail workers (WorkerCode.tails) ------------------------------------------------------------
// With tails, each invocation (a request or an RPC call) is traced: its event, console output,
// uncaught exceptions and outcome; and the trace is sent to every tail's tail() handler when the
// invocation ends. internal.tails (NativeFetchers) is set by the loader before the modules run.
const activeTraces = [];
const LOG_LEVELS = ["debug", "log", "info", "warn", "error"];
function loggable(value) {
  try {
    // As the trace will cross to the tail's isolate (a SharedArrayBuffer cannot).
    internal.native.structuredClone(value, undefined, true);
    return value;
  } catch {
    return String(value);
  }
}
// `event` makes the trace's event description (only when there are tails).
function traced(event, entrypoint, run) {
  const tails = internal.tails;
  if (tails === undefined || tails.length === 0) return run();
  const trace = { scriptName: null, entrypoint: entrypoint ?? null, event: event(),
                  eventTimestamp: Date.now(), logs: [], exceptions: [], diagnosticsChannelEvents: [],
                  outcome: "ok", truncated: false };
  activeTraces.push(trace);
  const finish = (error) => {
    activeTraces.splice(activeTraces.indexOf(trace), 1);
    if (error !== undefined) {
      trace.outcome = "exception";
      trace.exceptions.push({ name: String(error?.name ?? "Error"), message: String(error?.message ?? error),
                              timestamp: Date.now() });
    }
    for (const native of tails) {
      try {
        Promise.resolve(makeFetcher(native).tail([trace])).catch(() => {});
      } catch {}
    }
  };
  let result;
  try {
    result = run();
  } catch (e) {
    finish(e);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then((v) => { finish(); return v; }, (e) => { finish(e); throw e; });
  }
  finish();
  return result;
}

internal.workers = {
  validateExports(ns) {
    for (const key of Object.keys(ns)) {
      const value = ns[key];
      if (typeof value === "function" || (typeof value === "object" && value !== null)) continue;
      if (key === "default" && value === undefined) continue;
      throw new TypeError(`Incorrect type for map entry '${key}': the provided value is not of type 'function or ExportedHandler'.`);
    }
  },

  // bodySource: a request body still arriving (C++ takes it from the native Request).
  callFetch(ns, name, request, env, ctx, bodySource) {
    if (bodySource !== undefined) attachBodySource(request, bodySource);
    return traced(() => ({ request: { url: request.url, method: request.method,
                                      headers: Object.fromEntries(request.headers) } }),
                  name, () => callFetchUntraced(ns, name, request, env, ctx));
  },
  // Console output of the traced invocations in flight (Worker::traceLog).
  traceLog(level, args) {
    const trace = activeTraces.at(-1);
    if (trace === undefined) return;
    trace.logs.push({ message: args.map(loggable), level: LOG_LEVELS[level] ?? "log", timestamp: Date.now() });
  },
  bodyReader(response) { return bodyReaderOf(response); },
};

internal.rpcHooks = {
  makeStub,
  makeFetcher,
  revive,
  prepare,
  // A call on an entrypoint: instantiate the class (per call) or use the handler object.
  dispatchEntrypoint(ns, name, env, ctx, path, isCall, args) {
    return traced(() => ({ rpcMethod: path.join(".") }), name,
                  () => settledResult(dispatchEntrypointUntraced(ns, name, env, ctx, path, isCall, args)));
  },
  dispatch(target, path, isCall, args) {
    return settledResult(dispatch(target, kindOf(target), path, isCall, args));
  },
  // A Fetcher's connect() reaching this worker: the entrypoint's connect(socket) handler (a class's
  // method, or a handler object's connect(socket, env, ctx)) with a Socket over the caller's
  // connection (`up`, a NativeByteStream of what the caller sends). Returns [readDown, done,
  // downReleased]: C++ serves readDown() (the next chunk the handler's socket writes, or null)
  // to the caller and calls downReleased() once the caller reads no more; once the handler's
  // promise settles (done) the connection ends, as on workerd.
  dispatchConnect(ns, name, env, ctx, address, up) {
    const exported = entrypointOf(ns, name);
    const isClass = isEntrypointClass(exported);
    const receiver = isClass ? new exported(ctx, env)
      : typeof exported === "object" && exported !== null ? exported : undefined;
    const handler = receiver?.connect;
    if (typeof handler !== "function") throw new Error("Handler does not export a connect() function.");
    internal.native.loadBuiltin("sockets.js");
    const { socket, readDown, downReleased, abandon } = internal.sockets.accept(address, up);
    const args = isClass ? [socket] : [socket, env, ctx];
    const done = traced(() => ({ connect: address }), name,
                        () => Promise.resolve().then(() => handler.apply(receiver, args)));
    return [readDown, done.then(abandon, (error) => {
      abandon();
      internal.native.reportError(error);
    }), downReleased];
  },
  // [type, message, isLocal] of a thrown value, for tunnelling it to the caller.
  describeError(e) {
    const described = describeThrown(e);
    if (e !== null && typeof e === "object" && e[LOCAL_ERROR]) described.push(true);
    return described;
  },
};

// The error types that cross RPC as themselves (as on workerd); others arrive as Error.
const KNOWN_ERROR_TYPES = ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError",
                           "EvalError", "URIError", "AggregateError", "CompileError", "LinkError",
                           "RuntimeError"];

function describeThrown(e) {
    if (e instanceof Error || (typeof DOMException === "function" && e instanceof DOMException)) {
      const name = e.name;
      if (typeof DOMException === "function" && e instanceof DOMException) {
        return [`DOMException:${name}`, String(e.message)];
      }
      const known = KNOWN_ERROR_TYPES;
      if (known.includes(name) && e.constructor?.name === name) return [name, String(e.message)];
      if (known.includes(e.constructor?.name) && name === e.constructor.name) return [name, String(e.message)];
      return ["Error", `${name}: ${e.message}`];
    }
    if (typeof e === "object" && e !== null) return ["Error", String(Object.prototype.toString.call(e)).replace(/^\[object (.*)\]$/, "#<$1>")];
    return ["Error", String(e)];
}

Object.assign(internal.rpcHooks, {
  // What enhanced error serialization carries beyond type and message (or undefined).
  describeErrorDetail(e) {
    if (e instanceof Error) {
      const props = {};
      for (const key of Object.keys(e)) if (key !== "remote") props[key] = e[key];
      const detail = { kind: "error", name: e.name, message: String(e.message), props };
      if ("cause" in e) detail.cause = e.cause;
      return detail;
    }
    if (typeof e === "object" && e !== null) return { kind: "object", value: e };
    return undefined;
  },
  // Enhanced error serialization (caller's compatibility date 2026-04-21 or later): the
  // custom name, own properties and cause survive; a thrown plain object arrives as itself.
  makeEnhancedError(type, message, detail, remote = true) {
    if (detail.kind === "object") {
      const value = detail.value;
      if (remote && typeof value === "object" && value !== null) value.remote = true;
      return value;
    }
    const known = KNOWN_ERROR_TYPES;
    const baseType = known.includes(detail.name) || type.startsWith("DOMException:") ? type : "Error";
    const error = internal.rpcHooks.makeRemoteError(baseType, detail.message, remote);
    if (error.name !== detail.name) {
      Object.defineProperty(error, "name", { value: detail.name, writable: true, configurable: true, enumerable: false });
    }
    Object.assign(error, detail.props);
    if ("cause" in detail) {
      Object.defineProperty(error, "cause", { value: detail.cause, writable: true, configurable: true, enumerable: false });
    }
    if (remote) error.remote = true;
    return error;
  },
  makeRemoteError(type, message, remote = true) {
    let error;
    if (type.startsWith("DOMException:")) {
      error = new DOMException(message, type.slice("DOMException:".length));
    } else {
      const ctor = Object.hasOwn(Intrinsics, type) ? Intrinsics[type] : Intrinsics.Error;
      // AggregateError takes its errors first (they do not cross).
      error = ctor === Intrinsics.AggregateError ? new ctor([], message) : new ctor(message);
    }
    if (remote) error.remote = true;
    return error;
  },
  isEntrypointClass,
  hasDisposer(target) {
    const dispose = Symbol.dispose ?? internal.symbolDispose;
    return dispose !== undefined && typeof target[dispose] === "function";
  },
  disposeTarget(target) {
    const dispose = Symbol.dispose ?? internal.symbolDispose;
    if (dispose && target !== null && (typeof target === "object" || typeof target === "function") &&
        typeof target[dispose] === "function") {
      target[dispose]();
    }
  },
});

// --- The Worker Loader's WorkerCode (spec/worker-loader.md sections 2, 4) -------------------

const MODULE_KINDS = ["js", "cjs", "text", "data", "json", "py", "wasm"];

function typeError(message) { return new TypeError(message); }

function copyBytes(value) {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  }
  return null;
}

// Validates a WorkerCode object with workerd's messages and returns a normalized copy:
// { mainModule, modules: [[name, kind, content]], compatibilityDate, compatibilityFlags,
//   allowExperimental, env, hasEnv, globalOutbound: undefined | null | NativeFetcher, limits }.
// Bytes are copied now (a later resize of the caller's buffer changes nothing).
function normalizeWorkerCode(code) {
  if (code === null || typeof code !== "object") {
    throw typeError("Incorrect type for the 'code' field on 'WorkerLoader': the provided value is not of type 'WorkerCode'.");
  }
  const out = {};
  const modules = code.modules;
  if (modules === null || typeof modules !== "object") {
    throw typeError("Incorrect type for the 'modules' field on 'WorkerCode': the provided value is not of type 'object'.");
  }
  out.mainModule = String(code.mainModule);
  const names = Object.keys(modules);
  if (names.length === 0) throw typeError("Dynamic Worker code must contain at least one module.");
  const mainIsPython = out.mainModule.endsWith(".py");
  out.modules = [];
  for (const name of names) {
    let value = modules[name];
    let kind, content;
    if (typeof WebAssembly === "object" && value instanceof WebAssembly.Module) {
      kind = "wasm";
      content = value;
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value).filter((k) => MODULE_KINDS.includes(k));
      const count = Object.keys(value).length === keys.length ? keys.length : keys.length;
      if (count !== 1) {
        throw typeError(`Each module must contain exactly one of 'js', 'cjs', 'text', 'data', 'json', 'py', or 'wasm'. Module '${name}' contained ${count} properties.`);
      }
      kind = keys[0];
      const raw = value[kind];
      if (kind === "data") {
        content = copyBytes(raw);
        if (content === null) throw typeError(`Incorrect type for the 'data' field on 'Module': the provided value is not of type 'ArrayBuffer or ArrayBufferView'.`);
      } else if (kind === "wasm") {
        content = (typeof WebAssembly === "object" && raw instanceof WebAssembly.Module) ? raw : copyBytes(raw);
        if (content === null) throw typeError(`Incorrect type for the 'wasm' field on 'Module': the provided value is not of type 'ArrayBuffer or ArrayBufferView'.`);
      } else if (kind === "json") {
        content = JSON.stringify(raw);
      } else {
        content = String(raw);
      }
    } else {
      if (name.endsWith(".js")) {
        kind = "js";
      } else if (name.endsWith(".py")) {
        kind = "py";
      } else if (mainIsPython && name.startsWith("python_modules/")) {
        kind = "text";
      } else {
        let message = `Module name must end with '.js' or '.py' (or the content must be an object indicating the type explicitly). Got: ${name}`;
        if (/\.(ts|tsx|jsx|mts|cts)$/.test(name)) {
          message += ". If you're trying to load TypeScript, bundle it first with '@cloudflare/worker-bundler' and pass the generated JavaScript modules.";
        }
        throw typeError(message);
      }
      content = String(value);
    }
    if (kind === "py" && !mainIsPython) {
      throw typeError(`Module "${name}" is a Python module, but the main module isn't a Python module.`);
    }
    out.modules.push([name, kind, content]);
  }
  out.compatibilityDate = code.compatibilityDate === undefined ? undefined : String(code.compatibilityDate);
  const flags = code.compatibilityFlags ?? [];
  if (!Array.isArray(flags)) {
    throw typeError("Incorrect type for the 'compatibilityFlags' field on 'WorkerCode': the provided value is not of type 'sequence'.");
  }
  out.compatibilityFlags = flags.map(String);
  out.allowExperimental = !!code.allowExperimental;
  if (code.env !== undefined) {
    if (code.env === null || typeof code.env !== "object") {
      throw typeError("Incorrect type for the 'env' field on 'WorkerCode': the provided value is not of type 'Object'.");
    }
    out.env = prepareEnv(code.env);
    out.hasEnv = true;
  } else {
    out.hasEnv = false;
  }
  if (code.globalOutbound === undefined) {
    out.globalOutbound = undefined;
  } else if (code.globalOutbound === null) {
    out.globalOutbound = null;
  } else {
    let outbound = code.globalOutbound;
    if (loopbackStubs.has(outbound)) outbound = asFetcher(outbound);
    const native = fetcherNatives.get(outbound);
    if (native === undefined) {
      throw typeError("Incorrect type for the 'globalOutbound' field on 'WorkerCode': the provided value is not of type 'Fetcher'.");
    }
    transferableFetcher(native);
    out.globalOutbound = native;
  }
  if (code.tails !== undefined) {
    if (!Array.isArray(code.tails)) {
      throw typeError("Incorrect type for the 'tails' field on 'WorkerCode': the provided value is not of type 'sequence'.");
    }
    code.tails.forEach((t, i) => {
      if (!fetcherNatives.has(t)) {
        throw typeError(`Incorrect type for array element ${i}: the provided value is not of type 'Fetcher'.`);
      }
    });
    out.tails = code.tails.map((t) => transferableFetcher(fetcherNatives.get(t)));
  }
  if (code.streamingTails !== undefined && !out.allowExperimental) {
    throw new Error("Streaming tail workers are experimental. You must pass the option 'allowExperimental: true' to the worker loader to use them");
  }
  out.limits = resourceLimits(code.limits, "WorkerCode");
  return out;
}

// A ResourceLimits dictionary as workerd converts it: cpuMs and subRequests unsigned 32-bit
// numbers (strings are converted; Infinity, NaN, negative and larger values are TypeErrors, so
// no budget can be endless), the dictionary an object, null or undefined. `owner` names the
// dictionary holding it in messages ("WorkerCode", "EntrypointOptions").
function resourceLimits(limits, owner) {
  if (limits === undefined || limits === null) limits = {};
  if (typeof limits !== "object" && typeof limits !== "function") {
    throw typeError(`Incorrect type for the 'limits' field on '${owner}': the provided value is not of type 'ResourceLimits'.`);
  }
  const uint32 = (value) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw typeError("The value cannot be converted because it is not an integer.");
    if (n < 0) throw typeError("The value cannot be converted because it is negative and this API expects a positive number.");
    if (n > 4294967295) throw typeError("Value out of range. Must be less than or equal to 4294967295.");
    return Math.trunc(n);  // as workerd converts it: cpuMs 0.5 is 0
  };
  return {
    cpuMs: uint32(limits.cpuMs),
    subRequests: uint32(limits.subRequests),
    // loaderd's extensions: the heap limit of the worker's isolate and a wall-clock limit
    // (validated natively).
    memoryMb: limits.memoryMb === undefined ? undefined : Number(limits.memoryMb),
    wallMs: limits.wallMs === undefined ? undefined : Number(limits.wallMs),
  };
}

// env and props: plain data plus Fetchers; RpcTargets and stubs are for RPC arguments only.
function prepareEnv(value, seen = new Map()) {
  if (loopbackStubs.has(value)) {
    throw notSerializable("LoopbackServiceStub");
  }
  if (typeof value === "function") {
    if (stubClients.has(value)) {
      throw new DOMException("Remote RPC references can only be serialized for RPC.", "DataCloneError");
    }
    return value;  // V8's serializer reports "<source> could not be cloned."
  }
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  const fetcher = fetcherNatives.get(value);
  if (fetcher !== undefined) return transferableFetcher(fetcher);
  if (value instanceof RpcTarget) {
    throw new DOMException("Remote RPC references can only be serialized for RPC.", "DataCloneError");
  }
  if (rpc.isHostObject(value)) return value;
  if (Array.isArray(value)) {
    const copy = [];
    seen.set(value, copy);
    for (let i = 0; i < value.length; i++) if (i in value) copy[i] = prepareEnv(value[i], seen);
    copy.length = value.length;
    return copy;
  }
  if (value instanceof Map || value instanceof Set || isBuiltinCloneable(value) ||
      value instanceof Promise) {
    return value;
  }
  if (!isPlainObject(value)) {
    if (isEngineObject(value)) return value;
    throw notSerializable(value.constructor?.name ?? "Object");
  }
  const copy = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = prepareEnv(value[key], seen);
  return copy;
}

internal.workers.normalizeWorkerCode = normalizeWorkerCode;

// A port, as workerd converts a uint16 (fractions are dropped); sockets.js uses it too.
internal.toPort = function toPort(value) {
  const n = +value;
  if (n !== n) {
    throw new TypeError("The value cannot be converted because it is not an integer.");
  }
  if (n < 0) {
    throw new TypeError(
      "The value cannot be converted because it is negative and this API expects a positive number.");
  }
  if (n > 65535) throw new TypeError("Value out of range. Must be less than or equal to 65535.");
  return Math.trunc(n);
};

// Called by ctx.abort() once it has asked V8 to terminate: entering any JavaScript function checks
// for the termination, so the code that called abort() stops there, not at its next call.
internal.workers.stopHere = function stopHere() {};

// ctx.mapVirtualHost(fetcher, port): workerd's "<32 hex digits>.workers.alt:<port>", the first
// answer for a Fetcher standing (workerd keeps the first mapping of a service). Nothing routes
// to it (containers would, on Cloudflare).
const virtualHosts = new WeakMap();
const mathRandom = Math.random;
internal.workers.mapVirtualHost = (fetcher, port) => {
  const notOfType = (n, type) =>
    new TypeError(`Failed to execute 'mapVirtualHost' on 'ExecutionContext': parameter ${n} is not of type '${type}'.`);
  if (typeof fetcher !== "object" || fetcher === null || !fetcherNatives.has(fetcher)) throw notOfType(1, "Fetcher");
  if (port === undefined) throw notOfType(2, "unsigned short integer");
  const number = internal.toPort(port);
  let host = virtualHosts.get(fetcher);
  if (host === undefined) {
    let name = "";
    for (let i = 0; i < 32; i++) name += "0123456789abcdef"[Math.floor(mathRandom() * 16)];
    host = `${name}.workers.alt:${number}`;
    virtualHosts.set(fetcher, host);
  }
  return host;
};
internal.workers.makeCtxExports = (ns) => {
  const exports = {};
  for (const key of Object.keys(ns)) {
    const value = ns[key];
    if (isEntrypointClass(value) || (typeof value === "object" && value !== null)) {
      exports[key] = makeLoopbackStub(key === "default" ? undefined : key);
    }
  }
  return exports;
};

// The Fetcher behind a loopback stub used where a Fetcher is expected.
function asFetcher(stub) {
  return makeFetcher(rpc.loopback(stub[LOOPBACK_NAME], undefined));
}
internal.workers.prepareEnv = prepareEnv;
internal.workers.resourceLimits = resourceLimits;

// --- Global fetch() through the worker's outbound policy ---------------------------------------

const NULL_OUTBOUND_MESSAGE =
  "This worker is not permitted to access the internet via global functions like fetch(). It " +
  "must use capabilities (such as bindings in 'env') to talk to the outside world.";

internal.workers.NULL_OUTBOUND_MESSAGE = NULL_OUTBOUND_MESSAGE;

if (rpc !== undefined) {
  internal.define("fetch", function fetch(input, init = undefined) {
    // Set per worker when it starts (its global_outbound / globalOutbound).
    const outbound = internal.outbound ?? { kind: "internet" };
    try {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      if (outbound.kind === "null") return Promise.reject(new Error(NULL_OUTBOUND_MESSAGE));
      if (outbound.fetcher !== undefined) {
        return internal.bodies.abortable(request,
                                         (canceler) => fetchThrough(outbound.fetcher, request, canceler));
      }
      return Promise.reject(new TypeError("This worker has no outbound network configured."));
    } catch (e) {
      return Promise.reject(e);
    }
  });
}

// `loaderd:sandbox` (loaderd only): fresh contexts over frozen shared data, for running untrusted
// functions many times against one large read-only value (runtime/api/sandbox.h).
const SANDBOX_ERRORS = { TypeError, RangeError, SyntaxError, ReferenceError, EvalError };
class Sandbox {
  #native;
  // data: an object whose properties (structured-cloned once, then frozen) are globals of every
  // run; scripts: classic scripts ({ name, source } or source text) run first in every run.
  constructor({ data, scripts = [] } = {}) {
    if (!Array.isArray(scripts)) throw new TypeError("Sandbox: `scripts` must be an array.");
    const list = scripts.map((s, i) => (typeof s === "string" ? { name: `script-${i}.js`, source: s } : s));
    this.#native = internal.native.sandboxCreate(data, list);
  }
  // Runs `code` (source evaluating to a function) in a fresh context and calls it:
  // -> { result, logs }, or rejects with an error of the thrown type carrying `logs` (and `line`,
  // `column` for syntax errors).
  async run(code, { cpuMs = 1000 } = {}) {
    if (typeof code !== "string") throw new TypeError("Sandbox.run: `code` must be a string.");
    const r = this.#native.run(code, Number(cpuMs));
    if (r.ok) return { result: r.value, logs: r.logs };
    const Type = SANDBOX_ERRORS[r.name] ?? Error;
    const error = new Type(r.message);
    if (r.name && !(r.name in SANDBOX_ERRORS) && r.name !== "Error") error.name = r.name;
    if (!r.name) error.thrown = true;  // a value that is not an Error was thrown
    if (r.line !== undefined) { error.line = r.line; error.column = r.column; }
    error.logs = r.logs;
    throw error;
  }
}

internal.builtinModules = {
  "cloudflare:workers": (env) => ({
    WorkerEntrypoint, RpcTarget, RpcStub, DurableObject, WorkflowEntrypoint, env,
  }),
  "loaderd:sandbox": () => ({ Sandbox }),
  "cloudflare:sockets": () => {
    internal.native.loadBuiltin("sockets.js");
    return { connect: internal.sockets.connect };
  },
};

// Node.js modules (nodejs_compat): runtime/builtins/node.js sets internal.node[name] to each
// module's exports object; it runs on the first import of any of them. Worker only registers
// these names when the worker has nodejs_compat.
const NODE_MODULES = ["buffer", "events", "util", "crypto", "assert", "path", "url",
                      "string_decoder", "async_hooks", "process"];
function nodeModule(name) {
  internal.native.loadBuiltin("node-crypto-keys.js");  // and node.js before it
  const exports = internal.node?.[name];
  if (exports === undefined) throw new Error(`No such module "node:${name}".`);
  return exports;
}
for (const name of NODE_MODULES) {
  internal.builtinModules[`node:${name}`] = () => nodeModule(name);
}

// Promise rejections nothing handled (Worker::promiseRejected, from V8's reject callback, checks
// in a microtask queued when the rejection happened — a handler attached in an earlier-queued
// reaction is in time, one attached after an await is not, as on workerd): an
// `unhandledrejection` event to the global scope's listeners; true when there were any (else
// the worker logs the rejection if it still has no handler once the microtasks have run). A
// handler attached after the event fires `rejectionhandled`.
const reportedRejections = new WeakSet();
internal.workers.promiseRejected = (kind, promise, reason) => {
  const events = internal.globalEvents;  // events.js, once something listens
  if (kind === 0) {
    reportedRejections.add(promise);
    return events?.dispatchRejection("unhandledrejection", promise, reason) ?? false;
  }
  if (reportedRejections.delete(promise)) events?.dispatchRejection("rejectionhandled", promise, undefined);
  return true;
};

internal.workers.applyCompat = (flags) => {
  captureWasm();
  internal.compat = flags;  // http-bodies.js: RequestInit's cache
  if (!flags.nodejsCompatV2) return;
  // Buffer and process as globals, as nodejs_compat_v2 gives them on workerd; defined lazily so a
  // worker that never touches them never loads node.js.
  for (const [name, get] of [["Buffer", () => nodeModule("buffer").Buffer],
                             ["process", () => nodeModule("process")]]) {
    Object.defineProperty(global, name, {
      get() {
        const value = get();
        Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
        return value;
      },
      set(value) {
        Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
      },
      configurable: true, enumerable: false,
    });
  }
};
