#include "worker.h"

#include "api/headers.h"
#include "api/http.h"
#include "api/natives.h"
#include "api/tracing.h"
#include "builtins.h"
#include "serialize.h"
#include <kj/encoding.h>
#include <kj/debug.h>
#include <cstdio>

namespace loaderd {

namespace {

// One log line: newlines inside become spaces or visible escapes.
kj::String oneLine(kj::ArrayPtr<const char> text, bool keepStackReadable) {
  kj::Vector<char> out(text.size());
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (c == '\n') {
      if (keepStackReadable) {
        out.add(' ');
        while (i + 1 < text.size() && text[i + 1] == ' ') i++;
      } else {
        out.addAll(kj::StringPtr("\\n"));
      }
    } else {
      out.add(c);
    }
  }
  return kj::str(out.asPtr());
}

}  // namespace

kj::Own<Worker> Worker::prepare(Platform& platform, kj::Timer& timer,
                                const kj::HttpHeaderTable& headerTable, double memoryMb,
                                IsolateSetup& setup, const IsolateSnapshot* snapshot) {
  v8::Isolate::CreateParams params;
  auto buffers = std::make_shared<BufferAllocator>(static_cast<size_t>(memoryMb * 1048576));
  params.array_buffer_allocator_shared = buffers;
  params.constraints.ConfigureDefaultsFromHeapSize(0, static_cast<size_t>(memoryMb * 1048576));
  if (snapshot != nullptr) {
    params.snapshot_blob = const_cast<v8::StartupData*>(&snapshot->blob);  // V8 only reads it
    params.external_references = js::externalReferences();
  }
  auto* isolate = v8::Isolate::New(params);
  WorkerSpec placeholder{kj::str("(prepared)"), kj::Own<ModuleSource>(), Compatibility{},
                         [](Worker&, js::Lock& js) { return v8::Object::New(js.isolate); }};
  auto worker = kj::refcounted<Worker>(platform, timer, headerTable, kj::mv(placeholder), isolate);
  worker->bindToThread();
  buffers->onRefusal(&bufferRefused, worker.get());
  worker->buffers = kj::mv(buffers);
  isolate->AddNearHeapLimitCallback(&nearHeapLimit, worker.get());
  isolate->AddGCPrologueCallback(&checkExternalMemory, worker.get());
  worker->memoryMb = memoryMb;
  if (snapshot != nullptr) {
    worker->restoreContext(*snapshot, setup);
  } else {
    worker->prepareContext(setup);
  }
  return worker;
}

namespace {
// Every wrapper's native pointer is cleared before the snapshot is written, so no field has
// anything to serialize; a field that still does is a wrapper restoreContext() would not find.
v8::StartupData serializeField(v8::Local<v8::Object> holder, int index, void* data) {
  if (holder->GetAlignedPointerFromInternalField(index) != nullptr) {
    *static_cast<bool*>(data) = false;
  }
  return {nullptr, 0};
}
}  // namespace

kj::Maybe<kj::Own<IsolateSnapshot>> Worker::makeSnapshot(Platform& platform, kj::Timer& timer,
                                                         const kj::HttpHeaderTable& headerTable,
                                                         IsolateSetup& setup) {
  KJ_REQUIRE(BuiltinSet::get().namesKnown(), "the first isolate comes before the snapshot");
  auto result = kj::heap<IsolateSnapshot>();
  bool usable = true;
  {
    v8::SnapshotCreator creator(js::externalReferences());
    auto* isolate = creator.GetIsolate();
    v8::Locker locker(isolate);
    {
      v8::HandleScope handleScope(isolate);
      kj::Vector<v8::Global<v8::Object>> natives;
      WorkerSpec placeholder{kj::str("(snapshot)"), kj::Own<ModuleSource>(), Compatibility{},
                             [](Worker&, js::Lock& js) { return v8::Object::New(js.isolate); }};
      auto worker = kj::refcounted<Worker>(platform, timer, headerTable, kj::mv(placeholder),
                                           isolate);
      worker->ownsIsolate = false;
      worker->snapshotNatives = &natives;
      worker->prepareContext(setup);
      auto ctx = worker->context.Get(isolate);
      {
        v8::Context::Scope contextScope(ctx);
        js::Lock js(isolate, ctx);
        // The wrappers restoreContext() attaches again: the global scope, console, and what
        // installNative() installed. Any other (a native object a builtin made at its top
        // level) would come back without its C++ half.
        auto global = ctx->Global();
        auto inner = global->GetPrototype();
        kj::Vector<v8::Local<v8::Object>> known;
        known.add(inner->IsObject() && inner.As<v8::Object>()->InternalFieldCount() > 0
                      ? inner.As<v8::Object>() : global);
        known.add(js::check(global->Get(ctx, js.internedStr("console"))).As<v8::Object>());
        for (auto& n: natives) known.add(n.Get(isolate));
        for (auto wrapper: worker->liveWrappers()) {
          bool found = false;
          for (auto k: known) found = found || k->StrictEquals(wrapper);
          if (!found) {
            KJ_LOG(ERROR, "not using a startup snapshot: a builtin keeps a native object",
                   js.toString(wrapper->GetConstructorName()));
            usable = false;
          }
          wrapper->SetAlignedPointerInInternalField(0, nullptr);
        }
      }
      kj::Vector<const void*> keys;
      kj::Vector<size_t> indexes;
      worker->forEachTemplate([&](const void* key, v8::Local<v8::FunctionTemplate> tmpl) {
        keys.add(key);
        indexes.add(creator.AddData(tmpl));
      });
      result->templateKeys = keys.releaseAsArray();
      result->templateIndexes = indexes.releaseAsArray();
      result->internalIndex = creator.AddData(ctx, worker->internal.Get(isolate));
      result->nextBuiltin = worker->nextBuiltin;
      creator.SetDefaultContext(v8::Context::New(isolate));
      creator.AddContext(ctx, v8::SerializeInternalFieldsCallback(&serializeField, &usable));
      natives.clear();
      worker = nullptr;
    }
    // Templates made from now on are never in a snapshot: their callbacks need no index.
    js::freezeExternals();
    result->blob = creator.CreateBlob(v8::SnapshotCreator::FunctionCodeHandling::kKeep);
  }
  if (!usable || result->blob.data == nullptr) return nullptr;
  return kj::mv(result);
}

kj::Own<Worker> Worker::start(kj::Own<Worker> prepared, WorkerSpec spec) {
  KJ_REQUIRE(!prepared->started, "a prepared worker starts once");
  double wanted = DEFAULT_MEMORY_MB;
  KJ_IF_MAYBE(m, spec.limits.memoryMb) { wanted = *m; }
  KJ_REQUIRE(wanted == prepared->memoryMb, "prepared isolate has another heap limit");
  prepared->spec = kj::mv(spec);
  prepared->started = true;
  prepared->releaseOnEventLoop();  // this thread's event loop runs the worker from now on
  prepared->startup();
  return prepared;
}

kj::Own<Worker> Worker::start(Platform& platform, kj::Timer& timer,
                              const kj::HttpHeaderTable& headerTable, WorkerSpec spec,
                              IsolateSetup& setup) {
  double memoryMb = DEFAULT_MEMORY_MB;
  KJ_IF_MAYBE(m, spec.limits.memoryMb) { memoryMb = *m; }
  return start(prepare(platform, timer, headerTable, memoryMb, setup), kj::mv(spec));
}

size_t Worker::heapBytes() {
  v8::HeapStatistics stats;
  isolate->GetHeapStatistics(&stats);
  return stats.total_heap_size() + stats.malloced_memory() + stats.external_memory();
}

void Worker::releaseLater(kj::Own<Worker> worker) {
  kj::evalLater([worker = kj::mv(worker)]() mutable { worker = nullptr; })
      .detach([](kj::Exception&& e) { js::logInternalError(kj::str("releasing a worker: ", e)); });
}

Worker::Worker(Platform& platform, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
               WorkerSpec specArg, v8::Isolate* isolate)
    : js::IsolateBase(isolate), platform(platform), timer_(timer), headerTable(headerTable),
      spec(kj::mv(specArg)), isolate(isolate) {
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  // A blocked thread uses no CPU, so no CPU limit could end an Atomics.wait: it throws, as on
  // workerd.
  isolate->SetAllowAtomicsWait(false);
  isolate->SetPrepareStackTraceCallback(&prepareStackTrace);
  // As on workerd, WebAssembly comes only from wasm modules, never compiled from bytes at run
  // time ("Wasm code generation disallowed by embedder").
  isolate->SetAllowWasmCodeGenerationCallback(
      [](v8::Local<v8::Context> context, v8::Local<v8::String>) {
        return js::IsolateBase::from(context->GetIsolate()).wasmCodegenAllowed;
      });
  installModuleHooks(isolate);
  isolate->SetPromiseRejectCallback(&promiseRejected);
}

