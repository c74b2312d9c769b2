// Values as bytes: V8's ValueSerializer/ValueDeserializer (the structured clone algorithm), used
// by structuredClone() and, later, by JS RPC. Compiled without RTTI because V8's delegate
// classes come from a library built without it.
#pragma once

#include "js.h"

namespace loaderd {

// Serializes `value`. Wrapped C++ objects and other non-cloneable values throw a DataCloneError
// (a pending JS exception: js::ExceptionPending).
kj::Array<kj::byte> serializeValue(js::Lock& js, v8::Local<v8::Value> value);
v8::Local<v8::Value> deserializeValue(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes);

}  // namespace loaderd
