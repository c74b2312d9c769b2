// A worker: one V8 isolate with one context, its module graph and its entrypoints. Static
// workers (from config) and dynamic workers (from a loader) are the same type.
#pragma once

#include "js.h"
#include "compat.h"
#include "modules.h"
#include "platform.h"
#include "api/global.h"
#include "api/http.h"
#include <kj/compat/http.h>

namespace loaderd {

class Worker;

// Adds native helpers to the builtins' `internal` object before the builtins run, the same for
// every worker of a process (bindings install JS RPC here).
// Setups install their helpers with Worker::installNative().
using IsolateSetup = kj::Function<void(Worker&, js::Lock&, v8::Local<v8::Object>)>;

// A V8 startup snapshot of a prepared isolate: its context after the eager builtins ran, with
// every global and lazy-builtin accessor installed. Isolates made from it skip Context::New and
// the builtins (Worker::makeSnapshot()). Native objects are not in it: the wrappers are, with
// their C++ halves attached again in each isolate.
struct IsolateSnapshot {
  v8::StartupData blob{nullptr, 0};
  kj::Array<const void*> templateKeys;     // the class templates, in the isolate's data...
  kj::Array<size_t> templateIndexes;       // ...at these indexes
  size_t internalIndex = 0;                // the builtins' `internal`, in the context's data
  size_t nextBuiltin = 0;                  // builtins run so far (the eager ones)
  ~IsolateSnapshot() { delete[] blob.data; }
};

// What a worker is made of.
struct WorkerSpec {
  kj::String name;  // for logs
  kj::Own<ModuleSource> modules;
  Compatibility compat;
  // Builds `env` in the worker's context.
  kj::Function<v8::Local<v8::Object>(Worker&, js::Lock&)> makeEnv;
  // Per-worker additions to the builtins' `internal` (its outbound policy), made before its
  // modules run.
  kj::Maybe<kj::Function<void(Worker&, js::Lock&, v8::Local<v8::Object>)>> extendInternal;
  // Enforced limits; the heap limit defaults to DEFAULT_MEMORY_MB.
  WorkerLimits limits;
};

constexpr double DEFAULT_MEMORY_MB = 128;

// Makes `ctx.props` in a worker's isolate; each invocation gets its own copy.
class PropsSource: public kj::Refcounted {
public:
  virtual ~PropsSource() noexcept(false) = default;
  virtual v8::Local<v8::Value> read(Worker& worker, js::Lock& js) = 0;
};

class JsBodySource;

// A response as plain data, independent of any isolate (except a body JavaScript is still
// producing, read through `stream`).
struct HttpResult {
  struct Header {
    kj::String name;
    kj::String value;
  };
  uint status;
  kj::String statusText;
  kj::Vector<Header> headers;
  kj::Maybe<kj::Array<kj::byte>> body;
  kj::Maybe<kj::Own<JsBodySource>> stream;  // instead of `body`: chunks as JavaScript makes them
  // A counted `body` (4 KiB and up) stays counted against the memory limit of the worker whose
  // Response it was until the result is handed on: a burst of calls can otherwise have every
  // handler return before the first result is sent (the event loop runs them in order), each
  // body held by nobody.
  kj::Own<void> bodyHold;

