#include "js.h"

#include <mutex>

#include <kj/debug.h>
#include <kj/encoding.h>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <random>

namespace loaderd::js {

// ---------------------------------------------------------------------------------------------
// Errors

void throwError(ErrorType type, kj::StringPtr message) {
  throw Error{type, kj::str(message), nullptr};
}

void throwDomException(kj::StringPtr name, kj::StringPtr message) {
  throw Error{ErrorType::DOM_EXCEPTION, kj::str(message), kj::str(name)};
}

[[noreturn]] void throwOtherRequest(kj::StringPtr ioType) {
  throwError(ErrorType::ERROR,
             kj::str("Cannot perform I/O on behalf of a different request. I/O objects (such as "
                     "streams, request/response bodies, and others) created in the context of one "
                     "request handler cannot be accessed from a different request's handler. This "
                     "is a limitation of Cloudflare Workers which allows us to improve overall "
                     "performance. (I/O type: ", ioType, ")"));
}

void refuseInGlobalScope(v8::Isolate* isolate) {
  if (IsolateBase::from(isolate).inGlobalScope()) {
    throwError(ErrorType::ERROR,
               "Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() "
               "or connect()), setting a timeout, and generating random values are not allowed "
               "within global scope. To fix this error, perform this operation within a "
               "handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/");
  }
}

void throwWrongType(const Where& where, kj::StringPtr expected) {
  switch (where.kind) {
    case Where::ARGUMENT: {
      kj::String method;
      if (!where.methodName.IsEmpty() && where.methodName->IsString()) {
        v8::String::Utf8Value utf8(v8::Isolate::GetCurrent(), where.methodName);
        method = kj::str(*utf8);
      }
      throwTypeError(kj::str("Failed to execute '", method, "' on '", where.typeName,
                             "': parameter ", where.index + 1, " is not of type '", expected,
                             "'."));
    }
    case Where::CONSTRUCTOR_ARGUMENT:
      throwTypeError(kj::str("Failed to construct '", where.typeName, "': constructor parameter ",
                             where.index + 1, " is not of type '", expected, "'."));
    case Where::FIELD:
      throwTypeError(kj::str("Incorrect type for the '", where.memberName, "' field on '",
                             where.typeName, "': the provided value is not of type '", expected,
                             "'."));
    case Where::ARRAY_ELEMENT:
      throwTypeError(kj::str("Incorrect type for array element ", where.index,
                             ": the provided value is not of type '", expected, "'."));
    case Where::RETURN_VALUE:
      throwTypeError(kj::str("Incorrect type: the value returned by ", where.typeName,
                             " is not of type '", expected, "'."));
    case Where::VALUE:
      break;
  }
  throwTypeError(kj::str("The provided value is not of type '", expected, "'."));
}

kj::String logInternalError(kj::StringPtr detail) {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}();
  uint64_t n = (salt << 20) ^ ++counter;
  char id[17];
  snprintf(id, sizeof(id), "%016llx", static_cast<unsigned long long>(n));
  fprintf(stderr, "loaderd: internal error; reference = %s: %s\n", id, detail.cStr());
  return kj::str(id);
}