// V8's promise reject callback: a rejection with no handler, or a handler added after one, is
// noted and looked at in a microtask queued now (no JavaScript runs inside V8's callback); then
// workers.js (promiseRejected) reports what still has no handler. Only for the worker's own
// context once it started (not the builtins' setup, not a sandbox's contexts).
void Worker::promiseRejected(v8::PromiseRejectMessage message) {
  int kind;
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler: kind = 0; break;
    case v8::kPromiseHandlerAddedAfterReject: kind = 1; break;
    default: return;
  }
  auto promise = message.GetPromise();
  auto isolate = promise->GetIsolate();
  auto& self = static_cast<Worker&>(js::IsolateBase::from(isolate));
  if (!self.started || self.exceeded != LimitExceeded::NONE || self.context.IsEmpty()) return;
  if (isolate->IsExecutionTerminating()) return;
  if (isolate->GetCurrentContext() != self.context.Get(isolate)) return;
  auto& pending = self.pendingRejections;
  if (kind == 1) {
    // A handler for a rejection still waiting here (`await` on a rejected promise): the pair
    // cancels out, most often with the last one noted.
    for (size_t i = pending.size(), seen = 0; i > 0 && seen < 16; i--, seen++) {
      auto& p = pending[i - 1];
      if (p.kind == 0 && p.promise == promise) {
        pending[i - 1] = kj::mv(pending.back());
        pending.removeLast();
        return;
      }
    }
  }
  // Bounded: past this many in one turn, more are neither reported nor kept.
  if (pending.size() >= MAX_PENDING_REJECTIONS) return;
  v8::Local<v8::Value> reason = kind == 0 ? message.GetValue() : v8::Undefined(isolate).As<v8::Value>();
  pending.add(PendingRejection{kind, v8::Global<v8::Promise>(isolate, promise),
                               v8::Global<v8::Value>(isolate, reason)});
  if (!self.rejectionsQueued) {
    self.rejectionsQueued = true;
    isolate->EnqueueMicrotask(&processRejections, &self);
  }
}

void Worker::processRejections(void* data) {
  auto& self = *static_cast<Worker*>(data);
  self.rejectionsQueued = false;
  auto list = kj::mv(self.pendingRejections);
  auto isolate = self.isolate;
  if (self.exceeded != LimitExceeded::NONE || isolate->IsExecutionTerminating()) return;
  v8::HandleScope handleScope(isolate);
  auto context = self.context.Get(isolate);
  js::Lock js(isolate, context);
  v8::TryCatch tryCatch(isolate);
  try {  // nothing C++ may unwind through V8's microtask frames
    for (auto& rejection: list) {
      auto promise = rejection.promise.Get(isolate);
      if (rejection.kind == 0 && promise->HasHandler()) continue;  // handled in time
      v8::Local<v8::Value> args[] = {v8::Integer::New(isolate, rejection.kind), promise,
                                     rejection.reason.Get(isolate)};
      auto result = self.hook(js, "workers", "promiseRejected")->Call(context, js.undefined(), 3,
                                                                         args);
      if (result.IsEmpty()) {
        if (!tryCatch.CanContinue()) {
          tryCatch.ReThrow();  // stopping (a limit): the microtasks after this one stop too
          return;
        }
        tryCatch.Reset();
        continue;
      }
      if (rejection.kind == 0 && !result.ToLocalChecked()->IsTrue() &&
          self.unhandledToLog.size() < MAX_PENDING_REJECTIONS) {
        self.unhandledToLog.add(kj::mv(rejection));  // logged if still unhandled at the end
      }
    }
  } catch (...) {
    if (tryCatch.HasCaught() && !tryCatch.CanContinue()) tryCatch.ReThrow();
  }
}

// At the end of a turn, once every microtask ran: the rejections no listener took and that still
// have no handler (a promise adopted by an async function's result gets its handler a microtask
// later: not an unhandled rejection) are logged.
void Worker::logUnhandledRejections(js::Lock& js) {
  auto list = kj::mv(unhandledToLog);
  for (auto& rejection: list) {
    if (rejection.promise.Get(isolate)->HasHandler()) continue;
    reportUncaught(js, rejection.reason.Get(isolate), "promise");
  }
}


// Formats `error.stack` as V8 does, leaving out frames of loaderd's JavaScript builtins: user
// code sees only its own frames, as on workerd.
v8::MaybeLocal<v8::Value> Worker::prepareStackTrace(v8::Local<v8::Context> context,
                                                   v8::Local<v8::Value> error,
                                                   v8::Local<v8::Array> sites) {
  // User code may have replaced Error, Error.prototype.toString or anything else by now: only
  // the intrinsic captured at startup is called, every result is checked, and any failure
  // gives a plain string rather than an empty result (which V8 would abort on).
  auto isolate = context->GetIsolate();
  js::Lock js(isolate, context);
  auto& self = static_cast<Worker&>(js::IsolateBase::from(isolate));
  v8::TryCatch tryCatch(isolate);
  kj::Vector<kj::String> lines;
  {
    v8::Local<v8::Value> header;
    if (!self.errorToString.IsEmpty() &&
        self.errorToString.Get(isolate)->Call(context, error, 0, nullptr).ToLocal(&header) &&
        header->IsString()) {
      lines.add(js.toString(header));
    } else {
      tryCatch.Reset();
      v8::Local<v8::String> str;
      if (!error->IsObject() && error->ToString(context).ToLocal(&str)) {
        lines.add(js.toString(str));
      } else {
        lines.add(kj::str("Error"));
      }
    }
    tryCatch.Reset();
  }
  for (uint i = 0; i < sites->Length(); i++) {
    v8::Local<v8::Value> siteValue;
    if (!sites->Get(context, i).ToLocal(&siteValue) || !siteValue->IsObject()) break;
    auto site = siteValue.As<v8::Object>();
    v8::Local<v8::Value> getFileName, file;
    if (site->Get(context, js.internedStr("getFileName")).ToLocal(&getFileName) &&
        getFileName->IsFunction() &&
        getFileName.As<v8::Function>()->Call(context, site, 0, nullptr).ToLocal(&file) &&
        file->IsString() && js.toString(file).startsWith("loaderd:builtins/")) {
      continue;
    }
    v8::Local<v8::String> text;
    if (site->ToString(context).ToLocal(&text)) lines.add(kj::str("    at ", js.toString(text)));
    tryCatch.Reset();
  }
  return js.str(kj::strArray(lines, "\n"));
}

void Worker::bindToThread() {
  if (!threadLock) threadLock = std::make_unique<v8::Locker>(isolate);
}

void Worker::releaseThread() {
  threadLock.reset();
}

Worker::~Worker() noexcept(false) {
  for (auto& callback: destroyCallbacks) callback();
  bindToThread();
  {
    v8::Isolate::Scope isolateScope(isolate);
    v8::HandleScope handleScope(isolate);
    env.Reset();
    exports.Reset();
    ctxExports.Reset();
    tracingApi.Reset();
    pendingAborts.clear();
    pendingRejections.clear();
    unhandledToLog.clear();
    errorToString.Reset();
    hookCache.clear();
    internal.Reset();
    registry = nullptr;
    globalScope = nullptr;
    releaseAll();
    context.Reset();
  }
  threadLock.reset();
  // The allocator outlives this worker (backing stores keep it): no callback into it any more.
  if (buffers != nullptr) buffers->onRefusal(nullptr, nullptr);
  // Disposing of an isolate takes a while (its heap is unmapped page by page): off this thread.
  if (ownsIsolate) platform.retireIsolate(isolate);
}

size_t Worker::nearHeapLimit(void* data, size_t current, size_t initial) {
  static_cast<Worker*>(data)->exceedMemoryLimit();
  // Room to unwind the terminated JavaScript; the isolate is not used again.
  return current + 64 * 1048576;
}

void Worker::exceedMemoryLimit() {
  exceeded = LimitExceeded::MEMORY;
  isolate->TerminateExecution();
}

bool Worker::admitBuffer(size_t length) {
  if (buffers == nullptr || buffers->admits(length)) return true;
  // Garbage may hold the room, as when V8 itself retries.
  isolate->LowMemoryNotification();
  if (buffers->admits(length)) return true;
  if (exceeded == LimitExceeded::NONE) exceedMemoryLimit();
  return false;
}

namespace {
class NativeHold {
public:
  NativeHold(std::shared_ptr<BufferAllocator> buffers, size_t length)
      : buffers(kj::mv(buffers)), length(length) {
    this->buffers->holdNative(length);
  }
  ~NativeHold() { buffers->releaseNative(length); }
  KJ_DISALLOW_COPY(NativeHold);

private:
  std::shared_ptr<BufferAllocator> buffers;
  size_t length;
};
}  // namespace

kj::Own<void> Worker::holdArrived(size_t length) {
  if (buffers == nullptr) return kj::Own<void>();
  auto hold = kj::heap<NativeHold>(buffers, length);
  if (!buffers->admits(0)) tearDownOutsideJs(LimitExceeded::MEMORY);
  return hold;
}

kj::Own<void> Worker::holdNative(js::Lock& js, size_t length) {
  if (buffers == nullptr) return kj::Own<void>();
  if (!admitBuffer(length)) {
    js::throwError(js::ErrorType::RANGE_ERROR,
                   "Memory limit exceeded: data in flight from this worker does not fit its "
                   "memory limit.");
  }
  return kj::heap<NativeHold>(buffers, length);
}

