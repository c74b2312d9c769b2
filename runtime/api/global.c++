#include "global.h"

#include "runtime/serialize.h"
#include <kj/debug.h>
#include <cmath>

namespace loaderd::api {

// ---------------------------------------------------------------------------------------------
// Console

namespace {

void inspect(js::Lock& js, v8::Local<v8::Value> value, kj::Vector<kj::String>& out, int depth,
             bool nested);

kj::String quote(kj::StringPtr s) {
  kj::Vector<char> out;
  out.add('\'');
  for (char c: s) {
    if (c == '\'' || c == '\\') out.add('\\');
    if (c == '\n') {
      out.addAll(kj::StringPtr("\\n"));
      continue;
    }
    out.add(c);
  }
  out.add('\'');
  return kj::str(out.asPtr());
}

kj::String primitiveToString(js::Lock& js, v8::Local<v8::Value> value) {
  if (value->IsSymbol()) {
    auto desc = value.As<v8::Symbol>()->Description(js.isolate);
    return kj::str("Symbol(", desc->IsUndefined() ? kj::str("") : js.toString(desc), ")");
  }
  if (value->IsBigInt()) return kj::str(js.toString(value), "n");
  if (value->IsNumber() && value.As<v8::Number>()->Value() == 0 &&
      std::signbit(value.As<v8::Number>()->Value())) {
    return kj::str("-0");
  }
  return js.toString(value);
}

void inspect(js::Lock& js, v8::Local<v8::Value> value, kj::Vector<kj::String>& out, int depth,
             bool nested) {
  if (value->IsString()) {
    out.add(nested ? quote(js.toString(value)) : js.toString(value));
    return;
  }
  if (!value->IsObject()) {
    out.add(primitiveToString(js, value));
    return;
  }
  auto obj = value.As<v8::Object>();
  if (value->IsNativeError() || js::tryUnwrap<loaderd::DomException>(js, value) != nullptr) {
    auto stack = js::check(obj->Get(js.context(), js.internedStr("stack")));
    out.add(stack->IsString() ? js.toString(stack) : js.toString(value));
    return;
  }
  if (value->IsFunction()) {
    auto name = js.toString(value.As<v8::Function>()->GetName());
    out.add(name.size() == 0 ? kj::str("[Function (anonymous)]")
                             : kj::str("[Function: ", name, "]"));
    return;
  }
  if (value->IsDate() || value->IsRegExp()) {
    out.add(js.toString(value));
    return;
  }
  if (value->IsPromise()) {
    out.add(kj::str("Promise { <", value.As<v8::Promise>()->State() == v8::Promise::kPending
                                       ? "pending" : "settled", "> }"));
    return;
  }
  if (depth > 2) {
    out.add(kj::str(value->IsArray() ? "[Array]" : "[Object]"));
    return;
  }
  if (value->IsArray()) {
    auto arr = value.As<v8::Array>();
    if (arr->Length() == 0) {
      out.add(kj::str("[]"));
      return;
    }
    kj::Vector<kj::String> parts;
    for (uint i = 0; i < arr->Length() && i < 100; i++) {
      kj::Vector<kj::String> part;
      inspect(js, js::check(arr->Get(js.context(), i)), part, depth + 1, true);
      parts.add(kj::strArray(part, ""));
    }
    if (arr->Length() > 100) parts.add(kj::str("... ", arr->Length() - 100, " more items"));
    out.add(kj::str("[ ", kj::strArray(parts, ", "), " ]"));
    return;
  }
  auto keys = js::check(obj->GetOwnPropertyNames(js.context()));
  kj::String prefix;
  auto ctorName = js.toString(obj->GetConstructorName());
  if (ctorName != "Object" && ctorName.size() > 0) prefix = kj::str(ctorName, " ");
  if (keys->Length() == 0) {
    out.add(kj::str(prefix, "{}"));
    return;
  }
  kj::Vector<kj::String> parts;
  for (uint i = 0; i < keys->Length(); i++) {
    auto key = js::check(keys->Get(js.context(), i));
    kj::Vector<kj::String> part;
    inspect(js, js::check(obj->Get(js.context(), key)), part, depth + 1, true);
    parts.add(kj::str(js.toString(key), ": ", kj::strArray(part, "")));
  }
  out.add(kj::str(prefix, "{ ", kj::strArray(parts, ", "), " }"));
}

}  // namespace

kj::String formatForLog(js::Lock& js, v8::Local<v8::Value> value) {
  kj::Vector<kj::String> out;
  inspect(js, value, out, 0, false);
  return kj::strArray(out, "");
}

void Console::write(js::Lock& js, LogLevel level, const js::Arguments& args) {
  host.traceLog(js, level, args);
  if (host.logsDropped()) return;
  kj::Vector<kj::String> parts;
  for (int i = 0; i < args.Length(); i++) parts.add(formatForLog(js, args[i]));
  host.writeLog(level, kj::strArray(parts, " "));
}

// ---------------------------------------------------------------------------------------------
// ExecutionContext

void ExecutionContext::waitUntil(js::Lock& js, v8::Local<v8::Value> value) {
  if (!value->IsPromise()) return;
  waitUntilSink(js, value.As<v8::Promise>());
}

v8::Local<v8::Object> ExecutionContext::make(js::Lock& js, v8::Local<v8::Value> tracing,
                                              kj::Maybe<v8::Local<v8::Value>> props,
                                              kj::Maybe<v8::Local<v8::Value>> exports) {
  // The instance template gives the five properties (undefined): only values are set here.
  auto object = wrap(js);
  auto set = [&](kj::StringPtr name, v8::Local<v8::Value> value) {
    js::check(object->Set(js.context(), js.internedStr(name), value));
  };
  set("tracing", tracing);
  KJ_IF_MAYBE(p, props) {
    set("props", *p);
  } else {
    set("props", v8::Object::New(js.isolate));
  }
  KJ_IF_MAYBE(e, exports) {
    set("exports", *e);
  } else {
    js::check(object->Delete(js.context(), js.internedStr("exports")));  // the last one: cheap
  }
  return object;
}

v8::Local<v8::Value> ExecutionContext::mapVirtualHost(js::Lock& js, const js::Arguments& args) {
  v8::Local<v8::Value> argv[] = {args[0], args[1]};
  return js::check(host.hook(js, "workers", "mapVirtualHost")
                       ->Call(js.context(), js.undefined(), 2, argv));
}

void ExecutionContext::abort(js::Lock& js, const js::Arguments& args) {
  auto reason = args[0];
  if (reason->IsUndefined()) {
    reason = v8::Exception::Error(
        js.str("Worker execution was aborted due to call to ctx.abort()."));
  } else if (!reason->IsObject()) {
    reason = v8::Exception::Error(js::check(reason->ToDetailString(js.context())));
  }
  host.abortCurrent(js, reason);
  // Stops here: the termination is thrown on entering the function.
  (void)host.hook(js, "workers", "stopHere")->Call(js.context(), js.undefined(), 0, nullptr);
}

// ---------------------------------------------------------------------------------------------
// Timers

GlobalScope::~GlobalScope() noexcept(false) {}

uint GlobalScope::setTimeout(js::Lock& js, v8::Local<v8::Function> callback,
                             kj::Maybe<double> delay, const js::Arguments& args) {
  return schedule(js, callback, delay, args, false);
}

uint GlobalScope::setInterval(js::Lock& js, v8::Local<v8::Function> callback,
                              kj::Maybe<double> delay, const js::Arguments& args) {
  return schedule(js, callback, delay, args, true);
}

uint GlobalScope::schedule(js::Lock& js, v8::Local<v8::Function> callback,
                           kj::Maybe<double> delay, const js::Arguments& args, bool repeat) {
  js::refuseInGlobalScope(js.isolate);
  double ms = 0;
  KJ_IF_MAYBE(d, delay) { ms = *d; }
  if (!(ms >= 0) || !std::isfinite(ms)) ms = 0;
  uint id = nextTimerId++;
  auto timer = kj::heap<Timer>(js.isolate);
  timer->callback.Reset(js.isolate, callback);
  for (int i = 2; i < args.Length(); i++) timer->args.add(js.isolate, args[i]);
  timer->intervalMs = repeat ? ms : -1;
  timer->request = js.base().currentRequest(js);
  // Code of a request ctx.abort() ended (a continuation of its I/O) sets no timer going.
  if (timer->request != 0 && host.wasAborted(timer->request)) return id;
  timers.insert(id, kj::mv(timer));
  arm(js, id, ms);
  return id;
}

void GlobalScope::arm(js::Lock& js, uint id, double delayMs) {
  KJ_IF_MAYBE(timer, timers.find(id)) {
    auto& base = js.base();
    auto delay = static_cast<int64_t>(delayMs * 1000) * kj::MICROSECONDS;
    // The canceler stops the wait when the timer is cleared or the scope goes away; the scope
    // outlives every task it arms (both belong to the isolate).
    // From the clock's current reading, not the event loop's cached one: after a long run of
    // JavaScript the cached time is stale and afterDelay() would fire early.
    auto when = kj::systemPreciseMonotonicClock().now() + delay;
    base.tasks().add((*timer)->canceler.wrap(host.timer().atTime(when))
                         .then([this, &base, id]() {
                           base.runInJs([&](js::Lock& js) { fire(js, id); });
                         }, [](kj::Exception&&) {}));
  }
}

void GlobalScope::fire(js::Lock& js, uint id) {
  v8::Local<v8::Function> callback;
  kj::Vector<v8::Local<v8::Value>> args;
  bool repeat = false;
  KJ_IF_MAYBE(timer, timers.find(id)) {
    if ((*timer)->request != 0) js.base().enterRequest(js, (*timer)->request);
    callback = (*timer)->callback.Get(js.isolate);
    for (auto& a: (*timer)->args) args.add(a.Get(js.isolate));
    repeat = (*timer)->intervalMs >= 0;
  } else {
    return;
  }
  if (!repeat) timers.erase(id);
  v8::TryCatch tryCatch(js.isolate);
  if (callback->Call(js.context(), js.undefined(), args.size(), args.begin()).IsEmpty() &&
      tryCatch.HasCaught() && tryCatch.CanContinue()) {
    auto exception = tryCatch.Exception();
    tryCatch.Reset();
    js.base().reportUncaught(js, exception, "timer callback");
  }
  if (repeat) {
    KJ_IF_MAYBE(timer, timers.find(id)) {
      arm(js, id, (*timer)->intervalMs);
    }
  }
}

void GlobalScope::clear(js::Lock& js, kj::StringPtr method, kj::Maybe<v8::Local<v8::Value>> id,
                        const js::Arguments& args) {
  if (args.Length() == 0) {
    js::throwTypeError(kj::str("Failed to execute '", method, "' on 'ServiceWorkerGlobalScope': "
                               "parameter 1 is not of type 'Number'."));
  }
  js::refuseInGlobalScope(js.isolate);
  KJ_IF_MAYBE(i, id) {
    if (!(*i)->IsNumber()) return;
    uint key = static_cast<uint>((*i).As<v8::Number>()->Value());
    KJ_IF_MAYBE(timer, timers.find(key)) {
      (*timer)->canceler.cancel("timer cleared");
      timers.erase(key);
    }
  }
}

void GlobalScope::cancelTimers(uint64_t request) {
  if (request == 0) return;  // timers outside any request belong to no invocation
  kj::Vector<uint> ids;
  for (auto& entry: timers) {
    if (entry.value->request == request) ids.add(entry.key);
  }
  for (auto id: ids) {
    KJ_ASSERT_NONNULL(timers.find(id))->canceler.cancel("ctx.abort()");
    timers.erase(id);
  }
}

void GlobalScope::queueMicrotask(js::Lock& js, v8::Local<v8::Function> callback) {
  js.isolate->EnqueueMicrotask(callback);
}

}  // namespace loaderd::api
