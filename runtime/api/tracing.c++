#include "tracing.h"

namespace loaderd::api {

namespace {

[[noreturn]] void wrongType(const char* cls, const char* method, uint index,
                            kj::StringPtr expected) {
  js::throwTypeError(kj::str("Failed to execute '", method, "' on '", cls, "': parameter ",
                             index + 1, " is not of type '", expected, "'."));
}

// A name: anything but undefined, as a string (a Symbol fails as V8 converts it).
void checkName(js::Lock& js, const js::Arguments& args, const char* cls, const char* method) {
  if (args[0]->IsUndefined()) wrongType(cls, method, 0, "string");
  js::check(args[0]->ToString(js.context()));
}

v8::Local<v8::Function> callbackAt(const js::Arguments& args, uint index, const char* method) {
  if (!args[index]->IsFunction()) wrongType("Tracing", method, index, "Function");
  return args[index].As<v8::Function>();
}

v8::Local<v8::Value> newSpan(js::Lock& js) { return kj::refcounted<Span>()->wrap(js); }

}  // namespace

v8::Local<v8::Value> Span::spanContext(js::Lock& js) {
  auto context = v8::Object::New(js.isolate);
  auto set = [&](kj::StringPtr name, v8::Local<v8::Value> value) {
    js::check(context->Set(js.context(), js.internedStr(name), value));
  };
  set("traceId", js.str("00000000000000000000000000000000"));
  set("spanId", js.str("0000000000000000"));
  set("traceFlags", v8::Integer::New(js.isolate, 0));
  return context;
}

v8::Local<v8::Value> Span::setAttribute(js::Lock& js, const js::Arguments& args) {
  checkName(js, args, "Span", "setAttribute");
  return args.This();
}

v8::Local<v8::Value> Span::setAttributes(js::Lock& js, const js::Arguments& args) {
  if (!args[0]->IsObject()) wrongType("Span", "setAttributes", 0, "object");
  return args.This();
}

void Span::recordException(js::Lock& js, const js::Arguments& args) {
  if (args[0]->IsUndefined()) wrongType("Span", "recordException", 0, "Value");
}

v8::Local<v8::Value> Span::updateName(js::Lock& js, const js::Arguments& args) {
  checkName(js, args, "Span", "updateName");
  return args.This();
}

v8::Local<v8::Value> Span::setStatus(js::Lock& js, const js::Arguments& args) {
  if (!args[0]->IsObject()) wrongType("Span", "setStatus", 0, "TracingSpanStatus");
  auto code = js::check(args[0].As<v8::Object>()->Get(js.context(), js.internedStr("code")));
  auto text = code->IsString() ? js.toString(code) : kj::str();
  if (text != "unset" && text != "ok" && text != "error") {
    js::throwTypeError("Span status code must be 'unset', 'ok', or 'error'.");
  }
  return args.This();
}

v8::Local<v8::Value> Tracing::runWith(js::Lock& js, v8::Local<v8::Value> span,
                                      v8::Local<v8::Function> callback,
                                      kj::ArrayPtr<v8::Local<v8::Value>> argv) {
  active.add(v8::Global<v8::Value>(js.isolate, span));
  KJ_DEFER(active.removeLast());
  // Called as workerd calls it, with the global object as `this`.
  return js::check(callback->Call(js.context(), js.context()->Global(), argv.size(),
                                  argv.begin()));
}

v8::Local<v8::Value> Tracing::enter(js::Lock& js, const js::Arguments& args, const char* method) {
  checkName(js, args, "Tracing", method);
  auto callback = callbackAt(args, 1, method);
  auto span = newSpan(js);
  kj::Vector<v8::Local<v8::Value>> argv;
  argv.add(span);
  for (int i = 2; i < args.Length(); i++) argv.add(args[i]);
  return runWith(js, span, callback, argv);
}

v8::Local<v8::Value> Tracing::enterSpan(js::Lock& js, const js::Arguments& args) {
  return enter(js, args, "enterSpan");
}

v8::Local<v8::Value> Tracing::startActiveSpan(js::Lock& js, const js::Arguments& args) {
  return enter(js, args, "startActiveSpan");
}

v8::Local<v8::Value> Tracing::startSpan(js::Lock& js, const js::Arguments& args) {
  checkName(js, args, "Tracing", "startSpan");
  return newSpan(js);
}

v8::Local<v8::Value> Tracing::getActiveSpan(js::Lock& js) {
  if (!active.empty()) return active.back().Get(js.isolate);
  if (root.IsEmpty()) root.Reset(js.isolate, newSpan(js));
  return root.Get(js.isolate);
}

v8::Local<v8::Value> Tracing::withActiveSpan(js::Lock& js, const js::Arguments& args) {
  auto spanTemplate = js.templateFor<Span>();
  if (!args[0]->IsObject() || !spanTemplate->HasInstance(args[0])) {
    wrongType("Tracing", "withActiveSpan", 0, "Span");
  }
  auto callback = callbackAt(args, 1, "withActiveSpan");
  kj::Vector<v8::Local<v8::Value>> argv;
  for (int i = 2; i < args.Length(); i++) argv.add(args[i]);
  return runWith(js, args[0], callback, argv);
}

}  // namespace loaderd::api
