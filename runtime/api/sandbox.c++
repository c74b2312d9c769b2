#include "sandbox.h"

#include "runtime/limits.h"
#include "runtime/modules.h"
#include "runtime/serialize.h"
#include <kj/debug.h>

namespace loaderd::api {

// console in a run's context: lines are kept (with a cap), never written to the worker's log.
class SandboxConsole final: public js::Object {
public:
  static constexpr size_t MAX_LINES = 200;
  static constexpr size_t MAX_BYTES = 64 * 1024;

  void log(js::Lock& js, const js::Arguments& args) { write(js, "", args); }
  void info(js::Lock& js, const js::Arguments& args) { write(js, "[info] ", args); }
  void warn(js::Lock& js, const js::Arguments& args) { write(js, "[warn] ", args); }
  void error(js::Lock& js, const js::Arguments& args) { write(js, "[error] ", args); }
  void debug(js::Lock& js, const js::Arguments& args) { write(js, "[debug] ", args); }

  LOADERD_JS_CLASS(SandboxConsole) {
    LOADERD_JS_METHOD(log);
    LOADERD_JS_METHOD(info);
    LOADERD_JS_METHOD(warn);
    LOADERD_JS_METHOD(error);
    LOADERD_JS_METHOD(debug);
  }

  // The captured lines, ending with a note of what the caps dropped.
  kj::Vector<kj::String> take() {
    if (dropped > 0) lines.add(kj::str("[", dropped, " more console lines dropped]"));
    dropped = 0;
    return kj::mv(lines);
  }

private:
  kj::Vector<kj::String> lines;
  size_t bytes = 0;
  size_t dropped = 0;

  void write(js::Lock& js, kj::StringPtr prefix, const js::Arguments& args) {
    if (lines.size() >= MAX_LINES || bytes >= MAX_BYTES) {
      ++dropped;
      return;
    }
    kj::Vector<kj::String> parts;
    for (int i = 0; i < args.Length(); i++) {
      auto value = args[i];
      if (value->IsString()) {
        parts.add(js.toString(value));
      } else {
        // JSON where it can (what agents expect to read back), else an inspect-like form.
        v8::TryCatch tryCatch(js.isolate);
        v8::Local<v8::String> json;
        if (!value->IsUndefined() && !value->IsFunction() && !value->IsSymbol() &&
            v8::JSON::Stringify(js.context(), value).ToLocal(&json)) {
          parts.add(js.toString(json));
        } else {
          if (!tryCatch.CanContinue()) throw js::ExceptionPending{};
          tryCatch.Reset();
          parts.add(formatForLog(js, value));
        }
      }
    }
    auto line = kj::str(prefix, kj::strArray(parts, " "));
    if (line.size() > MAX_BYTES - bytes) {
      line = kj::str(line.slice(0, MAX_BYTES - bytes), "…");
    }
    bytes += line.size();
    lines.add(kj::mv(line));
  }
};

namespace {

// Freezes everything reachable from the realm's global object and from the intrinsics that are
// reachable only through instances (iterators, generator and async function prototypes), then
// the data: after this, nothing in the realm can be changed by any code anywhere.
constexpr char LOCKDOWN[] = R"JS((function lockdown(data) {
  "use strict";
  const hidden = [
    function* () {}, async function () {}, async function* () {},
    [][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](),
    ""[Symbol.iterator](), "".matchAll(/a/g), Int8Array, (function* () {})(),
    (async function* () {})(), Reflect.getOwnPropertyDescriptor(Function.prototype, "caller"),
  ];
  const seen = new Set();
  const stack = [globalThis, data, ...hidden];
  const freeze = Object.freeze, getProto = Object.getPrototypeOf, keys = Reflect.ownKeys;
  const describe = Reflect.getOwnPropertyDescriptor;
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
    seen.add(o);
    freeze(o);
    stack.push(getProto(o));
    for (const key of keys(o)) {
      const d = describe(o, key);
      if (d === undefined) continue;
      if ("value" in d) stack.push(d.value); else stack.push(d.get, d.set);
    }
  }
}))JS";

// Globals a run's context (and the data realm) never has: whatever could run code or settle a
// promise after the run has returned (GC callbacks, async waits), and WebAssembly.
void removeDeferredWork(js::Lock& js, v8::Local<v8::Context> context) {
  auto global = context->Global();
  for (auto name: {"FinalizationRegistry", "WeakRef", "WebAssembly", "SharedArrayBuffer"}) {
    js::check(global->Delete(context, js.internedStr(name)));
  }
  auto atomics = js::check(global->Get(context, js.internedStr("Atomics")));
  if (atomics->IsObject()) {
    js::check(atomics.As<v8::Object>()->Delete(context, js.internedStr("waitAsync")));
    js::check(atomics.As<v8::Object>()->Delete(context, js.internedStr("wait")));
  }
}

