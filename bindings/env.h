// Builds a worker's `env` from its configured bindings.
#pragma once

#include "runtime/js.h"
#include <kj/string.h>
#include <kj/array.h>
#include <kj/one-of.h>

namespace loaderd {

// A binding as configured. Values are JSON text for `json`, plain text for `text`.
struct BindingSpec {
  enum class Kind { TEXT, JSON };
  kj::String name;
  Kind kind;
  kj::String value;
};

// Creates the env object holding every binding. JSON bindings are parsed in the isolate.
v8::Local<v8::Object> makeEnv(js::Lock& js, kj::ArrayPtr<const BindingSpec> bindings);

}  // namespace loaderd