void Worker::bufferRefused(void* data) {
  auto* self = static_cast<Worker*>(data);
  self->isolate->RequestInterrupt(
      [](v8::Isolate*, void* data) {
        auto* self = static_cast<Worker*>(data);
        if (self->exceeded == LimitExceeded::NONE && self->buffers->overBudget()) {
          self->exceedMemoryLimit();
        }
      },
      self);
}

void Worker::checkExternalMemory(v8::Isolate* isolate, v8::GCType, v8::GCCallbackFlags,
                                 void* data) {
  auto* self = static_cast<Worker*>(data);
  if (self->exceeded != LimitExceeded::NONE) return;
  // A change of 0 only reads the amount. ArrayBuffer contents are in it too, but their allocator
  // holds them to the limit already, and counted here they would include garbage ones.
  int64_t external = isolate->AdjustAmountOfExternalAllocatedMemory(0);
  if (self->buffers != nullptr) external -= static_cast<int64_t>(self->buffers->held());
  if (external > static_cast<int64_t>(self->memoryMb * 1048576)) self->exceedMemoryLimit();
}

void Worker::traceLog(js::Lock& js, api::LogLevel level, const js::Arguments& args) {
  if (!tracing) return;
  auto values = v8::Array::New(js.isolate, args.Length());
  for (int i = 0; i < args.Length(); i++) js::check(values->Set(js.context(), i, args[i]));
  v8::Local<v8::Value> hookArgs[] = {v8::Number::New(js.isolate, static_cast<int>(level)), values};
  js::check(hook(js, "workers", "traceLog")->Call(js.context(), js.undefined(), 2, hookArgs));
}

void Worker::reportTornDown() {
  auto line = kj::str("[", spec.name, "] ", limitMessage(exceeded), " The worker was torn down.\n");
  fwrite(line.begin(), 1, line.size(), stderr);
  // Whatever was waiting on this worker's promises fails now instead of never.
  rejectAllPending(limitException());
}

void Worker::exceedWallLimit() {
  tearDownOutsideJs(LimitExceeded::WALL);
}

void Worker::tearDownOutsideJs(LimitExceeded kind) {
  // Nothing to terminate: whatever waits on the worker fails now.
  if (exceeded != LimitExceeded::NONE) return;
  exceeded = kind;
  reportTornDown();
}

namespace {
kj::Maybe<double> lower(kj::Maybe<double> a, kj::Maybe<double> b) {
  KJ_IF_MAYBE(x, a) {
    KJ_IF_MAYBE(y, b) { return kj::min(*x, *y); }
  }
  return a == nullptr ? b : a;
}
kj::Maybe<double> lowest(kj::Maybe<double> own, const kj::Vector<double>& caps) {
  for (double cap: caps) own = lower(own, cap);
  return own;
}
void removeOne(kj::Vector<double>& caps, double value) {
  for (size_t i = 0; i < caps.size(); i++) {
    if (caps[i] == value) {
      caps[i] = caps.back();
      caps.removeLast();
      return;
    }
  }
}
}  // namespace

kj::Maybe<double> Worker::effectiveCpuMs() const {
  if (invocationsInFlight == 0) return lower(spec.limits.cpuMs, periodCpuMs);
  return lowest(spec.limits.cpuMs, entrypointCpuMs);
}
kj::Maybe<double> Worker::effectiveSubrequests() const {
  if (invocationsInFlight == 0) return lower(spec.limits.subrequests, periodSubrequests);
  return lowest(spec.limits.subrequests, entrypointSubrequests);
}

kj::Maybe<EntrypointLimits> Worker::entrypointCaps() const {
  // Nothing in flight: work left behind by the last invocations (a timer) hands out under theirs.
  EntrypointLimits caps = invocationsInFlight == 0
      ? EntrypointLimits{periodCpuMs, periodSubrequests}
      : EntrypointLimits{lowest(nullptr, entrypointCpuMs), lowest(nullptr, entrypointSubrequests)};
  if (caps.cpuMs == nullptr && caps.subrequests == nullptr) return nullptr;
  return caps;
}

void Worker::beginInvocation(kj::Maybe<const EntrypointLimits&> through) {
  if (invocationsInFlight++ == 0) {
    invocationCpuNs = 0;
    subrequestsInInvocation = 0;
    logBytesInInvocation = 0;
    periodCpuMs = nullptr;
    periodSubrequests = nullptr;
  }
  KJ_IF_MAYBE(t, through) {
    KJ_IF_MAYBE(c, t->cpuMs) { entrypointCpuMs.add(*c); }
    KJ_IF_MAYBE(s, t->subrequests) { entrypointSubrequests.add(*s); }
    periodCpuMs = lower(periodCpuMs, t->cpuMs);
    periodSubrequests = lower(periodSubrequests, t->subrequests);
  }
}

void Worker::endInvocation(kj::Maybe<const EntrypointLimits&> through) {
  if (invocationsInFlight > 0) --invocationsInFlight;
  KJ_IF_MAYBE(t, through) {
    KJ_IF_MAYBE(c, t->cpuMs) { removeOne(entrypointCpuMs, *c); }
    KJ_IF_MAYBE(s, t->subrequests) { removeOne(entrypointSubrequests, *s); }
  }
}

kj::Exception Worker::limitException() const {
  if (exceeded == LimitExceeded::NONE) {
    // JavaScript stopped with no limit reached: a ctx.abort() (of this request or, its
    // microtasks being dropped with the aborted ones, of another).
    return KJ_EXCEPTION(FAILED, "jslocal.Error: Worker execution was aborted due to call to "
                                "ctx.abort().");
  }
  return KJ_EXCEPTION(FAILED, kj::str("jslocal.Error: ", limitMessage(exceeded)));
}

void Worker::countSubrequest() {
  KJ_IF_MAYBE(limit, effectiveSubrequests()) {
    if (++subrequestsInInvocation > *limit) {
      js::throwError(js::ErrorType::ERROR, "Too many subrequests.");
    }
  }
}

bool Worker::watchCpu(kj::Maybe<double> cpuMs, int64_t usedNs) {
  KJ_IF_MAYBE(ms, cpuMs) {
    int64_t budget = budgetNs(*ms) - usedNs;
    platform.watchdog().arm(isolate, budget > 0 ? budget : 0, &cpuExceeded);
    return true;
  }
  return false;
}

void Worker::runInJs(kj::FunctionParam<void(js::Lock&)> func) {
  // A worker torn down for a limit never runs JavaScript again; continuations that would have
  // re-entered it end quietly, and entry points report limitException().
  if (exceeded != LimitExceeded::NONE) return;
  bool watched = watchCpu(effectiveCpuMs(), invocationCpuNs);
  ++jsDepth;
  KJ_DEFER({
    --jsDepth;
    if (watched) invocationCpuNs += platform.watchdog().disarm();
    if (cpuExceeded.load()) exceeded = LimitExceeded::CPU;
    // A refused ArrayBuffer allocation whose RangeError the code caught and returned from.
    if (exceeded == LimitExceeded::NONE && buffers != nullptr && buffers->overBudget()) {
      exceeded = LimitExceeded::MEMORY;
    }
    if (exceeded != LimitExceeded::NONE) reportTornDown();
  });
  v8::Isolate::Scope isolateScope(isolate);
  v8::HandleScope handleScope(isolate);
  auto ctx = context.Get(isolate);
  v8::Context::Scope contextScope(ctx);
  js::Lock js(isolate, ctx);
  // Each event starts with no async context; promise reactions restore their own.
  ctx->SetContinuationPreservedEmbedderData(v8::Undefined(isolate));
  {
    // A JS failure that a continuation did not handle must not escape into KJ as a non-KJ
    // exception (it would fail the task silently and leave its promise unsettled): log it.
    v8::TryCatch tryCatch(isolate);
    try {
      func(js);
    } catch (js::ExceptionPending&) {
    } catch (js::Error& e) {
      isolate->ThrowException(js.makeError(e));
    }
    if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
      auto exception = tryCatch.Exception();
      tryCatch.Reset();
      reportUncaught(js, exception, "internal continuation");
    }
  }
  if (!pendingAborts.empty() && jsDepth == 1) finishAborts(js);
  isolate->PerformMicrotaskCheckpoint();
  // V8's foreground tasks (GC finalisation, memory reduction) run on this thread, between turns.
  platform.pumpMessageLoop(isolate);
  // ctx.abort() from what ran in the checkpoint (code after an await) or the pump (a
  // FinalizationRegistry callback): finished in this turn too, never left to the next event.
  // Logging an unhandled rejection may run JavaScript (a stack getter): then its microtasks run
  // in this turn as well. The CPU watchdog bounds the loop.
  while (jsDepth == 1 && exceeded == LimitExceeded::NONE && !cpuExceeded.load() &&
         (!pendingAborts.empty() || !unhandledToLog.empty())) {
    if (!pendingAborts.empty()) finishAborts(js);
    if (!unhandledToLog.empty()) logUnhandledRejections(js);
    isolate->PerformMicrotaskCheckpoint();
    platform.pumpMessageLoop(isolate);
  }
}

