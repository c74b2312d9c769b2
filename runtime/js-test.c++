// Tests of the binding layer through a real isolate: conversions, classes, errors.
#include "js.h"
#include "platform.h"
#include "serialize.h"

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

// V8's serializer and deserializer, bypassing serialize.c++'s fast paths.
kj::Array<kj::byte> v8Serialize(js::Lock& js, v8::Local<v8::Value> value) {
  v8::ValueSerializer serializer(js.isolate);
  serializer.WriteHeader();
  KJ_ASSERT(serializer.WriteValue(js.context(), value).FromMaybe(false));
  auto released = serializer.Release();
  auto result = kj::heapArray<kj::byte>(released.first, released.second);
  free(released.first);
  return result;
}

v8::Local<v8::Value> v8Deserialize(js::Lock& js, kj::ArrayPtr<const kj::byte> bytes) {
  v8::ValueDeserializer deserializer(js.isolate, bytes.begin(), bytes.size());
  KJ_ASSERT(deserializer.ReadHeader(js.context()).FromMaybe(false));
  return deserializer.ReadValue(js.context()).ToLocalChecked();
}

TEST_F(JsTest, SimpleValuesCrossBetweenTheFastPathsAndV8sSerializer) {
  // The fast paths write and read V8's own format: what either side writes, the other reads as
  // the same value (SameValue; arrays element by element, holes and length included).
  eval("globalThis.same = (a, b) => Array.isArray(a) ? Array.isArray(b) && a.length === b.length &&"
       " a.every((x, i) => (i in b) && Object.is(x, b[i])) && Object.keys(a).length === "
       "Object.keys(b).length : Object.is(a, b)");
  eval("globalThis.show = (a, b) => { const f = (v) => typeof v === 'bigint' ? v + 'n' :"
       " Object.prototype.toString.call(v) + JSON.stringify(v); return f(a) === f(b); }");
  const char* primitives[] = {
      "undefined", "null", "true", "false", "0", "-0", "1", "-1", "63", "-64", "64", "2147483647",
      "-2147483648", "2147483648", "-2147483649", "1.5", "NaN", "Infinity", "-Infinity", "2**53",
      "''", "'abc'", "'\u00e9t\u00e9'", "'\u20ac uro'", "'\\ud83d\\ude00'", "'\\ud800'",
      "'x'.repeat(100000)", "'\u20ac'.repeat(70)", "'a\u20ac'.repeat(9000)"};
  const char* lists[] = {"[]", "[1, 'a', null, undefined, 2.5, true, false, -0]",
                         "['\u20ac', 'b', 2147483648]", "[1.5, 2.5]", "Array(300).fill(7)"};
  state->runInJs([&](js::Lock& js) {
    auto same = js::check(js.context()->Global()->Get(js.context(), js.str("same")))
                    .As<v8::Function>();
    auto show = js::check(js.context()->Global()->Get(js.context(), js.str("show")))
                    .As<v8::Function>();
    auto check = [&](const char* what, v8::Local<v8::Value> a, v8::Local<v8::Value> b) {
      v8::Local<v8::Value> args[] = {a, b};
      EXPECT_TRUE(js::check(same->Call(js.context(), js.undefined(), 2, args))->IsTrue()) << what;
    };
    auto evalHere = [&](const char* code) {
      return js::check(js::check(v8::Script::Compile(js.context(), js.str(code)))
                           ->Run(js.context()));
    };
    for (auto code: primitives) {
      auto value = evalHere(code);
      auto fast = serializeValue(js, value);
      check(code, v8Deserialize(js, fast), value);
      check(code, deserializeValue(js, fast), value);
      check(code, deserializeValue(js, v8Serialize(js, value)), value);
    }
    for (auto code: lists) {
      auto value = evalHere(code);
      auto fast = KJ_ASSERT_NONNULL(serializeArgumentList(js, value.As<v8::Array>()));
      check(code, v8Deserialize(js, fast), value);
      check(code, deserializeValue(js, fast), value);
      check(code, deserializeValue(js, v8Serialize(js, value)), value);
    }
    // What the fast reader leaves to V8: holes, other properties, objects, references.
    for (auto code: {"[1, , 3]", "Object.assign([1, 2], {x: 1})", "[{a: 1}, [2]]", "({a: 'b'})",
                     "new Date(0)", "1n", "(() => { const o = {}; return [o, o]; })()"}) {
      auto value = evalHere(code);
      auto back = deserializeValue(js, v8Serialize(js, value));
      if (code[0] == '[' && code[1] == '1') {
        check(code, back, value);
      } else {
        v8::Local<v8::Value> args[] = {back, value};
        EXPECT_TRUE(js::check(show->Call(js.context(), js.undefined(), 2, args))->IsTrue()) << code;
      }
    }
    // An argument list with anything but such primitives goes to V8's serializer.
    for (auto code: {"[1, {}]", "[1n]", "[Symbol()]", "[[1]]", "[() => 1]"}) {
      EXPECT_TRUE(serializeArgumentList(js, evalHere(code).As<v8::Array>()) == nullptr) << code;
    }
    // Truncated or altered bytes are never read as something else by the fast reader: V8
    // rejects them, or they read as V8 reads them.
    auto bytes = KJ_ASSERT_NONNULL(serializeArgumentList(js, evalHere("['ab', 5]").As<v8::Array>()));
    for (size_t cut = 0; cut < bytes.size(); cut++) {
      v8::TryCatch tryCatch(js.isolate);
      try {
        auto value = deserializeValue(js, bytes.slice(0, cut));
        v8::ValueDeserializer reference(js.isolate, bytes.begin(), cut);
        v8::Local<v8::Value> expected;
        if (reference.ReadHeader(js.context()).FromMaybe(false) &&
            reference.ReadValue(js.context()).ToLocal(&expected)) {
          check("truncated", value, expected);
        } else {
          ADD_FAILURE() << "read " << cut << " bytes V8 rejects";
        }
      } catch (js::ExceptionPending&) {
      }
    }
  });
}

}  // namespace
}  // namespace loaderd
