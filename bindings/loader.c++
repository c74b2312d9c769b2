#include "loader.h"

#include <kj/debug.h>

namespace loaderd {

namespace {

constexpr size_t MAX_CODE_SIZE = 64u << 20;
constexpr size_t MAX_ENV_SIZE = 1u << 20;

v8::Local<v8::Object> workerHooks(Worker& worker, js::Lock& js) {
  return js::check(worker.getInternal(js)->Get(js.context(), js.internedStr("workers")))
      .As<v8::Object>();
}

v8::Local<v8::Value> callWorkersHook(Worker& worker, js::Lock& js, kj::StringPtr name,
                                     kj::ArrayPtr<v8::Local<v8::Value>> args) {
  auto hooks = workerHooks(worker, js);
  auto fn = js::check(hooks->Get(js.context(), js.internedStr(name)));
  return js::check(fn.As<v8::Function>()->Call(js.context(), hooks, args.size(), args.begin()));
}

// Values produced by workers.js from the user's WorkerCode: user code may have tampered with
// the prototypes those functions use, so every shape is checked before it is trusted.
[[noreturn]] void unreadable() {
  js::throwTypeError("The WorkerCode could not be read (were built-in prototypes modified?).");
}
template <typename T>
v8::Local<T> expect(v8::Local<v8::Value> value) {
  if constexpr (std::is_same_v<T, v8::Array>) {
    if (!value->IsArray()) unreadable();
  } else {
    if (!value->IsObject()) unreadable();
  }
  return value.As<T>();
}

v8::Local<v8::Value> prop(js::Lock& js, v8::Local<v8::Object> obj, kj::StringPtr name) {
  return js::check(obj->Get(js.context(), js.internedStr(name)));
}

kj::Array<const kj::byte> bytesOf(js::Lock& js, v8::Local<v8::Value> value) {
  if (value->IsString()) {
    auto text = js.toString(value);
    return kj::heapArray<const kj::byte>(text.asBytes());
  }
  if (value->IsArrayBufferView()) {
    auto view = value.As<v8::ArrayBufferView>();
    auto result = kj::heapArray<kj::byte>(view->ByteLength());
    view->CopyContents(result.begin(), result.size());
    return kj::Array<const kj::byte>(kj::mv(result));
  }
  if (value->IsWasmModuleObject()) {
    auto compiled = value.As<v8::WasmModuleObject>()->GetCompiledModule();
    auto wire = compiled.GetWireBytesRef();
    return kj::heapArray<const kj::byte>(wire.data(), wire.size());
  }
  unreadable();
}

// Exceptions that carry a JS error to the caller as it was thrown (no `remote` flag).
kj::Exception localException(Worker& worker, js::Lock& js, v8::Local<v8::Value> exception) {
  auto tunneled = tunnelException(worker, js, exception);
  kj::StringPtr description = tunneled.getDescription();
  if (description.startsWith("jslocal.")) return tunneled;
  return KJ_EXCEPTION(FAILED, kj::str("jslocal.", description.slice(strlen("jsrpc."))));
}

}  // namespace

void installOutbound(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal,
                     const OutboundPolicy& outbound) {
  auto obj = v8::Object::New(js.isolate);
  kj::StringPtr kind = "internet";
  switch (outbound.kind) {
    case OutboundPolicy::Kind::INTERNET: kind = "internet"; break;
    case OutboundPolicy::Kind::NONE: kind = "null"; break;
    case OutboundPolicy::Kind::FETCHER: kind = "fetcher"; break;
  }
  js::check(obj->Set(js.context(), js.internedStr("kind"), js.str(kind)));
  KJ_IF_MAYBE(f, outbound.fetcher) {
    js::check(obj->Set(js.context(), js.internedStr("fetcher"),
                       kj::refcounted<NativeFetcher>(*f)->wrap(js)));
  }
  js::check(internal->Set(js.context(), js.internedStr("outbound"), obj));
}

void installTails(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal,
                  kj::ArrayPtr<rpc::Fetcher::Client> tails) {
  if (tails.size() == 0) return;
  auto array = v8::Array::New(js.isolate, tails.size());
  for (uint i = 0; i < tails.size(); i++) {
    js::check(array->Set(js.context(), i, kj::refcounted<NativeFetcher>(tails[i])->wrap(js)));
  }
  js::check(internal->Set(js.context(), js.internedStr("tails"), array));
  worker.enableTracing();
}

kj::Own<DynamicWorkerSource> WorkerLoader::convert(js::Lock& js, v8::Local<v8::Value> code) {
  v8::Local<v8::Value> args[] = {code};
  auto normalized = expect<v8::Object>(callWorkersHook(parent, js, "normalizeWorkerCode", args));
  auto source = kj::heap<DynamicWorkerSource>();
  source->mainModule = js.toString(prop(js, normalized, "mainModule"));

  // Modules, and the 64 MiB cap on their total size.
  auto modules = expect<v8::Array>(prop(js, normalized, "modules"));
  kj::Vector<MapModuleSource::Module> list;
  size_t total = 0;
  for (uint i = 0; i < modules->Length(); i++) {
    auto entry = expect<v8::Array>(js::check(modules->Get(js.context(), i)));
    auto name = js.toString(js::check(entry->Get(js.context(), 0)));
    auto kind = js.toString(js::check(entry->Get(js.context(), 1)));
    auto content = bytesOf(js, js::check(entry->Get(js.context(), 2)));
    total += content.size();
    ModuleType type = ModuleType::ESM;
    if (kind == "js") type = ModuleType::ESM;
    else if (kind == "cjs") type = ModuleType::CJS;
    else if (kind == "text") type = ModuleType::TEXT;
    else if (kind == "data") type = ModuleType::DATA;
    else if (kind == "json") type = ModuleType::JSON;
    else if (kind == "wasm") type = ModuleType::WASM;
    else if (kind == "py") {
      source->hasPython = true;
      type = ModuleType::TEXT;
    }
    if (name == source->mainModule && type == ModuleType::CJS) source->mainIsCommonJs = true;
    // Names are flat keys: "./a.js" and "a.js" are the same module.
    kj::StringPtr key = name;
    while (key.startsWith("./")) key = key.slice(2);
    list.add(MapModuleSource::Module{kj::str(key), ModuleContent{type, kj::mv(content)}});
  }
  if (total > MAX_CODE_SIZE) {
    js::throwError(js::ErrorType::ERROR,
                   kj::str("Dynamic Worker code size (", total, " bytes) exceeds the maximum "
                           "allowed size of ", MAX_CODE_SIZE, " bytes."));
  }
  KJ_IF_MAYBE(main, [&]() -> kj::Maybe<kj::StringPtr> {
    kj::StringPtr m = source->mainModule;
    while (m.startsWith("./")) m = m.slice(2);
    return m;
  }()) {
    source->mainModule = kj::str(*main);
  }
  source->modules = list.releaseAsArray();

  // Compatibility: the child's own date and flags; experimental only if the parent may.
  bool allowExperimental = prop(js, normalized, "allowExperimental")->BooleanValue(js.isolate);
  if (allowExperimental && !parent.compat().experimental) {
    js::throwError(js::ErrorType::ERROR,
                   "'allowExperimental' is only allowed when the calling worker has the "
                   "'experimental' compat flag set.");
  }
  auto dateValue = prop(js, normalized, "compatibilityDate");
  kj::Maybe<kj::String> date;
  if (!dateValue->IsUndefined()) date = js.toString(dateValue);
  auto flagsArray = expect<v8::Array>(prop(js, normalized, "compatibilityFlags"));
  kj::Vector<kj::String> flags;
  for (uint i = 0; i < flagsArray->Length(); i++) {
    flags.add(js.toString(js::check(flagsArray->Get(js.context(), i))));
  }
  source->compat = compileCompatibility(
      date.map([](kj::String& d) { return d.asPtr(); }), flags,
      allowExperimental ? AllowExperimental::YES : AllowExperimental::NO, todayUtc());

  // env, serialized now with its Fetchers as capabilities, and the 1 MiB cap.
  if (prop(js, normalized, "hasEnv")->BooleanValue(js.isolate)) {
    auto message = kj::heap<capnp::MallocMessageBuilder>();
    auto root = message->initRoot<rpc::JsValue>();
    writeJsValue(parent, js, prop(js, normalized, "env"), root, Preparation::ALREADY_PREPARED);
    size_t size = root.asReader().getV8Serialized().size();
    if (size > MAX_ENV_SIZE) {
      js::throwError(js::ErrorType::ERROR,
                     kj::str("Dynamic Worker env size (", size, " bytes) exceeds the maximum "
                             "allowed size of ", MAX_ENV_SIZE, " bytes."));
    }
    source->env = kj::mv(message);
  }

  // globalOutbound: omitted inherits the caller's; null refuses; a Fetcher receives it all.
  auto outbound = prop(js, normalized, "globalOutbound");
  if (outbound->IsUndefined()) {
    source->outbound = parentOutbound.clone();
  } else if (outbound->IsNull()) {
    source->outbound = OutboundPolicy{OutboundPolicy::Kind::NONE, nullptr};
  } else {
    auto* native = js::tryUnwrap<NativeFetcher>(js, outbound);
    KJ_ASSERT(native != nullptr);
    source->outbound = OutboundPolicy{OutboundPolicy::Kind::FETCHER, native->get()};
  }

  auto tails = prop(js, normalized, "tails");
  if (tails->IsArray()) {
    auto array = tails.As<v8::Array>();
    auto list = kj::heapArrayBuilder<rpc::Fetcher::Client>(array->Length());
    for (uint i = 0; i < array->Length(); i++) {
      auto* native = js::tryUnwrap<NativeFetcher>(js, js::check(array->Get(js.context(), i)));
      KJ_ASSERT(native != nullptr);
      list.add(native->get());
    }
    source->tails = list.finish();
  }
  auto limits = expect<v8::Object>(prop(js, normalized, "limits"));
  auto cpu = prop(js, limits, "cpuMs");
  if (cpu->IsNumber()) source->cpuMs = cpu.As<v8::Number>()->Value();
  auto sub = prop(js, limits, "subRequests");
  if (sub->IsNumber()) source->subRequests = sub.As<v8::Number>()->Value();
  auto wall = prop(js, limits, "wallMs");
  if (!wall->IsUndefined()) {
    double ms = wall->IsNumber() ? wall.As<v8::Number>()->Value() : 0;
    if (!(ms >= 1 && ms <= 86400000)) {
      js::throwRangeError("limits.wallMs must be a number of milliseconds from 1 to 86400000.");
    }
    source->wallMs = ms;
  }
  auto memory = prop(js, limits, "memoryMb");
  if (!memory->IsUndefined()) {
    double mb = memory->IsNumber() ? memory.As<v8::Number>()->Value() : 0;
    if (!(mb >= MIN_MEMORY_MB && mb <= MAX_MEMORY_MB)) {
      js::throwRangeError(kj::str("limits.memoryMb must be a number of megabytes from ",
                                  MIN_MEMORY_MB, " to ", MAX_MEMORY_MB, "."));
    }
    source->memoryMb = mb;
  }
  return source;
}

// A stub belongs to the request that made it (workerd's WorkerStubChannel).
static kj::Own<WorkerStub> makeStub(js::Lock& js, Worker& parent,
                                    kj::Promise<kj::Own<Worker>> promise) {
  auto state = kj::refcounted<WorkerStub::State>();
  auto& ref = *state;
  state->ready = promise
      .then(
          [&ref](kj::Own<Worker> worker) { ref.worker = kj::mv(worker); },
          [&ref](kj::Exception&& e) { ref.error = kj::mv(e); })
      .fork();  // owned by the state: dropping the stub cancels a start in progress
  auto stub = kj::refcounted<WorkerStub>(parent, kj::mv(state));
  stub->request.bindToCurrent(js, "WorkerStubChannel");
  return stub;
}

namespace {
// Anonymous workers whose stubs are unreachable still count as alive until the parent's GC has
// found them: collect before refusing a new one (a full GC, rare: only at the cap).
void collectBeforeRefusing(js::Lock& js, LoaderNamespace& ns) {
  // The stubs it finds are released on the next turn; LoaderNamespace::getWorker() waits for it.
  if (ns.anonymousAtCap()) js.isolate->LowMemoryNotification();
}

// Every so many workers that only stubs keep alive, the parent's GC looks for dropped stubs
// (incremental marking, as V8 does for memory pressure).
void collectIfDue(js::Lock& js, LoaderNamespace& ns) {
  if (ns.collectDue()) js.isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kModerate);
}
}  // namespace

