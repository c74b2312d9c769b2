// Tests of the binding layer through a real isolate: conversions, classes, errors.
#include "js.h"
#include "platform.h"

#include <gtest/gtest.h>
#include <kj/async.h>
#include <kj/debug.h>
#include <kj/vector.h>

namespace loaderd {
namespace {

struct Options {
  kj::Maybe<kj::String> label;
  kj::Maybe<double> count;
  LOADERD_JS_RECORD(Options, label, count);
};

class Counter final: public js::Object {
public:
  explicit Counter(double start): value(start) {}
  ~Counter() noexcept(false) { destroyed++; }
  static inline int destroyed = 0;
  static kj::Own<Counter> constructor(kj::Maybe<double> start) {
    double s = 0;
    KJ_IF_MAYBE(v, start) { s = *v; }
    if (s < 0) js::throwRangeError("start must not be negative");
    return kj::refcounted<Counter>(s);
  }
  double increment(kj::Maybe<double> by) {
    KJ_IF_MAYBE(b, by) {
      value += *b;
    } else {
      value += 1;
    }
    return value;
  }
  double getValue() { return value; }
  void setValue(double v) { value = v; }
  kj::String describe(Options options) {
    kj::StringPtr label = "counter";
    KJ_IF_MAYBE(l, options.label) { label = *l; }
    return kj::str(label, "=", value);
  }
  kj::Own<Counter> fork() { return kj::refcounted<Counter>(value); }
  static kj::String twice(kj::String s) { return kj::str(s, s); }
  kj::Array<kj::String> split(kj::String s) {
    kj::Vector<kj::String> parts;
    for (char c: s) parts.add(kj::str(c));
    return parts.releaseAsArray();
  }
  void boom() { KJ_FAIL_ASSERT("an internal invariant broke"); }
  kj::Promise<kj::String> later() { return kj::str("done"); }

  LOADERD_JS_CLASS(Counter) {
    LOADERD_JS_METHOD(increment);
    LOADERD_JS_ACCESSOR(value, getValue, setValue);
    LOADERD_JS_METHOD(describe);
    LOADERD_JS_METHOD(fork);
    LOADERD_JS_STATIC_METHOD(twice);
    LOADERD_JS_METHOD(split);
    LOADERD_JS_METHOD(boom);
    LOADERD_JS_METHOD(later);
  }

private:
  double value;
};

class TestIsolate final: public js::IsolateBase {
public:
  TestIsolate(v8::Isolate* isolate): js::IsolateBase(isolate) {}
  ~TestIsolate() noexcept(false) {
    v8::HandleScope scope(v8Isolate());
    context.Reset();
    releaseAll();
  }
  void runInJs(kj::FunctionParam<void(js::Lock&)> func) override {
    v8::HandleScope scope(v8Isolate());
    auto ctx = context.Get(v8Isolate());
    v8::Context::Scope cs(ctx);
    js::Lock js(v8Isolate(), ctx);
    func(js);
    v8Isolate()->PerformMicrotaskCheckpoint();
  }
  void reportUncaught(js::Lock&, v8::Local<v8::Value>, kj::StringPtr) override {}
  v8::Global<v8::Context> context;
};

class JsTest: public ::testing::Test {
protected:
  static Platform* platform;
  static void SetUpTestSuite() { platform = new Platform("js-test"); }

  void SetUp() override {
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = &platform->allocator();
    isolate = v8::Isolate::New(params);
    isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
    isolate->Enter();
    state = std::make_unique<TestIsolate>(isolate);
    v8::HandleScope scope(isolate);
    auto ctx = v8::Context::New(isolate);
    state->context.Reset(isolate, ctx);
    state->runInJs([](js::Lock& js) {
      js::exposeClasses<Counter>(js, js.context()->Global());
    });
  }
  void TearDown() override {
    state = nullptr;
    isolate->Exit();
    isolate->Dispose();
  }

