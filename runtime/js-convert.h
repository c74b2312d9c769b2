// Value conversion between C++ and JavaScript: the `Convert<T>` trait. Included by js.h.
//
// Each specialisation has
//   static constexpr const char* NAME;                              // WebIDL-ish name for errors
//   static v8::Local<v8::Value> toJs(Lock&, T);                      // where C++ -> JS makes sense
//   static T fromJs(Lock&, v8::Local<v8::Value>, const Where&);     // where JS -> C++ makes sense
//   static bool is(Lock&, v8::Local<v8::Value>);                    // for unions (kj::OneOf)
#pragma once

#include <kj/one-of.h>
#include <kj/array.h>
#include <type_traits>

namespace loaderd::js {

// Where a value being converted came from, so a TypeError can say it in workerd's words.
struct Where {
  enum Kind { ARGUMENT, CONSTRUCTOR_ARGUMENT, FIELD, ARRAY_ELEMENT, RETURN_VALUE, VALUE };
  Kind kind = VALUE;
  const char* typeName = "";   // class or record name
  const char* memberName = ""; // field name
  uint index = 0;              // parameter index (0-based) or array element
  // Method name as the JS string the function was created with; read only to build a message.
  v8::Local<v8::Value> methodName;

  static Where method(const char* type, v8::Local<v8::Value> name) {
    Where w;
    w.kind = ARGUMENT;
    w.typeName = type;
    w.methodName = name;
    return w;
  }
  static Where constructorArgument(const char* type, uint index) {
    Where w;
    w.kind = CONSTRUCTOR_ARGUMENT;
    w.typeName = type;
    w.index = index;
    return w;
  }
  static Where field(const char* record, const char* field) {
    Where w;
    w.kind = FIELD;
    w.typeName = record;
    w.memberName = field;
    return w;
  }
  static Where returned(const char* what, const char* expected) {
    Where w;
    w.kind = RETURN_VALUE;
    w.typeName = what;
    return w;
  }
  static Where element(uint i) {
    Where w;
    w.kind = ARRAY_ELEMENT;
    w.index = i;
    return w;
  }
};

// "Failed to execute 'get' on 'WorkerLoader': parameter 2 is not of type 'function'." and the
// other standard shapes.
[[noreturn]] void throwWrongType(const Where& where, kj::StringPtr expected);

template <typename T, typename = void>
struct Convert;

// --- JS handles pass through --------------------------------------------------------------

template <>
struct Convert<v8::Local<v8::Value>> {
  static constexpr const char* NAME = "any";
  static v8::Local<v8::Value> toJs(Lock&, v8::Local<v8::Value> v) { return v; }
  static v8::Local<v8::Value> fromJs(Lock&, v8::Local<v8::Value> v, const Where&) { return v; }
  static bool is(Lock&, v8::Local<v8::Value>) { return true; }
};

template <>
struct Convert<v8::Local<v8::Object>> {
  static constexpr const char* NAME = "object";
  static v8::Local<v8::Value> toJs(Lock&, v8::Local<v8::Object> v) { return v; }
  static v8::Local<v8::Object> fromJs(Lock&, v8::Local<v8::Value> v, const Where& w) {
    if (!v->IsObject()) throwWrongType(w, NAME);
    return v.As<v8::Object>();
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsObject(); }
};

template <>
struct Convert<v8::Local<v8::Function>> {
  static constexpr const char* NAME = "function";
  static v8::Local<v8::Value> toJs(Lock&, v8::Local<v8::Function> v) { return v; }
  static v8::Local<v8::Function> fromJs(Lock&, v8::Local<v8::Value> v, const Where& w) {
    if (!v->IsFunction()) throwWrongType(w, NAME);
    return v.As<v8::Function>();
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsFunction(); }
};

template <>
struct Convert<v8::Local<v8::Promise>> {
  static constexpr const char* NAME = "Promise";
  static v8::Local<v8::Value> toJs(Lock&, v8::Local<v8::Promise> v) { return v; }
};

// --- Primitives ---------------------------------------------------------------------------

template <>
struct Convert<bool> {
  static constexpr const char* NAME = "boolean";
  static v8::Local<v8::Value> toJs(Lock& js, bool v) { return v8::Boolean::New(js.isolate, v); }
  static bool fromJs(Lock& js, v8::Local<v8::Value> v, const Where&) {
    return v->BooleanValue(js.isolate);
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsBoolean(); }
};

template <>
struct Convert<double> {
  static constexpr const char* NAME = "number";
  static v8::Local<v8::Value> toJs(Lock& js, double v) { return v8::Number::New(js.isolate, v); }
  static double fromJs(Lock& js, v8::Local<v8::Value> v, const Where&) {
    return check(v->NumberValue(js.context()));
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsNumber(); }
};

// Integers follow WebIDL's ToNumber + truncation, without [EnforceRange].
template <typename T>
struct Convert<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static constexpr const char* NAME = "number";
  static v8::Local<v8::Value> toJs(Lock& js, T v) {
    return v8::Number::New(js.isolate, static_cast<double>(v));
  }
  static T fromJs(Lock& js, v8::Local<v8::Value> v, const Where&) {
    double d = check(v->NumberValue(js.context()));
    if (d != d) return 0;
    return static_cast<T>(d);
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsNumber(); }
};