// KJ exceptions that carry a JS error: "js.<Type>: <message>" (a caller error raised below the
// binding layer), "jslocal.<Type>: <message>" (the same, from another worker) and
// "jsrpc.<Type>: <message>" (thrown by another worker's JS: gets `remote = true`). Types are
// the standard error constructors or "DOMException:<name>". Anything else is our bug. The
// tag may follow a prefix added by two-party RPC ("remote exception: ...").
struct Tunneled {
  kj::String type;
  kj::String message;
  bool remote;
};
static kj::Maybe<Tunneled> tryParseTunneled(kj::StringPtr description) {
  // The earliest of jsrpc./jslocal. is the real tag: a message may hold the other's text.
  const char* rpcAt = strstr(description.cStr(), "jsrpc.");
  const char* localAt = strstr(description.cStr(), "jslocal.");
  bool localFirst = localAt != nullptr && (rpcAt == nullptr || localAt < rpcAt);
  for (auto tag: {localFirst ? "jslocal."_kj : "jsrpc."_kj, "js."_kj}) {
    const char* found = strstr(description.cStr(), tag.cStr());
    if (found == nullptr) continue;
    if (tag == "js."_kj && found != description.cStr()) continue;
    kj::StringPtr rest(found + tag.size());
    const char* colon = strstr(rest.cStr(), ": ");
    if (colon == nullptr) continue;
    kj::StringPtr message(colon + 2);
    if (const char* detail = strstr(message.cStr(), TUNNEL_DETAIL_SEPARATOR.cStr())) {
      message = kj::StringPtr(message.cStr(), detail - message.cStr());
    }
    return Tunneled{kj::str(rest.slice(0, colon - rest.cStr())), kj::heapString(message),
                    tag == "jsrpc."_kj};
  }
  return nullptr;
}

static v8::Local<v8::Value> makeTunneledError(Lock& js, const Tunneled& t) {
  v8::Local<v8::Value> error;
  if (t.type.startsWith("DOMException:")) {
    error = js.makeError(Error{ErrorType::DOM_EXCEPTION, kj::str(t.message),
                               kj::str(t.type.slice(strlen("DOMException:")))});
  } else {
    ErrorType type = ErrorType::ERROR;
    if (t.type == "TypeError") type = ErrorType::TYPE_ERROR;
    else if (t.type == "RangeError") type = ErrorType::RANGE_ERROR;
    else if (t.type == "SyntaxError") type = ErrorType::SYNTAX_ERROR;
    else if (t.type == "ReferenceError") type = ErrorType::REFERENCE_ERROR;
    else if (t.type == "EvalError") type = ErrorType::EVAL_ERROR;
    error = js.makeError(type, t.message);
  }
  if (t.remote && error->IsObject()) {
    js::ignore(error.As<v8::Object>()->Set(js.context(), js.internedStr("remote"),
                                      v8::True(js.isolate)));
  }
  return error;
}

namespace {
// Throws the error `make` returns; if making it fails (it runs JavaScript, which may throw or be
// terminated), that failure is what stays pending: nothing may escape into V8's frames.
template <typename Make>
void throwMade(Lock& js, Make&& make) {
  try {
    js.isolate->ThrowException(make());
  } catch (ExceptionPending&) {
  }
}
}  // namespace

void translateCurrentException(Lock& js) {
  // While execution is being terminated (a limit was reached: native code that noticed it gave
  // up with an error), the termination is what propagates; making an error object would fail.
  if (js.isolate->IsExecutionTerminating()) return;
  try {
    throw;
  } catch (ExceptionPending&) {
    // Already pending in V8.
  } catch (Error& e) {
    throwMade(js, [&]() { return js.makeError(e); });
  } catch (kj::Exception& e) {
    KJ_IF_MAYBE(t, tryParseTunneled(e.getDescription())) {
      throwMade(js, [&]() { return makeTunneledError(js, *t); });
    } else {
      auto id = logInternalError(kj::str(e));
      throwMade(js, [&]() {
        return js.makeError(ErrorType::ERROR, kj::str("internal error; reference = ", id));
      });
    }
  } catch (std::exception& e) {
    auto id = logInternalError(e.what());
    throwMade(js, [&]() {
      return js.makeError(ErrorType::ERROR, kj::str("internal error; reference = ", id));
    });
  }
}

void rethrowOrFail(Lock& js, v8::TryCatch& tryCatch, kj::StringPtr what) {
  if (tryCatch.HasCaught()) {
    if (tryCatch.CanContinue()) tryCatch.ReThrow();
    return;
  }
  js.isolate->ThrowException(js.makeError(ErrorType::ERROR, kj::str(what, " failed")));
}

