// Values as bytes: V8's ValueSerializer/ValueDeserializer (the structured clone algorithm), used
// by structuredClone() and, later, by JS RPC. Compiled without RTTI because V8's delegate
// classes come from a library built without it.
#pragma once

#include <memory>
#include <vector>

#include "js.h"
#include "js-class.h"

namespace loaderd {

// The native half of every DOMException (runtime/builtins/events.js makes them through
// internal.native.newDomException): as on workerd, an instance is a host object whose name and
// message are fixed at construction, so the structured clone algorithm copies a DOMException as
// one — its name and message as made, its current `stack` — whatever its own properties or
// prototype say later, and an object that only inherits from DOMException.prototype is not one.
class DomException final: public js::Object {
public:
  DomException(kj::String name, kj::String message, int code)
      : name(kj::mv(name)), message(kj::mv(message)), code(code) {}

  // A new instance with `prototype` (undefined: the context's DOMException.prototype) and no
  // properties of its own yet; `code` is the legacy code events.js gives `name`.
  static v8::Local<v8::Object> make(js::Lock& js, kj::String name, kj::String message, int code,
                                    v8::Local<v8::Value> prototype);
  // Remembers the context's DOMException.prototype (events.js, once), for instances the
  // deserializer makes, which may not run JavaScript.
  static void setPrototype(js::Lock& js, v8::Local<v8::Object> prototype);
  // What setPrototype() remembered for the current context (undefined before events.js ran).
  static v8::Local<v8::Value> contextPrototype(js::Lock& js);

  LOADERD_JS_CLASS(DomException) {}

  const kj::String name, message;
  const int code;
};

// Handles host objects (objects with internal fields: our wrapped C++ objects) in a serialized
// value; JS RPC uses this to pass capabilities by reference, as indices into a side table.
class HostObjectHandler {
public:
  virtual ~HostObjectHandler() noexcept(false);
  // Returns the index to write for `object`, or nullptr if it cannot be serialized.
  virtual kj::Maybe<uint32_t> writeHostObject(js::Lock& js, v8::Local<v8::Object> object) = 0;
  // Returns the object for a written index (throwing js::Error if the index is invalid).
  virtual v8::Local<v8::Object> readHostObject(js::Lock& js, uint32_t index) = 0;
};

// What a clone within one isolate (structuredClone) shares or moves rather than copies: the
// memory of SharedArrayBuffers (and shared WebAssembly memories) it meets, and the ArrayBuffers
// of its transfer list (their contents move to the clone's buffers; the originals are detached
// by the caller afterwards).
struct InIsolateClone {
  std::vector<std::shared_ptr<v8::BackingStore>> shared;
  std::vector<v8::Local<v8::ArrayBuffer>> transfer;
};

// Serializes `value`. Wrapped C++ objects the handler refuses, and other non-cloneable values,
// throw a DataCloneError (a pending JS exception: js::ExceptionPending). Without `clone`, a
// SharedArrayBuffer serializes as a reference nothing can read back: deserializing it fails
// ("Unable to deserialize cloned data.", as on workerd, whose other isolates cannot share it).
kj::Array<kj::byte> serializeValue(js::Lock& js, v8::Local<v8::Value> value,
                                   HostObjectHandler* handler = nullptr,
                                   InIsolateClone* clone = nullptr);
// Reads what serializeValue() (or V8's own serializer) wrote.
v8::Local<v8::Value> deserializeValue(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes,
                                      HostObjectHandler* handler = nullptr,
                                      InIsolateClone* clone = nullptr);

// The bytes serializeValue() would give for `list` — an array the builtins made of a call's
// arguments (dense, no other properties) — when its elements are all primitives that need no
// V8 serializer (not BigInts or Symbols); nullptr otherwise. Most JS RPC calls pass only such
// values, and a v8::ValueSerializer with its delegate costs more than the call's own work.
kj::Maybe<kj::Array<kj::byte>> serializeArgumentList(js::Lock& js, v8::Local<v8::Array> list);

}  // namespace loaderd
