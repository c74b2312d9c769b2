#include "serialize.h"

#include <cstdlib>
#include <cstring>
#include <kj/debug.h>
#include <kj/vector.h>
#include <unordered_map>
#include <vector>

namespace loaderd {

namespace {
// What WriteHostObject() writes in place of a handler's index for a DOMException, followed by
// its name, message and stack as (length, UTF-8 bytes).
constexpr uint32_t DOM_EXCEPTION_INDEX = 0xffffffff;
constexpr kj::StringPtr PROTOTYPE_KEY = "loaderd:DOMException.prototype"_kj;

void writeString(v8::ValueSerializer& serializer, kj::StringPtr text) {
  serializer.WriteUint32(text.size());
  serializer.WriteRawBytes(text.begin(), text.size());
}

kj::Maybe<kj::String> readString(v8::ValueDeserializer& deserializer) {
  uint32_t size;
  const void* data;
  if (!deserializer.ReadUint32(&size) || !deserializer.ReadRawBytes(size, &data)) return nullptr;
  return kj::heapString(static_cast<const char*>(data), size);
}

void defineOwn(js::Lock& js, v8::Local<v8::Object> object, kj::StringPtr name,
               v8::Local<v8::Value> value, bool writable) {
  auto attributes = writable ? v8::None : v8::ReadOnly;
  js::check(object->DefineOwnProperty(js.context(), js.internedStr(name), value, attributes));
}
}  // namespace

v8::Local<v8::Object> DomException::make(js::Lock& js, kj::String name, kj::String message,
                                         int code, v8::Local<v8::Value> prototype) {
  auto object = kj::refcounted<DomException>(kj::mv(name), kj::mv(message), code)->wrap(js);
  if (prototype->IsUndefined()) prototype = contextPrototype(js);
  if (prototype->IsObject()) js::check(object->SetPrototype(js.context(), prototype));
  return object;
}

v8::Local<v8::Value> DomException::contextPrototype(js::Lock& js) {
  return js::check(js.context()->Global()->GetPrivate(js.context(),
                                                      js.base().privateKey(PROTOTYPE_KEY)));
}

void DomException::setPrototype(js::Lock& js, v8::Local<v8::Object> prototype) {
  js::check(js.context()->Global()->SetPrivate(js.context(),
                                               js.base().privateKey(PROTOTYPE_KEY), prototype));
}

namespace {

class Delegate final: public v8::ValueSerializer::Delegate {
public:
  Delegate(js::Lock& js, HostObjectHandler* handler, InIsolateClone* clone)
      : js(js), handler(handler), clone(clone) {}
  v8::ValueSerializer* serializer = nullptr;

  v8::Maybe<uint32_t> GetSharedArrayBufferId(v8::Isolate*,
                                             v8::Local<v8::SharedArrayBuffer> buffer) override {
    if (clone == nullptr) return v8::Just<uint32_t>(0);  // unreadable on the other side
    auto store = buffer->GetBackingStore();
    auto found = sharedIds.find(store.get());
    if (found != sharedIds.end()) return v8::Just(found->second);
    uint32_t id = clone->shared.size();
    sharedIds.emplace(store.get(), id);
    clone->shared.push_back(kj::mv(store));
    return v8::Just(id);
  }