  static HttpResult internalError();
};

// A worker whose startup failed.
struct StartupError {
  kj::String message;        // one line naming file, line and column (for the command line)
  kj::String workerdStyle;   // "SyntaxError: ...\n  at m.js:1:27", as workerd words it
};

// Reference-counted: capabilities to its entrypoints and targets keep it alive, so a dynamic
// worker lives exactly as long as something can still call it.
class Worker final: public kj::Refcounted,
                    public kj::HttpService,
                    public js::IsolateBase,
                    public api::GlobalHost {
public:
  // An isolate with its context and builtins ready, waiting for a worker's code. Preparing
  // ahead of demand (loader/pool.h) makes a cold start little more than compiling the code.
  // From `snapshot` when given (it must have been made with the same setup).
  static kj::Own<Worker> prepare(Platform& platform, kj::Timer& timer,
                                 const kj::HttpHeaderTable& headerTable, double memoryMb,
                                 IsolateSetup& setup,
                                 const IsolateSnapshot* snapshot = nullptr);
  // Makes the snapshot prepare() can start isolates from, on the calling thread, once the
  // builtins' code cache and global names exist (after the process's first isolate). Null if
  // the prepared context holds something a snapshot cannot (logged).
  static kj::Maybe<kj::Own<IsolateSnapshot>> makeSnapshot(Platform& platform, kj::Timer& timer,
                                                          const kj::HttpHeaderTable& headerTable,
                                                          IsolateSetup& setup);
  // Starts a prepared isolate as `spec`: env, then the main module. Throws StartupError.
  static kj::Own<Worker> start(kj::Own<Worker> prepared, WorkerSpec spec);
  // prepare() then start().
  static kj::Own<Worker> start(Platform& platform, kj::Timer& timer,
                               const kj::HttpHeaderTable& headerTable, WorkerSpec spec,
                               IsolateSetup& setup);
  double heapLimitMb() const { return memoryMb; }
  // The memory this worker's isolate holds now, in bytes: the V8 heap it has committed, V8's
  // own allocations and ArrayBuffer contents (what the loader's cache bound counts). Only on the
  // thread that holds the isolate.
  size_t heapBytes();
  // Whether prepare() made this isolate from a snapshot.
  bool fromSnapshot() const { return restored; }
  ~Worker() noexcept(false);

  // The isolate belongs to one thread at a time: the thread that prepared it holds its
  // v8::Locker until it hands the worker over (releaseThread()), and the taking thread calls
  // bindToThread() before anything else. Loaderd's JavaScript thread keeps the lock of every
  // isolate it runs for the isolate's whole life, so entering JavaScript costs no locking.
  void bindToThread();
  void releaseThread();

  kj::StringPtr name() const { return spec.name; }
  const Compatibility& compat() const { return spec.compat; }

  // kj::HttpService: dispatches to the default export's fetch handler.
  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url,
                            const kj::HttpHeaders& headers, kj::AsyncInputStream& requestBody,
                            kj::HttpService::Response& response) override;

  // Runs the fetch handler of an entrypoint (nullptr: the default export) on a request.
  // `props` makes ctx.props (absent: `{}`). A JS failure is logged and becomes a 500
  // (RESPOND_500, for HTTP clients) or rejects with the tunneled error (PROPAGATE, for a
  // calling worker, which sees the error as workerd's callers do).
  enum class FetchErrors { RESPOND_500, PROPAGATE };
  kj::Promise<HttpResult> fetch(kj::Own<api::Request> request,
                                kj::Maybe<kj::StringPtr> entrypoint,
                                kj::Maybe<PropsSource&> props, FetchErrors errors,
                                kj::Maybe<const EntrypointLimits&> through = nullptr);

  // Drops `worker` on a later turn of the event loop, outside any task of its own: for a
  // reference held by a task in `worker->tasks()`, which must not be the worker's last while
  // the task runs (destroying the worker destroys that task set).
  static void releaseLater(kj::Own<Worker> worker);

  // Runs `callback` when the worker is destroyed (e.g. to count live workers).
  void onDestroy(kj::Function<void()> callback) { destroyCallbacks.add(kj::mv(callback)); }

  // Limits. An invocation is a request or an RPC call; CPU time and subrequests are counted
  // over the invocations in flight together (reset when the worker was idle). A worker that
  // exceeds its CPU or memory limit is torn down: nothing of it runs again, and every later
  // call fails with limitException().
  void beginInvocation(kj::Maybe<const EntrypointLimits&> through = nullptr);
  void endInvocation(kj::Maybe<const EntrypointLimits&> through = nullptr);
  LimitExceeded limitExceeded() const { return exceeded; }
  // The caps of the entrypoint invocations in flight (the lowest of each), or null without any:
  // an RpcTarget the worker hands out meanwhile (a capped call's result) is capped the same way
  // when it is called later, as the invocation it came from was.
  kj::Maybe<EntrypointLimits> entrypointCaps() const;
  kj::Exception limitException() const;
  // Counts `length` bytes of native memory that this worker's code keeps alive (the serialized
  // arguments of an RPC call it sent) against its memory limit until the returned object is
  // dropped. Over the limit, the worker is torn down as for a memory bomb and this throws.
  kj::Own<void> holdNative(js::Lock& js, size_t length) override;
  // The same for what arrives for this worker outside its JavaScript (an RPC result, a fetched
  // body) until it is read: counted at once; over the limit, the worker is torn down (what
  // waits on it fails). Callers drop what arrives for a worker already torn down.
  kj::Own<void> holdArrived(size_t length);
  // Throws js "Too many subrequests." past the subrequest limit.
  void countSubrequest();
  // An invocation still waiting after the wall-clock limit fails, and the worker is torn down
  // (what it waits on may never come: a promise nothing will settle).
  template <typename T>
  kj::Promise<T> bounded(kj::Promise<T> invocation) {
    KJ_IF_MAYBE(ms, spec.limits.wallMs) {
      auto expiry = timer_.afterDelay(static_cast<uint64_t>(*ms) * kj::MILLISECONDS)
          .then([this]() -> kj::Promise<T> {
            exceedWallLimit();
            return limitException();
          });
      return invocation.exclusiveJoin(kj::mv(expiry));
    }
    return invocation;
  }

