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

// What a worker is made of.
struct WorkerSpec {
  kj::String name;  // for logs
  kj::Own<ModuleSource> modules;
  Compatibility compat;
  // Builds `env` in the worker's context.
  kj::Function<v8::Local<v8::Object>(js::Lock&)> makeEnv;
};

// A worker whose startup failed: `message` is one line naming file, line and column.
struct StartupError {
  kj::String message;
};

class Worker final: public kj::HttpService, public js::IsolateBase, public api::GlobalHost {
public:
  // Starts the worker: compiles and evaluates the main module. Throws StartupError.
  static kj::Own<Worker> start(Platform& platform, kj::Timer& timer,
                               const kj::HttpHeaderTable& headerTable, WorkerSpec spec);
  ~Worker() noexcept(false);

  kj::StringPtr name() const { return spec.name; }

  // kj::HttpService: dispatches to the default export's fetch handler.
  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url,
                            const kj::HttpHeaders& headers, kj::AsyncInputStream& requestBody,
                            kj::HttpService::Response& response) override;

  // js::IsolateBase
  void runInJs(kj::FunctionParam<void(js::Lock&)> func) override;
  void reportUncaught(js::Lock& js, v8::Local<v8::Value> exception,
                      kj::StringPtr where) override;

  // api::GlobalHost
  kj::Timer& timer() override { return timer_; }
  void writeLog(api::LogLevel level, kj::StringPtr text) override;

  // Private constructor made public for kj::heap; use start().
  Worker(Platform& platform, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
         WorkerSpec spec, v8::Isolate* isolate);

private:
  Platform& platform;
  kj::Timer& timer_;
  const kj::HttpHeaderTable& headerTable;
  WorkerSpec spec;
  v8::Isolate* isolate;
  v8::Global<v8::Context> context;
  kj::Own<ModuleRegistry> registry;
  kj::Own<api::GlobalScope> globalScope;
  v8::Global<v8::Object> env;
  v8::Global<v8::Value> defaultExport;

  void startup();
  void installBuiltins(js::Lock& js, v8::Local<v8::Object> global);
  kj::Promise<void> dispatchFetch(kj::Own<api::Request> request,
                                  kj::HttpService::Response& response);
  kj::Promise<void> sendResponse(kj::Own<api::Response> result,
                                 kj::HttpService::Response& response);
  kj::Promise<void> sendError(kj::HttpService::Response& response);
  kj::String formatStartupError(js::Lock& js, v8::TryCatch& tryCatch);
};

}  // namespace loaderd