void Worker::prepareContext(IsolateSetup& setup) {
  v8::Isolate::Scope isolateScope(isolate);
  v8::HandleScope handleScope(isolate);
  js::Lock templateLock(isolate, v8::Local<v8::Context>());
  auto globalTemplate = templateLock.templateFor<api::GlobalScope>()->InstanceTemplate();
  auto ctx = v8::Context::New(isolate, nullptr, globalTemplate);
  context.Reset(isolate, ctx);
  v8::Context::Scope contextScope(ctx);
  js::Lock js(isolate, ctx);
  v8::TryCatch tryCatch(isolate);
  try {
    // Code generation from strings (eval, new Function) is refused except while the worker's
    // modules are evaluated at startup, as on workerd.
    ctx->AllowCodeGenerationFromStrings(false);
    captureIntrinsics(js);
    auto global = ctx->Global();
    attachGlobalScope(js, global);
    js::exposeClasses<LOADERD_HEADERS_TYPES, api::Request, api::Response, api::GlobalScope>(
        js, global);
    // V8 installs its own (silent, inspector-only) console as an own property of the global,
    // which would shadow GlobalScope's; replace it.
    js::check(global->Delete(ctx, js.internedStr("console")));
    js::check(global->DefineOwnProperty(ctx, js.internedStr("console"),
                                        globalScope->getConsole()->wrap(js), v8::DontEnum));
    installBuiltins(js, global, setup);
  } catch (js::ExceptionPending&) {
  } catch (...) {
    js::translateCurrentException(js);
  }
  // The builtins are ours: a failure here is a bug, never the user's.
  KJ_ASSERT(!tryCatch.HasCaught(), "builtins failed to load",
            js::describeException(js, tryCatch.Exception()));
}

void Worker::captureIntrinsics(js::Lock& js) {
  auto ctx = js.context();
  auto errorCtor = js::check(ctx->Global()->Get(ctx, js.internedStr("Error"))).As<v8::Object>();
  auto proto = js::check(errorCtor->Get(ctx, js.internedStr("prototype"))).As<v8::Object>();
  auto toString = js::check(proto->Get(ctx, js.internedStr("toString")));
  errorToString.Reset(isolate, toString.As<v8::Function>());
}

void Worker::attachGlobalScope(js::Lock& js, v8::Local<v8::Object> global) {
  globalScope = kj::refcounted<api::GlobalScope>(*this);
  auto inner = global->GetPrototype();
  if (inner->IsObject() && inner.As<v8::Object>()->InternalFieldCount() > 0) {
    globalScope->attachWrapper(js, inner.As<v8::Object>());
  } else {
    globalScope->attachWrapper(js, global);
  }
}

void Worker::restoreContext(const IsolateSnapshot& snapshot, IsolateSetup& setup) {
  v8::Isolate::Scope isolateScope(isolate);
  v8::HandleScope handleScope(isolate);
  for (size_t i = 0; i < snapshot.templateKeys.size(); i++) {
    adoptTemplate(snapshot.templateKeys[i],
                  js::check(isolate->GetDataFromSnapshotOnce<v8::FunctionTemplate>(
                      snapshot.templateIndexes[i])));
  }
  auto ctx = js::check(v8::Context::FromSnapshot(isolate, 0));
  context.Reset(isolate, ctx);
  v8::Context::Scope contextScope(ctx);
  js::Lock js(isolate, ctx);
  v8::TryCatch tryCatch(isolate);
  restoring = true;
  try {
    ctx->AllowCodeGenerationFromStrings(false);
    captureIntrinsics(js);
    auto global = ctx->Global();
    attachGlobalScope(js, global);
    auto console = js::check(global->Get(ctx, js.internedStr("console")));
    KJ_ASSERT(console->IsObject(), "the snapshot has no console");
    globalScope->getConsole()->attachWrapper(js, console.As<v8::Object>());
    auto internalObj = js::check(ctx->GetDataFromSnapshotOnce<v8::Object>(snapshot.internalIndex));
    internal.Reset(isolate, internalObj);
    installNative(js, internalObj, "native", kj::refcounted<api::Natives>(*this));
    setup(*this, js, internalObj);
    nextBuiltin = snapshot.nextBuiltin;
    restored = true;
  } catch (js::ExceptionPending&) {
  } catch (...) {
    js::translateCurrentException(js);
  }
  restoring = false;
  KJ_ASSERT(!tryCatch.HasCaught(), "restoring the builtins failed",
            js::describeException(js, tryCatch.Exception()));
}

void Worker::installNative(js::Lock& js, v8::Local<v8::Object> target, kj::StringPtr name,
                           kj::Own<js::Object> object) {
  auto key = js.internedStr(name);
  if (restoring) {
    auto holder = js::check(target->Get(js.context(), key));
    KJ_ASSERT(holder->IsObject() && holder.As<v8::Object>()->InternalFieldCount() > 0,
              "the snapshot lacks a native object", name);
    object->attachWrapper(js, holder.As<v8::Object>());
    return;
  }
  auto wrapper = object->wrap(js);
  js::check(target->Set(js.context(), key, wrapper));
  if (snapshotNatives != nullptr) snapshotNatives->add(v8::Global<v8::Object>(js.isolate, wrapper));
}

void Worker::startup() {
  v8::Isolate::Scope isolateScope(isolate);
  v8::HandleScope handleScope(isolate);
  auto ctx = context.Get(isolate);
  v8::Context::Scope contextScope(ctx);
  js::Lock js(isolate, ctx);
  // Evaluating the modules is charged like an invocation: a top level that never ends
  // (`while (true) {}`) is ended by the worker's CPU limit instead of holding the thread that
  // serves every worker.
  bool watched = watchCpu(spec.limits.startupCpuMs == nullptr ? spec.limits.cpuMs
                                                              : spec.limits.startupCpuMs, 0);
  KJ_DEFER(if (watched) platform.watchdog().disarm());
  v8::TryCatch tryCatch(isolate);
  try {
    KJ_IF_MAYBE(extend, spec.extendInternal) {
      (*extend)(*this, js, internal.Get(isolate));
    }
    env.Reset(isolate, spec.makeEnv(*this, js));
    {
      // Globals that depend on compatibility flags (nodejs_compat: Buffer, process).
      auto hooks = workerHooks(js);
      auto apply = js::check(hooks->Get(js.context(), js.internedStr("applyCompat")));
      auto flags = v8::Object::New(isolate);
      js::check(flags->Set(ctx, js.internedStr("nodejsCompatV2"),
                           v8::Boolean::New(isolate, spec.compat.nodejsCompatV2)));
      js::check(flags->Set(ctx, js.internedStr("cacheOption"),
                           v8::Boolean::New(isolate, spec.compat.cacheOption)));
      js::check(flags->Set(ctx, js.internedStr("cacheNoCache"),
                           v8::Boolean::New(isolate, spec.compat.cacheNoCache)));
      v8::Local<v8::Value> args[] = {flags};
      js::check(apply.As<v8::Function>()->Call(ctx, hooks, 1, args));
    }
    registry = kj::heap<ModuleRegistry>(*spec.modules);
    registerBuiltinModules(js);
    ctx->AllowCodeGenerationFromStrings(true);
    KJ_DEFER(ctx->AllowCodeGenerationFromStrings(false));
    auto ns = registry->evaluateMain(js);
    exports.Reset(isolate, ns);
    validateExports(js, ns);
  } catch (js::ExceptionPending&) {
  } catch (...) {
    js::translateCurrentException(js);
  }
  if (cpuExceeded.load()) {
    exceeded = LimitExceeded::CPU;
    auto message = limitMessage(exceeded);
    throw StartupError{kj::str(message), kj::str("Error: ", message)};
  }
  if (tryCatch.HasCaught()) {
    throw formatStartupError(js, tryCatch);
  }
}

void Worker::registerBuiltinModules(js::Lock& js) {
  auto internalObj = internal.Get(isolate);
  auto modules = js::check(internalObj->Get(js.context(), js.internedStr("builtinModules")));
  if (!modules->IsObject()) return;
  auto obj = modules.As<v8::Object>();
  auto names = js::check(obj->GetOwnPropertyNames(js.context()));
  for (uint i = 0; i < names->Length(); i++) {
    auto name = js.toString(js::check(names->Get(js.context(), i)));
    // Node.js modules exist only with nodejs_compat; without it, `No such module "node:x".`
    if (name.startsWith("node:") && !spec.compat.nodeModules()) continue;
    registry->addBuiltin(name, [this, name = kj::str(name)](js::Lock& js) {
      // The builtin's exports: internal.builtinModules[name](env).
      TopLevelEvaluation::Lifted builtinRuns(isolate);
      auto table = js::check(internal.Get(isolate)->Get(js.context(),
                                                         js.internedStr("builtinModules")));
      auto factory = js::check(table.As<v8::Object>()->Get(js.context(), js.str(name)));
      v8::Local<v8::Value> args[] = {env.Get(isolate)};
      auto result = js::check(factory.As<v8::Function>()->Call(js.context(), table, 1, args));
      return result.As<v8::Object>();
    });
  }
}

void Worker::validateExports(js::Lock& js, v8::Local<v8::Object> ns) {
  auto hooks = workerHooks(js);
  auto validate = js::check(hooks->Get(js.context(), js.internedStr("validateExports")));
  v8::Local<v8::Value> args[] = {ns};
  js::check(validate.As<v8::Function>()->Call(js.context(), hooks, 1, args));
}

