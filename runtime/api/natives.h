// C++ helpers for the JavaScript builtins (runtime/builtins/*.js), reached as
// `internal.native` there and never exposed to user code.
#pragma once

#include "runtime/js.h"
#include "runtime/serialize.h"
#include "global.h"
#include "zlib.h"
#include "crypto-key.h"
#include "sandbox.h"
#include "http.h"

namespace loaderd::api {

class Natives final: public js::Object {
public:
  explicit Natives(GlobalHost& host): host(host) {}

  // Fills an integer TypedArray with cryptographically strong random bytes (in place).
  v8::Local<v8::Value> getRandomValues(js::Lock& js, v8::Local<v8::Value> view);
  // The structured clone algorithm through V8's serializer; DataCloneError for what cannot be
  // cloned.
  // `transfer`: the options' transfer list as an array (globals.js checked the options).
  // `isolated`: cloned as for another isolate (SharedArrayBuffers fail to arrive).
  v8::Local<v8::Value> structuredClone(js::Lock& js, v8::Local<v8::Value> value,
                                       v8::Local<v8::Value> transfer,
                                       v8::Local<v8::Value> isolated);
  // UTF-8: encode a string to a Uint8Array; decode bytes, replacing invalid sequences with U+FFFD
  // or (fatal) returning null.
  v8::Local<v8::Value> utf8Encode(js::Lock& js, v8::Local<v8::Value> text);
  v8::Local<v8::Value> utf8Decode(js::Lock& js, v8::Local<v8::Value> bytes, bool fatal);
  // Detaches `buffer` and returns a new ArrayBuffer owning its contents (no copy).
  v8::Local<v8::Value> transferArrayBuffer(js::Lock& js, v8::Local<v8::Value> buffer);
  // Takes a Request's or Response's buffered body as a Uint8Array (null for a null body),
  // marking it used; for the `body` stream (http-bodies.js).
  v8::Local<v8::Value> takeBody(js::Lock& js, v8::Local<v8::Value> body);
  // WebCrypto primitives for runtime/builtins/crypto.js (all through runtime/crypto.h).
  kj::Array<kj::byte> cryptoDigest(kj::String hash, kj::Array<kj::byte> data);
  kj::Array<kj::byte> cryptoHmac(kj::String hash, kj::Array<kj::byte> key,
                                 kj::Array<kj::byte> data);
  bool cryptoEqual(kj::Array<kj::byte> a, kj::Array<kj::byte> b);
  // WebCrypto's deriveBits (at most 255 blocks of the hash, workerd's bound and message), or
  // node:crypto's pbkdf2Sync (`nodeApi`: up to 2^20 bits).
  kj::Array<kj::byte> cryptoPbkdf2(kj::String hash, kj::Array<kj::byte> password,
                                   kj::Array<kj::byte> salt, double iterations, double bits,
                                   bool nodeApi);
  kj::Array<kj::byte> cryptoHkdf(kj::String hash, kj::Array<kj::byte> key,
                                 kj::Array<kj::byte> salt, kj::Array<kj::byte> info, double bits);
  kj::Array<kj::byte> cryptoAes(kj::String mode, bool encrypt, kj::Array<kj::byte> key,
                                kj::Array<kj::byte> iv, kj::Array<kj::byte> data,
                                kj::Array<kj::byte> additionalData, double tagBits);
  // Asymmetric key material for runtime/builtins/crypto-asymmetric.js (see crypto-key.h).
  kj::Own<AsymmetricKey> cryptoKeyFromDer(kj::String format, kj::Array<kj::byte> der) {
    return AsymmetricKey::fromDer(format, der);
  }
  kj::Own<AsymmetricKey> cryptoKeyFromRaw(kj::String kind, kj::String curve,
                                          kj::Array<kj::byte> raw) {
    return AsymmetricKey::fromRaw(kind, curve, raw);
  }
  kj::Own<AsymmetricKey> cryptoKeyFromJwk(kj::String kind, kj::String curve, JwkNumbers numbers) {
    return AsymmetricKey::fromJwk(kind, curve, kj::mv(numbers));
  }
  kj::Array<kj::Own<AsymmetricKey>> cryptoKeyGenerate(kj::String kind, kj::String curve,
                                                      double modulusBits,
                                                      kj::Array<kj::byte> publicExponent);
  // A zlib stream: format "gzip", "deflate" or "deflate-raw".
  kj::Own<ZlibStream> zlibCreate(kj::String format, bool compress);
  // A sandbox of fresh contexts over frozen data (runtime/api/sandbox.h; `loaderd:sandbox`).
  kj::Own<Sandbox> sandboxCreate(js::Lock& js, v8::Local<v8::Value> data,
                                 kj::Array<Sandbox::Script> scripts) {
    return kj::refcounted<Sandbox>(js, host, data, kj::mv(scripts));
  }
  // node:async_hooks' frame, carried into promise reactions (V8's continuation-preserved
  // embedder data, with the current request: js::IsolateBase::enterRequest()), so
  // AsyncLocalStorage sees its store after `await`. Reset when each event starts.
  v8::Local<v8::Value> getContinuationData(js::Lock& js) { return js.base().asyncFrame(js); }
  void setContinuationData(js::Lock& js, v8::Local<v8::Value> value) {
    js.base().setAsyncFrame(js, value);
  }
  // ["pending"] | ["fulfilled", value] | ["rejected", reason], for util.inspect.
  v8::Local<v8::Value> promiseState(js::Lock& js, v8::Local<v8::Value> promise);
  // Error.isError: whether `value` has [[ErrorData]] (made by an Error constructor).
  bool isNativeError(v8::Local<v8::Value> value) { return value->IsNativeError(); }
  // Milliseconds from a monotonic clock, with sub-millisecond resolution.
  double monotonicNow();
  // Runs a lazily loaded builtin file by name (e.g. "node.js") if it has not run yet.
  void loadBuiltin(js::Lock& js, kj::String name) { host.loadBuiltin(js, name); }
  // Logs an error the way an uncaught exception is logged.
  void reportError(js::Lock& js, v8::Local<v8::Value> error);
  // A promise rejection nothing handled: logged as "Uncaught (in promise)".
  void reportUnhandledRejection(js::Lock& js, v8::Local<v8::Value> reason);
  // For the builtins, before reading a body through its stream: Body::checkReadable().
  void checkBodyReadable(js::Lock& js, kj::OneOf<kj::Own<Request>, kj::Own<Response>> body) {
    KJ_SWITCH_ONEOF(body) {
      KJ_CASE_ONEOF(r, kj::Own<Request>) { r->checkReadable(js); }
      KJ_CASE_ONEOF(r, kj::Own<Response>) { r->checkReadable(js); }
    }
  }
  // DOMException instances (events.js; runtime/serialize.h): a new one with no own properties
  // yet, the context's prototype for those the deserializer makes, and the name and message an
  // instance was made with ([name, message], or undefined for anything else).
  v8::Local<v8::Value> newDomException(js::Lock& js, kj::String name, kj::String message,
                                       int code, v8::Local<v8::Value> prototype) {
    return DomException::make(js, kj::mv(name), kj::mv(message), code, prototype);
  }
  void setDomExceptionPrototype(js::Lock& js, v8::Local<v8::Object> prototype) {
    DomException::setPrototype(js, prototype);
  }
  v8::Local<v8::Value> domExceptionParts(js::Lock& js, v8::Local<v8::Value> value);
  // For builtins: js::refuseInGlobalScope().
  void refuseInGlobalScope(js::Lock& js) { js::refuseInGlobalScope(js.isolate); }

