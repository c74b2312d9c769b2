#include "natives.h"

#include "runtime/serialize.h"
#include "http.h"
#include "runtime/crypto.h"

#include <kj/debug.h>
#include <sys/random.h>
#include <time.h>

namespace loaderd {
// The key function of HostObjectHandler: its vtable and typeinfo live in this RTTI unit.
HostObjectHandler::~HostObjectHandler() noexcept(false) {}
}  // namespace loaderd

namespace loaderd::api {

v8::Local<v8::Value> Natives::getRandomValues(js::Lock& js, v8::Local<v8::Value> value) {
  if (!value->IsArrayBufferView()) {
    js::throwTypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of "
                       "type 'ArrayBufferView'.");
  }
  if (value->IsFloat32Array() || value->IsFloat64Array() || value->IsDataView()) {
    js::throwDomException("TypeMismatchError",
                          "ArrayBufferView argument to getRandomValues() must be an "
                          "integer-typed view.");
  }
  js::refuseInGlobalScope(js.isolate);
  auto view = value.As<v8::ArrayBufferView>();
  size_t length = view->ByteLength();
  if (length > 65536) {
    js::throwDomException(
        "QuotaExceededError",
        kj::str("The ArrayBufferView's byte length (", length, ") exceeds the number of bytes of "
                "entropy available via this API (65536)"));
  }
  auto* data = static_cast<kj::byte*>(view->Buffer()->GetBackingStore()->Data()) +
               view->ByteOffset();
  size_t done = 0;
  while (done < length) {
    ssize_t n = getrandom(data + done, length - done, 0);
    KJ_ASSERT(n > 0, "getrandom failed", errno);
    done += n;
  }
  return value;
}

v8::Local<v8::Value> Natives::structuredClone(js::Lock& js, v8::Local<v8::Value> value,
                                              v8::Local<v8::Value> transfer,
                                              v8::Local<v8::Value> isolated) {
  if (isolated->IsTrue()) {
    // As if it crossed to another isolate (what a tail worker receives): nothing shared.
    auto bytes = serializeValue(js, value);
    return deserializeValue(js, bytes);
  }
  InIsolateClone clone;
  auto notTransferable = []() {
    return js::Error{js::ErrorType::DOM_EXCEPTION, kj::str("Object is not transferable."),
                     kj::str("DataCloneError")};
  };
  if (transfer->IsArray()) {
    // globals.js made the list free of duplicates.
    auto list = transfer.As<v8::Array>();
    for (uint32_t i = 0; i < list->Length(); i++) {
      auto item = js::check(list->Get(js.context(), i));
      if (!item->IsArrayBuffer()) js::throwTypeError("Object is not transferable");
      auto buffer = item.As<v8::ArrayBuffer>();
      if (!buffer->IsDetachable()) throw notTransferable();  // a WebAssembly memory's
      clone.transfer.push_back(buffer);
    }
  }
  auto bytes = serializeValue(js, value, nullptr, &clone);
  // What serializing ran (a getter) may have made a listed buffer undetachable since (an asm.js
  // module's heap): refused, before anything is moved.
  for (auto& buffer: clone.transfer) {
    if (!buffer->IsDetachable()) throw notTransferable();
  }
  auto result = deserializeValue(js, bytes, nullptr, &clone);
  for (auto& buffer: clone.transfer) {
    if (buffer->IsDetachable()) buffer->Detach();
  }
  return result;
}

v8::Local<v8::Value> Natives::domExceptionParts(js::Lock& js, v8::Local<v8::Value> value) {
  auto* domException = js::tryUnwrap<DomException>(js, value);
  if (domException == nullptr) return js.undefined();
  v8::Local<v8::Value> parts[] = {js.str(domException->name), js.str(domException->message)};
  return v8::Array::New(js.isolate, parts, 2);
}

