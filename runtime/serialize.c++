#include "serialize.h"

#include <cstdlib>
#include <cstring>

namespace loaderd {

namespace {

class Delegate final: public v8::ValueSerializer::Delegate {
public:
  explicit Delegate(js::Lock& js): js(js) {}
  void ThrowDataCloneError(v8::Local<v8::String> message) override {
    js.isolate->ThrowException(js.makeError(
        js::Error{js::ErrorType::DOM_EXCEPTION, js.toString(message), kj::str("DataCloneError")}));
  }
  // V8 10.2 calls this for every object with internal fields (our wrapped C++ objects).
  v8::Maybe<bool> WriteHostObject(v8::Isolate*, v8::Local<v8::Object> object) override {
    auto ctor = js.toString(object->GetConstructorName());
    ThrowDataCloneError(js.str(kj::str("Could not serialize object of type \"", ctor,
                                       "\". This type does not support serialization.")));
    return v8::Nothing<bool>();
  }

private:
  js::Lock& js;
};

}  // namespace

kj::Array<kj::byte> serializeValue(js::Lock& js, v8::Local<v8::Value> value) {
  Delegate delegate(js);
  v8::ValueSerializer serializer(js.isolate, &delegate);
  serializer.WriteHeader();
  if (!serializer.WriteValue(js.context(), value).FromMaybe(false)) throw js::ExceptionPending{};
  auto released = serializer.Release();
  auto result = kj::heapArray<kj::byte>(released.first, released.second);
  free(released.first);
  return result;
}

v8::Local<v8::Value> deserializeValue(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes) {
  v8::ValueDeserializer deserializer(js.isolate, bytes.begin(), bytes.size());
  js::check(deserializer.ReadHeader(js.context()));
  return js::check(deserializer.ReadValue(js.context()));
}

}  // namespace loaderd