template <>
struct Convert<kj::String> {
  static constexpr const char* NAME = "string";
  static v8::Local<v8::Value> toJs(Lock& js, const kj::String& v) { return js.str(v); }
  // WebIDL DOMString: anything but a Symbol is coerced.
  static kj::String fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    if (v->IsSymbol()) throwWrongType(w, NAME);
    return js.toString(v);
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsString(); }
};

template <>
struct Convert<kj::StringPtr> {
  static constexpr const char* NAME = "string";
  static v8::Local<v8::Value> toJs(Lock& js, kj::StringPtr v) { return js.str(v); }
};

// Byte buffers: ArrayBuffer or any ArrayBufferView in, copied; ArrayBuffer out.
template <>
struct Convert<kj::Array<kj::byte>> {
  static constexpr const char* NAME = "ArrayBuffer or ArrayBufferView";
  static v8::Local<v8::Value> toJs(Lock& js, kj::Array<kj::byte> v);
  static kj::Array<kj::byte> fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w);
  static bool is(Lock&, v8::Local<v8::Value> v) {
    return v->IsArrayBuffer() || v->IsArrayBufferView();
  }
};

// --- Optional, arrays, unions -------------------------------------------------------------

// kj::Maybe: `undefined` and `null` mean absent; absent is returned as `null` (WebIDL
// nullable, as Headers.get() needs).
template <typename T>
struct Convert<kj::Maybe<T>> {
  static constexpr const char* NAME = Convert<T>::NAME;
  static v8::Local<v8::Value> toJs(Lock& js, kj::Maybe<T> v) {
    KJ_IF_MAYBE(value, v) {
      return Convert<T>::toJs(js, kj::mv(*value));
    }
    return js.null();
  }
  static kj::Maybe<T> fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    if (v->IsNullOrUndefined()) return nullptr;
    return Convert<T>::fromJs(js, v, w);
  }
  static bool is(Lock& js, v8::Local<v8::Value> v) {
    return v->IsNullOrUndefined() || Convert<T>::is(js, v);
  }
};