v8::Local<v8::Value> Natives::utf8Encode(js::Lock& js, v8::Local<v8::Value> value) {
  auto str = js::check(value->ToString(js.context()));
  size_t length = str->Utf8Length(js.isolate);
  auto buffer = js.newArrayBuffer(length);
  str->WriteUtf8(js.isolate, static_cast<char*>(buffer->GetBackingStore()->Data()), length,
                 nullptr, v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  return v8::Uint8Array::New(buffer, 0, length);
}

bool isValidUtf8(kj::ArrayPtr<const kj::byte> b) {
  size_t i = 0, n = b.size();
  while (i < n) {
    kj::byte c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; k++) {
      if ((b[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

v8::Local<v8::Value> Natives::utf8Decode(js::Lock& js, v8::Local<v8::Value> value, bool fatal) {
  kj::ArrayPtr<const kj::byte> bytes;
  std::shared_ptr<v8::BackingStore> store;
  if (value->IsArrayBuffer()) {
    auto ab = value.As<v8::ArrayBuffer>();
    store = ab->GetBackingStore();
    bytes = kj::arrayPtr(static_cast<const kj::byte*>(store->Data()), ab->ByteLength());
  } else if (value->IsArrayBufferView()) {
    auto view = value.As<v8::ArrayBufferView>();
    store = view->Buffer()->GetBackingStore();
    bytes = kj::arrayPtr(static_cast<const kj::byte*>(store->Data()) + view->ByteOffset(),
                         view->ByteLength());
  } else {
    js::throwTypeError("The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
  }
  if (fatal && !isValidUtf8(bytes)) return js.null();
  return js::check(v8::String::NewFromUtf8(js.isolate, reinterpret_cast<const char*>(bytes.begin()),
                                           v8::NewStringType::kNormal, bytes.size()));
}

v8::Local<v8::Value> Natives::transferArrayBuffer(js::Lock& js, v8::Local<v8::Value> value) {
  if (!value->IsArrayBuffer()) js::throwTypeError("transferArrayBuffer() needs an ArrayBuffer.");
  auto buffer = value.As<v8::ArrayBuffer>();
  if (!buffer->IsDetachable()) js::throwTypeError("This ArrayBuffer cannot be transferred.");
  auto store = buffer->GetBackingStore();
  buffer->Detach();
  return v8::ArrayBuffer::New(js.isolate, store);
}

v8::Local<v8::Value> Natives::takeBody(js::Lock& js, v8::Local<v8::Value> value) {
  auto* body = js::tryUnwrap<Body>(js, value);
  if (body == nullptr) js::throwTypeError("Illegal invocation");
  KJ_IF_MAYBE(content, body->takeContent()) {
    auto bytes = js::Convert<kj::Array<kj::byte>>::toJs(js, kj::mv(*content));
    auto buffer = bytes.As<v8::ArrayBuffer>();
    return v8::Uint8Array::New(buffer, 0, buffer->ByteLength());
  }
  return js.null();
}

kj::Array<kj::byte> Natives::cryptoDigest(kj::String hash, kj::Array<kj::byte> data) {
  return crypto::digest(hash, data);
}

kj::Array<kj::byte> Natives::cryptoHmac(kj::String hash, kj::Array<kj::byte> key,
                                        kj::Array<kj::byte> data) {
  return crypto::hmac(hash, key, data);
}

bool Natives::cryptoEqual(kj::Array<kj::byte> a, kj::Array<kj::byte> b) {
  return crypto::equal(a, b);
}

// PBKDF2 bounds its length itself (255 blocks of the hash, with workerd's message).
static size_t bitsToBytes(double bits, double maxBits = 1 << 20) {
  if (!(bits >= 0) || bits > maxBits || static_cast<size_t>(bits) % 8 != 0) {
    js::throwDomException("OperationError", "The length must be a multiple of 8 bits.");
  }
  return static_cast<size_t>(bits) / 8;
}

kj::Array<kj::byte> Natives::cryptoPbkdf2(kj::String hash, kj::Array<kj::byte> password,
                                          kj::Array<kj::byte> salt, double iterations,
                                          double bits, bool nodeApi) {
  if (!(iterations >= 1)) {
    js::throwDomException("OperationError", kj::str("PBKDF2 requires a positive iteration count "
                                                    "(requested ", iterations, ")."));
  }
  if (iterations > 100000000) {
    js::throwDomException("OperationError", "PBKDF2 iterations must be at most 100000000.");
  }
  size_t length = nodeApi ? bitsToBytes(bits) : bitsToBytes(bits, 1u << 30);
  if (!nodeApi && length > 255 * crypto::hashLength(hash)) {
    js::throwDomException("OperationError",
                          "Pbkdf2 failed: derived key length exceeds maximum for this hash");
  }
  return crypto::pbkdf2(hash, password, salt, static_cast<uint32_t>(iterations), length,
                        [this]() { return host.limitReached(); });
}

kj::Array<kj::byte> Natives::cryptoHkdf(kj::String hash, kj::Array<kj::byte> key,
                                        kj::Array<kj::byte> salt, kj::Array<kj::byte> info,
                                        double bits) {
  return crypto::hkdf(hash, key, salt, info, bitsToBytes(bits));
}

kj::Array<kj::byte> Natives::cryptoAes(kj::String mode, bool encrypt, kj::Array<kj::byte> key,
                                       kj::Array<kj::byte> iv, kj::Array<kj::byte> data,
                                       kj::Array<kj::byte> additionalData, double tagBits) {
  auto direction = encrypt ? crypto::Direction::ENCRYPT : crypto::Direction::DECRYPT;
  if (mode == "GCM") {
    return crypto::aesGcm(direction, key, iv, data, additionalData, static_cast<uint>(tagBits));
  }
  return crypto::aesCbc(direction, key, iv, data);
}

kj::Array<kj::Own<AsymmetricKey>> Natives::cryptoKeyGenerate(kj::String kind, kj::String curve,
                                                             double modulusBits,
                                                             kj::Array<kj::byte> publicExponent) {
  // crypto-asymmetric.js checks RSA sizes (256 to 16384 bits) before it gets here.
  KJ_REQUIRE(modulusBits >= 0 && modulusBits <= 16384, modulusBits);
  return AsymmetricKey::generate(kind, curve, static_cast<uint32_t>(modulusBits), publicExponent,
                                 [this]() { return host.limitReached(); });
}

kj::Own<ZlibStream> Natives::zlibCreate(kj::String format, bool compress) {
  int windowBits;
  if (format == "gzip") windowBits = 15 + 16;
  else if (format == "deflate") windowBits = 15;
  else if (format == "deflate-raw") windowBits = -15;
  else js::throwTypeError(kj::str("Unsupported compression format: '", format, "'"));
  return kj::refcounted<ZlibStream>(windowBits, compress ? ZlibStream::Mode::COMPRESS
                                                         : ZlibStream::Mode::DECOMPRESS);
}

v8::Local<v8::Value> Natives::promiseState(js::Lock& js, v8::Local<v8::Value> value) {
  if (!value->IsPromise()) js::throwTypeError("promiseState() needs a Promise.");
  auto promise = value.As<v8::Promise>();
  auto result = v8::Array::New(js.isolate);
  switch (promise->State()) {
    case v8::Promise::kPending:
      js::check(result->Set(js.context(), 0, js.str("pending")));
      break;
    case v8::Promise::kFulfilled:
      js::check(result->Set(js.context(), 0, js.str("fulfilled")));
      js::check(result->Set(js.context(), 1, promise->Result()));
      break;
    case v8::Promise::kRejected:
      js::check(result->Set(js.context(), 0, js.str("rejected")));
      js::check(result->Set(js.context(), 1, promise->Result()));
      break;
  }
  return result;
}

double Natives::monotonicNow() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void Natives::reportError(js::Lock& js, v8::Local<v8::Value> error) {
  js.base().reportUncaught(js, error, "reportError");
}

void Natives::reportUnhandledRejection(js::Lock& js, v8::Local<v8::Value> reason) {
  js.base().reportUncaught(js, reason, "promise");
}

}  // namespace loaderd::api
