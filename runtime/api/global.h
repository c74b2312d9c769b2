// The global scope of a worker: console, timers, queueMicrotask, self; and the handler's `ctx`.
#pragma once

#include "runtime/js.h"
#include "runtime/limits.h"
#include <kj/timer.h>

namespace loaderd::api {

enum class LogLevel { DEBUG, LOG, INFO, WARN, ERROR };

// What the global scope needs from the worker that owns it.
class GlobalHost {
public:
  virtual kj::Timer& timer() = 0;
  // Writes one log line (console output), tagged by the host.
  virtual void writeLog(LogLevel level, kj::StringPtr text) = 0;
  // Runs the lazily loaded builtin file `name` (and those before it) if it has not run yet.
  virtual void loadBuiltin(js::Lock& js, kj::StringPtr name) = 0;
  // The watchdog of the JS thread (nested CPU budgets, e.g. a sandbox run).
  virtual CpuWatchdog& watchdog() = 0;
  // True once the worker exceeded one of its own limits (it is being torn down).
  virtual bool limitReached() = 0;
  // A console call, for tail workers' traces (only when the worker has tails).
  virtual void traceLog(js::Lock& js, LogLevel level, const js::Arguments& args) {}
  // True while writeLog() would drop the line (the invocation's log budget is spent): console
  // calls then skip formatting their arguments.
  virtual bool logsDropped() { return false; }
  // ctx.abort(): ends the invocation the running JavaScript belongs to with `reason` (already
  // an object), stopping its JavaScript.
  virtual void abortCurrent(js::Lock& js, v8::Local<v8::Value> reason) = 0;
  // Whether ctx.abort() ended `request`: its timers are not armed.
  virtual bool wasAborted(uint64_t request) const { return false; }
  // A builtin hook function, internal[table][name].
  virtual v8::Local<v8::Function> hook(js::Lock& js, kj::StringPtr table, kj::StringPtr name) = 0;
};

class Console final: public js::Object {
public:
  explicit Console(GlobalHost& host): host(host) {}

  void log(js::Lock& js, const js::Arguments& args) { write(js, LogLevel::LOG, args); }
  void info(js::Lock& js, const js::Arguments& args) { write(js, LogLevel::INFO, args); }
  void warn(js::Lock& js, const js::Arguments& args) { write(js, LogLevel::WARN, args); }
  void error(js::Lock& js, const js::Arguments& args) { write(js, LogLevel::ERROR, args); }
  void debug(js::Lock& js, const js::Arguments& args) { write(js, LogLevel::DEBUG, args); }

  LOADERD_JS_CLASS(Console) {
    LOADERD_JS_METHOD(log);
    LOADERD_JS_METHOD(info);
    LOADERD_JS_METHOD(warn);
    LOADERD_JS_METHOD(error);
    LOADERD_JS_METHOD(debug);
  }

private:
  GlobalHost& host;
  void write(js::Lock& js, LogLevel level, const js::Arguments& args);
};

// Formats a value for console output: strings as-is, errors with their stack, objects in a
// compact inspect-like form.
kj::String formatForLog(js::Lock& js, v8::Local<v8::Value> value);

// The `ctx` argument of handlers.
class ExecutionContext final: public js::Object {
public:
  ExecutionContext(GlobalHost& host,
                   kj::Function<void(js::Lock&, v8::Local<v8::Promise>)> waitUntilSink)
      : host(host), waitUntilSink(kj::mv(waitUntilSink)) {}

  void waitUntil(js::Lock& js, v8::Local<v8::Value> promise);
  void passThroughOnException() {}
  // A host name under which containers would reach `fetcher` (workerd's
  // "<32 hex digits>.workers.alt:<port>", the same for a Fetcher within an invocation).
  // Nothing in loaderd routes to it, as nothing does in workerd outside Cloudflare.
  v8::Local<v8::Value> mapVirtualHost(js::Lock& js, const js::Arguments& args);
  // Ends the invocation running now with `reason` (workerd's: an Error made from a primitive,
  // its default message without one): its JavaScript stops, its timers are cancelled, and its
  // caller sees the reason. The worker goes on serving.
  void abort(js::Lock& js, const js::Arguments& args);

  // The JS object, with the own data properties workerd gives ctx (writable, enumerable,
  // configurable), in its order: tracing, access and cache (undefined here), props (`{}` when
  // none was given), exports (when the compatibility date enables ctx.exports).
  v8::Local<v8::Object> make(js::Lock& js, v8::Local<v8::Value> tracing,
                             kj::Maybe<v8::Local<v8::Value>> props,
                             kj::Maybe<v8::Local<v8::Value>> exports);

