// Web APIs written in JavaScript (runtime/builtins/*.js), compiled into the binary and run in
// every context before the worker's modules.
//
// Each file is the body of a function `(global, internal)`: it defines what it provides on
// `global` (non-enumerable, as WebIDL globals are) and may share helpers with later files through
// `internal`. `internal.native` holds the C++ helpers (see api/natives.h). Files run in the order
// listed in runtime/builtins/ORDER.
#pragma once

#include <kj/string.h>
#include <kj/array.h>

namespace loaderd {

struct Builtin {
  const char* name;
  kj::StringPtr source;
};

// The builtins compiled into the binary.
kj::ArrayPtr<const Builtin> builtinSources();

// The builtins to run: the compiled-in ones, or, when the supervisor was started with
// LOADERD_BUILTINS_DIR (development of the builtins only), the files listed in that folder's
// ORDER, read once at startup.
class BuiltinSet {
public:
  static const BuiltinSet& get();
  kj::ArrayPtr<const Builtin> sources() const { return list; }

private:
  BuiltinSet();
  kj::Array<kj::String> storage;
  kj::Array<Builtin> list;
};

}  // namespace loaderd