void Worker::installBuiltins(js::Lock& js, v8::Local<v8::Object> global, IsolateSetup& setup) {
  auto internal = v8::Object::New(js.isolate);
  this->internal.Reset(js.isolate, internal);
  installNative(js, internal, "native", kj::refcounted<api::Natives>(*this));
  setup(*this, js, internal);
  auto& set = BuiltinSet::get();
  auto sources = set.sources();
  if (!set.namesKnown()) {
    // The first isolate runs every builtin now and records the globals each one defines
    // (non-enumerable ones included: builtins define globals as WebIDL does).
    auto ownNames = [&]() {
      auto names = js::check(global->GetOwnPropertyNames(
          js.context(), static_cast<v8::PropertyFilter>(v8::ALL_PROPERTIES | v8::SKIP_SYMBOLS),
          v8::KeyConversionMode::kConvertToString));
      kj::HashSet<kj::String> set;
      for (uint k = 0; k < names->Length(); k++) {
        set.upsert(js.toString(js::check(names->Get(js.context(), k))), [](auto&, auto&&) {});
      }
      return set;
    };
    for (size_t i = 0; i < sources.size(); i++) {
      auto before = ownNames();
      runBuiltin(js, i);
      auto after = ownNames();
      kj::Vector<kj::String> added;
      for (auto& name: after) {
        if (!before.contains(name)) added.add(kj::str(name));
      }
      set.setNames(i, added.releaseAsArray());
    }
    nextBuiltin = sources.size();
    return;
  }
  // Later isolates run the builtins that patch the engine itself or that C++ relies on at
  // once, and the others on first use of a global they define: most workers never touch
  // streams or URL, and a cold start should not pay for them.
  v8::AccessorNameGetterCallback lazyGet =
      [](v8::Local<v8::Name> property, const v8::PropertyCallbackInfo<v8::Value>& info) {
        auto isolate = info.GetIsolate();
        auto& self = static_cast<Worker&>(js::IsolateBase::from(isolate));
        js::Lock js(isolate);
        try {
          size_t index = static_cast<size_t>(info.Data().As<v8::Number>()->Value());
          // A builtin that reads the global it is about to define (a `typeof X` check) lands
          // here while it runs: the global is not there yet.
          if (index < self.nextBuiltin) return;
          self.ensureBuiltinsThrough(js, index);
          auto value = js::check(js.context()->Global()->Get(js.context(), property));
          info.GetReturnValue().Set(value);
        } catch (...) {
          js::translateCurrentException(js);
        }
      };
  v8::AccessorNameSetterCallback lazySet =
      [](v8::Local<v8::Name> property, v8::Local<v8::Value> value,
         const v8::PropertyCallbackInfo<void>& info) {
        // Assigned before first use: the worker's value wins, the builtin is not needed.
        auto isolate = info.GetIsolate();
        js::Lock js(isolate);
        auto global = js.context()->Global();
        js::ignore(global->Delete(js.context(), property));
        js::ignore(global->DefineOwnProperty(js.context(), property, value, v8::DontEnum));
      };
  js::registerExternal(reinterpret_cast<const void*>(lazyGet));
  js::registerExternal(reinterpret_cast<const void*>(lazySet));
  for (size_t i = 0; i < sources.size(); i++) {
    if (BuiltinSet::isEager(sources[i].name)) {
      ensureBuiltinsThrough(js, i);
      continue;
    }
    for (auto& name: set.names(i)) {
      // A native accessor (it looks like a data property to JavaScript); running the builtin
      // replaces it with the builtin's own definition.
      js::check(global->SetAccessor(js.context(), js.str(name), lazyGet, lazySet,
                                    v8::Number::New(js.isolate, static_cast<double>(i)),
                                    v8::DEFAULT, v8::DontEnum));
    }
  }
}

void Worker::loadBuiltin(js::Lock& js, kj::StringPtr name) {
  auto sources = BuiltinSet::get().sources();
  for (size_t i = 0; i < sources.size(); i++) {
    if (name == sources[i].name) {
      ensureBuiltinsThrough(js, i);
      return;
    }
  }
  js::throwError(js::ErrorType::ERROR, kj::str("No builtin named ", name));
}

void Worker::ensureBuiltinsThrough(js::Lock& js, size_t index) {
  if (nextBuiltin > index) return;
  TopLevelEvaluation::Lifted builtinsRun(isolate);
  while (nextBuiltin <= index) runBuiltin(js, nextBuiltin++);
}

namespace {
// A builtin's source, compiled into the binary and alive as long as the process, handed to V8
// without a copy.
class StaticOneByteSource final: public v8::String::ExternalOneByteStringResource {
public:
  explicit StaticOneByteSource(kj::StringPtr text): text(text) {}
  const char* data() const override { return text.begin(); }
  size_t length() const override { return text.size(); }

private:
  kj::StringPtr text;
};

v8::Local<v8::String> builtinSource(js::Lock& js, size_t index) {
  auto& set = BuiltinSet::get();
  auto text = set.sources()[index].source;
  // UTF-8 beyond ASCII is not Latin-1 as it is: decoded and copied.
  if (!set.isAscii(index)) return js.str(text);
  return js::check(v8::String::NewExternalOneByte(js.isolate, new StaticOneByteSource(text)));
}
}  // namespace

void Worker::runBuiltin(js::Lock& js, size_t i) {
  auto& set = BuiltinSet::get();
  auto& builtin = set.sources()[i];
  v8::Local<v8::String> params[] = {js.internedStr("global"), js.internedStr("internal")};
  v8::ScriptOrigin origin(js.isolate, js.str(kj::str("loaderd:builtins/", builtin.name)));
  auto cache = set.codeCache(i);
  v8::Local<v8::Function> fn;
  if (snapshotNatives != nullptr) {
    // Making the startup snapshot: compiled from source, since a snapshot of functions
    // deserialized from a code cache crashes V8 10.2 when isolates are made from it (a
    // read-only string's hash is written during string table deserialization). Eagerly where
    // BuiltinSet says so, so the snapshot holds the bytecode a request needs (a snapshot of
    // polyfills.js compiled eagerly hits the same crash).
    v8::ScriptCompiler::Source source(builtinSource(js, i), origin);
    auto option = BuiltinSet::snapshotsCompiled(builtin.name)
        ? v8::ScriptCompiler::kEagerCompile : v8::ScriptCompiler::kNoCompileOptions;
    fn = js::check(v8::ScriptCompiler::CompileFunction(js.context(), &source, 2, params, 0,
                                                       nullptr, option));
  } else if (cache.size() > 0) {
    v8::ScriptCompiler::Source source(
        builtinSource(js, i), origin,
        new v8::ScriptCompiler::CachedData(cache.begin(), cache.size()));
    fn = js::check(v8::ScriptCompiler::CompileFunction(
        js.context(), &source, 2, params, 0, nullptr, v8::ScriptCompiler::kConsumeCodeCache));
  } else if (!set.namesKnown()) {
    // The process's first isolate (on the JavaScript thread, before any other thread prepares
    // one): eagerly, so the cache holds every function's bytecode, not only the top level's.
    v8::ScriptCompiler::Source source(builtinSource(js, i), origin);
    fn = js::check(v8::ScriptCompiler::CompileFunction(
        js.context(), &source, 2, params, 0, nullptr, v8::ScriptCompiler::kEagerCompile));
    std::unique_ptr<v8::ScriptCompiler::CachedData> data(
        v8::ScriptCompiler::CreateCodeCacheForFunction(fn));
    if (data) set.setCodeCache(i, kj::heapArray<kj::byte>(data->data, data->length));
  } else {
    // V8 made no cache for this one: compile it here without. (The shared set is immutable
    // once the first isolate is done, as isolates are prepared on two threads.)
    v8::ScriptCompiler::Source source(builtinSource(js, i), origin);
    fn = js::check(v8::ScriptCompiler::CompileFunction(js.context(), &source, 2, params));
  }
  // The global proxy, as `globalThis` is to user code.
  v8::Local<v8::Value> args[] = {js.context()->Global(), internal.Get(js.isolate)};
  // Builtins always run with code generation allowed state unchanged and never fail.
  js::check(fn->Call(js.context(), js.undefined(), 2, args));
}

StartupError Worker::formatStartupError(js::Lock& js, v8::TryCatch& tryCatch) {
  auto exception = tryCatch.Exception();
  auto message = tryCatch.Message();
  tryCatch.Reset();  // so that reading the exception's properties runs normally
  auto description = js::describeException(js, exception);
  if (!message.IsEmpty()) {
    auto resource = message->GetScriptResourceName();
    int line = message->GetLineNumber(js.context()).FromMaybe(0);
    int column = message->GetStartColumn(js.context()).FromMaybe(-1) + 1;
    if (resource->IsString() && line > 0 &&
        !js.toString(resource).startsWith("loaderd:builtins/")) {
      auto name = js.toString(resource);
      // workerd reports a syntax error's column as V8's 0-based start column and a thrown
      // error's as 1-based; the command line always says 1-based.
      int workerdColumn = description.startsWith("SyntaxError:") ? column - 1 : column;
      return StartupError{
          kj::str(spec.modules->displayName(name), ":", line, ":", column, ": ",
                  oneLine(description, true)),
          kj::str(description, "\n  at ", name, ":", line, ":", workerdColumn)};
    }
  }
  return StartupError{kj::str(spec.modules->displayName(spec.modules->mainModule()), ": ",
                              oneLine(description, true)),
                      kj::str(description)};
}

