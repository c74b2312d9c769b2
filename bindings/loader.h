// The Worker Loader binding (`env.LOADER`): WorkerLoader.get/load and WorkerStub, validated
// with workerd's messages (spec/worker-loader.md §1–§6). The supervisor side (caching, starting
// isolates) is behind LoaderNamespace, implemented in loader/.
#pragma once

#include "rpc.h"
#include <capnp/message.h>

namespace loaderd {

// Where a worker's global fetch() goes.
struct OutboundPolicy {
  enum class Kind { INTERNET, NONE, FETCHER };
  Kind kind = Kind::INTERNET;
  // Capability handles copy through non-const references only; copying one does not change it.
  mutable kj::Maybe<rpc::Fetcher::Client> fetcher;

  OutboundPolicy clone() const { return OutboundPolicy{kind, fetcher}; }
};

// Sets `internal.outbound`, where the worker's global fetch() goes (its WorkerSpec::extendInternal).
void installOutbound(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal,
                     const OutboundPolicy& outbound);

// A dynamic worker's code, validated and copied out of the parent's isolate.
struct DynamicWorkerSource {
  kj::String mainModule;
  kj::Array<MapModuleSource::Module> modules;
  bool mainIsCommonJs = false;
  bool hasPython = false;
  Compatibility compat;
  kj::Maybe<kj::Own<capnp::MallocMessageBuilder>> env;  // root: rpc::JsValue
  OutboundPolicy outbound;
  kj::Maybe<double> cpuMs;
  kj::Maybe<double> subRequests;
  kj::Maybe<double> memoryMb;  // loaderd's extension: the heap limit of this worker's isolate
  kj::Maybe<double> wallMs;    // loaderd's extension: wall-clock time of one invocation
  kj::Array<rpc::Fetcher::Client> tails;  // tail workers: each invocation's trace goes to them
};

// Sets `internal.tails` (tail workers' Fetchers) and turns on tracing.
void installTails(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal,
                  kj::ArrayPtr<rpc::Fetcher::Client> tails);

// Limits of dynamic workers where WorkerCode.limits says nothing (the heap: limits.memoryMb,
// loaderd's extension, between MIN_MEMORY_MB and MAX_MEMORY_MB).
constexpr double MIN_MEMORY_MB = 16, MAX_MEMORY_MB = 4096;
struct DynamicWorkerDefaults {
  double cpuMs = 30000;
  // Evaluating a dynamic worker's modules may take at most this much CPU time (or its cpuMs, if
  // lower): Cloudflare's startup limit. The JavaScript thread serves every worker, so this is
  // how long a top level that never ends holds them all.
  double startupCpuMs = 1000;
  double wallMs = 300000;
  double memoryMb = DEFAULT_MEMORY_MB;
};

class LoaderNamespace {
public:
  virtual ~LoaderNamespace() noexcept(false) = default;
  // Returns the worker named `name`, calling `getSource` (on a later turn) only when it is not
  // cached; `name == nullptr` always starts a new, uncached worker. Startup failures reject
  // with a "js.Error: Failed to start Worker:\n..." exception.
  virtual kj::Promise<kj::Own<Worker>> getWorker(
      kj::Maybe<kj::String> name,
      kj::Function<kj::Promise<kj::Own<DynamicWorkerSource>>()> getSource) = 0;
  // Whether a new anonymous worker would be refused for too many alive.
  virtual bool anonymousAtCap() = 0;
  // True once every COLLECT_EVERY workers that only the callers' stubs keep alive (anonymous
  // ones, and named ones evicted from the cache) have been made since it last returned true:
  // the parent's GC should then look for stubs it dropped.
  virtual bool collectDue() = 0;
  static constexpr uint COLLECT_EVERY = 32;
};

class WorkerStub;

class WorkerLoader final: public js::Object {
public:
  WorkerLoader(Worker& parent, LoaderNamespace& ns, OutboundPolicy parentOutbound)
      : parent(parent), ns(ns), parentOutbound(kj::mv(parentOutbound)) {}

  kj::Own<WorkerStub> get(js::Lock& js, v8::Local<v8::Value> name,
                          v8::Local<v8::Function> getCode);
  kj::Own<WorkerStub> load(js::Lock& js, v8::Local<v8::Value> code);

  LOADERD_JS_CLASS(WorkerLoader) {
    LOADERD_JS_METHOD(get);
    LOADERD_JS_METHOD(load);
  }

  // Validates and copies a WorkerCode (throws the §4 "S" errors).
  kj::Own<DynamicWorkerSource> convert(js::Lock& js, v8::Local<v8::Value> code);

private:
  Worker& parent;
  LoaderNamespace& ns;
  OutboundPolicy parentOutbound;
};

struct EntrypointOptions {
  kj::Maybe<v8::Local<v8::Value>> props;
  kj::Maybe<v8::Local<v8::Value>> limits;
  LOADERD_JS_RECORD(EntrypointOptions, props, limits);
};

class WorkerStub final: public js::Object {
public:
  struct State: public kj::Refcounted {
    // A stub can keep a whole isolate alive, which the parent's GC cannot see: the loader asks
    // the parent for a GC by count instead (LoaderNamespace::collectDue(), and a full one
    // before refusing a worker at the cap). Reporting the isolate's size as external memory
    // made a parent with a large heap (the Code Mode service holds its spec) mark it every ten
    // or so loads, ≈20 ms each, even while the named workers' stubs could free nothing.
    kj::Maybe<kj::Own<Worker>> worker;
    kj::Maybe<kj::Exception> error;
    kj::Maybe<kj::ForkedPromise<void>> ready;
  };
  WorkerStub(Worker& parent, kj::Own<State> state): parent(parent), state(kj::mv(state)) {}
  // The request that made it (workerd's WorkerStubChannel): another may not use it.
  js::RequestBinding request;

  v8::Local<v8::Value> getEntrypoint(js::Lock& js, kj::Maybe<kj::String> name,
                                     kj::Maybe<EntrypointOptions> options);
  void getDurableObjectClass(js::Lock& js);

  LOADERD_JS_CLASS(WorkerStub) {
    LOADERD_JS_METHOD(getEntrypoint);
    LOADERD_JS_METHOD(getDurableObjectClass);
  }

private:
  Worker& parent;
  kj::Own<State> state;
};

}  // namespace loaderd