  // A WebAssembly.Module does not cross (V8's default would write nothing and succeed).
  v8::Maybe<uint32_t> GetWasmModuleTransferId(v8::Isolate*,
                                              v8::Local<v8::WasmModuleObject>) override {
    ThrowDataCloneError(js.str("#<Module> could not be cloned."));
    return v8::Nothing<uint32_t>();
  }
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    // Never let a C++ exception unwind through V8's serializer frames: the global
    // DOMException is user code's to replace.
    v8::Local<v8::Value> error;
    {
      v8::TryCatch tryCatch(js.isolate);
      try {
        error = js.makeError(js::Error{js::ErrorType::DOM_EXCEPTION, js.toString(message),
                                       kj::str("DataCloneError")});
      } catch (...) {
      }
    }
    if (error.IsEmpty()) error = v8::Exception::Error(message);
    js.isolate->ThrowException(error);
  }
  // V8 10.2 calls this for every object with internal fields (our wrapped C++ objects).
  v8::Maybe<bool> WriteHostObject(v8::Isolate*, v8::Local<v8::Object> object) override {
    if (auto* domException = js::tryUnwrap<DomException>(js, object)) {
      // Its stack as it reads now (V8 writes an Error's the same way); name and message as made.
      v8::TryCatch tryCatch(js.isolate);
      auto stack = object->Get(js.context(), js.internedStr("stack"));
      if (tryCatch.HasCaught()) {
        tryCatch.ReThrow();
        return v8::Nothing<bool>();
      }
      v8::Local<v8::Value> value;
      kj::String stackText = stack.ToLocal(&value) && value->IsString() ? js.toString(value)
                                                                        : kj::str();
      serializer->WriteUint32(DOM_EXCEPTION_INDEX);
      writeString(*serializer, domException->name);
      writeString(*serializer, domException->message);
      writeString(*serializer, stackText);
      serializer->WriteUint32(domException->code);
      return v8::Just(true);
    }
    if (handler != nullptr) {
      v8::TryCatch tryCatch(js.isolate);
      kj::Maybe<uint32_t> index;
      try {
        index = handler->writeHostObject(js, object);
      } catch (...) {
        js::translateCurrentException(js);
      }
      if (tryCatch.HasCaught()) {
        tryCatch.ReThrow();
        return v8::Nothing<bool>();
      }
      KJ_IF_MAYBE(i, index) {
        serializer->WriteUint32(*i);
        return v8::Just(true);
      }
    }
    auto ctor = js.toString(object->GetConstructorName());
    ThrowDataCloneError(js.str(kj::str("Could not serialize object of type \"", ctor,
                                       "\". This type does not support serialization.")));
    return v8::Nothing<bool>();
  }

private:
  js::Lock& js;
  HostObjectHandler* handler;
  InIsolateClone* clone;
  std::unordered_map<const void*, uint32_t> sharedIds;  // backing store -> id, for `clone`
};

class ReadDelegate final: public v8::ValueDeserializer::Delegate {
public:
  ReadDelegate(js::Lock& js, HostObjectHandler* handler, InIsolateClone* clone)
      : js(js), handler(handler), clone(clone) {}
  v8::ValueDeserializer* deserializer = nullptr;

  // A new SharedArrayBuffer over the same memory (the same one for each id), as V8 clones
  // within an isolate; nothing without a clone (V8 then fails "Unable to deserialize cloned
  // data.").
  v8::MaybeLocal<v8::SharedArrayBuffer> GetSharedArrayBufferFromId(v8::Isolate* isolate,
                                                                   uint32_t id) override {
    if (clone == nullptr || id >= clone->shared.size()) return {};
    return v8::SharedArrayBuffer::New(isolate, clone->shared[id]);
  }

  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate*) override {
    uint32_t index = 0;
    bool read = deserializer->ReadUint32(&index);
    if (read && index == DOM_EXCEPTION_INDEX) return readDomException();
    if (!read || handler == nullptr) {
      js.isolate->ThrowException(js.makeError(js::ErrorType::ERROR,
                                              "Serialized value holds an unknown host object."));
      return {};
    }
    v8::TryCatch tryCatch(js.isolate);
    v8::Local<v8::Object> result;
    try {
      result = handler->readHostObject(js, index);
    } catch (...) {
      js::translateCurrentException(js);
    }
    if (tryCatch.HasCaught()) {
      tryCatch.ReThrow();
      return {};
    }
    return result;
  }

  // After the deserializer is done (JavaScript may run again): DOMExceptions made before this
  // context had DOMException.prototype get it (running events.js).
  void finish() {
    if (withoutPrototype.empty()) return;
    js.base().loadBuiltinHere(js, "events.js");
    auto prototype = DomException::contextPrototype(js);
    if (!prototype->IsObject()) return;  // a context without DOMException (a sandbox's)
    for (auto& object: withoutPrototype) {
      js::check(object.Get(js.isolate)->SetPrototype(js.context(), prototype));
    }
  }

private:
  js::Lock& js;
  HostObjectHandler* handler;
  InIsolateClone* clone;
  std::vector<v8::Global<v8::Object>> withoutPrototype;