  // Evaluates `code`; returns String(result) or "throws <Type>: <message>".
  std::string eval(const char* code) {
    std::string out;
    state->runInJs([&](js::Lock& js) {
      v8::TryCatch tc(isolate);
      auto script = v8::Script::Compile(js.context(), js.str(code));
      v8::Local<v8::Value> result;
      if (script.IsEmpty() || !script.ToLocalChecked()->Run(js.context()).ToLocal(&result)) {
        out = std::string("throws ") + js::describeException(js, tc.Exception()).cStr();
        return;
      }
      out = js.toString(result).cStr();
    });
    return out;
  }

  std::unique_ptr<kj::EventLoop> loop = std::make_unique<kj::EventLoop>();
  std::unique_ptr<kj::WaitScope> waitScope = std::make_unique<kj::WaitScope>(*loop);
  v8::Isolate* isolate;
  std::unique_ptr<TestIsolate> state;
};
Platform* JsTest::platform = nullptr;

TEST_F(JsTest, ConstructorMethodsAccessors) {
  EXPECT_EQ(eval("const c = new Counter(5); c.increment(); c.increment(3); c.value"), "9");
  EXPECT_EQ(eval("const d = new Counter(); d.value = 41; d.increment()"), "42");
  EXPECT_EQ(eval("Object.prototype.toString.call(new Counter())"), "[object Counter]");
  EXPECT_EQ(eval("Counter.twice('ab')"), "abab");
  EXPECT_EQ(eval("new Counter(2).split('xyz').join('|')"), "x|y|z");
}

TEST_F(JsTest, RecordsAndWrappedReturnValues) {
  EXPECT_EQ(eval("new Counter(3).describe({label: 'n'})"), "n=3");
  EXPECT_EQ(eval("new Counter(3).describe()"), "counter=3");
  EXPECT_EQ(eval("const a = new Counter(7); const b = a.fork(); b.increment(); "
                 "`${a.value},${b.value},${b instanceof Counter}`"),
            "7,8,true");
}

TEST_F(JsTest, ErrorsHaveStandardShapes) {
  EXPECT_EQ(eval("new Counter(-1)"), "throws RangeError: start must not be negative");
  EXPECT_EQ(eval("Counter(1)"),
            "throws TypeError: Failed to construct 'Counter': Please use the 'new' operator, this "
            "object constructor cannot be called as a function.");
  EXPECT_EQ(eval("new Counter().describe(5)"),
            "throws TypeError: Failed to execute 'describe' on 'Counter': parameter 1 is not of "
            "type 'object'.");
  EXPECT_EQ(eval("new Counter().describe({label: Symbol('x')})"),
            "throws TypeError: Incorrect type for the 'label' field on 'Options': the provided "
            "value is not of type 'string'.");
  EXPECT_EQ(eval("Counter.prototype.increment.call({})"), "throws TypeError: Illegal invocation");
  auto internal = eval("new Counter().boom()");
  EXPECT_EQ(internal.rfind("throws Error: internal error; reference = ", 0), 0u) << internal;
}

TEST_F(JsTest, KjPromisesBecomeJsPromises) {
  EXPECT_EQ(eval("globalThis.result = 'pending'; new Counter().later().then(v => result = v); "
                 "result"),
            "pending");
  loop->run();
  EXPECT_EQ(eval("result"), "done");
}

TEST_F(JsTest, WrappersAreCollected) {
  int before = Counter::destroyed;
  eval("for (let i = 0; i < 1000; i++) new Counter(i);");
  isolate->LowMemoryNotification();
  // A forced GC runs the second-pass callbacks at once: released inside the GC.
  EXPECT_GT(Counter::destroyed, before + 900);
  state->runInJs([](js::Lock&) {});
  EXPECT_EQ(eval("new Counter(1).value"), "1");
}

TEST_F(JsTest, CollectedWrappersAreReleasedOnALaterTurn) {
  // As on the JavaScript thread of a running worker: a GC may come in the middle of any KJ
  // callback, so what it collects is released on the next turn of the event loop.
  state->releaseOnEventLoop();
  int before = Counter::destroyed;
  eval("for (let i = 0; i < 1000; i++) new Counter(i);");
  isolate->LowMemoryNotification();
  EXPECT_EQ(Counter::destroyed, before);
  loop->run();
  EXPECT_GT(Counter::destroyed, before + 900);
  EXPECT_EQ(eval("new Counter(1).value"), "1");
}

}  // namespace
}  // namespace loaderd