template <typename T>
struct Convert<kj::Array<T>, std::enable_if_t<!std::is_same_v<T, kj::byte>>> {
  static constexpr const char* NAME = "sequence";
  static v8::Local<v8::Value> toJs(Lock& js, kj::Array<T> v) {
    auto array = v8::Array::New(js.isolate, v.size());
    for (uint i = 0; i < v.size(); i++) {
      check(array->Set(js.context(), i, Convert<T>::toJs(js, kj::mv(v[i]))));
    }
    return array;
  }
  static kj::Array<T> fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    if (!v->IsArray()) throwWrongType(w, NAME);
    auto array = v.As<v8::Array>();
    auto builder = kj::heapArrayBuilder<T>(array->Length());
    for (uint i = 0; i < array->Length(); i++) {
      builder.add(Convert<T>::fromJs(js, check(array->Get(js.context(), i)), Where::element(i)));
    }
    return builder.finish();
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsArray(); }
};

// kj::OneOf: the first alternative whose `is` accepts the value wins; the last alternative
// converts anything it can (so put the coercing type, usually kj::String, last).
template <typename... T>
struct Convert<kj::OneOf<T...>> {
  static constexpr const char* NAME = "union";
  static v8::Local<v8::Value> toJs(Lock& js, kj::OneOf<T...> v) {
    v8::Local<v8::Value> result;
    (void)((v.template is<T>() ? (result = Convert<T>::toJs(js, kj::mv(v.template get<T>())),
                                  true)
                               : false) || ...);
    return result;
  }
  static kj::OneOf<T...> fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    kj::Maybe<kj::OneOf<T...>> result;
    (void)((Convert<T>::is(js, v) ? (result = kj::OneOf<T...>(Convert<T>::fromJs(js, v, w)),
                                     true)
                                  : false) || ...);
    KJ_IF_MAYBE(r, result) { return kj::mv(*r); }
    using Last = std::tuple_element_t<sizeof...(T) - 1, std::tuple<T...>>;
    return kj::OneOf<T...>(Convert<Last>::fromJs(js, v, w));
  }
  static bool is(Lock& js, v8::Local<v8::Value> v) { return (Convert<T>::is(js, v) || ...); }
};

// --- Promises -----------------------------------------------------------------------------

// A kj::Promise returned to JS becomes a JS promise settled when the KJ work finishes; KJ
// exceptions are translated as translateCurrentException() does.
void rejectWithKjException(Lock& js, v8::Local<v8::Promise::Resolver> resolver,
                           kj::Exception&& exception);

struct ResolverRef: public kj::Refcounted {
  ResolverRef(v8::Isolate* isolate, v8::Local<v8::Promise::Resolver> r): handle(isolate, r) {}
  v8::Global<v8::Promise::Resolver> handle;
};

template <typename T>
struct Convert<kj::Promise<T>> {
  static constexpr const char* NAME = "Promise";
  static v8::Local<v8::Value> toJs(Lock& js, kj::Promise<T> promise) {
    auto resolver = check(v8::Promise::Resolver::New(js.context()));
    auto& base = js.base();
    auto onOk = kj::refcounted<ResolverRef>(js.isolate, resolver);
    auto onError = kj::addRef(*onOk);
    base.tasks().add(promise.then(
        [&base, ref = kj::mv(onOk)](auto&&... value) mutable {
          base.runInJs([&](Lock& js) {
            v8::Local<v8::Value> result;
            if constexpr (sizeof...(value) == 0) {
              result = js.undefined();
            } else {
              result = Convert<T>::toJs(js, kj::mv(value)...);
            }
            js::ignore(ref->handle.Get(js.isolate)->Resolve(js.context(), result));
          });
        },
        [&base, ref = kj::mv(onError)](kj::Exception&& e) mutable {
          base.runInJs([&](Lock& js) {
            rejectWithKjException(js, ref->handle.Get(js.isolate), kj::mv(e));
          });
        }));
    return resolver->GetPromise();
  }
};

// --- Records ------------------------------------------------------------------------------