kj::String describeException(Lock& js, v8::Local<v8::Value> exception) {
  if (exception->IsObject()) {
    auto obj = exception.As<v8::Object>();
    v8::TryCatch tc(js.isolate);
    v8::Local<v8::Value> name, message;
    if (obj->Get(js.context(), js.internedStr("name")).ToLocal(&name) &&
        obj->Get(js.context(), js.internedStr("message")).ToLocal(&message) &&
        name->IsString() && message->IsString()) {
      return kj::str(js.toString(name), ": ", js.toString(message));
    }
  }
  v8::TryCatch tc(js.isolate);
  v8::Local<v8::String> str;
  if (exception->ToString(js.context()).ToLocal(&str)) {
    v8::String::Utf8Value utf8(js.isolate, str);
    return kj::str("Uncaught ", *utf8);
  }
  return kj::str("Uncaught exception");
}

// ---------------------------------------------------------------------------------------------
// Lock

v8::Local<v8::ArrayBuffer> Lock::newArrayBuffer(size_t length) {
  if (!base().admitBuffer(length)) throwRangeError("Array buffer allocation failed");
  return v8::ArrayBuffer::New(isolate, length);
}

kj::String Lock::toString(v8::Local<v8::Value> value) {
  v8::Local<v8::String> str;
  if (value->IsString()) {
    str = value.As<v8::String>();
  } else {
    str = check(value->ToString(ctx));
  }
  size_t len = str->Utf8Length(isolate);
  auto result = kj::heapString(len);
  str->WriteUtf8(isolate, result.begin(), len, nullptr, v8::String::NO_NULL_TERMINATION);
  return result;
}

v8::Local<v8::Value> Lock::makeError(ErrorType type, kj::StringPtr message) {
  auto msg = str(message);
  switch (type) {
    case ErrorType::ERROR: return v8::Exception::Error(msg);
    case ErrorType::TYPE_ERROR: return v8::Exception::TypeError(msg);
    case ErrorType::RANGE_ERROR: return v8::Exception::RangeError(msg);
    case ErrorType::SYNTAX_ERROR: return v8::Exception::SyntaxError(msg);
    case ErrorType::REFERENCE_ERROR: return v8::Exception::ReferenceError(msg);
    case ErrorType::EVAL_ERROR: {
      auto ctor = check(ctx->Global()->Get(ctx, internedStr("EvalError")));
      v8::Local<v8::Value> args[] = {msg};
      return check(ctor.As<v8::Function>()->NewInstance(ctx, 1, args));
    }
    case ErrorType::DOM_EXCEPTION: break;
  }
  return v8::Exception::Error(msg);
}

v8::Local<v8::Value> Lock::makeError(const Error& error) {
  if (error.type == ErrorType::DOM_EXCEPTION) {
    auto ctor = check(ctx->Global()->Get(ctx, internedStr("DOMException")));
    if (ctor->IsFunction()) {
      v8::Local<v8::Value> args[] = {str(error.message), str(error.domName)};
      return check(ctor.As<v8::Function>()->NewInstance(ctx, 2, args));
    }
    auto e = v8::Exception::Error(str(error.message)).As<v8::Object>();
    check(e->Set(ctx, internedStr("name"), str(error.domName)));
    return e;
  }
  return makeError(error.type, error.message);
}

v8::Local<v8::Promise> Lock::resolvedPromise(v8::Local<v8::Value> value) {
  auto resolver = check(v8::Promise::Resolver::New(ctx));
  check(resolver->Resolve(ctx, value));
  return resolver->GetPromise();
}

v8::Local<v8::Promise> Lock::rejectedPromise(v8::Local<v8::Value> value) {
  auto resolver = check(v8::Promise::Resolver::New(ctx));
  check(resolver->Reject(ctx, value));
  return resolver->GetPromise();
}

v8::Local<v8::Value> Lock::parseJson(kj::StringPtr text) {
  return check(v8::JSON::Parse(ctx, str(text)));
}

kj::Maybe<kj::String> Lock::serializeJson(v8::Local<v8::Value> value) {
  auto result = check(v8::JSON::Stringify(ctx, value));
  if (result->IsUndefined()) return nullptr;
  return toString(result);
}

// ---------------------------------------------------------------------------------------------
// Object

