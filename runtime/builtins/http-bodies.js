// Request and Response bodies beyond bytes and strings: ReadableStream, Blob, FormData and
// URLSearchParams bodies; the `body` stream; formData() and blob(). The C++ classes
// (runtime/api/http.h) hold buffered bytes; this file converts the other body kinds at the
// edges, and loads the streams, Blob and URL builtins only when a body needs them.
//
// A body given as a ReadableStream stays a stream here (jsBodies) until something reads it; C++
// reads it chunk by chunk when it leaves the isolate (workers.js bodyReaderOf: to an HTTP client,
// through a Fetcher, to the internet), and bodies arriving from outside become such streams
// (attachStream).
"use strict";
// Outside loaderd (tools/testing/builtins-vm.mjs) there are no native Request/Response.
if (typeof global.Response !== "function") return;
const NativeRequest = global.Request;
const NativeResponse = global.Response;
const BodyPrototype = Object.getPrototypeOf(NativeResponse.prototype);
const native = internal.native;

// Touching a lazily defined global runs its builtin (see Worker::installBuiltins).
const streamsApi = () => (global.ReadableStream, internal.streams);
const blobApi = () => (global.Blob, internal.blob);
const formDataApi = () => (global.FormData, internal.formData);

const jsBodies = new WeakMap();    // Request/Response -> ReadableStream given as its body
const bodyStreams = new WeakMap(); // Request/Response -> the stream `body` returned

function isByteSource(body) {
  return typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body);
}

// -> { body (for the native constructor), contentType?, stream? }
function convertBody(body) {
  if (body === null || body === undefined || isByteSource(body)) return { body };
  if (typeof body === "object") {
    if (typeof global.URLSearchParams === "function" && body instanceof global.URLSearchParams) {
      return { body: body.toString(), contentType: "application/x-www-form-urlencoded;charset=UTF-8" };
    }
    const streams = streamsApi();
    if (streams.isReadableStream(body)) {
      if (streams.isDisturbed(body) || streams.isLocked(body)) {
        throw new TypeError("This ReadableStream is disturbed (has already been read from), and cannot be used as a body.");
      }
      return { body: null, stream: body };
    }
    const blob = blobApi();
    if (blob.isBlob(body)) {
      const type = blob.type(body);
      return { body: blob.bytes(body), contentType: type === "" ? undefined : type };
    }
    const formData = formDataApi();
    if (formData.isFormData(body)) {
      const { contentType, bytes } = formData.serialize(body);
      return { body: bytes, contentType };
    }
  }
  return { body };
}

function withContentType(init, contentType) {
  if (contentType === undefined) return init;
  const headers = new Headers(init?.headers);
  if (!headers.has("content-type")) headers.set("content-type", contentType);
  return { ...init, headers };
}

