#include "modules.h"
#include "platform.h"

#include <kj/debug.h>
#include <kj/vector.h>
#include <cstdlib>
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace loaderd {

kj::Maybe<ModuleType> moduleTypeForName(kj::StringPtr name) {
  if (name.endsWith(".js") || name.endsWith(".mjs")) return ModuleType::ESM;
  if (name.endsWith(".cjs")) return ModuleType::CJS;
  if (name.endsWith(".json")) return ModuleType::JSON;
  if (name.endsWith(".txt") || name.endsWith(".html") || name.endsWith(".md")) {
    return ModuleType::TEXT;
  }
  if (name.endsWith(".wasm")) return ModuleType::WASM;
  if (name.endsWith(".bin")) return ModuleType::DATA;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// FileModuleSource

namespace {

// Lexically normalises "a/./b/../c" to "a/c"; returns nullptr if it climbs above the start.
kj::Maybe<kj::String> normalizeRelative(kj::StringPtr path) {
  kj::Vector<kj::String> parts;
  size_t start = 0;
  for (size_t i = 0; i <= path.size(); i++) {
    if (i == path.size() || path[i] == '/') {
      auto part = kj::str(path.slice(start, i));
      start = i + 1;
      if (part.size() == 0 || part == ".") continue;
      if (part == "..") {
        if (parts.empty()) return nullptr;
        parts.removeLast();
        continue;
      }
      parts.add(kj::mv(part));
    }
  }
  return kj::strArray(parts, "/");
}

kj::String dirOf(kj::StringPtr name) {
  KJ_IF_MAYBE(slash, name.findLast('/')) {
    return kj::str(name.slice(0, *slash));
  }
  return kj::str("");
}

kj::Maybe<kj::String> realPath(kj::StringPtr path) {
  char buf[PATH_MAX];
  if (::realpath(path.cStr(), buf) == nullptr) return nullptr;
  return kj::str(buf);
}

kj::Maybe<kj::Array<const kj::byte>> readFile(kj::StringPtr path) {
  int fd = ::open(path.cStr(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  KJ_DEFER(::close(fd));
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) return nullptr;
  auto data = kj::heapArray<kj::byte>(st.st_size);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd, data.begin() + done, data.size() - done);
    if (n <= 0) return nullptr;
    done += n;
  }
  return kj::Array<const kj::byte>(kj::mv(data));
}

}  // namespace

FileModuleSource::FileModuleSource(kj::String rootArg, kj::String main): main(kj::mv(main)) {
  KJ_IF_MAYBE(r, realPath(rootArg)) {
    root = kj::mv(*r);
  } else {
    root = kj::mv(rootArg);
  }
}

kj::Maybe<kj::String> FileModuleSource::resolve(kj::StringPtr specifier, kj::StringPtr referrer) {
  kj::String joined;
  if (specifier.startsWith("/")) {
    joined = kj::str(specifier.slice(1));
  } else {
    auto dir = dirOf(referrer);
    joined = dir.size() == 0 ? kj::str(specifier) : kj::str(dir, "/", specifier);
  }
  KJ_IF_MAYBE(name, normalizeRelative(joined)) {
    // Confinement: the real file must lie inside the worker's folder.
    KJ_IF_MAYBE(real, realPath(kj::str(root, "/", *name))) {
      if (!real->startsWith(kj::str(root, "/"))) return nullptr;
      return kj::mv(*name);
    }
  }
  return nullptr;
}

kj::Maybe<ModuleContent> FileModuleSource::load(kj::StringPtr name) {
  ModuleType type = ModuleType::ESM;
  KJ_IF_MAYBE(t, moduleTypeForName(name)) {
    type = *t;
  } else {
    // Unknown extensions load as data, as bundlers' "copy" loaders expect.
    type = ModuleType::DATA;
  }
  KJ_IF_MAYBE(content, readFile(kj::str(root, "/", name))) {
    return ModuleContent{type, kj::mv(*content)};
  }
  return nullptr;
}

kj::String FileModuleSource::displayName(kj::StringPtr name) {
  return kj::str(root, "/", name);
}

// ---------------------------------------------------------------------------------------------
// MapModuleSource

// The module name a WorkerCode specifier means from `referrer`, before normalization: relative
// to its folder for "./" and "../", from the root for "/", as given otherwise.
static kj::String joinSpecifier(kj::StringPtr specifier, kj::StringPtr referrer) {
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    auto dir = dirOf(referrer);
    return dir.size() == 0 ? kj::str(specifier) : kj::str(dir, "/", specifier);
  }
  return kj::str(specifier.startsWith("/") ? specifier.slice(1) : specifier);
}