void Worker::writeLog(api::LogLevel level, kj::StringPtr text) {
  const char* prefix = "";
  switch (level) {
    case api::LogLevel::WARN: prefix = "warn: "; break;
    case api::LogLevel::ERROR: prefix = "error: "; break;
    case api::LogLevel::DEBUG: prefix = "debug: "; break;
    default: break;
  }
  writeBounded(prefix, text, false);
}

void Worker::writeBounded(kj::StringPtr prefix, kj::ArrayPtr<const char> text,
                          bool keepStackReadable) {
  if (logsDropped()) return;
  kj::String body;
  if (text.size() > LOG_LINE_BYTES) {
    size_t cut = LOG_LINE_BYTES;
    while (cut > 0 && (static_cast<kj::byte>(text[cut]) & 0xC0) == 0x80) cut--;  // UTF-8
    body = kj::str(oneLine(text.slice(0, cut), keepStackReadable), "… (", text.size() - cut,
                   " more bytes cut)");
  } else {
    body = oneLine(text, keepStackReadable);
  }
  auto line = kj::str("[", spec.name, "] ", prefix, body, "\n");
  logBytesInInvocation += line.size();
  fwrite(line.begin(), 1, line.size(), stderr);
  if (logsDropped()) {
    auto notice = kj::str("[", spec.name, "] Console output beyond ", LOG_BYTES_PER_INVOCATION >> 20,
                          " MiB in one invocation is dropped.\n");
    fwrite(notice.begin(), 1, notice.size(), stderr);
  }
}

void Worker::reportUncaught(js::Lock& js, v8::Local<v8::Value> exception, kj::StringPtr where) {
  kj::String text;
  if (exception->IsObject()) {
    v8::TryCatch tc(js.isolate);
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()->Get(js.context(), js.internedStr("stack")).ToLocal(&stack) &&
        stack->IsString()) {
      text = js.toString(stack);
    }

  }
  if (text.size() == 0) text = js::describeException(js, exception);
  writeBounded(kj::str("Uncaught (in ", where, ") "), text, true);
}

// ---------------------------------------------------------------------------------------------
// Requests

kj::Promise<void> Worker::request(kj::HttpMethod method, kj::StringPtr url,
                                  const kj::HttpHeaders& headers,
                                  kj::AsyncInputStream& requestBody,
                                  kj::HttpService::Response& response) {
  // Copy everything out of the borrowed arguments before the first wait.
  kj::String fullUrl;
  if (url.startsWith("/")) {
    kj::StringPtr host = "localhost";
    KJ_IF_MAYBE(h, headers.get(kj::HttpHeaderId::HOST)) { host = *h; }
    fullUrl = kj::str("http://", host, url);
  } else {
    fullUrl = kj::str(url);
  }
  auto requestHeaders = kj::refcounted<api::Headers>(headers, api::Headers::Guard::IMMUTABLE);
  auto methodName = kj::str(method);

  KJ_IF_MAYBE(length, requestBody.tryGetLength()) {
    if (*length == 0) {
      auto request = kj::refcounted<api::Request>(kj::mv(methodName), kj::mv(fullUrl),
                                                  kj::mv(requestHeaders), nullptr);
      return dispatchFetch(kj::mv(request), response);
    }
  }
  // Small bodies of known length are buffered (the fast path); larger ones and bodies of unknown
  // length reach the worker as a stream, read as it arrives. Declared lengths are capped as
  // Cloudflare caps them.
  constexpr uint64_t MAX_REQUEST_BODY = 100u << 20;
  constexpr uint64_t MAX_BUFFERED_BODY = 1u << 20;
  bool buffer = false;
  KJ_IF_MAYBE(length, requestBody.tryGetLength()) {
    if (*length > MAX_REQUEST_BODY) return sendTooLarge(response);
    buffer = *length <= MAX_BUFFERED_BODY;
  }
  if (!buffer) {
    auto validity = kj::refcounted<api::ClientBodySource::Validity>();
    auto request = kj::refcounted<api::Request>(kj::mv(methodName), kj::mv(fullUrl),
                                                kj::mv(requestHeaders), nullptr);
    request->setBodySource(
        kj::refcounted<api::ClientBodySource>(requestBody, kj::addRef(*validity)));
    // The stream is the connection's: once the response is done, reads fail instead.
    return dispatchFetch(kj::mv(request), response)
        .attach(kj::defer([validity = kj::mv(validity)]() mutable { validity->end(); }));
  }
  return requestBody.readAllBytes(MAX_BUFFERED_BODY)
      .then([](kj::Array<kj::byte> body) -> kj::Maybe<kj::Array<kj::byte>> { return kj::mv(body); },
            [](kj::Exception&&) -> kj::Maybe<kj::Array<kj::byte>> { return nullptr; })
      .then([this, &response, methodName = kj::mv(methodName), fullUrl = kj::mv(fullUrl),
             requestHeaders = kj::mv(requestHeaders)](
                kj::Maybe<kj::Array<kj::byte>> maybeBody) mutable -> kj::Promise<void> {
        KJ_IF_MAYBE(body, maybeBody) {
          auto request = kj::refcounted<api::Request>(kj::mv(methodName), kj::mv(fullUrl),
                                                      kj::mv(requestHeaders), kj::mv(*body));
          return dispatchFetch(kj::mv(request), response);
        }
        return sendTooLarge(response);
      });
}

kj::Promise<void> Worker::dispatchFetch(kj::Own<api::Request> request,
                                        kj::HttpService::Response& response) {
  return fetch(kj::mv(request), nullptr, nullptr, FetchErrors::RESPOND_500)
      .then([this, &response](HttpResult result) -> kj::Promise<void> {
        kj::HttpHeaders headers(headerTable);
        for (auto& h: result.headers) {
          // KJ frames the body itself.
          if (h.name == "content-length" || h.name == "transfer-encoding") continue;
          headers.add(kj::mv(h.name), kj::mv(h.value));
        }
        KJ_IF_MAYBE(source, result.stream) {
          // Length unknown: chunked, each chunk written as JavaScript produces it.
          auto out = response.send(result.status, result.statusText, headers, nullptr);
          return pumpBody(kj::mv(out), kj::mv(*source));
        }
        KJ_IF_MAYBE(body, result.body) {
          auto stream = response.send(result.status, result.statusText, headers,
                                      static_cast<uint64_t>(body->size()));
          if (body->size() == 0) return kj::READY_NOW;
          auto promise = stream->write(body->begin(), body->size());
          return promise.attach(kj::mv(stream), kj::mv(*body));
        }
        response.send(result.status, result.statusText, headers, uint64_t(0));
        return kj::READY_NOW;
      });
}

void Worker::attachBodyStream(js::Lock& js, v8::Local<v8::Value> response, HttpResult& result) {
  if (result.body != nullptr) return;  // bytes: no stream body (the common case)
  v8::Local<v8::Value> args[] = {response};
  auto next = js::check(hook(js, "workers", "bodyReader")->Call(js.context(), js.undefined(), 1,
                                                               args));
  if (!next->IsFunction()) return;
  result.body = nullptr;
  result.stream = kj::heap<JsBodySource>(kj::addRef(*this), isolate, next.As<v8::Function>());
}

kj::Promise<void> Worker::pumpBody(kj::Own<kj::AsyncOutputStream> out,
                                   kj::Own<JsBodySource> source) {
  auto& src = *source;
  return src.read().then([this, out = kj::mv(out), source = kj::mv(source)](
                             kj::Maybe<kj::Array<kj::byte>> chunk) mutable -> kj::Promise<void> {
    KJ_IF_MAYBE(c, chunk) {
      auto& o = *out;
      auto written = o.write(c->begin(), c->size()).attach(kj::mv(*c));
      return written.then([this, out = kj::mv(out), source = kj::mv(source)]() mutable {
        return pumpBody(kj::mv(out), kj::mv(source));
      });
    }
    return kj::READY_NOW;  // dropping `out` ends the chunked body
  });
}

JsBodySource::~JsBodySource() noexcept(false) {
  KJ_IF_MAYBE(r, released) {
    if (!worker->acceptsTasks()) return;
    auto& w = *worker;
    if (r->IsEmpty()) return;  // collected with its socket: nobody to tell
    w.tasks().add(kj::evalLater([worker = kj::addRef(w), fn = kj::mv(*r)]() mutable {
      if (fn.IsEmpty()) return;
      worker->runInJs([&](js::Lock& js) {
        v8::TryCatch tryCatch(js.isolate);
        if (fn.Get(js.isolate)->Call(js.context(), js.undefined(), 0, nullptr).IsEmpty()) {
          // it threw: nothing to do (a socket resolving its promise does not throw)
        }
      });
    }));
  }
}