v8::Local<v8::Value> field(js::Lock& js, v8::Local<v8::Value> object, kj::StringPtr name) {
  if (!object->IsObject()) return js.undefined();
  v8::Local<v8::Value> value;
  if (!object.As<v8::Object>()->Get(js.context(), js.internedStr(name)).ToLocal(&value)) {
    throw js::ExceptionPending{};
  }
  return value;
}

}  // namespace

Sandbox::Sandbox(js::Lock& js, GlobalHost& host, v8::Local<v8::Value> dataArg,
                 kj::Array<Script> scriptsArg)
    : host(host), queue(v8::MicrotaskQueue::New(js.isolate, v8::MicrotasksPolicy::kExplicit)) {
  if (!dataArg->IsUndefined() && !dataArg->IsObject()) {
    js::throwTypeError("Sandbox: `data` must be an object whose properties become globals.");
  }
  auto bytes = serializeValue(
      js, dataArg->IsUndefined() ? v8::Object::New(js.isolate).As<v8::Value>() : dataArg);
  for (auto& s: scriptsArg) {
    v8::ScriptOrigin origin(js.isolate, js.str(s.name));
    v8::ScriptCompiler::Source source(js.str(s.source), origin);
    auto unbound = js::check(v8::ScriptCompiler::CompileUnboundScript(js.isolate, &source));
    scripts.add(Compiled{kj::mv(s.name), v8::Global<v8::UnboundScript>(js.isolate, unbound)});
  }

  auto realm = newContext(js);
  {
    v8::Context::Scope scope(realm);
    js::Lock inner(js.isolate, realm);
    auto root = deserializeValue(inner, bytes);
    v8::ScriptOrigin origin(js.isolate, inner.str("lockdown.js"));
    v8::ScriptCompiler::Source source(inner.str(LOCKDOWN), origin);
    auto lockdown = js::check(js::check(v8::ScriptCompiler::Compile(realm, &source))->Run(realm));
    v8::Local<v8::Value> args[] = {root};
    js::check(lockdown.As<v8::Function>()->Call(realm, v8::Undefined(js.isolate), 1, args));
    data.Reset(js.isolate, root.As<v8::Object>());
  }
  dataRealm.Reset(js.isolate, realm);
}

Sandbox::~Sandbox() noexcept(false) {}

v8::Local<v8::Context> Sandbox::newContext(js::Lock& js) {
  auto context = v8::Context::New(js.isolate, nullptr, v8::MaybeLocal<v8::ObjectTemplate>(),
                                  v8::MaybeLocal<v8::Value>(),
                                  v8::DeserializeInternalFieldsCallback(), queue.get());
  context->SetSecurityToken(js.context()->GetSecurityToken());
  context->AllowCodeGenerationFromStrings(false);
  markNoModules(context);
  {
    v8::Context::Scope scope(context);
    js::Lock inner(js.isolate, context);
    removeDeferredWork(inner, context);
  }
  return context;
}