  // The exception that carries a thrown JS value to another worker (bindings/rpc.h).
  // `local`: raised for the worker rather than thrown by its code (the caller's error is not
  // marked remote).
  kj::Exception tunnelException(js::Lock& js, v8::Local<v8::Value> exception,
                                bool local = false);

  // Sets target[name] to the wrapper of `object`; in an isolate restored from a snapshot, the
  // wrapper is already there (the builtins may hold it) and `object` is attached to it.
  void installNative(js::Lock& js, v8::Local<v8::Object> target, kj::StringPtr name,
                     kj::Own<js::Object> object);

  // The module namespace of the main module, `env`, and the builtins' `internal` object.
  v8::Local<v8::Object> getExports(js::Lock& js) { return exports.Get(js.isolate); }
  v8::Local<v8::Object> getEnv(js::Lock& js) { return env.Get(js.isolate); }
  v8::Local<v8::Object> getInternal(js::Lock& js) { return internal.Get(js.isolate); }
  // internal[table][name] as a function, looked up once per worker (hot paths call these per
  // RPC call). Builtins never replace their hook functions after startup.
  v8::Local<v8::Function> hook(js::Lock& js, kj::StringPtr table, kj::StringPtr name) override;

  // A fresh `ctx` for one invocation.
  v8::Local<v8::Value> makeExecutionContext(js::Lock& js, kj::Maybe<PropsSource&> props);

  // ctx.abort() (api::GlobalHost): stops the JavaScript running now; once it has unwound (at the
  // end of runInJs()), the invocations of its request fail with the reason (AbortWatch) and the
  // request's timers are cleared.
  void abortCurrent(js::Lock& js, v8::Local<v8::Value> reason) override;
  // Whether ctx.abort() ended `request` (recently): what it set going must not run on.
  bool wasAborted(uint64_t request) const override;
  // An invocation ctx.abort() can end, for the request it runs: reason() is set, and
  // whenAborted() resolves, once it was aborted. As on workerd, an RPC caller gets the reason
  // as it was (not marked remote), a calling worker's fetch() gets it as a remote error, and for
  // an HTTP client it is logged as uncaught (the client gets a 500).
  enum class AbortedFor { RPC, FETCH, HTTP_CLIENT };
  class AbortWatch {
  public:
    AbortWatch(Worker& worker, uint64_t request, AbortedFor kind);
    ~AbortWatch() noexcept(false);
    KJ_DISALLOW_COPY(AbortWatch);
    kj::Maybe<kj::Exception>& reason() { return reason_; }
    // Once only (made when asked: most invocations never wait for one).
    kj::Promise<void> whenAborted();

  private:
    kj::Own<Worker> worker;  // kept: the watch may be the last thing of an invocation to go
    uint64_t request;
    AbortedFor kind;
    kj::Maybe<kj::Exception> reason_;
    kj::Maybe<kj::Own<kj::PromiseFulfiller<void>>> fulfiller;
    friend class Worker;
  };

  // js::IsolateBase
  void runInJs(kj::FunctionParam<void(js::Lock&)> func) override;
  void reportUncaught(js::Lock& js, v8::Local<v8::Value> exception,
                      kj::StringPtr where) override;

  // api::GlobalHost
  kj::Timer& timer() override { return timer_; }
  void writeLog(api::LogLevel level, kj::StringPtr text) override;
  void loadBuiltin(js::Lock& js, kj::StringPtr name) override;
  void loadBuiltinHere(js::Lock& js, kj::StringPtr name) override {
    if (js.context() == context.Get(js.isolate)) loadBuiltin(js, name);
  }
  CpuWatchdog& watchdog() override { return platform.watchdog(); }
  bool limitReached() override { return exceeded != LimitExceeded::NONE || cpuExceeded.load(); }
  bool logsDropped() override { return logBytesInInvocation >= LOG_BYTES_PER_INVOCATION; }

