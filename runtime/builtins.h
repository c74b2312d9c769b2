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
  static BuiltinSet& get();
  kj::ArrayPtr<const Builtin> sources() const { return list; }
  // Whether builtin `index`'s source is all ASCII (then V8 can use it in place, uncopied).
  bool isAscii(size_t index) const { return ascii[index]; }

  // V8 code cache of each builtin (same index as sources()), made by the first isolate that
  // compiles them eagerly and used by every later one, so a new isolate parses and compiles
  // none of the builtins' functions again. Empty until made.
  kj::ArrayPtr<const kj::byte> codeCache(size_t index) const;
  void setCodeCache(size_t index, kj::Array<kj::byte> data);

  // The globals each builtin defines, recorded by the first isolate; later isolates define
  // them lazily (see Worker::installBuiltins).
  bool namesKnown() const { return namesRecorded; }
  kj::ArrayPtr<const kj::String> names(size_t index) const { return globalNames[index]; }
  void setNames(size_t index, kj::Array<kj::String> names);
  // Builtins that must run in every context up front: they patch engine objects (polyfills) or
  // provide what C++ calls into (workers.js).
  static bool isEager(kj::StringPtr name);
  // Eager builtins whose functions the startup snapshot keeps compiled (the request path's);
  // the others compile on first call. polyfills.js is left out: V8 10.2 cannot make isolates
  // from a snapshot of its eagerly compiled functions (see Worker::runBuiltin), and they run
  // only where V8 lacks a method.
  static bool snapshotsCompiled(kj::StringPtr name);

private:
  BuiltinSet();
  void findAscii();
  kj::Array<kj::String> storage;
  kj::Array<Builtin> list;
  kj::Array<bool> ascii;
  kj::Array<kj::Array<kj::byte>> caches;
  kj::Array<kj::Array<kj::String>> globalNames;
  bool namesRecorded = false;
};

}  // namespace loaderd