  LOADERD_JS_CLASS(ExecutionContext) {
    LOADERD_JS_METHOD(waitUntil);
    LOADERD_JS_METHOD(passThroughOnException);
    LOADERD_JS_METHOD(mapVirtualHost);
    LOADERD_JS_METHOD(abort);
    LOADERD_JS_FIELD(tracing);
    LOADERD_JS_FIELD(access);
    LOADERD_JS_FIELD(cache);
    LOADERD_JS_FIELD(props);
    LOADERD_JS_FIELD(exports);
  }

private:
  GlobalHost& host;
  kj::Function<void(js::Lock&, v8::Local<v8::Promise>)> waitUntilSink;
};

class GlobalScope final: public js::Object {
public:
  explicit GlobalScope(GlobalHost& host): host(host), console(kj::refcounted<Console>(host)) {}
  ~GlobalScope() noexcept(false);

  uint setTimeout(js::Lock& js, v8::Local<v8::Function> callback, kj::Maybe<double> delay,
                  const js::Arguments& args);
  uint setInterval(js::Lock& js, v8::Local<v8::Function> callback, kj::Maybe<double> delay,
                   const js::Arguments& args);
  // Any value clears (what is not a live timer's id does nothing), but the argument must be
  // there: workerd's TypeError for clearTimeout().
  void clearTimeout(js::Lock& js, kj::Maybe<v8::Local<v8::Value>> id, const js::Arguments& args) {
    clear(js, "clearTimeout", id, args);
  }
  void clearInterval(js::Lock& js, kj::Maybe<v8::Local<v8::Value>> id, const js::Arguments& args) {
    clear(js, "clearInterval", id, args);
  }
  void queueMicrotask(js::Lock& js, v8::Local<v8::Function> callback);
  kj::Own<Console> getConsole() { return kj::addRef(*console); }
  v8::Local<v8::Value> getSelf(const js::Arguments& args) { return args.This(); }

  // workerd's name for the global object's class.
  LOADERD_JS_CLASS_NAMED(GlobalScope, "ServiceWorkerGlobalScope") {
    LOADERD_JS_METHOD(setTimeout);
    LOADERD_JS_METHOD(setInterval);
    LOADERD_JS_METHOD(clearTimeout);
    LOADERD_JS_METHOD(clearInterval);
    LOADERD_JS_METHOD(queueMicrotask);
    LOADERD_JS_READONLY(self, getSelf);
  }

  // Number of timers scheduled and not yet run or cleared.
  size_t pendingTimers() const { return timers.size(); }
  // Clears the timers set for `request` (ctx.abort() ended it).
  void cancelTimers(uint64_t request);

private:
  struct Timer {
    // What a pending timer holds outside the V8 heap (this, its wait and its task: ≈1.4 KB
    // measured) is reported to V8 as external memory, so a flood of long timers counts
    // against the worker's memory limit (Worker::checkExternalMemory) like ArrayBuffers do.
    static constexpr int64_t NATIVE_BYTES = 1536;
    explicit Timer(v8::Isolate* isolate): isolate(isolate) {
      isolate->AdjustAmountOfExternalAllocatedMemory(NATIVE_BYTES);
    }
    ~Timer() noexcept(false) { isolate->AdjustAmountOfExternalAllocatedMemory(-NATIVE_BYTES); }
    KJ_DISALLOW_COPY(Timer);
    v8::Isolate* isolate;
    v8::Global<v8::Function> callback;
    kj::Vector<v8::Global<v8::Value>> args;
    uint64_t request = 0;  // the request that set it: its callback runs for that request
    kj::Canceler canceler;
    double intervalMs;  // < 0 for one-shot timers
  };
  GlobalHost& host;
  kj::Own<Console> console;
  kj::HashMap<uint, kj::Own<Timer>> timers;
  uint nextTimerId = 1;

  void clear(js::Lock& js, kj::StringPtr method, kj::Maybe<v8::Local<v8::Value>> id,
             const js::Arguments& args);
  uint schedule(js::Lock& js, v8::Local<v8::Function> callback, kj::Maybe<double> delay,
                const js::Arguments& args, bool repeat);
  void arm(js::Lock& js, uint id, double delayMs);
  void fire(js::Lock& js, uint id);
};

#define LOADERD_GLOBAL_TYPES ::loaderd::api::Console, ::loaderd::api::ExecutionContext

}  // namespace loaderd::api