kj::Own<WorkerStub> WorkerLoader::load(js::Lock& js, v8::Local<v8::Value> code) {
  js::refuseInGlobalScope(js.isolate);  // as on workerd: a worker is started for a request
  auto source = convert(js, code);
  collectBeforeRefusing(js, ns);
  auto promise = ns.getWorker(nullptr, [source = kj::mv(source)]() mutable {
    return kj::Promise<kj::Own<DynamicWorkerSource>>(kj::mv(source));
  });
  collectIfDue(js, ns);
  return makeStub(js, parent, kj::mv(promise));
}

namespace {
// What getCode gave must be a WorkerCode object, with workerd's words for what is not.
void checkGetCodeResult(v8::Local<v8::Value> value, bool resolved) {
  if (value->IsNullOrUndefined()) {
    js::throwTypeError("Cannot initialize N7workerd3api12WorkerLoader10WorkerCodeE with required "
                       "members from an undefined or null value.");
  }
  if (!value->IsObject()) {
    js::throwTypeError(resolved
        ? "Incorrect type for Promise: the Promise did not resolve to 'WorkerCode'."
        : "Callback returned incorrect type; expected 'Promise'");
  }
}
}  // namespace

kj::Own<WorkerStub> WorkerLoader::get(js::Lock& js, v8::Local<v8::Value> nameValue,
                                      v8::Local<v8::Function> getCode) {
  js::refuseInGlobalScope(js.isolate);
  kj::Maybe<kj::String> name;
  if (!nameValue->IsNullOrUndefined()) {
    name = js.toString(nameValue);
  } else {
    collectBeforeRefusing(js, ns);
  }
  auto callback = kj::heap<v8::Global<v8::Function>>(js.isolate, getCode);
  // getCode runs on a later turn, in the parent, and only if the name is not cached. The
  // loader and the parent stay alive until then (the loader's JS wrapper may be gone).
  auto self = kj::addRef(*this);
  auto parentOwn = kj::addRef(parent);
  auto getSource = [self = kj::mv(self), parentOwn = kj::mv(parentOwn),
                    callback = kj::mv(callback)]() mutable
      -> kj::Promise<kj::Own<DynamicWorkerSource>> {
    auto& parentRef = *parentOwn;
    kj::Maybe<kj::Own<DynamicWorkerSource>> ready;
    kj::Maybe<kj::Promise<js::IsolateBase::Settled>> pending;
    kj::Maybe<kj::Exception> error;
    if (parentRef.limitExceeded() != LimitExceeded::NONE) return parentRef.limitException();
    parentRef.runInJs([&](js::Lock& js) {
      v8::TryCatch tryCatch(js.isolate);
      try {
        auto result = js::check(callback->Get(js.isolate)->Call(js.context(), js.undefined(),
                                                                 0, nullptr));
        bool resolved = false;  // the value a promise gave, not the callback's own
        if (result->IsPromise()) {
          // Its outcome goes to the caller: handled before any microtask could call it not.
          result.As<v8::Promise>()->MarkAsHandled();
          js.isolate->PerformMicrotaskCheckpoint();
          auto promise = result.As<v8::Promise>();
          if (promise->State() == v8::Promise::kPending) {
            pending = parentRef.whenSettled(js, promise);
            return;
          }
          if (promise->State() == v8::Promise::kRejected) {
            error = localException(parentRef, js, promise->Result());
            return;
          }
          result = promise->Result();
          resolved = true;
        }
        checkGetCodeResult(result, resolved);
        ready = self->convert(js, result);
      } catch (...) {
        js::translateCurrentException(js);
      }
      if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
        auto exception = tryCatch.Exception();
        tryCatch.Reset();
        error = localException(parentRef, js, exception);
      }
    });
    KJ_IF_MAYBE(e, error) { return kj::mv(*e); }
    KJ_IF_MAYBE(r, ready) { return kj::mv(*r); }
    if (pending == nullptr) return parentRef.limitException();  // terminated during getCode
    return KJ_ASSERT_NONNULL(pending).then(
        [self = kj::addRef(*self), parentOwn = kj::addRef(parentRef)](
            js::IsolateBase::Settled settled) mutable
            -> kj::Promise<kj::Own<DynamicWorkerSource>> {
          auto& parentRef = *parentOwn;
          kj::Maybe<kj::Own<DynamicWorkerSource>> ready;
          kj::Maybe<kj::Exception> error;
          parentRef.runInJs([&](js::Lock& js) {
            auto value = settled.value.Get(js.isolate);
            if (settled.rejected) {
              error = localException(parentRef, js, value);
              return;
            }
            v8::TryCatch tryCatch(js.isolate);
            try {
              checkGetCodeResult(value, true);
              ready = self->convert(js, value);
            } catch (...) {
              js::translateCurrentException(js);
            }
            if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
              auto exception = tryCatch.Exception();
              tryCatch.Reset();
              error = localException(parentRef, js, exception);
            }
          });
          KJ_IF_MAYBE(e, error) { return kj::mv(*e); }
          KJ_IF_MAYBE(r, ready) { return kj::mv(*r); }
          return parentRef.limitException();  // the parent was torn down meanwhile
        });
  };
  auto promise = ns.getWorker(kj::mv(name), kj::mv(getSource));
  collectIfDue(js, ns);
  return makeStub(js, parent, kj::mv(promise));
}