  // Console output to stderr, per invocation window (as for CPU time) and per line. Writing is
  // synchronous on the JavaScript thread: without a bound, a worker logging in a loop would fill
  // the disk, or hold every other worker up for as long as a slow reader of stderr takes,
  // without spending its own CPU time. Tails still receive every console call (in the heap).
  static constexpr size_t LOG_BYTES_PER_INVOCATION = 4u << 20;
  static constexpr size_t LOG_LINE_BYTES = 64u << 10;
  // One line of console output or an uncaught error, cut to LOG_LINE_BYTES, within the budget.
  void writeBounded(kj::StringPtr prefix, kj::ArrayPtr<const char> text, bool keepStackReadable);
  void traceLog(js::Lock& js, api::LogLevel level, const js::Arguments& args) override;
  // Console output is traced for tail workers (set with WorkerCode.tails).
  void enableTracing() { tracing = true; }

  // Private constructor made public for kj::heap; use start().
  Worker(Platform& platform, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
         WorkerSpec spec, v8::Isolate* isolate);

private:
  Platform& platform;
  kj::Timer& timer_;
  const kj::HttpHeaderTable& headerTable;
  WorkerSpec spec;
  v8::Isolate* isolate;
  std::unique_ptr<v8::Locker> threadLock;
  v8::Global<v8::Context> context;
  kj::Own<ModuleRegistry> registry;
  kj::Own<api::GlobalScope> globalScope;
  v8::Global<v8::Object> env;
  v8::Global<v8::Object> exports;
  v8::Global<v8::Object> internal;
  v8::Global<v8::Value> ctxExports;
  v8::Global<v8::Function> errorToString;  // the intrinsic, for prepareStackTrace
  kj::HashMap<kj::String, v8::Global<v8::Function>> hookCache;
  v8::Global<v8::Object> tracingApi;  // ctx.tracing, one per isolate (it keeps no state)
  kj::Vector<AbortWatch*> abortWatches;
  struct PendingAbort {
    uint64_t request;
    v8::Global<v8::Value> reason;
  };
  kj::Vector<PendingAbort> pendingAborts;  // from ctx.abort() until runInJs() ends
  kj::Vector<uint64_t> abortedRequests;    // the last ones ended by ctx.abort() (a ring)
  size_t abortedNext = 0;
  uint jsDepth = 0;                        // runInJs() nesting
  void finishAborts(js::Lock& js);
  kj::Vector<kj::Function<void()>> destroyCallbacks;
  std::atomic<bool> cpuExceeded{false};
  double memoryMb = DEFAULT_MEMORY_MB;
  bool started = false;
  LimitExceeded exceeded = LimitExceeded::NONE;
  int64_t invocationCpuNs = 0;
  uint invocationsInFlight = 0;
  uint subrequestsInInvocation = 0;
  size_t logBytesInInvocation = 0;
  bool tracing = false;
  // Caps from the entrypoints of the invocations in flight (a multiset).
  kj::Vector<double> entrypointCpuMs, entrypointSubrequests;
  // The lowest caps of the invocations since the worker was last idle: what runs once they are
  // all over (a timer, waitUntil work, a body still being pulled) is charged to that period, as
  // its CPU time is, and stays capped.
  kj::Maybe<double> periodCpuMs, periodSubrequests;
  kj::Maybe<double> effectiveCpuMs() const;
  // Arms the CPU watchdog for what is left of `cpuMs` after `usedNs` (the caller disarms);
  // false, doing nothing, without a limit.
  bool watchCpu(kj::Maybe<double> cpuMs, int64_t usedNs);
  kj::Maybe<double> effectiveSubrequests() const;

  // Marks the worker over its memory limit and stops its JavaScript; it is torn down when the
  // current entry ends.
  void exceedMemoryLimit();
  static size_t nearHeapLimit(void* data, size_t current, size_t initial);
  // ArrayBuffer contents, held to memoryMb by their own allocator (prepare()).
  std::shared_ptr<BufferAllocator> buffers;
  bool admitBuffer(size_t length) override;
  // A refused allocation: once the JavaScript that asked runs again (V8 has retried after
  // collecting garbage by then), the worker is torn down if the refusal stands.
  static void bufferRefused(void* data);
  // WebAssembly.Memory contents and pending timers live outside the V8 heap, so the heap limit
  // does not see them; V8 counts them as external memory and collects garbage as it grows.
  // Checked before every collection against the same limit (ArrayBuffers have their own
  // allocator's bound).
  static void checkExternalMemory(v8::Isolate* isolate, v8::GCType, v8::GCCallbackFlags,
                                  void* data);
  void exceedWallLimit();
  // A limit exceeded while no JavaScript runs (the wall clock, what arrived for the worker).
  void tearDownOutsideJs(LimitExceeded kind);
  // Logs the teardown and fails whatever waits on this worker (after `exceeded` is set).
  void reportTornDown();