kj::Promise<kj::Maybe<kj::Array<kj::byte>>> JsBodySource::read() {
  kj::Maybe<kj::Promise<js::IsolateBase::Settled>> pending;
  if (next.IsEmpty()) {
    return KJ_EXCEPTION(DISCONNECTED, "the socket was dropped without being closed");
  }
  worker->runInJs([&](js::Lock& js) {
    auto promise = js::check(next.Get(js.isolate)->Call(js.context(), js.undefined(), 0, nullptr));
    if (promise->IsPromise()) pending = worker->whenSettled(js, promise.As<v8::Promise>());
  });
  KJ_IF_MAYBE(p, pending) {
    return p->then([worker = kj::addRef(*worker)](js::IsolateBase::Settled settled) mutable
                   -> kj::Maybe<kj::Array<kj::byte>> {
      kj::Maybe<kj::Array<kj::byte>> chunk;
      bool failed = settled.rejected;
      worker->runInJs([&](js::Lock& js) {
        auto value = settled.value.Get(js.isolate);
        if (settled.rejected) {
          worker->reportUncaught(js, value, "response body stream");
        } else if (value->IsUint8Array()) {
          auto view = value.As<v8::Uint8Array>();
          auto bytes = kj::heapArray<kj::byte>(view->ByteLength());
          view->CopyContents(bytes.begin(), bytes.size());
          chunk = kj::mv(bytes);
        } else if (!value->IsNull()) {
          failed = true;
        }
      });
      if (failed || worker->limitExceeded() != LimitExceeded::NONE) {
        kj::throwFatalException(KJ_EXCEPTION(DISCONNECTED, "the response body stream failed"));
      }
      return chunk;
    });
  }
  // The call threw (already reported) or the worker was torn down.
  return KJ_EXCEPTION(DISCONNECTED, "the response body stream failed");
}

kj::Promise<void> Worker::sendTooLarge(kj::HttpService::Response& response) {
  kj::HttpHeaders headers(headerTable);
  static constexpr kj::StringPtr BODY = "Request body too large (the limit is 100 MiB).\n"_kj;
  auto stream = response.send(413, "Payload Too Large", headers, uint64_t(BODY.size()));
  auto promise = stream->write(BODY.begin(), BODY.size());
  return promise.attach(kj::mv(stream));
}

HttpResult HttpResult::internalError() {
  // As workerd answers: the status text as the body, without a content type.
  auto text = "Internal Server Error"_kj;
  return HttpResult{500, kj::str(text), {},
                    kj::heapArray<kj::byte>(text.asBytes())};
}

HttpResult Worker::toHttpResult(kj::Own<api::Response> response) {
  HttpResult result{response->getStatus(), kj::str(response->getStatusText()), {}, nullptr};
  for (auto& pair: response->headersRef().sortedPairs()) {
    result.headers.add(HttpResult::Header{kj::mv(pair.first), kj::mv(pair.second)});
  }
  result.body = response->takeContentHeld(result.bodyHold);
  return result;
}

kj::Promise<HttpResult> Worker::fetch(kj::Own<api::Request> request,
                                      kj::Maybe<kj::StringPtr> entrypoint,
                                      kj::Maybe<PropsSource&> props, FetchErrors errors,
                                      kj::Maybe<const EntrypointLimits&> through) {
  if (exceeded != LimitExceeded::NONE) {
    if (errors == FetchErrors::RESPOND_500) return HttpResult::internalError();
    return limitException();
  }
  beginInvocation(through);
  // A copy: the invocation may outlive the caller's limits.
  kj::Maybe<EntrypointLimits> caps = through.map([](const EntrypointLimits& l) { return l; });
  auto invocation = kj::defer([this, caps = kj::mv(caps)]() {
    endInvocation(caps.map([](const EntrypointLimits& l) -> const EntrypointLimits& { return l; }));
  });
  kj::Maybe<HttpResult> immediate;
  kj::Maybe<kj::Promise<Settled>> pending;
  kj::Maybe<kj::Exception> failure;

  // A JS failure: over HTTP it is logged and becomes a 500; to a calling worker it propagates.
  auto fail = [&](js::Lock& js, v8::Local<v8::Value> exception) {
    if (errors == FetchErrors::RESPOND_500) {
      reportUncaught(js, exception, "fetch handler");
      immediate = HttpResult::internalError();
    } else {
      failure = tunnelException(js, exception);
    }
  };

  uint64_t requestId = newRequest();  // a request of its own
  auto abortWatch = kj::heap<AbortWatch>(*this, requestId,
      errors == FetchErrors::RESPOND_500 ? AbortedFor::HTTP_CLIENT : AbortedFor::FETCH);
  runInJs([&](js::Lock& js) {
    js.base().enterRequest(js, requestId);
    request->request.bindToCurrent(js, api::Body::IO_TYPE);  // its body is this request's
    v8::TryCatch tryCatch(isolate);
    v8::Local<v8::Value> rejection;
    try {
      auto ctxObj = makeExecutionContext(js, props);
      // A body still arriving (from an HTTP client or a calling worker) is read from JS.
      v8::Local<v8::Value> bodySource = js.undefined();
      KJ_IF_MAYBE(source, request->takeBodySource()) { bodySource = (*source)->wrap(js); }
      v8::Local<v8::Value> args[] = {
          exports.Get(isolate),
          entrypoint == nullptr ? js.undefined() : js.str(KJ_ASSERT_NONNULL(entrypoint)).As<v8::Value>(),
          request->wrap(js), env.Get(isolate), ctxObj, bodySource};
      auto callFetch = hook(js, "workers", "callFetch");
      auto result = js::check(callFetch->Call(js.context(), js.undefined(), 6, args));
      if (result->IsPromise()) {
        // Its outcome is this invocation's: handled before any microtask could call it not.
        result.As<v8::Promise>()->MarkAsHandled();
        isolate->PerformMicrotaskCheckpoint();
        auto promise = result.As<v8::Promise>();
        switch (promise->State()) {
          case v8::Promise::kFulfilled:
            result = promise->Result();
            break;
          case v8::Promise::kRejected:
            rejection = promise->Result();
            break;
          case v8::Promise::kPending:
            pending = whenSettled(js, promise);
            return;
        }
      }
      if (rejection.IsEmpty()) {
        immediate = toHttpResult(js::Convert<kj::Own<api::Response>>::fromJs(
            js, result, js::Where::returned("fetch() handler", "Response")));
        attachBodyStream(js, result, KJ_ASSERT_NONNULL(immediate));
      }
    } catch (...) {
      js::translateCurrentException(js);
    }
    if (tryCatch.HasCaught()) {
      if (!tryCatch.CanContinue()) {
        immediate = HttpResult::internalError();
        return;
      }
      rejection = tryCatch.Exception();
      tryCatch.Reset();
    }
    if (!rejection.IsEmpty()) fail(js, rejection);
  });

  // ctx.abort(): the reason, whatever the JavaScript left behind as it stopped.
  auto aborted = [errors](kj::Exception& reason) -> kj::Promise<HttpResult> {
    if (errors == FetchErrors::RESPOND_500) return HttpResult::internalError();
    return kj::cp(reason);
  };
  KJ_IF_MAYBE(reason, abortWatch->reason()) { return aborted(*reason); }
  if (exceeded != LimitExceeded::NONE) {
    if (errors == FetchErrors::RESPOND_500) return HttpResult::internalError();
    return limitException();
  }
  KJ_IF_MAYBE(f, failure) { return kj::mv(*f); }
  KJ_IF_MAYBE(r, immediate) { return kj::mv(*r); }
  auto& watch = *abortWatch;
  auto settledThen = [this, errors, &watch, aborted](Settled settled) -> kj::Promise<HttpResult> {
    kj::Maybe<HttpResult> out;
    kj::Maybe<kj::Exception> failure;
    runInJs([&](js::Lock& js) {
      auto value = settled.value.Get(isolate);
      v8::Local<v8::Value> rejection;
      if (settled.rejected) {
        rejection = value;
      } else {
        v8::TryCatch tryCatch(isolate);
        try {
          out = toHttpResult(js::Convert<kj::Own<api::Response>>::fromJs(
              js, value, js::Where::returned("fetch() handler", "Response")));
          attachBodyStream(js, value, KJ_ASSERT_NONNULL(out));
        } catch (...) {
          js::translateCurrentException(js);
        }
        if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
          rejection = tryCatch.Exception();
          tryCatch.Reset();
        }
      }
      if (rejection.IsEmpty()) return;
      if (errors == FetchErrors::RESPOND_500) {
        reportUncaught(js, rejection, "fetch handler");
      } else {
        failure = tunnelException(js, rejection);
      }
    });
    // ctx.abort() from what the conversion ran (a getter): the reason, whatever was made.
    KJ_IF_MAYBE(reason, watch.reason()) { return aborted(*reason); }
    if (exceeded != LimitExceeded::NONE && errors == FetchErrors::PROPAGATE) {
      return limitException();
    }
    KJ_IF_MAYBE(f, failure) { return kj::mv(*f); }
    KJ_IF_MAYBE(o, out) { return kj::mv(*o); }
    return HttpResult::internalError();
  };
  return bounded(KJ_ASSERT_NONNULL(pending).then(kj::mv(settledThen))
                     .exclusiveJoin(watch.whenAborted().then([&watch, aborted]() {
                       return aborted(KJ_ASSERT_NONNULL(watch.reason()));
                     }))
                     .attach(kj::mv(invocation), kj::mv(abortWatch)));
}