Object::~Object() noexcept(false) {
  if (isolate != nullptr) isolate->liveWrapped.eraseMatch(this);
  wrapper.Reset();
}

kj::Maybe<v8::Local<v8::Object>> Object::tryGetWrapper(v8::Isolate* v8isolate) {
  if (wrapper.IsEmpty()) return nullptr;
  return wrapper.Get(v8isolate);
}

v8::Local<v8::Object> Object::wrap(Lock& js) {
  if (!wrapper.IsEmpty()) return wrapper.Get(js.isolate);
  auto tmpl = jsTemplate(js);
  auto obj = check(tmpl->InstanceTemplate()->NewInstance(js.context()));
  attachWrapper(js, obj);
  return obj;
}

void Object::attachWrapper(Lock& js, v8::Local<v8::Object> obj) {
  KJ_ASSERT(wrapper.IsEmpty(), "object already has a JS wrapper");
  obj->SetAlignedPointerInInternalField(0, this);
  wrapper.Reset(js.isolate, obj);
  wrapper.SetWeak(this, &weakCallback, v8::WeakCallbackType::kParameter);
  selfRefFromJs = kj::addRef(*this);
  isolate = &js.base();
  isolate->liveWrapped.insert(this);
}

void Object::weakCallback(const v8::WeakCallbackInfo<Object>& info) {
  // First pass: only reset the handle; the C++ object may go in the second pass.
  auto* self = info.GetParameter();
  self->wrapper.Reset();
  info.SetSecondPassCallback(&secondPassCallback);
}

void Object::secondPassCallback(const v8::WeakCallbackInfo<Object>& info) {
  auto* self = info.GetParameter();
  auto ref = kj::mv(self->selfRefFromJs);  // may delete *self when `ref` goes
  KJ_IF_MAYBE(base, self->isolate) {
    self->isolate = nullptr;
    base->liveWrapped.eraseMatch(self);
    if (base->deferReleases && base->taskSet.get() != nullptr) base->releaseLater(kj::mv(ref));
  }
}

// ---------------------------------------------------------------------------------------------
// IsolateBase

namespace {
struct Externals {
  std::mutex mutex;
  std::atomic<bool> frozen{false};
  size_t count = 0;
  // Zero-filled: always null-terminated; V8 keeps the pointer, so it never moves.
  intptr_t list[8192] = {};
  kj::HashSet<intptr_t> known;
};
Externals& externals() {
  static Externals* instance = new Externals;  // never destroyed: isolates may outlive main()
  return *instance;
}
}  // namespace