v8::Local<v8::Value> WorkerStub::getEntrypoint(js::Lock& js, kj::Maybe<kj::String> name,
                                               kj::Maybe<EntrypointOptions> options) {
  request.check(js);
  if (name != nullptr && KJ_ASSERT_NONNULL(name) == "default") name = nullptr;
  kj::Maybe<kj::Own<PropsSource>> props;
  kj::Maybe<EntrypointLimits> limits;
  KJ_IF_MAYBE(o, options) {
    KJ_IF_MAYBE(p, o->props) {
      v8::Local<v8::Value> args[] = {*p};
      auto prepared = callWorkersHook(parent, js, "prepareEnv", args);
      props = kj::Own<PropsSource>(JsValueProps::write(parent, js, prepared));
    }
    // Cloudflare's rule: the lower of these and the WorkerCode's limits applies.
    KJ_IF_MAYBE(l, o->limits) {
      v8::Local<v8::Value> args[] = {*l, js.str("EntrypointOptions")};
      auto checked = expect<v8::Object>(callWorkersHook(parent, js, "resourceLimits", args));
      EntrypointLimits caps;
      auto cpu = prop(js, checked, "cpuMs");
      if (cpu->IsNumber()) caps.cpuMs = cpu.As<v8::Number>()->Value();
      auto sub = prop(js, checked, "subRequests");
      if (sub->IsNumber()) caps.subrequests = sub.As<v8::Number>()->Value();
      limits = kj::mv(caps);
    }
  }
  auto& state = *this->state;
  auto stateRef = kj::addRef(state);
  auto cap = KJ_ASSERT_NONNULL(state.ready).addBranch().then(
      [stateRef = kj::mv(stateRef), name = kj::mv(name), props = kj::mv(props),
       limits = kj::mv(limits)]() mutable -> rpc::Fetcher::Client {
        KJ_IF_MAYBE(e, stateRef->error) {
          kj::throwFatalException(kj::cp(*e));
        }
        return entrypointFetcher(kj::addRef(*KJ_ASSERT_NONNULL(stateRef->worker)), kj::mv(name),
                                 kj::mv(props), kj::mv(limits));
      });
  auto fetcher = kj::refcounted<NativeFetcher>(rpc::Fetcher::Client(kj::mv(cap)),
                                              NativeFetcher::Origin::DYNAMIC);
  fetcher->request.bindToCurrent(js, "SubrequestChannel");
  return wrapJsFetcher(parent, js, kj::mv(fetcher));
}

void WorkerStub::getDurableObjectClass(js::Lock& js) {
  js::throwError(js::ErrorType::ERROR,
                 "Durable Objects are not supported by loaderd, so getDurableObjectClass() is "
                 "not available.");
}

}  // namespace loaderd
