#include "serialize.h"

#include <cstdlib>
#include <cstring>

namespace loaderd {

namespace {

class Delegate final: public v8::ValueSerializer::Delegate {
public:
  Delegate(js::Lock& js, HostObjectHandler* handler): js(js), handler(handler) {}
  v8::ValueSerializer* serializer = nullptr;
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
};

class ReadDelegate final: public v8::ValueDeserializer::Delegate {
public:
  ReadDelegate(js::Lock& js, HostObjectHandler* handler): js(js), handler(handler) {}
  v8::ValueDeserializer* deserializer = nullptr;

  v8::MaybeLocal<v8::Object> ReadHostObject(v8::Isolate*) override {
    uint32_t index;
    if (handler == nullptr || !deserializer->ReadUint32(&index)) {
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

private:
  js::Lock& js;
  HostObjectHandler* handler;
};

}  // namespace

kj::Array<kj::byte> serializeValue(js::Lock& js, v8::Local<v8::Value> value,
                                   HostObjectHandler* handler) {
  Delegate delegate(js, handler);
  v8::ValueSerializer serializer(js.isolate, &delegate);
  delegate.serializer = &serializer;
  serializer.WriteHeader();
  if (!serializer.WriteValue(js.context(), value).FromMaybe(false)) throw js::ExceptionPending{};
  auto released = serializer.Release();
  auto result = kj::heapArray<kj::byte>(released.first, released.second);
  free(released.first);
  return result;
}

v8::Local<v8::Value> deserializeValue(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes,
                                      HostObjectHandler* handler) {
  ReadDelegate delegate(js, handler);
  v8::ValueDeserializer deserializer(js.isolate, bytes.begin(), bytes.size(), &delegate);
  delegate.deserializer = &deserializer;
  js::check(deserializer.ReadHeader(js.context()));
  return js::check(deserializer.ReadValue(js.context()));
}

}  // namespace loaderd