kj::Maybe<kj::String> MapModuleSource::resolve(kj::StringPtr specifier, kj::StringPtr referrer) {
  KJ_IF_MAYBE(name, normalizeRelative(joinSpecifier(specifier, referrer))) {
    for (auto& m: modules) {
      if (m.name == *name) return kj::mv(*name);
    }
  }
  return nullptr;
}

kj::Maybe<ModuleContent> MapModuleSource::load(kj::StringPtr name) {
  for (auto& m: modules) {
    if (m.name == name) {
      return ModuleContent{m.content.type, kj::heapArray<const kj::byte>(m.content.content)};
    }
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// ModuleRegistry

namespace {
constexpr int REGISTRY_SLOT = 1;  // embedder data slot of the context holding the registry
}

ModuleRegistry::ModuleRegistry(ModuleSource& source): source(source) {}
ModuleRegistry::~ModuleRegistry() noexcept(false) {}

ModuleRegistry& ModuleRegistry::from(v8::Local<v8::Context> context) {
  return *static_cast<ModuleRegistry*>(
      context->GetAlignedPointerFromEmbedderData(REGISTRY_SLOT));
}

void ModuleRegistry::addBuiltin(kj::StringPtr name, BuiltinModule builtin) {
  builtins.insert(kj::str(name), kj::mv(builtin));
}

static kj::StringPtr asChars(const kj::Array<const kj::byte>& bytes) {
  return kj::StringPtr(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

static v8::Local<v8::String> sourceString(js::Lock& js, const kj::Array<const kj::byte>& bytes) {
  return js::check(v8::String::NewFromUtf8(js.isolate,
                                           reinterpret_cast<const char*>(bytes.begin()),
                                           v8::NewStringType::kNormal, bytes.size()));
}

ModuleRegistry::Entry& ModuleRegistry::getOrCompile(js::Lock& js, kj::StringPtr name,
                                                    kj::StringPtr referrerForErrors) {
  KJ_IF_MAYBE(existing, byName.find(name)) {
    return **existing;
  }
  auto entry = kj::heap<Entry>();
  entry->name = kj::str(name);

  v8::Local<v8::Module> module;
  KJ_IF_MAYBE(builtin, builtins.find(name)) {
    auto exports = (*builtin)(js);
    auto keys = js::check(exports->GetOwnPropertyNames(
        js.context(), static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
        v8::KeyConversionMode::kConvertToString));
    std::vector<v8::Local<v8::String>> names;
    bool hasDefault = false;
    for (uint i = 0; i < keys->Length(); i++) {
      auto key = js::check(keys->Get(js.context(), i)).As<v8::String>();
      if (js.toString(key) == "default") hasDefault = true;
      names.push_back(key);
    }
    if (!hasDefault) names.push_back(js.internedStr("default"));
    entry->syntheticDefault.Reset(js.isolate, exports);
    entry->type = ModuleType::JSON;  // synthetic; evaluation copies the exports object
    module = v8::Module::CreateSyntheticModule(js.isolate, js.str(name), names, &syntheticSteps);
  } else KJ_IF_MAYBE(content, source.load(name)) {
    entry->type = content->type;
    switch (content->type) {
      case ModuleType::ESM: {
        v8::ScriptOrigin origin(js.isolate, js.str(name), 0, 0, false, -1, {}, false, false,
                                true);
        v8::ScriptCompiler::Source src(sourceString(js, content->content), origin);
        module = js::check(v8::ScriptCompiler::CompileModule(js.isolate, &src));
        break;
      }
      case ModuleType::CJS:
      case ModuleType::JSON:
      case ModuleType::TEXT:
      case ModuleType::DATA:
      case ModuleType::WASM: {
        std::vector<v8::Local<v8::String>> names = {js.internedStr("default")};
        if (content->type == ModuleType::JSON) {
          entry->syntheticDefault.Reset(js.isolate,
                                        js.parseJson(asChars(content->content)));
        } else if (content->type == ModuleType::TEXT) {
          entry->syntheticDefault.Reset(js.isolate, sourceString(js, content->content));
        } else if (content->type == ModuleType::DATA) {
          auto buffer = js.newArrayBuffer(content->content.size());
          memcpy(buffer->GetBackingStore()->Data(), content->content.begin(),
                 content->content.size());
          entry->syntheticDefault.Reset(js.isolate, buffer);
        } else if (content->type == ModuleType::WASM) {
          auto& base = js.base();
          base.wasmCodegenAllowed = true;
          KJ_DEFER(base.wasmCodegenAllowed = false);
          auto wasm = js::check(v8::WasmModuleObject::Compile(
              js.isolate, v8::MemorySpan<const uint8_t>(content->content.begin(),
                                                        content->content.size())));
          entry->syntheticDefault.Reset(js.isolate, wasm);
        } else {
          entry->cjsSource = kj::mv(*content);
        }
        module = v8::Module::CreateSyntheticModule(js.isolate, js.str(name), names,
                                                   &syntheticSteps);
        break;
      }
    }
  } else {
    if (referrerForErrors.size() == 0) {
      js::throwError(js::ErrorType::ERROR, kj::str("No such module: ", name));
    }
    js::throwError(js::ErrorType::ERROR, kj::str("No such module \"", name,
                                                 "\".\n  imported from \"", referrerForErrors,
                                                 "\""));
  }

  entry->module.Reset(js.isolate, module);
  auto& ref = *entry;
  KJ_IF_MAYBE(existing, byHash.find(module->GetIdentityHash())) {
    existing->add(&ref);
  } else {
    kj::Vector<Entry*> fresh;
    fresh.add(&ref);
    byHash.insert(module->GetIdentityHash(), kj::mv(fresh));
  }
  byName.insert(kj::str(name), kj::mv(entry));
  return ref;
}

ModuleRegistry::Entry* ModuleRegistry::findEntry(js::Lock& js, v8::Local<v8::Module> module) {
  KJ_IF_MAYBE(list, byHash.find(module->GetIdentityHash())) {
    for (auto* e: *list) {
      if (e->module.Get(js.isolate) == module) return e;
    }
  }
  return nullptr;
}

v8::Local<v8::Module> ModuleRegistry::resolveImport(js::Lock& js, kj::StringPtr specifier,
                                                    v8::Local<v8::Module> referrer) {
  kj::StringPtr referrerName = "";
  if (auto* e = findEntry(js, referrer)) referrerName = e->name;
  if (builtins.find(specifier) != nullptr) {
    return getOrCompile(js, specifier, referrerName).module.Get(js.isolate);
  }
  if (specifier.startsWith("node:") || specifier.startsWith("cloudflare:") ||
      specifier.startsWith("workerd:") || specifier.startsWith("loaderd:")) {
    // A static import names its importer, as on workerd (import() does not).
    js::throwError(js::ErrorType::ERROR, kj::str("No such module \"", specifier,
                                                 "\".\n  imported from \"", referrerName, "\""));
  }
  KJ_IF_MAYBE(name, source.resolve(specifier, referrerName)) {
    return getOrCompile(js, *name, referrerName).module.Get(js.isolate);
  }
  js::throwError(js::ErrorType::ERROR, kj::str("No such module \"", specifier,
                                               "\".\n  imported from \"", referrerName, "\""));
}

v8::MaybeLocal<v8::Module> ModuleRegistry::resolveCallback(v8::Local<v8::Context> context,
                                                           v8::Local<v8::String> specifier,
                                                           v8::Local<v8::FixedArray> assertions,
                                                           v8::Local<v8::Module> referrer) {
  auto isolate = context->GetIsolate();
  js::Lock js(isolate, context);
  v8::TryCatch tryCatch(isolate);
  try {
    return from(context).resolveImport(js, js.toString(specifier), referrer);
  } catch (...) {
    js::translateCurrentException(js);
  }
  js::rethrowOrFail(js, tryCatch, "module resolution");
  return {};
}

v8::MaybeLocal<v8::Value> ModuleRegistry::syntheticSteps(v8::Local<v8::Context> context,
                                                         v8::Local<v8::Module> module) {
  auto isolate = context->GetIsolate();
  js::Lock js(isolate, context);
  v8::TryCatch tryCatch(isolate);
  try {
    auto& registry = from(context);
    auto* entry = registry.findEntry(js, module);
    KJ_ASSERT(entry != nullptr, "synthetic module not in registry");
    if (entry->type == ModuleType::CJS) registry.evaluateCjs(js, *entry);
    auto value = entry->syntheticDefault.Get(isolate);
    if (registry.builtins.find(entry->name) != nullptr) {
      auto exports = value.As<v8::Object>();
      auto keys = js::check(exports->GetOwnPropertyNames(
          context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
          v8::KeyConversionMode::kConvertToString));
      bool hasDefault = false;
      for (uint i = 0; i < keys->Length(); i++) {
        auto key = js::check(keys->Get(context, i)).As<v8::String>();
        if (js.toString(key) == "default") hasDefault = true;
        js::check(module->SetSyntheticModuleExport(isolate, key,
                                                   js::check(exports->Get(context, key))));
      }
      if (!hasDefault) {
        js::check(module->SetSyntheticModuleExport(isolate, js.internedStr("default"), exports));
      }
    } else {
      js::check(module->SetSyntheticModuleExport(isolate, js.internedStr("default"), value));
    }
    return js.resolvedPromise(js.undefined());
  } catch (...) {
    js::translateCurrentException(js);
  }
  js::rethrowOrFail(js, tryCatch, "module evaluation");
  return {};
}

void ModuleRegistry::evaluateCjs(js::Lock& js, Entry& entry) {
  KJ_IF_MAYBE(content, entry.cjsSource) {
    v8::ScriptOrigin origin(js.isolate, js.str(entry.name));
    v8::ScriptCompiler::Source src(sourceString(js, content->content), origin);
    v8::Local<v8::String> params[] = {js.internedStr("exports"), js.internedStr("require"),
                                      js.internedStr("module"), js.internedStr("__filename"),
                                      js.internedStr("__dirname")};
    auto fn = js::check(v8::ScriptCompiler::CompileFunction(js.context(), &src, 5, params));
    auto module = v8::Object::New(js.isolate);
    auto exports = v8::Object::New(js.isolate);
    js::check(module->Set(js.context(), js.internedStr("exports"), exports));
    // TODO(conformance): require() of sibling CommonJS modules and builtins.
    auto require = js::check(v8::Function::New(
        js.context(), [](const v8::FunctionCallbackInfo<v8::Value>& info) {
          js::Lock js(info.GetIsolate());
          info.GetIsolate()->ThrowException(js.makeError(
              js::ErrorType::ERROR,
              kj::str("require() is not supported here; use import (", js.toString(info[0]),
                      ")")));
        }));
    v8::Local<v8::Value> args[] = {exports, require, module, js.str(entry.name), js.str("/")};
    js::check(fn->Call(js.context(), js.undefined(), 5, args));
    entry.syntheticDefault.Reset(
        js.isolate, js::check(module->Get(js.context(), js.internedStr("exports"))));
    entry.cjsSource = nullptr;
  }
}

TopLevelEvaluation::TopLevelEvaluation(v8::Isolate* isolate)
    : base(js::IsolateBase::from(isolate)), clockStopped(jsClockStopped()) {
  ++base.globalScopeDepth;
  setJsClockStopped(true);
}

TopLevelEvaluation::~TopLevelEvaluation() noexcept(false) {
  --base.globalScopeDepth;
  setJsClockStopped(clockStopped);
}

TopLevelEvaluation::Lifted::Lifted(v8::Isolate* isolate)
    : base(js::IsolateBase::from(isolate)), depth(base.globalScopeDepth),
      clockStopped(jsClockStopped()) {
  base.globalScopeDepth = 0;
  setJsClockStopped(false);
}

TopLevelEvaluation::Lifted::~Lifted() noexcept(false) {
  base.globalScopeDepth = depth;
  setJsClockStopped(clockStopped);
}

v8::Local<v8::Object> ModuleRegistry::evaluateMain(js::Lock& js) {
  js.context()->SetAlignedPointerInEmbedderData(REGISTRY_SLOT, this);
  TopLevelEvaluation topLevel(js.isolate);
  auto& entry = getOrCompile(js, source.mainModule(), "");
  auto module = entry.module.Get(js.isolate);
  js::check(module->InstantiateModule(js.context(), &resolveCallback));
  auto result = js::check(module->Evaluate(js.context()));
  // Startup reports a failed evaluation itself: not an unhandled rejection as well.
  if (result->IsPromise()) result.As<v8::Promise>()->MarkAsHandled();
  js.isolate->PerformMicrotaskCheckpoint();
  if (result->IsPromise()) {
    auto promise = result.As<v8::Promise>();
    if (promise->State() == v8::Promise::kRejected) {
      js.isolate->ThrowException(promise->Result());
      throw js::ExceptionPending{};
    }
    if (promise->State() == v8::Promise::kPending) {
      // Startup cannot wait for I/O; workerd's words.
      js::throwError(js::ErrorType::ERROR, "Top-level await in module is unsettled.");
    }
  }
  return module->GetModuleNamespace().As<v8::Object>();
}

v8::MaybeLocal<v8::Promise> ModuleRegistry::dynamicImport(v8::Local<v8::Context> context,
                                                          v8::Local<v8::Data> hostDefinedOptions,
                                                          v8::Local<v8::Value> resourceName,
                                                          v8::Local<v8::String> specifier,
                                                          v8::Local<v8::FixedArray> assertions) {
  auto isolate = context->GetIsolate();
  js::Lock js(isolate, context);
  auto resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  v8::TryCatch tryCatch(isolate);
  try {
    if (context->GetAlignedPointerFromEmbedderData(REGISTRY_SLOT) == nullptr) {
      js::throwTypeError("import() is not available in this context.");
    }
    auto& registry = from(context);
    // A module loaded in a handler still evaluates in global scope (workerd's rule too).
    TopLevelEvaluation topLevel(isolate);
    kj::String referrer = resourceName->IsString() ? js.toString(resourceName) : kj::str("");
    auto spec = js.toString(specifier);
    v8::Local<v8::Module> module;
    if (registry.builtins.find(spec) != nullptr) {
      module = registry.getOrCompile(js, spec, referrer).module.Get(isolate);
    } else if (spec.startsWith("node:") || spec.startsWith("cloudflare:") ||
               spec.startsWith("workerd:") || spec.startsWith("loaderd:")) {
      js::throwError(js::ErrorType::ERROR, kj::str("No such module \"", spec, "\"."));
    } else KJ_IF_MAYBE(name, registry.source.resolve(spec, referrer)) {
      module = registry.getOrCompile(js, *name, referrer).module.Get(isolate);
    } else {
      // workerd names the module import() looked for, without the importer.
      auto wanted = normalizeRelative(joinSpecifier(spec, referrer)).orDefault(kj::str(spec));
      js::throwError(js::ErrorType::ERROR, kj::str("No such module \"", wanted, "\"."));
    }
    js::check(module->InstantiateModule(context, &resolveCallback));
    auto evaluated = js::check(module->Evaluate(context));
    auto ns = module->GetModuleNamespace();
    if (evaluated->IsPromise()) {
      // Resolve with the namespace once evaluation (top-level await) finishes.
      auto then = js::check(v8::Function::New(
          context,
          [](const v8::FunctionCallbackInfo<v8::Value>& info) {
            info.GetReturnValue().Set(info.Data());
          },
          ns));
      js::ignore(resolver->Resolve(context,
                              js::check(evaluated.As<v8::Promise>()->Then(context, then))));
    } else {
      js::ignore(resolver->Resolve(context, ns));
    }
  } catch (...) {
    js::translateCurrentException(js);
  }
  if (tryCatch.HasCaught()) {
    js::ignore(resolver->Reject(context, tryCatch.Exception()));
  }
  return resolver->GetPromise();
}

void markNoModules(v8::Local<v8::Context> context) {
  context->SetAlignedPointerInEmbedderData(REGISTRY_SLOT, nullptr);
}

void installModuleHooks(v8::Isolate* isolate) {
  isolate->SetHostImportModuleDynamicallyCallback(&ModuleRegistry::dynamicImport);
}

}  // namespace loaderd
