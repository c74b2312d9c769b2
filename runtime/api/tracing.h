// ctx.tracing: workerd's user tracing API (Tracing, Span). loaderd records no traces, as workerd
// records none outside Cloudflare: every span reports isTraced false and an all-zero context,
// and what is set on it is checked as workerd checks it, then dropped. Code written for traced
// deployments runs unchanged: callbacks run with their span, results and exceptions pass
// through, and getActiveSpan() answers the span whose callback is running.
#pragma once

#include "runtime/js.h"

namespace loaderd::api {

class Span final: public js::Object {
public:
  bool getIsTraced() { return false; }
  v8::Local<v8::Value> spanContext(js::Lock& js);
  // setAttribute, setAttributes, updateName and setStatus return the span itself.
  v8::Local<v8::Value> setAttribute(js::Lock& js, const js::Arguments& args);
  v8::Local<v8::Value> setAttributes(js::Lock& js, const js::Arguments& args);
  void recordException(js::Lock& js, const js::Arguments& args);
  v8::Local<v8::Value> updateName(js::Lock& js, const js::Arguments& args);
  v8::Local<v8::Value> setStatus(js::Lock& js, const js::Arguments& args);
  void end() {}

  LOADERD_JS_CLASS(Span) {
    LOADERD_JS_READONLY(isTraced, getIsTraced);
    LOADERD_JS_METHOD(spanContext);
    LOADERD_JS_METHOD(setAttribute);
    LOADERD_JS_METHOD(setAttributes);
    LOADERD_JS_METHOD(recordException);
    LOADERD_JS_METHOD(updateName);
    LOADERD_JS_METHOD(setStatus);
    LOADERD_JS_METHOD(end);
  }
};

class Tracing final: public js::Object {
public:
  // enterSpan(name, callback, ...args) and its alias startActiveSpan: callback(span, ...args)
  // with the new span active, its result (a promise too) returned as it is.
  v8::Local<v8::Value> enterSpan(js::Lock& js, const js::Arguments& args);
  v8::Local<v8::Value> startActiveSpan(js::Lock& js, const js::Arguments& args);
  v8::Local<v8::Value> startSpan(js::Lock& js, const js::Arguments& args);
  // The span whose callback is running, or one that stands for none (the same each time).
  v8::Local<v8::Value> getActiveSpan(js::Lock& js);
  // withActiveSpan(span, callback, ...args): callback(...args) with `span` active.
  v8::Local<v8::Value> withActiveSpan(js::Lock& js, const js::Arguments& args);

  LOADERD_JS_CLASS(Tracing) {
    LOADERD_JS_METHOD(enterSpan);
    LOADERD_JS_METHOD(startActiveSpan);
    LOADERD_JS_METHOD(startSpan);
    LOADERD_JS_METHOD(getActiveSpan);
    LOADERD_JS_METHOD(withActiveSpan);
    builder.template nested<Span>("Span");
  }

private:
  kj::Vector<v8::Global<v8::Value>> active;  // innermost last
  v8::Global<v8::Value> root;
  v8::Local<v8::Value> enter(js::Lock& js, const js::Arguments& args, const char* method);
  v8::Local<v8::Value> runWith(js::Lock& js, v8::Local<v8::Value> span,
                               v8::Local<v8::Function> callback,
                               kj::ArrayPtr<v8::Local<v8::Value>> argv);
};

}  // namespace loaderd::api