  void prepareContext(IsolateSetup& setup);
  void restoreContext(const IsolateSnapshot& snapshot, IsolateSetup& setup);
  void captureIntrinsics(js::Lock& js);
  void attachGlobalScope(js::Lock& js, v8::Local<v8::Object> global);
  bool ownsIsolate = true;   // false for the snapshot creator's, which disposes of it itself
  bool restoring = false;    // in restoreContext()
  bool restored = false;     // made by restoreContext()
  // While a snapshot is made: the wrappers installNative() made, which restoreContext() finds.
  kj::Vector<v8::Global<v8::Object>>* snapshotNatives = nullptr;
  void startup();
  static void promiseRejected(v8::PromiseRejectMessage message);
  static void processRejections(void* data);
  struct PendingRejection {
    int kind;  // 0: rejected with no handler; 1: a handler added after that
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };
  static constexpr size_t MAX_PENDING_REJECTIONS = 10000;
  kj::Vector<PendingRejection> pendingRejections;
  kj::Vector<PendingRejection> unhandledToLog;
  bool rejectionsQueued = false;
  void logUnhandledRejections(js::Lock& js);
  static v8::MaybeLocal<v8::Value> prepareStackTrace(v8::Local<v8::Context> context,
                                                     v8::Local<v8::Value> error,
                                                     v8::Local<v8::Array> sites);
  void installBuiltins(js::Lock& js, v8::Local<v8::Object> global, IsolateSetup& setup);
  void ensureBuiltinsThrough(js::Lock& js, size_t index);
  void runBuiltin(js::Lock& js, size_t index);
  size_t nextBuiltin = 0;
  kj::Promise<void> dispatchFetch(kj::Own<api::Request> request,
                                  kj::HttpService::Response& response);
  HttpResult toHttpResult(kj::Own<api::Response> response);
  kj::Promise<void> sendTooLarge(kj::HttpService::Response& response);
  // For an HTTP client: a Response whose body JavaScript still produces is sent as it comes.
  void attachBodyStream(js::Lock& js, v8::Local<v8::Value> response, HttpResult& result);
  kj::Promise<void> pumpBody(kj::Own<kj::AsyncOutputStream> out, kj::Own<JsBodySource> source);
  friend class JsBodySource;
  v8::Local<v8::Object> workerHooks(js::Lock& js);
  void registerBuiltinModules(js::Lock& js);
  void validateExports(js::Lock& js, v8::Local<v8::Object> ns);
  StartupError formatStartupError(js::Lock& js, v8::TryCatch& tryCatch);
};

// A response body JavaScript is still producing (a ReadableStream), read chunk by chunk: the
// HTTP server sends each chunk as it comes instead of buffering the body.
class JsBodySource {
public:
  JsBodySource(kj::Own<Worker> worker, v8::Isolate* isolate, v8::Local<v8::Function> next)
      : worker(kj::mv(worker)), next(isolate, next) {}
  // A socket's sending side: `released` runs (on a later turn) once nothing will read any more
  // (the peer went away, or the end was read). `next` is held weakly: a socket JavaScript
  // dropped without closing it is collected, which ends its connection (held strongly, the
  // connection would keep the function, and so itself, alive forever).
  JsBodySource(kj::Own<Worker> worker, v8::Isolate* isolate, v8::Local<v8::Function> next,
               v8::Local<v8::Function> released)
      : worker(kj::mv(worker)), next(isolate, next),
        released(v8::Global<v8::Function>(isolate, released)) {
    this->next.SetWeak();
    KJ_IF_MAYBE(r, this->released) { r->SetWeak(); }  // it holds the socket's state too
  }
  ~JsBodySource() noexcept(false);
  // The next chunk, or nullptr at the end; rejects if the stream errors or the worker is torn
  // down.
  kj::Promise<kj::Maybe<kj::Array<kj::byte>>> read();

private:
  kj::Own<Worker> worker;
  v8::Global<v8::Function> next;
  kj::Maybe<v8::Global<v8::Function>> released;
};

}  // namespace loaderd
