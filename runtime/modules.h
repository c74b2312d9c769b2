// Module sources and the per-isolate module registry: ES modules, CommonJS, JSON, text, data
// and WebAssembly, plus builtin modules.
#pragma once

#include "js.h"
#include <kj/filesystem.h>

namespace loaderd {

enum class ModuleType { ESM, CJS, JSON, TEXT, DATA, WASM };

struct ModuleContent {
  ModuleType type;
  kj::Array<const kj::byte> content;
};

// Where a worker's modules come from. Module names are what `import` specifiers resolve to.
class ModuleSource {
public:
  virtual ~ModuleSource() noexcept(false) = default;
  virtual kj::StringPtr mainModule() = 0;
  // Resolves `specifier` as imported by `referrer` to a module name, or nullptr if it names no
  // module of this source.
  virtual kj::Maybe<kj::String> resolve(kj::StringPtr specifier, kj::StringPtr referrer) = 0;
  virtual kj::Maybe<ModuleContent> load(kj::StringPtr name) = 0;
  // How errors name the module (a file path for files).
  virtual kj::String displayName(kj::StringPtr name) = 0;
};

// The type a file extension implies (DESIGN.md's module table), or nullptr.
kj::Maybe<ModuleType> moduleTypeForName(kj::StringPtr name);

// Modules read from a folder. Names are paths relative to the folder; imports resolve relative
// to the importing file and may not leave the folder (symlinks included).
class FileModuleSource final: public ModuleSource {
public:
  // `root` is the worker's folder; `main` the main module's path relative to it.
  FileModuleSource(kj::String root, kj::String main);
  kj::StringPtr mainModule() override { return main; }
  kj::Maybe<kj::String> resolve(kj::StringPtr specifier, kj::StringPtr referrer) override;
  kj::Maybe<ModuleContent> load(kj::StringPtr name) override;
  kj::String displayName(kj::StringPtr name) override;

private:
  kj::String root;      // absolute, canonical
  kj::String main;
};

// Modules given in memory (dynamic workers). Names are flat keys; `./x` and `../x` resolve
// relative to the importing module's name, anything else from the root, as on workerd.
class MapModuleSource final: public ModuleSource {
public:
  struct Module {
    kj::String name;
    ModuleContent content;
  };
  MapModuleSource(kj::String main, kj::Array<Module> modules)
      : main(kj::mv(main)), modules(kj::mv(modules)) {}
  kj::StringPtr mainModule() override { return main; }
  kj::Maybe<kj::String> resolve(kj::StringPtr specifier, kj::StringPtr referrer) override;
  kj::Maybe<ModuleContent> load(kj::StringPtr name) override;
  kj::String displayName(kj::StringPtr name) override { return kj::str(name); }

private:
  kj::String main;
  kj::Array<Module> modules;
};

// Marks a context that has no modules (a sandbox run's): import() there rejects.
void markNoModules(v8::Local<v8::Context> context);

// A builtin module: evaluated by C++, returning its exports object (named exports are its own
// properties; `default` is the object itself unless it has a `default` property).
using BuiltinModule = kj::Function<v8::Local<v8::Object>(js::Lock&)>;

// Compiles, links and evaluates modules of one isolate.
class ModuleRegistry {
public:
  explicit ModuleRegistry(ModuleSource& source);
  ~ModuleRegistry() noexcept(false);

  void addBuiltin(kj::StringPtr name, BuiltinModule builtin);

  // Instantiates and evaluates the main module, returning its namespace. Startup errors throw
  // StartupError.
  v8::Local<v8::Object> evaluateMain(js::Lock& js);

  static ModuleRegistry& from(v8::Local<v8::Context> context);

private:
  struct Entry {
    kj::String name;
    v8::Global<v8::Module> module;
    v8::Global<v8::Value> syntheticDefault;  // JSON/text/data/wasm/builtin values
    ModuleType type;
    kj::Maybe<ModuleContent> cjsSource;
  };
  ModuleSource& source;
  kj::HashMap<kj::String, BuiltinModule> builtins;
  kj::HashMap<kj::String, kj::Own<Entry>> byName;
  kj::HashMap<int, kj::Vector<Entry*>> byHash;

  Entry& getOrCompile(js::Lock& js, kj::StringPtr name, kj::StringPtr referrerForErrors);
  Entry* findEntry(js::Lock& js, v8::Local<v8::Module> module);
  v8::Local<v8::Module> resolveImport(js::Lock& js, kj::StringPtr specifier,
                                      v8::Local<v8::Module> referrer);
  void evaluateCjs(js::Lock& js, Entry& entry);

  static v8::MaybeLocal<v8::Module> resolveCallback(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> assertions,
                                                    v8::Local<v8::Module> referrer);
  static v8::MaybeLocal<v8::Value> syntheticSteps(v8::Local<v8::Context> context,
                                                  v8::Local<v8::Module> module);
  static v8::MaybeLocal<v8::Promise> dynamicImport(v8::Local<v8::Context> context,
                                                   v8::Local<v8::Data> hostDefinedOptions,
                                                   v8::Local<v8::Value> resourceName,
                                                   v8::Local<v8::String> specifier,
                                                   v8::Local<v8::FixedArray> assertions);
  friend class Worker;
  friend void installModuleHooks(v8::Isolate* isolate);
};

// The evaluation of a worker's modules, its "global scope" in workerd's words: while one lasts,
// timers, I/O and random values are refused (js::refuseInGlobalScope()) and the clock JavaScript
// reads stands at 0 (setJsClockStopped()), as on workerd. Covers the main module with its
// top-level await and modules loaded by import() later.
class TopLevelEvaluation {
public:
  explicit TopLevelEvaluation(v8::Isolate* isolate);
  ~TopLevelEvaluation() noexcept(false);
  KJ_DISALLOW_COPY(TopLevelEvaluation);

  // Lifts it for loaderd's own JavaScript run meanwhile: a builtin run on first use of a global
  // it defines, a builtin module's exports made on import.
  class Lifted {
  public:
    explicit Lifted(v8::Isolate* isolate);
    ~Lifted() noexcept(false);
    KJ_DISALLOW_COPY(Lifted);

  private:
    js::IsolateBase& base;
    uint depth;
    bool clockStopped;
  };

private:
  js::IsolateBase& base;
  bool clockStopped;
};

// Registers the dynamic import() hook on an isolate; call once per isolate.
void installModuleHooks(v8::Isolate* isolate);

}  // namespace loaderd
