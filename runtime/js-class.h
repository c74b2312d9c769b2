// Class descriptions: the LOADERD_JS_CLASS block and the templates that turn it into a V8
// FunctionTemplate. Included by js.h.
#pragma once

#include <tuple>

namespace loaderd::js {

// --- Class references -----------------------------------------------------------------------

template <typename T>
T* tryUnwrap(Lock& js, v8::Local<v8::Value> value) {
  if (!value->IsObject()) return nullptr;
  auto tmpl = js.templateFor<T>();
  if (!tmpl->HasInstance(value)) return nullptr;
  auto obj = value.As<v8::Object>();
  if (obj->InternalFieldCount() < 1) return nullptr;
  auto* base = static_cast<Object*>(obj->GetAlignedPointerFromInternalField(0));
  return base == nullptr ? nullptr : static_cast<T*>(base);
}

template <typename T>
struct Convert<kj::Own<T>, std::enable_if_t<std::is_base_of_v<Object, T>>> {
  static constexpr const char* NAME = T::JS_NAME;
  static v8::Local<v8::Value> toJs(Lock& js, kj::Own<T> v) { return v->wrap(js); }
  static kj::Own<T> fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    T* ptr = tryUnwrap<T>(js, v);
    if (ptr == nullptr) throwWrongType(w, NAME);
    return kj::addRef(*ptr);
  }
  static bool is(Lock& js, v8::Local<v8::Value> v) { return tryUnwrap<T>(js, v) != nullptr; }
};

template <typename T>
struct Convert<T&, std::enable_if_t<std::is_base_of_v<Object, T>>> {
  static constexpr const char* NAME = T::JS_NAME;
  static v8::Local<v8::Value> toJs(Lock& js, T& v) { return v.wrap(js); }
  static T& fromJs(Lock& js, v8::Local<v8::Value> v, const Where& w) {
    T* ptr = tryUnwrap<T>(js, v);
    if (ptr == nullptr) throwWrongType(w, NAME);
    return *ptr;
  }
  static bool is(Lock& js, v8::Local<v8::Value> v) { return tryUnwrap<T>(js, v) != nullptr; }
};

// --- Argument plumbing ----------------------------------------------------------------------

// The raw callback info, for the rare variadic method (console.log).
using Arguments = v8::FunctionCallbackInfo<v8::Value>;