kj::Exception Worker::tunnelException(js::Lock& js, v8::Local<v8::Value> exception,
                                      bool local) {
  // "jsrpc.<Type>: <message>" (thrown by this worker's JS: remote for the caller) or
  // "jslocal.<Type>: <message>" (raised by the runtime for it); see bindings/rpc.h.
  v8::TryCatch tryCatch(isolate);
  try {
    auto hooks = js::check(internal.Get(isolate)->Get(js.context(), js.internedStr("rpcHooks")))
                     .As<v8::Object>();
    auto describe = js::check(hooks->Get(js.context(), js.internedStr("describeError")));
    v8::Local<v8::Value> args[] = {exception};
    auto described =
        js::check(describe.As<v8::Function>()->Call(js.context(), hooks, 1, args)).As<v8::Array>();
    auto type = js.toString(js::check(described->Get(js.context(), 0)));
    auto message = js.toString(js::check(described->Get(js.context(), 1)));
    kj::StringPtr prefix = local || described->Length() > 2 ? "jslocal."_kj : "jsrpc."_kj;
    // The error's name, own properties and cause travel too, V8-serialized after a separator,
    // for callers with enhanced error serialization (compatibility date 2026-04-21).
    kj::String detail;
    // Only when this (throwing) worker has it too: both sides need 2026-04-21, as on workerd.
    if (spec.compat.enhancedErrorSerialization) {
      v8::TryCatch detailCatch(isolate);
      try {
        auto describeDetail =
            js::check(hooks->Get(js.context(), js.internedStr("describeErrorDetail")));
        auto value = js::check(describeDetail.As<v8::Function>()->Call(js.context(), hooks, 1,
                                                                        args));
        if (!value->IsUndefined()) {
          detail = kj::str(js::TUNNEL_DETAIL_SEPARATOR, kj::encodeBase64(serializeValue(js, value)));
        }
      } catch (...) {
        // Not serializable: the caller gets the type and message only.
      }
    }
    return KJ_EXCEPTION(FAILED, kj::str(prefix, type, ": ", message, detail));
  } catch (...) {
    return KJ_EXCEPTION(FAILED, "jsrpc.Error: (an error that could not be described)");
  }
}

v8::Local<v8::Value> Worker::makeExecutionContext(js::Lock& js,
                                                  kj::Maybe<PropsSource&> props) {
  auto& base = js.base();
  auto ctxObj = kj::refcounted<api::ExecutionContext>(*this,
      [&base](js::Lock& js, v8::Local<v8::Promise> promise) {
        base.tasks().add(base.whenSettled(js, promise).then([&base](Settled settled) {
          if (settled.rejected) {
            base.runInJs([&](js::Lock& js) {
              base.reportUncaught(js, settled.value.Get(js.isolate), "waitUntil");
            });
          }
        }));
      });
  kj::Maybe<v8::Local<v8::Value>> propsValue;
  KJ_IF_MAYBE(p, props) {
    propsValue = p->read(*this, js);
  }
  // ctx.exports: loopback Fetchers to this worker's own entrypoints, from compatibility date
  // 2025-11-17 or with enable_ctx_exports.
  kj::Maybe<v8::Local<v8::Value>> exportsValue;
  if (spec.compat.ctxExports) {
    if (ctxExports.IsEmpty()) {
      auto hooks = workerHooks(js);
      auto make = js::check(hooks->Get(js.context(), js.internedStr("makeCtxExports")));
      v8::Local<v8::Value> args[] = {exports.Get(isolate)};
      ctxExports.Reset(isolate, js::check(make.As<v8::Function>()->Call(js.context(), hooks, 1,
                                                                         args)));
    }
    exportsValue = ctxExports.Get(isolate);
  }
  if (tracingApi.IsEmpty()) tracingApi.Reset(isolate, kj::refcounted<api::Tracing>()->wrap(js));
  return ctxObj->make(js, tracingApi.Get(isolate), propsValue, exportsValue);
}

void Worker::abortCurrent(js::Lock& js, v8::Local<v8::Value> reason) {
  uint64_t request = js.base().currentRequest(js);
  if (request == 0) {
    // No invocation to end (getCode, a body pull, a timer set outside any request).
    js::throwError(js::ErrorType::ERROR,
                   "ctx.abort() was called outside of the request it belongs to.");
  }
  bool known = false;
  for (auto& a: pendingAborts) known = known || a.request == request;
  if (!known) pendingAborts.add(PendingAbort{request, v8::Global<v8::Value>(isolate, reason)});
  isolate->TerminateExecution();
}

// At the end of the runInJs() whose JavaScript called ctx.abort(): nothing more of it runs (the
// microtasks it queued are dropped, as V8 drops them when execution ends during them: isolate
// wide, as in workerd), then its request's timers are cleared and its invocations fail with the
// reason. A limit reached meanwhile wins: the worker is being torn down anyway.
void Worker::finishAborts(js::Lock& js) {
  isolate->TerminateExecution();
  isolate->PerformMicrotaskCheckpoint();
  // The queue is gone, a pending look at rejections with it: what it would have looked at too.
  rejectionsQueued = false;
  pendingRejections.clear();
  if (limitReached()) {
    pendingAborts.clear();
    return;
  }
  isolate->CancelTerminateExecution();
  auto aborts = kj::mv(pendingAborts);
  for (auto& abort: aborts) {
    // The last 64 suffice: a request's continuations come soon after its abort.
    if (abortedRequests.size() < 64) {
      abortedRequests.add(abort.request);
    } else {
      abortedRequests[abortedNext] = abort.request;
      abortedNext = (abortedNext + 1) % 64;
    }
    if (globalScope.get() != nullptr) globalScope->cancelTimers(abort.request);
    // Everything that runs JavaScript (describing the reason, logging it) first; then the
    // watches, with no JavaScript in between.
    auto reason = abort.reason.Get(isolate);
    bool forHttpClient = false;
    for (auto watch: abortWatches) {
      forHttpClient = forHttpClient ||
          (watch->request == abort.request && watch->kind == AbortedFor::HTTP_CLIENT);
    }
    if (forHttpClient) reportUncaught(js, reason, "fetch handler (ctx.abort())");
    auto local = tunnelException(js, reason, true);
    auto remote = tunnelException(js, reason, false);
    for (auto watch: abortWatches) {
      if (watch->request != abort.request || watch->reason_ != nullptr) continue;
      watch->reason_ = kj::cp(watch->kind == AbortedFor::RPC ? local : remote);
      KJ_IF_MAYBE(f, watch->fulfiller) { (*f)->fulfill(); }
    }
  }
  // What describing the reasons ran may have aborted again: the caller's loop finishes it.
}

bool Worker::wasAborted(uint64_t request) const {
  for (auto r: abortedRequests) {
    if (r == request) return true;
  }
  return false;
}

Worker::AbortWatch::AbortWatch(Worker& worker, uint64_t request, AbortedFor kind)
    : worker(kj::addRef(worker)), request(request), kind(kind) {
  worker.abortWatches.add(this);
}

kj::Promise<void> Worker::AbortWatch::whenAborted() {
  if (reason_ != nullptr) return kj::READY_NOW;
  auto paf = kj::newPromiseAndFulfiller<void>();
  fulfiller = kj::mv(paf.fulfiller);
  return kj::mv(paf.promise);
}

Worker::AbortWatch::~AbortWatch() noexcept(false) {
  auto& watches = worker->abortWatches;
  for (size_t i = 0; i < watches.size(); i++) {
    if (watches[i] == this) {
      watches[i] = watches.back();
      watches.removeLast();
      break;
    }
  }
  // The watch may be the last holder of the worker, inside one of the worker's own tasks: then
  // it lets go on a later turn.
  if (!worker->isShared()) Worker::releaseLater(kj::mv(worker));
}

v8::Local<v8::Function> Worker::hook(js::Lock& js, kj::StringPtr table, kj::StringPtr name) {
  auto key = kj::str(table, ".", name);
  KJ_IF_MAYBE(cached, hookCache.find(key)) {
    return cached->Get(isolate);
  }
  auto tableValue = js::check(internal.Get(isolate)->Get(js.context(), js.internedStr(table)));
  KJ_ASSERT(tableValue->IsObject(), "builtins did not install a hook table", table);
  auto fn = js::check(tableValue.As<v8::Object>()->Get(js.context(), js.internedStr(name)));
  KJ_ASSERT(fn->IsFunction(), "missing hook", table, name);
  hookCache.insert(kj::mv(key), v8::Global<v8::Function>(isolate, fn.As<v8::Function>()));
  return fn.As<v8::Function>();
}

v8::Local<v8::Object> Worker::workerHooks(js::Lock& js) {
  auto hooks = js::check(internal.Get(isolate)->Get(js.context(), js.internedStr("workers")));
  KJ_ASSERT(hooks->IsObject(), "builtins did not install internal.workers");
  return hooks.As<v8::Object>();
}

}  // namespace loaderd