void registerExternal(const void* address) {
  auto& e = externals();
  if (e.frozen.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(e.mutex);
  auto value = reinterpret_cast<intptr_t>(address);
  if (e.frozen || e.known.contains(value)) return;
  KJ_ASSERT(e.count + 1 < kj::size(e.list), "too many native callbacks for the snapshot");
  e.known.insert(value);
  e.list[e.count++] = value;
}

const intptr_t* externalReferences() { return externals().list; }

void freezeExternals() {
  auto& e = externals();
  std::lock_guard<std::mutex> lock(e.mutex);
  e.frozen = true;
}

IsolateBase::IsolateBase(v8::Isolate* isolate)
    : isolate(isolate), taskSet(kj::heap<kj::TaskSet>(*this)) {
  isolate->SetData(0, this);
}

IsolateBase::~IsolateBase() noexcept(false) {
  collected->owner = nullptr;  // normally releaseAll() has done this and released them
}

void IsolateBase::forEachTemplate(
    kj::FunctionParam<void(const void*, v8::Local<v8::FunctionTemplate>)> f) {
  for (auto& entry: templates) f(entry.key, entry.value.Get(isolate));
}

void IsolateBase::adoptTemplate(const void* key, v8::Local<v8::FunctionTemplate> tmpl) {
  templates.insert(key, v8::Global<v8::FunctionTemplate>(isolate, tmpl));
}

kj::Vector<v8::Local<v8::Object>> IsolateBase::liveWrappers() {
  kj::Vector<v8::Local<v8::Object>> result;
  for (Object* const& obj: liveWrapped) {
    if (!obj->wrapper.IsEmpty()) result.add(obj->wrapper.Get(isolate));
  }
  return result;
}

void IsolateBase::releaseLater(kj::Own<Object> ref) {
  if (collected->objects.empty()) {
    kj::evalLater([c = kj::addRef(*collected)]() mutable {
      // One at a time: an object's release may end the isolate, which releases the rest itself.
      while (c->owner != nullptr && !c->objects.empty()) {
        auto ref = kj::mv(c->objects.back());
        c->objects.removeLast();
      }
    }).detach([](kj::Exception&& e) {
      logInternalError(kj::str("releasing collected objects failed: ", e));
    });
  }
  collected->objects.add(kj::mv(ref));
}

void IsolateBase::releaseAll() {
  taskSet = nullptr;
  pendingSettles.clear();
  {
    // Taken out first: a release can drop more wrapped objects' last references.
    auto pending = kj::mv(collected->objects);
    collected->owner = nullptr;
  }
  // Drop the JS side's reference of every wrapped object; objects C++ still holds survive.
  kj::Vector<kj::Own<Object>> refs;
  for (Object* const& entry: liveWrapped) {
    Object* obj = entry;
    obj->wrapper.Reset();
    obj->isolate = nullptr;
    refs.add(kj::mv(obj->selfRefFromJs));
  }
  liveWrapped.clear();
  refs.clear();
  templates.clear();
  requestRecord.Reset();
}

v8::Local<v8::Object> IsolateBase::newRequestRecord(Lock& js, v8::Local<v8::Value> frame,
                                                   uint64_t request) {
  if (requestRecord.IsEmpty()) {
    auto tmpl = v8::ObjectTemplate::New(js.isolate);
    tmpl->SetInternalFieldCount(2);
    requestRecord.Reset(js.isolate, tmpl);
  }
  auto record = check(requestRecord.Get(js.isolate)->NewInstance(js.context()));
  record->SetInternalField(0, frame);
  record->SetInternalField(1, v8::Number::New(js.isolate, static_cast<double>(request)));
  return record;
}

void IsolateBase::enterRequest(Lock& js, uint64_t request) {
  js.context()->SetContinuationPreservedEmbedderData(
      newRequestRecord(js, v8::Undefined(js.isolate), request));
}

uint64_t IsolateBase::currentRequest(Lock& js) {
  auto record = js.context()->GetContinuationPreservedEmbedderData();
  if (!record->IsObject()) return 0;
  auto id = record.As<v8::Object>()->GetInternalField(1);
  return id->IsNumber() ? static_cast<uint64_t>(id.As<v8::Number>()->Value()) : 0;
}

v8::Local<v8::Value> IsolateBase::asyncFrame(Lock& js) {
  auto record = js.context()->GetContinuationPreservedEmbedderData();
  if (!record->IsObject()) return v8::Undefined(js.isolate);
  return record.As<v8::Object>()->GetInternalField(0);
}

void IsolateBase::setAsyncFrame(Lock& js, v8::Local<v8::Value> frame) {
  auto request = currentRequest(js);
  if (request == 0 && frame->IsUndefined()) {
    js.context()->SetContinuationPreservedEmbedderData(v8::Undefined(js.isolate));
  } else {
    js.context()->SetContinuationPreservedEmbedderData(newRequestRecord(js, frame, request));
  }
}

void IsolateBase::refuseOtherRequest(Lock& js, uint64_t bound, kj::StringPtr ioType) {
  if (bound == 0) return;
  auto current = currentRequest(js);
  if (current == 0 || current == bound) return;
  throwOtherRequest(ioType);
}

v8::Local<v8::Private> IsolateBase::privateKey(kj::StringPtr name) {
  auto str = check(v8::String::NewFromUtf8(isolate, name.cStr(),
                                           v8::NewStringType::kInternalized, name.size()));
  return v8::Private::ForApi(isolate, str);
}

void IsolateBase::taskFailed(kj::Exception&& exception) {
  logInternalError(kj::str("background task failed: ", exception));
}

// ---------------------------------------------------------------------------------------------
// Byte buffers

v8::Local<v8::Value> Convert<kj::Array<kj::byte>>::toJs(Lock& js, kj::Array<kj::byte> v) {
  // TODO(perf): adopt the kj::Array's memory instead of copying, once ownership can be handed
  // to the backing store without a raw pointer.
  auto buffer = js.newArrayBuffer(v.size());
  if (v.size() > 0) memcpy(buffer->GetBackingStore()->Data(), v.begin(), v.size());
  return buffer;
}

kj::Array<kj::byte> Convert<kj::Array<kj::byte>>::fromJs(Lock& js, v8::Local<v8::Value> v,
                                                         const Where& w) {
  if (v->IsArrayBuffer()) {
    auto ab = v.As<v8::ArrayBuffer>();
    auto store = ab->GetBackingStore();
    return kj::heapArray(static_cast<const kj::byte*>(store->Data()), ab->ByteLength());
  }
  if (v->IsArrayBufferView()) {
    auto view = v.As<v8::ArrayBufferView>();
    auto result = kj::heapArray<kj::byte>(view->ByteLength());
    view->CopyContents(result.begin(), result.size());
    return result;
  }
  throwWrongType(w, NAME);
}

}  // namespace loaderd::js