namespace _ {

template <typename P>
constexpr bool isJsParam() {
  using D = std::decay_t<P>;
  return !std::is_same_v<D, Lock> && !std::is_same_v<D, Arguments>;
}

template <typename... P>
struct JsParamIndex {
  // Index among JS-visible parameters of the I-th C++ parameter.
  template <size_t I>
  static constexpr uint of() {
    uint n = 0;
    size_t i = 0;
    ((i++ < I ? (n += isJsParam<P>() ? 1 : 0) : 0), ...);
    return n;
  }
};

template <typename P>
struct ParamStorage {
  using Type = std::decay_t<P>;
};
template <typename T>
struct ParamStorage<T&> {
  // Class references are unwrapped to T&, the lock and the raw arguments passed by reference;
  // everything else by value.
  using Type = std::conditional_t<std::is_base_of_v<Object, std::remove_const_t<T>> ||
                                      std::is_same_v<std::remove_const_t<T>, Lock> ||
                                      std::is_same_v<std::remove_const_t<T>, Arguments>,
                                  T&, std::decay_t<T>>;
};

template <typename P>
typename ParamStorage<P>::Type getParam(Lock& js, const Arguments& args, uint jsIndex,
                                        const Where& where) {
  using D = std::decay_t<P>;
  if constexpr (std::is_same_v<D, Lock>) {
    return js;
  } else if constexpr (std::is_same_v<D, Arguments>) {
    return args;
  } else {
    Where w = where;
    w.index = jsIndex;
    return Convert<typename ParamStorage<P>::Type>::fromJs(js, args[jsIndex], w);
  }
}

template <typename R, typename... P, typename Fn, size_t... I>
void invoke(Lock& js, const Arguments& args, const Where& where, Fn&& fn,
            std::index_sequence<I...>) {
  // Braced init evaluates the conversions left to right.
  std::tuple<typename ParamStorage<P>::Type...> params{
      getParam<P>(js, args, JsParamIndex<P...>::template of<I>(), where)...};
  if constexpr (std::is_void_v<R>) {
    std::apply(fn, kj::mv(params));
  } else {
    auto result = std::apply(fn, kj::mv(params));
    args.GetReturnValue().Set(Convert<std::decay_t<R>>::toJs(js, kj::mv(result)));
  }
}

// Runs `body` translating C++ exceptions into JS exceptions.
template <typename Fn>
void guarded(const Arguments& args, Fn&& body) {
  Lock js(args.GetIsolate());
  try {
    body(js);
  } catch (...) {
    translateCurrentException(js);
  }
}

template <typename T>
T& self(Lock& js, const Arguments& args) {
  // Holder(), not This(): for global functions This() is the global proxy, while the signature
  // check resolved Holder() to the global object that carries the internal field.
  auto obj = args.Holder();
  auto* ptr = static_cast<Object*>(obj->GetAlignedPointerFromInternalField(0));
  if (ptr == nullptr) throwTypeError("Illegal invocation");
  return *static_cast<T*>(ptr);
}

template <typename T, typename M>
struct MethodTraits;
template <typename T, typename R, typename... P>
struct MethodTraits<T, R (T::*)(P...)> {
  template <R (T::*m)(P...)>
  static void callback(const Arguments& args) {
    guarded(args, [&](Lock& js) {
      T& obj = self<T>(js, args);
      invoke<R, P...>(
          js, args, Where::method(T::JS_NAME, args.Data()),
          [&](auto&&... a) -> decltype(auto) { return (obj.*m)(kj::fwd<decltype(a)>(a)...); },
          std::index_sequence_for<P...>());
    });
  }
};
template <typename T, typename R, typename... P>
struct MethodTraits<T, R (T::*)(P...) const>: MethodTraits<T, R (T::*)(P...)> {};

template <typename T, typename M>
struct StaticTraits;
template <typename T, typename R, typename... P>
struct StaticTraits<T, R (*)(P...)> {
  template <R (*f)(P...)>
  static void callback(const Arguments& args) {
    guarded(args, [&](Lock& js) {
      invoke<R, P...>(js, args, Where::method(T::JS_NAME, args.Data()), f,
                                   std::index_sequence_for<P...>());
    });
  }
  template <R (*f)(P...)>
  static void constructorCallback(const Arguments& args) {
    guarded(args, [&](Lock& js) {
      if (!args.IsConstructCall()) {
        throwTypeError(kj::str("Failed to construct '", T::JS_NAME,
                               "': Please use the 'new' operator, this object constructor "
                               "cannot be called as a function."));
      }
      std::tuple<typename ParamStorage<P>::Type...> params = getAll(
          js, args, std::index_sequence_for<P...>());
      kj::Own<T> obj = std::apply(f, kj::mv(params));
      obj->attachWrapper(js, args.This());
    });
  }
  template <size_t... I>
  static std::tuple<typename ParamStorage<P>::Type...> getAll(Lock& js, const Arguments& args,
                                                              std::index_sequence<I...>) {
    return {getParam<P>(js, args, JsParamIndex<P...>::template of<I>(),
                        Where::constructorArgument(T::JS_NAME, 0))...};
  }
};

template <typename T>
void illegalConstructor(const Arguments& args) {
  guarded(args, [](Lock&) { throwTypeError("Illegal constructor"); });
}

// A unique address per type: the template cache key (no RTTI needed).
template <typename T>
struct TypeTag {
  static constexpr char id = 0;
};

template <typename T, typename = void>
struct HasConstructor: std::false_type {};
template <typename T>
struct HasConstructor<T, std::void_t<decltype(&T::constructor)>>: std::true_type {};


}  // namespace _

// A function template whose callback is registered as an external reference, so that a startup
// snapshot holding functions made from it can be deserialized (see registerExternal()).
inline v8::Local<v8::FunctionTemplate> newFunctionTemplate(
    v8::Isolate* isolate, v8::FunctionCallback callback,
    v8::Local<v8::Value> data = v8::Local<v8::Value>(),
    v8::Local<v8::Signature> signature = v8::Local<v8::Signature>(), int length = 0,
    v8::ConstructorBehavior behavior = v8::ConstructorBehavior::kAllow) {
  registerExternal(reinterpret_cast<const void*>(callback));
  return v8::FunctionTemplate::New(isolate, callback, data, signature, length, behavior);
}