v8::Local<v8::Value> Sandbox::run(js::Lock& js, kj::String code, double cpuMs) {
  auto isolate = js.isolate;
  if (!(cpuMs > 0)) js::throwRangeError("Sandbox.run: cpuMs must be a positive number.");
  auto context = newContext(js);
  auto console = kj::refcounted<SandboxConsole>();

  struct Outcome {
    bool ok = false;
    kj::Array<kj::byte> value;
    kj::String name;
    kj::String message;
    int line = 0, column = 0;
  } outcome;
  auto fail = [&](kj::StringPtr name, kj::StringPtr message) {
    outcome.ok = false;
    outcome.name = kj::str(name);
    outcome.message = kj::str(message);
  };

  std::atomic<bool> overran{false};
  auto& watchdog = host.watchdog();
  watchdog.arm(isolate, budgetNs(cpuMs), &overran);
  bool armed = true;
  KJ_DEFER(if (armed) watchdog.disarm());
  bool terminated = false;
  {
    v8::Context::Scope scope(context);
    js::Lock inner(isolate, context);
    v8::TryCatch tryCatch(isolate);
    // Describes what the code threw, still inside the run's context and CPU budget (reading
    // `name` and `message` can run the code's getters).
    auto describeThrown = [&](v8::Local<v8::Value> thrown) {
      v8::TryCatch nested(isolate);
      kj::String name = kj::str(), message;
      try {
        if (thrown->IsObject()) {
          auto n = field(inner, thrown, "name");
          if (n->IsString()) name = inner.toString(n);
          auto m = field(inner, thrown, "message");
          message = m->IsUndefined() ? inner.toString(thrown) : inner.toString(m);
        } else {
          message = inner.toString(thrown);
        }
      } catch (js::ExceptionPending&) {
        if (!nested.CanContinue()) throw;
        message = kj::str("(the thrown value could not be described)");
      }
      fail(name, message);
    };
    try {
      auto global = context->Global();
      auto root = data.Get(isolate);
      auto names = js::check(root->GetOwnPropertyNames(context));
      for (uint32_t i = 0; i < names->Length(); i++) {
        auto name = js::check(names->Get(context, i));
        js::check(global->DefineOwnProperty(
            context, name.As<v8::Name>(), js::check(root->Get(context, name)),
            static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete)));
      }
      js::check(global->DefineOwnProperty(context, inner.internedStr("console"),
                                          console->wrap(inner), v8::DontEnum));
      for (auto& s: scripts) {
        js::check(s.script.Get(isolate)->BindToCurrentContext()->Run(context));
      }
      // Strict, as a module would be; the column offset keeps positions the code's own.
      static constexpr kj::StringPtr PREFIX = "\"use strict\";"_kj;
      v8::ScriptOrigin origin(isolate, inner.str("code.js"), 0, -int(PREFIX.size()));
      v8::ScriptCompiler::Source source(inner.str(kj::str(PREFIX, code)), origin);
      v8::Local<v8::Script> script;
      if (!v8::ScriptCompiler::Compile(context, &source).ToLocal(&script)) {
        if (!tryCatch.CanContinue()) throw js::ExceptionPending{};
        auto message = tryCatch.Message();
        describeThrown(tryCatch.Exception());
        if (!message.IsEmpty()) {
          outcome.line = message->GetLineNumber(context).FromMaybe(0);
          outcome.column = message->GetStartColumn(context).FromMaybe(-1) + 1;
        }
      } else {
        auto fn = js::check(script->Run(context));
        if (!fn->IsFunction()) {
          fail("TypeError", "The code must evaluate to a function, e.g. async () => { ... }.");
        } else {
          auto result = js::check(fn.As<v8::Function>()->Call(context, v8::Undefined(isolate),
                                                              0, nullptr));
          queue->PerformCheckpoint(isolate);
          if (isolate->IsExecutionTerminating()) throw js::ExceptionPending{};
          bool settled = true, rejected = false;
          if (result->IsPromise()) {
            auto promise = result.As<v8::Promise>();
            switch (promise->State()) {
              case v8::Promise::kPending: settled = false; break;
              case v8::Promise::kRejected: rejected = true; result = promise->Result(); break;
              case v8::Promise::kFulfilled: result = promise->Result(); break;
            }
            promise->MarkAsHandled();
          }
          if (!settled) {
            fail("Error", "The function's promise never settled: nothing in this sandbox can "
                          "settle it later (it has no timers and no I/O).");
          } else if (rejected) {
            describeThrown(result);
          } else {
            outcome.value = serializeValue(inner, result);
            if (outcome.value.size() > MAX_RESULT_BYTES) {
              fail("RangeError", kj::str("The result is too large to return (",
                                         outcome.value.size(), " bytes serialized; the limit is ",
                                         MAX_RESULT_BYTES, ")."));
              outcome.value = nullptr;
            } else {
              outcome.ok = true;
            }
          }
        }
      }
    } catch (js::ExceptionPending&) {
      if (!tryCatch.CanContinue() || isolate->IsExecutionTerminating()) {
        terminated = true;
      } else if (tryCatch.HasCaught()) {
        describeThrown(tryCatch.Exception());
      }
    } catch (js::Error& e) {
      fail(e.type == js::ErrorType::TYPE_ERROR ? "TypeError" : "Error", e.message);
    }
    // Disarm before cancelling, so the watchdog cannot terminate again past its deadline.
    watchdog.disarm();
    armed = false;
    if (overran.load() && !host.limitReached()) {
      // This run's budget ran out, not the worker's: the run ends, the worker goes on.
      isolate->CancelTerminateExecution();
      tryCatch.Reset();
      terminated = false;
      outcome.value = nullptr;
      fail("Error", kj::str("The code exceeded its CPU time limit (", cpuMs, " ms)."));
    }
  }
  if (terminated) throw js::ExceptionPending{};  // the worker's own limit: let it unwind
  // The run's context is garbage now; telling V8 guides its GC heuristics.
  isolate->ContextDisposedNotification(false);

  auto ctx = js.context();
  auto answer = v8::Object::New(isolate);
  auto set = [&](kj::StringPtr key, v8::Local<v8::Value> value) {
    js::check(answer->Set(ctx, js.internedStr(key), value));
  };
  set("ok", v8::Boolean::New(isolate, outcome.ok));
  if (outcome.ok) {
    set("value", deserializeValue(js, outcome.value));
  } else {
    set("name", js.str(outcome.name));
    set("message", js.str(outcome.message));
    if (outcome.line > 0) {
      set("line", v8::Number::New(isolate, outcome.line));
      set("column", v8::Number::New(isolate, outcome.column));
    }
  }
  auto lines = console->take();
  auto logs = v8::Array::New(isolate, lines.size());
  for (uint i = 0; i < lines.size(); i++) js::check(logs->Set(ctx, i, js.str(lines[i])));
  set("logs", logs);
  return answer;
}

}  // namespace loaderd::api