namespace loaderd::js {

kj::Promise<IsolateBase::Settled> IsolateBase::whenSettled(Lock& js,
                                                           v8::Local<v8::Promise> promise) {
  // The caller takes the outcome, a rejection too: handled, as far as V8 is concerned.
  promise->MarkAsHandled();
  auto state = promise->State();
  if (state != v8::Promise::kPending) {
    return Settled{v8::Global<v8::Value>(js.isolate, promise->Result()),
                   state == v8::Promise::kRejected};
  }
  auto paf = kj::newPromiseAndFulfiller<Settled>();
  uint64_t id = nextSettleId++;
  pendingSettles.insert(id, kj::mv(paf.fulfiller));
  auto data = v8::Number::New(js.isolate, static_cast<double>(id));
  auto onFulfilled = check(v8::Function::New(
      js.context(), [](const v8::FunctionCallbackInfo<v8::Value>& info) { onSettled(info, false); },
      data, 1));
  auto onRejected = check(v8::Function::New(
      js.context(), [](const v8::FunctionCallbackInfo<v8::Value>& info) { onSettled(info, true); },
      data, 1));
  check(promise->Then(js.context(), onFulfilled, onRejected));
  return kj::mv(paf.promise);
}

void IsolateBase::rejectAllPending(const kj::Exception& reason) {
  auto pending = kj::mv(pendingSettles);
  for (auto& entry: pending) {
    if (entry.value->isWaiting()) entry.value->reject(kj::cp(reason));
  }
}

void IsolateBase::onSettled(const v8::FunctionCallbackInfo<v8::Value>& info, bool rejected) {
  auto& self = from(info.GetIsolate());
  uint64_t id = static_cast<uint64_t>(info.Data().As<v8::Number>()->Value());
  KJ_IF_MAYBE(fulfiller, self.pendingSettles.find(id)) {
    auto f = kj::mv(*fulfiller);
    self.pendingSettles.erase(id);
    if (f->isWaiting()) {
      f->fulfill(Settled{v8::Global<v8::Value>(info.GetIsolate(), info[0]), rejected});
    }
  }
}

void rejectWithKjException(Lock& js, v8::Local<v8::Promise::Resolver> resolver,
                           kj::Exception&& exception) {
  v8::TryCatch tryCatch(js.isolate);
  try {
    kj::throwFatalException(kj::mv(exception));
  } catch (...) {
    translateCurrentException(js);
  }
  if (tryCatch.HasCaught()) {
    js::ignore(resolver->Reject(js.context(), tryCatch.Exception()));
  }
}

}  // namespace loaderd::js