// Collects one class's description into its FunctionTemplate.
template <typename T>
class ClassBuilder {
public:
  ClassBuilder(Lock& js, v8::Local<v8::FunctionTemplate> tmpl)
      : js(js), tmpl(tmpl), proto(tmpl->PrototypeTemplate()),
        signature(v8::Signature::New(js.isolate, tmpl)) {}

  template <auto m>
  void method(const char* name) {
    using Traits = _::MethodTraits<T, decltype(m)>;
    auto fn = newFunctionTemplate(js.isolate, &Traits::template callback<m>,
                                        js.internedStr(name), signature, 0,
                                        v8::ConstructorBehavior::kThrow);
    fn->SetClassName(js.internedStr(name));
    proto->Set(js.internedStr(name), fn);  // enumerable, as workerd's are
  }

  template <auto f>
  void staticMethod(const char* name) {
    using Traits = _::StaticTraits<T, decltype(f)>;
    auto fn = newFunctionTemplate(js.isolate, &Traits::template callback<f>,
                                        js.internedStr(name), {}, 0,
                                        v8::ConstructorBehavior::kThrow);
    fn->SetClassName(js.internedStr(name));
    tmpl->Set(js.internedStr(name), fn, v8::DontEnum);
  }

  template <auto getter>
  void readonly(const char* name) {
    using Traits = _::MethodTraits<T, decltype(getter)>;
    auto get = newFunctionTemplate(js.isolate, &Traits::template callback<getter>,
                                         js.internedStr(name), signature, 0,
                                         v8::ConstructorBehavior::kThrow);
    // Enumerable and read-only, as workerd's (assigning in strict code is a TypeError naming the
    // property read-only).
    proto->SetAccessorProperty(js.internedStr(name), get, {}, v8::ReadOnly);
  }

  template <auto getter, auto setter>
  void accessor(const char* name) {
    using GetTraits = _::MethodTraits<T, decltype(getter)>;
    using SetTraits = _::MethodTraits<T, decltype(setter)>;
    auto get = newFunctionTemplate(js.isolate, &GetTraits::template callback<getter>,
                                         js.internedStr(name), signature, 0,
                                         v8::ConstructorBehavior::kThrow);
    auto set = newFunctionTemplate(js.isolate, &SetTraits::template callback<setter>,
                                         js.internedStr(name), signature, 1,
                                         v8::ConstructorBehavior::kThrow);
    proto->SetAccessorProperty(js.internedStr(name), get, set);
  }

  // A class as a data property of the prototype (as workerd's Tracing has `Span`).
  template <typename Nested>
  void nested(const char* name) {
    proto->Set(js.internedStr(name), js.templateFor<Nested>());
  }

  template <typename Parent>
  void inherit() {
    static_assert(std::is_base_of_v<Parent, T>, "the JS parent must be a C++ base class");
    tmpl->Inherit(js.templateFor<Parent>());
  }

  // An own data property every instance starts with (undefined; writable, enumerable,
  // configurable), part of the instances' first shape: cheaper than adding it to each one.
  void field(const char* name) {
    tmpl->InstanceTemplate()->Set(js.internedStr(name), js.undefined());
  }

  void constant(const char* name, double value) {
    auto v = v8::Number::New(js.isolate, value);
    auto attrs = static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontDelete);
    tmpl->Set(js.internedStr(name), v, attrs);
    proto->Set(js.internedStr(name), v, attrs);
  }

  // The class's instances get `Symbol.toStringTag` (as WebIDL classes do) automatically.
  // Iterable classes name a method returning an iterator: [Symbol.iterator] aliases it.
  template <auto m>
  void iterable(const char* name) {
    method<m>(name);
    symbolIterator<m>(name);
  }

  template <auto m>
  void symbolIterator(const char* name) {
    using Traits = _::MethodTraits<T, decltype(m)>;
    auto fn = newFunctionTemplate(js.isolate, &Traits::template callback<m>,
                                        js.internedStr(name), signature, 0,
                                        v8::ConstructorBehavior::kThrow);
    proto->Set(v8::Symbol::GetIterator(js.isolate), fn, v8::DontEnum);
  }