// A struct with LOADERD_JS_RECORD(fields...) converts by value from any object (or
// undefined/null, giving the default-constructed struct).
template <typename T>
struct Convert<T, std::void_t<decltype(T::JS_RECORD_NAME)>> {
  static constexpr const char* NAME = T::JS_RECORD_NAME;
  static T fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    T result;
    if (v->IsNullOrUndefined()) return result;
    if (!v->IsObject()) throwWrongType(w, "object");
    auto obj = v.As<v8::Object>();
    result.jsFields([&](const char* name, auto& field) {
      using F = std::decay_t<decltype(field)>;
      auto value = check(obj->Get(js.context(), js.internedStr(name)));
      field = Convert<F>::fromJs(js, value, Where::field(T::JS_RECORD_NAME, name));
    });
    return result;
  }
  static v8::Local<v8::Value> toJs(Lock& js, T v) {
    auto obj = v8::Object::New(js.isolate);
    v.jsFields([&](const char* name, auto& field) {
      using F = std::decay_t<decltype(field)>;
      check(obj->Set(js.context(), js.internedStr(name), Convert<F>::toJs(js, kj::mv(field))));
    });
    return obj;
  }
  static bool is(Lock&, v8::Local<v8::Value> v) { return v->IsObject(); }
};

}  // namespace loaderd::js

// LOADERD_JS_RECORD(a, b, c): names the fields of a record struct (up to 16).
#define LOADERD_JS_FIELD_(f) fn(#f, f);
#define LOADERD_JS_EXPAND_(x) x
#define LOADERD_JS_FE_1(m, a) m(a)
#define LOADERD_JS_FE_2(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_1(m, __VA_ARGS__))
#define LOADERD_JS_FE_3(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_2(m, __VA_ARGS__))
#define LOADERD_JS_FE_4(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_3(m, __VA_ARGS__))
#define LOADERD_JS_FE_5(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_4(m, __VA_ARGS__))
#define LOADERD_JS_FE_6(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_5(m, __VA_ARGS__))
#define LOADERD_JS_FE_7(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_6(m, __VA_ARGS__))
#define LOADERD_JS_FE_8(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_7(m, __VA_ARGS__))
#define LOADERD_JS_FE_9(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_8(m, __VA_ARGS__))
#define LOADERD_JS_FE_10(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_9(m, __VA_ARGS__))
#define LOADERD_JS_FE_11(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_10(m, __VA_ARGS__))
#define LOADERD_JS_FE_12(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_11(m, __VA_ARGS__))
#define LOADERD_JS_FE_13(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_12(m, __VA_ARGS__))
#define LOADERD_JS_FE_14(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_13(m, __VA_ARGS__))
#define LOADERD_JS_FE_15(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_14(m, __VA_ARGS__))
#define LOADERD_JS_FE_16(m, a, ...) m(a) LOADERD_JS_EXPAND_(LOADERD_JS_FE_15(m, __VA_ARGS__))
#define LOADERD_JS_FE_PICK_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, \
                            _16, NAME, ...) NAME
#define LOADERD_JS_FOR_EACH_(m, ...)                                                         \
  LOADERD_JS_EXPAND_(LOADERD_JS_FE_PICK_(__VA_ARGS__, LOADERD_JS_FE_16, LOADERD_JS_FE_15,    \
      LOADERD_JS_FE_14, LOADERD_JS_FE_13, LOADERD_JS_FE_12, LOADERD_JS_FE_11,                \
      LOADERD_JS_FE_10, LOADERD_JS_FE_9, LOADERD_JS_FE_8, LOADERD_JS_FE_7, LOADERD_JS_FE_6,  \
      LOADERD_JS_FE_5, LOADERD_JS_FE_4, LOADERD_JS_FE_3, LOADERD_JS_FE_2,                    \
      LOADERD_JS_FE_1)(m, __VA_ARGS__))

#define LOADERD_JS_RECORD(Name, ...)                          \
  static constexpr const char* JS_RECORD_NAME = #Name;        \
  template <typename Fn>                                      \
  void jsFields(Fn&& fn) {                                    \
    LOADERD_JS_FOR_EACH_(LOADERD_JS_FIELD_, __VA_ARGS__)      \
  }