  v8::MaybeLocal<v8::Object> readDomException() {
    auto name = readString(*deserializer);
    auto message = readString(*deserializer);
    auto stack = readString(*deserializer);
    uint32_t code;
    if (name == nullptr || message == nullptr || stack == nullptr ||
        !deserializer->ReadUint32(&code)) {
      js.isolate->ThrowException(js.makeError(js::ErrorType::ERROR,
                                              "Serialized DOMException is truncated."));
      return {};
    }
    v8::TryCatch tryCatch(js.isolate);
    v8::Local<v8::Object> result;
    try {
      auto& nameText = KJ_ASSERT_NONNULL(name);
      auto nameValue = js.str(nameText);
      result = DomException::make(js, kj::mv(nameText), kj::str(KJ_ASSERT_NONNULL(message)),
                                  code, js.undefined());
      // Before events.js ran in this context there is no DOMException.prototype yet, and V8's
      // deserializer may not run JavaScript: finish() gives it one afterwards.
      if (DomException::contextPrototype(js)->IsUndefined()) {
        withoutPrototype.emplace_back(js.isolate, result);
      }
      // The own properties the constructor gives, in its order (events.js).
      defineOwn(js, result, "code", v8::Integer::New(js.isolate, code), false);
      defineOwn(js, result, "name", nameValue, false);
      defineOwn(js, result, "message", js.str(KJ_ASSERT_NONNULL(message)), false);
      defineOwn(js, result, "stack", js.str(KJ_ASSERT_NONNULL(stack)), true);
    } catch (...) {
      js::translateCurrentException(js);
    }
    if (tryCatch.HasCaught()) {
      tryCatch.ReThrow();
      return {};
    }
    return result;
  }
};

// V8's serialization format for the values most JS RPC calls carry (primitives, and an
// argument list of them), written and read without a v8::ValueSerializer/Deserializer: each
// costs a delegate, a zone, a growing buffer and (the deserializer) a global handle. The bytes
// are V8's own format, so either side may be V8's serializer: a value anything else is needed
// for goes to V8. The tags, from V8's value-serializer.cc:
constexpr kj::byte VERSION_TAG = 0xFF, PADDING = 0x00, UNDEFINED = '_', NULL_TAG = '0',
                   TRUE_TAG = 'T', FALSE_TAG = 'F', INT32 = 'I', DOUBLE = 'N',
                   ONE_BYTE_STRING = '"', TWO_BYTE_STRING = 'c', BEGIN_DENSE_ARRAY = 'A',
                   END_DENSE_ARRAY = '$';

// The header V8's serializer writes (its tag and format version), as this V8 writes it.
kj::ArrayPtr<const kj::byte> formatHeader(js::Lock& js) {
  static const kj::Array<kj::byte> header = [&]() {
    v8::ValueSerializer serializer(js.isolate);
    serializer.WriteHeader();
    auto released = serializer.Release();
    auto result = kj::heapArray<kj::byte>(released.first, released.second);
    free(released.first);
    KJ_ASSERT(result.size() >= 2 && result[0] == VERSION_TAG);
    return result;
  }();
  return header;
}

class FastWriter {
public:
  explicit FastWriter(js::Lock& js): js(js) { out.addAll(formatHeader(js)); }

  // Writes `value` if it is a primitive needing no V8 serializer; false (nothing written) if not.
  bool primitive(v8::Local<v8::Value> value) {
    if (value->IsUndefined()) {
      out.add(UNDEFINED);
    } else if (value->IsNull()) {
      out.add(NULL_TAG);
    } else if (value->IsTrue()) {
      out.add(TRUE_TAG);
    } else if (value->IsFalse()) {
      out.add(FALSE_TAG);
    } else if (value->IsInt32()) {
      out.add(INT32);
      int32_t n = value.As<v8::Int32>()->Value();
      varint((uint32_t(n) << 1) ^ uint32_t(n >> 31));  // ZigZag
    } else if (value->IsNumber()) {
      out.add(DOUBLE);
      double d = value.As<v8::Number>()->Value();
      kj::byte bytes[sizeof(double)];
      memcpy(bytes, &d, sizeof(d));  // little-endian, as V8 writes it on this platform
      out.addAll(kj::arrayPtr(bytes, sizeof(bytes)));
    } else if (value->IsString()) {
      string(value.As<v8::String>());
    } else {
      return false;
    }
    return true;
  }