private:
  Lock& js;
  v8::Local<v8::FunctionTemplate> tmpl;
  v8::Local<v8::ObjectTemplate> proto;
  v8::Local<v8::Signature> signature;
};

template <typename T>
const void* IsolateBase::templateKey() {
  return &_::TypeTag<T>::id;
}

template <typename T>
v8::Local<v8::FunctionTemplate> IsolateBase::templateFor(Lock& js) {
  KJ_IF_MAYBE(existing, templates.find(&_::TypeTag<T>::id)) {
    return existing->Get(js.isolate);
  }
  v8::FunctionCallback ctor;
  if constexpr (_::HasConstructor<T>::value) {
    ctor = &_::StaticTraits<T, decltype(&T::constructor)>::template constructorCallback<
        &T::constructor>;
  } else {
    ctor = &_::illegalConstructor<T>;
  }
  auto tmpl = newFunctionTemplate(js.isolate, ctor);
  tmpl->SetClassName(js.internedStr(T::JS_NAME));
  tmpl->InstanceTemplate()->SetInternalFieldCount(1);
  tmpl->PrototypeTemplate()->Set(v8::Symbol::GetToStringTag(js.isolate),
                                 js.internedStr(T::JS_NAME),
                                 static_cast<v8::PropertyAttribute>(v8::ReadOnly | v8::DontEnum));
  templates.insert(&_::TypeTag<T>::id, v8::Global<v8::FunctionTemplate>(js.isolate, tmpl));
  ClassBuilder<T> builder(js, tmpl);
  T::template jsRegisterMembers<ClassBuilder<T>>(builder);
  return tmpl;
}

// Installs the constructors of the listed classes as properties of `target` (the global).
template <typename... T>
void exposeClasses(Lock& js, v8::Local<v8::Object> target) {
  (check(target->DefineOwnProperty(
       js.context(), js.internedStr(T::JS_NAME),
       check(js.templateFor<T>()->GetFunction(js.context())), v8::DontEnum)),
   ...);
}

}  // namespace loaderd::js

// The description block. Inside it, `builder` collects members.
#define LOADERD_JS_CLASS(Name) LOADERD_JS_CLASS_NAMED(Name, #Name)

// The same, for a class whose JavaScript name is not its C++ name.
#define LOADERD_JS_CLASS_NAMED(Name, jsName)                                       \
public:                                                                           \
  static constexpr const char* JS_NAME = jsName;                                   \
  using JsSelf = Name;                                                             \
  v8::Local<v8::FunctionTemplate> jsTemplate(::loaderd::js::Lock& js) override {   \
    return js.templateFor<Name>();                                                 \
  }                                                                                \
  template <typename Builder>                                                      \
  static void jsRegisterMembers(Builder& builder)

#define LOADERD_JS_METHOD(name) builder.template method<&JsSelf::name>(#name)
#define LOADERD_JS_METHOD_NAMED(jsName, cppName) \
  builder.template method<&JsSelf::cppName>(jsName)
#define LOADERD_JS_STATIC_METHOD(name) builder.template staticMethod<&JsSelf::name>(#name)
#define LOADERD_JS_STATIC_METHOD_NAMED(jsName, cppName) \
  builder.template staticMethod<&JsSelf::cppName>(jsName)
#define LOADERD_JS_READONLY(name, getter) builder.template readonly<&JsSelf::getter>(#name)
#define LOADERD_JS_ACCESSOR(name, getter, setter) \
  builder.template accessor<&JsSelf::getter, &JsSelf::setter>(#name)
#define LOADERD_JS_CONSTANT(name) builder.constant(#name, JsSelf::name)
#define LOADERD_JS_FIELD(name) builder.field(#name)
#define LOADERD_JS_ITERABLE(name) builder.template iterable<&JsSelf::name>(#name)
// [Symbol.iterator] only, e.g. an iterator returning itself.
#define LOADERD_JS_SYMBOL_ITERATOR(name) builder.template symbolIterator<&JsSelf::name>(#name)
// Declares the JS parent class (the C++ class must derive from it too).
#define LOADERD_JS_INHERIT(Parent) builder.template inherit<Parent>()
