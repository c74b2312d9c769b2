// The Cache API (`caches`, Cache, CacheStorage) as workerd has it when no cache service is
// configured, which is how loaderd runs: the objects and their argument checks are there, and
// every lookup or store that passes them rejects with workerd's "No Cache was configured".
// Code that guards its cache use (try/catch, .catch()) runs as it does under workerd.
"use strict";
const { webidlInterface } = internal;
// Request and Response as http-bodies.js made them (user code cannot replace these).
const isRequest = (value) => value instanceof internal.bodies.Request;
const isResponse = (value) => value instanceof internal.bodies.Response;
const PromiseCtor = Promise;
const URLCtor = URL;
const TOKEN = Symbol("cache");
const NO_CACHE = "No Cache was configured";

const notImplemented = (method, type) =>
  new Error(`Failed to execute '${method}' on '${type}': the method is not implemented.`);
const wrongType = (method, n, type) =>
  new TypeError(`Failed to execute '${method}' on 'Cache': parameter ${n} is not of type '${type}'.`);

// The request a method was given: a Request, or a string (anything else is made one) that must
// parse as a URL. Returns the method (GET for strings).
function requestMethod(method, request) {
  if (request === undefined) throw wrongType(method, 1, "Request or string");
  if (isRequest(request)) return request.method;
  const url = `${request}`;
  try {
    new URLCtor(url);
  } catch {
    throw new TypeError(`Invalid URL: ${url}`);
  }
  return "GET";
}

// An async method: its checks' errors reject as workerd's do.
const rejecting = (body) => function (...args) {
  try {
    return body.apply(this, args);
  } catch (e) {
    return PromiseCtor.reject(e);
  }
};

class CacheImpl {
  #brand = true;
  constructor(token) {
    if (token !== TOKEN) throw new TypeError("Illegal constructor");
  }
  static check(self) {
    if (typeof self !== "object" || self === null || !(#brand in self)) throw internal.illegalInvocation();
  }
  add() { throw notImplemented("add", "Cache"); }
  addAll() { throw notImplemented("addAll", "Cache"); }
  delete(request, options = undefined) {
    checkCache(this);
    return rejecting(() => {
      if (requestMethod("delete", request) !== "GET") return PromiseCtor.resolve(false);
      return PromiseCtor.reject(new Error(NO_CACHE));
    })();
  }
  match(request, options = undefined) {
    checkCache(this);
    return rejecting(() => {
      if (requestMethod("match", request) !== "GET") return PromiseCtor.resolve(undefined);
      return PromiseCtor.reject(new Error(NO_CACHE));
    })();
  }
  put(request, response) {
    checkCache(this);
    return rejecting(() => {
      if (!isResponse(response)) throw wrongType("put", 2, "Response");
      if (requestMethod("put", request) !== "GET") {
        throw new TypeError("Cannot cache response to non-GET request.");
      }
      if (response.status === 206) {
        throw new TypeError("Cannot cache response to a range request (206 Partial Content).");
      }
      const vary = response.headers.get("vary");
      if (vary !== null && vary.split(",").some((v) => v.trim() === "*")) {
        throw new TypeError("Cannot cache response with 'Vary: *' header.");
      }
      if (response.body !== null && response.body.locked) {
        throw new TypeError("The ReadableStream has been locked to a reader.");
      }
      return PromiseCtor.reject(new Error(NO_CACHE));
    })();
  }
  matchAll() { throw notImplemented("matchAll", "Cache"); }
  keys() { throw notImplemented("keys", "Cache"); }
}
const checkCache = CacheImpl.check;
delete CacheImpl.check;
const Cache = webidlInterface(CacheImpl, { constructible: false });

class CacheStorageImpl {
  #brand = true;
  static check(self) {
    if (typeof self !== "object" || self === null || !(#brand in self)) throw internal.illegalInvocation();
  }
  constructor(token) {
    if (token !== TOKEN) throw new TypeError("Illegal constructor");
    Object.defineProperty(this, "default", { value: new CacheImpl(TOKEN), enumerable: true });
  }
  open(cacheName) {
    checkStorage(this);
    return rejecting(() => {
      if (cacheName === undefined) {
        throw new TypeError("Failed to execute 'open' on 'CacheStorage': parameter 1 is not of type 'string'.");
      }
      // The unnamed cache opens (a Cache of its own, as workerd's); named ones need the service.
      if (`${cacheName}` === "") return PromiseCtor.resolve(new CacheImpl(TOKEN));
      return PromiseCtor.reject(new Error(NO_CACHE));
    })();
  }
  delete() { throw notImplemented("delete", "CacheStorage"); }
  match() { throw notImplemented("match", "CacheStorage"); }
  has() { throw notImplemented("has", "CacheStorage"); }
  keys() { throw notImplemented("keys", "CacheStorage"); }
}
const checkStorage = CacheStorageImpl.check;
delete CacheStorageImpl.check;
const CacheStorage = webidlInterface(CacheStorageImpl, { constructible: false });

internal.define("Cache", Cache);
internal.define("CacheStorage", CacheStorage);
internal.define("caches", new CacheStorageImpl(TOKEN));