  LOADERD_JS_CLASS(Natives) {
    LOADERD_JS_METHOD(getRandomValues);
    LOADERD_JS_METHOD(structuredClone);
    LOADERD_JS_METHOD(utf8Encode);
    LOADERD_JS_METHOD(utf8Decode);
    LOADERD_JS_METHOD(transferArrayBuffer);
    LOADERD_JS_METHOD(takeBody);
    LOADERD_JS_METHOD(cryptoDigest);
    LOADERD_JS_METHOD(cryptoHmac);
    LOADERD_JS_METHOD(cryptoEqual);
    LOADERD_JS_METHOD(cryptoPbkdf2);
    LOADERD_JS_METHOD(cryptoHkdf);
    LOADERD_JS_METHOD(cryptoAes);
    LOADERD_JS_METHOD(cryptoKeyFromDer);
    LOADERD_JS_METHOD(cryptoKeyFromRaw);
    LOADERD_JS_METHOD(cryptoKeyFromJwk);
    LOADERD_JS_METHOD(cryptoKeyGenerate);
    LOADERD_JS_METHOD(zlibCreate);
    LOADERD_JS_METHOD(sandboxCreate);
    LOADERD_JS_METHOD(getContinuationData);
    LOADERD_JS_METHOD(setContinuationData);
    LOADERD_JS_METHOD(promiseState);
    LOADERD_JS_METHOD(isNativeError);
    LOADERD_JS_METHOD(monotonicNow);
    LOADERD_JS_METHOD(reportError);
    LOADERD_JS_METHOD(reportUnhandledRejection);
    LOADERD_JS_METHOD(refuseInGlobalScope);
    LOADERD_JS_METHOD(newDomException);
    LOADERD_JS_METHOD(setDomExceptionPrototype);
    LOADERD_JS_METHOD(domExceptionParts);
    LOADERD_JS_METHOD(checkBodyReadable);
    LOADERD_JS_METHOD(loadBuiltin);
  }

private:
  GlobalHost& host;
};

// True if `bytes` is well-formed UTF-8.
bool isValidUtf8(kj::ArrayPtr<const kj::byte> bytes);

}  // namespace loaderd::api
