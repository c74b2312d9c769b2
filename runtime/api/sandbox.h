// Fresh V8 contexts over frozen shared data: the `loaderd:sandbox` module.
//
// A Sandbox holds data (structured-cloned once into a "data realm": a bare V8 context whose
// every reachable object, intrinsics included, is frozen) and scripts compiled once. Each run()
// creates a new bare context in the same isolate — no Web APIs, no timers, no network, no
// import(), no code generation from strings — binds the data as read-only globals, runs the
// scripts and then the caller's code (a script whose value is a function), calls it, drains the
// context's own microtask queue and returns the result by structured clone, with console output
// captured. Nothing of one run is visible to the next: the run's own realm is dropped, and the
// shared data and its realm cannot be changed. A run has its own CPU budget (the watchdog
// terminates it and the caller gets an error; the worker itself lives on); memory counts against
// the worker's heap limit.
//
// This costs a context creation (about a millisecond) per run instead of a copy of the data,
// which is what makes Code Mode's `search` fast on a large OpenAPI document.
#pragma once

#include "runtime/js.h"
#include "global.h"

namespace loaderd::api {

class Sandbox final: public js::Object {
public:
  struct Script {
    kj::String name;    // for stack traces and syntax errors
    kj::String source;  // a classic script
    LOADERD_JS_RECORD(Script, name, source);
  };

  // `data`'s own enumerable properties become the frozen globals of every run.
  Sandbox(js::Lock& js, GlobalHost& host, v8::Local<v8::Value> data, kj::Array<Script> scripts);
  ~Sandbox() noexcept(false);

  // Runs `code` (a script evaluating to a function, e.g. `async () => spec.paths`) in a fresh
  // context. Returns { ok: true, value, logs } or { ok: false, name, message, line?, column?,
  // logs } for what the code threw, a CPU budget overrun, an unsettled promise or a result that
  // cannot be cloned. Termination for the worker's own limits propagates.
  v8::Local<v8::Value> run(js::Lock& js, kj::String code, double cpuMs);

  LOADERD_JS_CLASS(Sandbox) {
    LOADERD_JS_METHOD(run);
  }

  static constexpr size_t MAX_RESULT_BYTES = 32u << 20;  // the JS RPC message cap

private:
  GlobalHost& host;
  std::unique_ptr<v8::MicrotaskQueue> queue;  // every context of this sandbox uses it
  v8::Global<v8::Context> dataRealm;
  v8::Global<v8::Object> data;
  struct Compiled {
    kj::String name;
    v8::Global<v8::UnboundScript> script;
  };
  kj::Vector<Compiled> scripts;

  v8::Local<v8::Context> newContext(js::Lock& js);
};

}  // namespace loaderd::api