  void varint(uint64_t n) {
    do {
      kj::byte b = n & 0x7f;
      n >>= 7;
      out.add(n != 0 ? b | 0x80 : b);
    } while (n != 0);
  }

  kj::Vector<kj::byte> out = kj::Vector<kj::byte>(64);

private:
  js::Lock& js;

  void string(v8::Local<v8::String> s) {
    int length = s->Length();
    if (s->IsOneByte() || s->ContainsOnlyOneByte()) {
      out.add(ONE_BYTE_STRING);
      varint(length);
      size_t at = out.size();
      out.resize(at + length);
      s->WriteOneByte(js.isolate, out.begin() + at, 0, length, v8::String::NO_NULL_TERMINATION);
    } else {
      size_t bytes = size_t(length) * 2;
      // V8 aligns two-byte data to two bytes with padding tags.
      size_t varintLength = 1;
      for (size_t n = bytes; n >= 0x80; n >>= 7) varintLength++;
      if ((out.size() + 1 + varintLength) & 1) out.add(PADDING);
      out.add(TWO_BYTE_STRING);
      varint(bytes);
      size_t at = out.size();
      out.resize(at + bytes);
      kj::Array<uint16_t> units = kj::heapArray<uint16_t>(length);
      s->Write(js.isolate, units.begin(), 0, length, v8::String::NO_NULL_TERMINATION);
      memcpy(out.begin() + at, units.begin(), bytes);  // little-endian UTF-16, as V8 writes it
    }
  }
};

class FastReader {
public:
  FastReader(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes): js(js), bytes(bytes) {}

  // The value, or an empty handle if the bytes hold anything the fast path does not read.
  v8::Local<v8::Value> read() {
    auto header = formatHeader(js);
    if (bytes.size() < header.size() || memcmp(bytes.begin(), header.begin(), header.size()) != 0) {
      return {};
    }
    at = header.size();
    v8::Local<v8::Value> result;
    if (peekTag() == BEGIN_DENSE_ARRAY) {
      at++;
      uint32_t length;
      if (!readVarint(length) || length > (bytes.size() - at)) return {};
      kj::Vector<v8::Local<v8::Value>> elements(length);
      for (uint32_t i = 0; i < length; i++) {
        auto element = primitive();
        if (element.IsEmpty()) return {};
        elements.add(element);
      }
      uint32_t properties, lengthAgain;
      if (peekTag() != END_DENSE_ARRAY) return {};
      at++;
      if (!readVarint(properties) || properties != 0 || !readVarint(lengthAgain) ||
          lengthAgain != length) {
        return {};
      }
      result = v8::Array::New(js.isolate, elements.begin(), elements.size());
    } else {
      result = primitive();
      if (result.IsEmpty()) return {};
    }
    return at == bytes.size() ? result : v8::Local<v8::Value>();
  }

private:
  js::Lock& js;
  kj::ArrayPtr<const kj::byte> bytes;
  size_t at = 0;

  int peekTag() {
    while (at < bytes.size() && bytes[at] == PADDING) at++;
    return at < bytes.size() ? bytes[at] : -1;
  }