// A Request's URL is parsed by the URL Standard (as `new URL()` does): dot segments, encoded or
// not, resolve; case and percent-encoding normalise. An unparsable URL is left for the native
// constructor to reject. Plain URLs skip loading the URL builtin.
// "Plain" means already in serialised form: lower-case host whose last label is not numeric (no
// IPv4 rewriting), no port, no punycode to check, a path of unreserved characters with no dot
// segments, no query or fragment.
const PLAIN_URL = /^https?:\/\/([a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[A-Za-z0-9_~!$&'()*+,;=:@\/-]*$/;
function requestUrl(input) {
  if (typeof input !== "string") {
    if (typeof input !== "object" || input === null || input instanceof NativeRequest) return input;
    input = String(input);
  }
  if (PLAIN_URL.test(input) && !input.includes("/.") && !input.includes("xn--")) return input;
  const url = global.URL, api = internal.url;
  const record = url && api.parse(input);
  return record ? api.serialize(record) : input;
}

// --- Request.signal ---
// The AbortSignal a Request was given (init.signal, else the input Request's). fetch() through
// any Fetcher rejects with its reason when it aborts (internal.bodies.abortable).
const abortApi = () => (global.AbortSignal, internal.abort);
const givenSignals = new WeakMap();   // Request -> AbortSignal given
const requestSignals = new WeakMap(); // Request -> the signal `signal` returns

function givenSignal(args) {
  const init = args[1];
  if (init !== undefined && init !== null && typeof init === "object" && "signal" in init) {
    const signal = init.signal;
    if (signal === null || signal === undefined) return undefined;
    if (!abortApi().isSignal(signal)) {
      throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
    }
    return signal;
  }
  const input = args[0];
  return typeof input === "object" && input !== null ? givenSignals.get(input) : undefined;
}

Object.defineProperty(NativeRequest.prototype, "signal", {
  get: function signal() {
    if (!(this instanceof NativeRequest)) throw new TypeError("Illegal invocation");
    let made = requestSignals.get(this);
    if (made === undefined) {
      const abort = abortApi();
      made = abort.createSignal();
      const given = givenSignals.get(this);
      if (given !== undefined) {
        if (abort.aborted(given)) abort.signalAbort(made, abort.reason(given));
        else abort.addAlgorithm(given, () => abort.signalAbort(made, abort.reason(given)));
      }
      requestSignals.set(this, made);
    }
    return made;
  },
  configurable: true, enumerable: true,
});

// --- Request.cache ---
// RequestInit's `cache`, by the worker's compatibility flags as on workerd (internal.compat, set
// when the worker starts): refused before cache_option_enabled; then "no-store", and "no-cache"
// with cache_no_cache_enabled. Carried to Requests made from a Request and to clones.
const requestCaches = new WeakMap();  // Request -> its cache mode

function givenCache(args) {
  const init = args[1];
  if (init !== undefined && init !== null && typeof init === "object") {
    const cache = init.cache;
    if (cache !== undefined) {
      const compat = internal.compat ?? {};
      if (!compat.cacheOption) {
        throw new Error("The 'cache' field on 'RequestInitializerDict' is not implemented.");
      }
      const mode = `${cache}`;
      if (mode === "no-store" || (mode === "no-cache" && compat.cacheNoCache)) return mode;
      throw new TypeError(`Unsupported cache mode: ${mode}`);
    }
  }
  const input = args[0];
  return typeof input === "object" && input !== null ? requestCaches.get(input) : undefined;
}

Object.defineProperty(NativeRequest.prototype, "cache", {
  get: function cache() {
    if (!(this instanceof NativeRequest)) throw new TypeError("Illegal invocation");
    return requestCaches.get(this);
  },
  configurable: true, enumerable: true,
});

// send(canceler) starts the fetch of `request`; the result rejects with the signal's reason if
// it aborts first, and the native call is cancelled.
function abortable(request, send) {
  const signal = givenSignals.get(request);
  if (signal === undefined) return send(undefined);
  const abort = abortApi();
  if (abort.aborted(signal)) return Promise.reject(abort.reason(signal));
  const canceler = internal.rpc.canceler();
  const promise = send(canceler);
  return new Promise((resolve, reject) => {
    const unregister = abort.addAlgorithm(signal, () => {
      canceler.cancel();
      promise.catch(() => {});
      reject(abort.reason(signal));
    });
    promise.then((value) => { unregister(); resolve(value); },
                 (error) => { unregister(); reject(error); });
  });
}

function construct(Native, bodyIndex) {
  const make = makeConstruct(bodyIndex);
  if (bodyIndex === 0) return new Proxy(Native, { construct: make });
  return new Proxy(Native, {
    construct(target, args, newTarget) {
      const cache = givenCache(args);
      if (args.length > 0) args = [requestUrl(args[0]), ...Array.prototype.slice.call(args, 1)];
      const signal = givenSignal(args);
      const result = make(target, args, newTarget);
      if (signal !== undefined) givenSignals.set(result, signal);
      if (cache !== undefined) requestCaches.set(result, cache);
      return result;
    },
  });
}

function makeConstruct(bodyIndex) {
  return function construct(target, args, newTarget) {
    const raw = bodyIndex === 0 ? args[0] : args[1]?.body;
    if (raw === undefined || raw === null || isByteSource(raw)) {
      return Reflect.construct(target, args, newTarget);
    }
    const converted = convertBody(raw);
    let init = args[1];  // RequestInit and ResponseInit are both the second argument
    let finalArgs;
    if (bodyIndex === 0) {
      finalArgs = [converted.body, withContentType(init, converted.contentType)];
    } else {
      init = withContentType(init, converted.contentType);
      finalArgs = [args[0], { ...init, body: converted.body ?? undefined }];
    }
    const result = Reflect.construct(target, finalArgs, newTarget);
    if (converted.stream) jsBodies.set(result, converted.stream);
    return result;
  };
}

// Response.redirect(url): the Location is the URL Standard's serialisation, as for a Request.
const nativeRedirect = NativeResponse.redirect;
Object.defineProperty(NativeResponse, "redirect", {
  value: function redirect(url, status = undefined) {
    return nativeRedirect.call(this, requestUrl(url), status);
  },
  writable: true, configurable: true, enumerable: true,
});

const ResponseClass = construct(NativeResponse, 0);
const RequestClass = construct(NativeRequest, 1);
internal.define("Response", ResponseClass);
internal.define("Request", RequestClass);

const nativeText = BodyPrototype.text;
const nativeArrayBuffer = BodyPrototype.arrayBuffer;
const nativeJson = BodyPrototype.json;
const bodyUsedGetter = Object.getOwnPropertyDescriptor(BodyPrototype, "bodyUsed").get;

async function streamBytes(self) {
  native.checkBodyReadable(self);  // as the native paths do
  const stream = jsBodies.get(self) ?? bodyStreams.get(self);
  return streamsApi().readAllBytes(stream);
}

function hasStream(self) {
  return jsBodies.has(self) || bodyStreams.has(self);
}

Object.defineProperties(BodyPrototype, {
  text: { value: function text() {
    if (!hasStream(this)) return nativeText.call(this);
    return streamBytes(this).then((bytes) => native.utf8Decode(bytes, false));
  }, writable: true, configurable: true, enumerable: true },
  arrayBuffer: { value: function arrayBuffer() {
    if (!hasStream(this)) return nativeArrayBuffer.call(this);
    return streamBytes(this).then((bytes) =>
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? bytes.buffer : bytes.slice().buffer);
  }, writable: true, configurable: true, enumerable: true },
  json: { value: function json() {
    if (!hasStream(this)) return nativeJson.call(this);
    return this.text().then((text) => JSON.parse(text));
  }, writable: true, configurable: true, enumerable: true },
  bytes: { value: function bytes() {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }, writable: true, configurable: true, enumerable: true },
  formData: { value: async function formData() {
    const contentType = this.headers.get("content-type") ?? "";
    const bytes = new Uint8Array(await this.arrayBuffer());
    return formDataApi().parse(bytes, contentType);
  }, writable: true, configurable: true, enumerable: true },
  blob: { value: async function blob() {
    const type = this.headers.get("content-type") ?? "";
    return blobApi().create(new Uint8Array(await this.arrayBuffer()), type);
  }, writable: true, configurable: true, enumerable: true },
  body: { get: function body() {
    const given = jsBodies.get(this);
    if (given !== undefined) return given;
    const made = bodyStreams.get(this);
    if (made !== undefined) return made;
    if (bodyUsedGetter.call(this)) return null;
    const bytes = native.takeBody(this);
    if (bytes === null) return null;
    const self = this;
    const stream = streamsApi().fromBytes(bytes, () => native.checkBodyReadable(self));
    bodyStreams.set(this, stream);
    return stream;
  }, configurable: true, enumerable: true },
  bodyUsed: { get: function bodyUsed() {
    const stream = jsBodies.get(this) ?? bodyStreams.get(this);
    if (stream !== undefined) return streamsApi().isDisturbed(stream);
    return bodyUsedGetter.call(this);
  }, configurable: true, enumerable: true },
});

// clone(): a body given as a stream is teed between the two objects; a Request's signal carries
// over.
for (const Native of [NativeRequest, NativeResponse]) {
  const nativeClone = Native.prototype.clone;
  Object.defineProperty(Native.prototype, "clone", {
    value: function clone() {
      const stream = jsBodies.get(this);
      if (stream !== undefined && streamsApi().isDisturbed(stream)) {
        throw new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
      }
      const copy = nativeClone.call(this);
      if (stream !== undefined) {
        const [mine, theirs] = stream.tee();
        jsBodies.set(this, mine);
        jsBodies.set(copy, theirs);
      }
      const signal = givenSignals.get(this);
      if (signal !== undefined) givenSignals.set(copy, signal);
      const cache = requestCaches.get(this);
      if (cache !== undefined) requestCaches.set(copy, cache);
      return copy;
    },
    writable: true, configurable: true, enumerable: true,
  });
}

internal.bodies = {
  abortable, hasStreamBody: (x) => jsBodies.has(x),
  // For JS RPC (workers.js): the stream body, and the constructors user code cannot replace.
  streamBody: (x) => jsBodies.get(x),
  // A fetched Response whose body is still arriving gets it as a stream body.
  attachStream: (x, stream) => { jsBodies.set(x, stream); },
  Request: RequestClass,
  Response: ResponseClass,
};