  bool readVarint(uint32_t& result) {
    uint64_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.size()) return false;
      kj::byte b = bytes[at++];
      value |= uint64_t(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (value > UINT32_MAX) return false;
        result = uint32_t(value);
        return true;
      }
    }
    return false;
  }

  v8::Local<v8::Value> primitive() {
    int tag = peekTag();
    if (tag < 0) return {};
    at++;
    switch (tag) {
      case UNDEFINED: return v8::Undefined(js.isolate);
      case NULL_TAG: return v8::Null(js.isolate);
      case TRUE_TAG: return v8::True(js.isolate);
      case FALSE_TAG: return v8::False(js.isolate);
      case INT32: {
        uint32_t zigzag;
        if (!readVarint(zigzag)) return {};
        return v8::Integer::New(js.isolate, int32_t((zigzag >> 1) ^ -(zigzag & 1)));
      }
      case DOUBLE: {
        double d;
        if (bytes.size() - at < sizeof(d)) return {};
        memcpy(&d, bytes.begin() + at, sizeof(d));
        at += sizeof(d);
        return v8::Number::New(js.isolate, d);
      }
      case ONE_BYTE_STRING:
      case TWO_BYTE_STRING: {
        uint32_t length;
        if (!readVarint(length) || length > bytes.size() - at) return {};
        if (length > uint32_t(v8::String::kMaxLength)) return {};
        auto data = bytes.begin() + at;
        at += length;
        if (tag == ONE_BYTE_STRING) {
          return js::check(v8::String::NewFromOneByte(js.isolate, data,
                                                      v8::NewStringType::kNormal, length));
        }
        if (length % 2 != 0) return {};
        auto units = kj::heapArray<uint16_t>(length / 2);
        memcpy(units.begin(), data, length);
        return js::check(v8::String::NewFromTwoByte(js.isolate, units.begin(),
                                                    v8::NewStringType::kNormal, length / 2));
      }
      default:
        return {};
    }
  }
};

}  // namespace

kj::Maybe<kj::Array<kj::byte>> serializeArgumentList(js::Lock& js, v8::Local<v8::Array> list) {
  FastWriter writer(js);
  uint32_t length = list->Length();
  writer.out.add(BEGIN_DENSE_ARRAY);
  writer.varint(length);
  auto ctx = js.context();
  for (uint32_t i = 0; i < length; i++) {
    // The builtins' own array: its elements are own data properties (no getters run).
    if (!writer.primitive(js::check(list->Get(ctx, i)))) return nullptr;
  }
  writer.out.add(END_DENSE_ARRAY);
  writer.varint(0);  // no other properties
  writer.varint(length);
  return writer.out.releaseAsArray();
}

kj::Array<kj::byte> serializeValue(js::Lock& js, v8::Local<v8::Value> value,
                                   HostObjectHandler* handler, InIsolateClone* clone) {
  if (!value->IsObject()) {
    FastWriter writer(js);
    if (writer.primitive(value)) return writer.out.releaseAsArray();
  }
  Delegate delegate(js, handler, clone);
  v8::ValueSerializer serializer(js.isolate, &delegate);
  delegate.serializer = &serializer;
  if (clone != nullptr) {
    for (uint32_t i = 0; i < clone->transfer.size(); i++) {
      serializer.TransferArrayBuffer(i, clone->transfer[i]);
    }
  }
  serializer.WriteHeader();
  if (!serializer.WriteValue(js.context(), value).FromMaybe(false)) throw js::ExceptionPending{};
  auto released = serializer.Release();
  auto result = kj::heapArray<kj::byte>(released.first, released.second);
  free(released.first);
  return result;
}

v8::Local<v8::Value> deserializeValue(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes,
                                      HostObjectHandler* handler, InIsolateClone* clone) {
  {
    FastReader fast(js, bytes);
    auto value = fast.read();
    if (!value.IsEmpty()) return value;
  }
  ReadDelegate delegate(js, handler, clone);
  v8::ValueDeserializer deserializer(js.isolate, bytes.begin(), bytes.size(), &delegate);
  delegate.deserializer = &deserializer;
  if (clone != nullptr) {
    // The transferred contents move to new buffers (the originals are detached afterwards).
    for (uint32_t i = 0; i < clone->transfer.size(); i++) {
      auto original = clone->transfer[i];
      auto moved = original->ByteLength() == 0
          ? v8::ArrayBuffer::New(js.isolate, 0)
          : v8::ArrayBuffer::New(js.isolate, original->GetBackingStore());
      deserializer.TransferArrayBuffer(i, moved);
    }
  }
  js::check(deserializer.ReadHeader(js.context()));
  auto value = js::check(deserializer.ReadValue(js.context()));
  delegate.finish();
  return value;
}

}  // namespace loaderd
