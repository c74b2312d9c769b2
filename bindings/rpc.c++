#include "rpc.h"

#include "runtime/api/tracing.h"

#include "direct-client.h"

#include <capnp/capability.h>
#include <kj/encoding.h>
#include <kj/debug.h>
#include <cstring>

namespace loaderd {

namespace {

constexpr kj::StringPtr TUNNEL_PREFIX = "jsrpc."_kj;

// What a call or fetch in flight costs besides what it carries (its messages, promise nodes):
// counted against the caller's memory limit with the carried bytes.
constexpr size_t CALL_OVERHEAD = 1024;

v8::Local<v8::Value> callHook(Worker& worker, js::Lock& js, kj::StringPtr name,
                              kj::ArrayPtr<v8::Local<v8::Value>> args) {
  auto fn = worker.hook(js, "rpcHooks", name);
  return js::check(fn->Call(js.context(), js.undefined(), args.size(), args.begin()));
}

// ---------------------------------------------------------------------------------------------
// Serialization with a capability table

using External = kj::OneOf<rpc::JsRpcTarget::Client, rpc::Fetcher::Client, kj::Own<api::Request>,
                           kj::Own<api::Response>, kj::Own<api::Headers>, kj::Own<RpcBlob>>;

template <typename ListBuilder>
void fillHeaders(ListBuilder list, const api::Headers& headers) {
  auto pairs = headers.sortedPairs();
  for (uint i = 0; i < pairs.size(); i++) {
    list[i].setName(pairs[i].first);
    list[i].setValue(pairs[i].second);
  }
}

kj::Own<api::Headers> readHeaders(capnp::List<rpc::Header>::Reader list) {
  auto headers = kj::refcounted<api::Headers>();
  for (auto h: list) headers->appendUnchecked(h.getName(), h.getValue());
  return headers;
}

class JsTargetServer;

class ExternalWriter final: public HostObjectHandler {
public:
  explicit ExternalWriter(Worker& worker): worker(worker) {}
  kj::Vector<External> externals;
  kj::Vector<kj::Own<RpcClient>> stubsSent;  // the stubs among them
  size_t inlineBytes = 0;  // what crosses as data beside the bytes (Blobs): counted in the cap

  kj::Maybe<uint32_t> writeHostObject(js::Lock& js, v8::Local<v8::Object> object) override;
  v8::Local<v8::Object> readHostObject(js::Lock&, uint32_t) override {
    KJ_FAIL_ASSERT("a writer does not read");
  }

private:
  Worker& worker;
};

class ExternalReader final: public HostObjectHandler {
public:
  // What it makes (stubs, Requests, Responses) belongs to request `bindTo` (0: none).
  ExternalReader(Worker& worker, capnp::List<rpc::JsValue::External>::Reader externals,
                 kj::Vector<kj::Own<RpcClient>>* created, uint64_t bindTo)
      : worker(worker), externals(externals), created(created), bindTo(bindTo) {}

  kj::Maybe<uint32_t> writeHostObject(js::Lock&, v8::Local<v8::Object>) override {
    return nullptr;
  }
  v8::Local<v8::Object> readHostObject(js::Lock& js, uint32_t index) override {
    if (index >= externals.size()) js::throwError(js::ErrorType::ERROR, "Invalid RPC external.");
    auto ext = externals[index];
    // No JavaScript may run inside V8's deserializer: natives go in now, and readJsValue()
    // replaces them with the JS stubs and Fetchers afterwards (workers.js revive()).
    switch (ext.which()) {
      case rpc::JsValue::External::STUB: {
        auto client = kj::refcounted<RpcClient>(ext.getStub());
        client->request.bind(bindTo, "Client");
        if (created != nullptr) created->add(kj::addRef(*client));
        return client->wrap(js);
      }
      case rpc::JsValue::External::FETCHER:
        return kj::refcounted<NativeFetcher>(ext.getFetcher())->wrap(js);
      case rpc::JsValue::External::REQUEST: {
        auto r = ext.getRequest();
        kj::Maybe<kj::Array<kj::byte>> body;
        if (r.getHasBody()) body = kj::heapArray<kj::byte>(r.getBody());
        auto request = kj::refcounted<api::Request>(
            kj::str(r.getMethod()), kj::str(r.getUrl()), readHeaders(r.getHeaders()),
            kj::mv(body), r.hasRedirect() ? kj::str(r.getRedirect()) : kj::str("follow"));
        request->holdContent(js);  // counts against the receiver while held
        request->request.bind(bindTo, api::Body::IO_TYPE);
        return request->wrap(js);
      }
      case rpc::JsValue::External::RESPONSE: {
        auto r = ext.getResponse();
        kj::Maybe<kj::Array<kj::byte>> body;
        if (r.getHasBody()) body = kj::heapArray<kj::byte>(r.getBody());
        auto response = kj::refcounted<api::Response>(r.getStatus(), kj::str(r.getStatusText()),
                                                      readHeaders(r.getHeaders()), kj::mv(body));
        response->holdContent(js);
        response->request.bind(bindTo, api::Body::IO_TYPE);
        return response->wrap(js);
      }
      case rpc::JsValue::External::HEADERS:
        return readHeaders(ext.getHeaders())->wrap(js);
      case rpc::JsValue::External::BLOB: {
        auto blob = ext.getBlob();
        auto data = blob.getData();
        return kj::refcounted<RpcBlob>(kj::str(blob.getType()), kj::heapArray<kj::byte>(data))
            ->wrap(js);
      }
      case rpc::JsValue::External::INVALID:
        break;
    }
    js::throwError(js::ErrorType::ERROR, "Invalid RPC external.");
  }

private:
  Worker& worker;
  capnp::List<rpc::JsValue::External>::Reader externals;

  kj::Vector<kj::Own<RpcClient>>* created;
  uint64_t bindTo;
};

// ---------------------------------------------------------------------------------------------
// The callee side

// The pipeline target of a primitive result: nothing can be called on it.
class PrimitiveTarget final: public rpc::JsRpcTarget::Server {
public:
  kj::Promise<void> call(CallContext context) override {
    auto path = context.getParams().getMethodPath();
    if (path.size() == 0) {
      return KJ_EXCEPTION(FAILED, "jsrpc.TypeError: \"\" is not a function.");
    }
    return KJ_EXCEPTION(FAILED, kj::str("jsrpc.TypeError: The RPC receiver does not implement "
                                        "the method \"", path[0], "\"."));
  }
};

// One per thread: every primitive result's pipeline is the same target.
rpc::JsRpcTarget::Client primitiveTarget() {
  static thread_local rpc::JsRpcTarget::Client target =
      directClient<rpc::JsRpcTarget>(kj::heap<PrimitiveTarget>());
  return target;
}

// Stubs a call received as arguments: disposed when the call completes.
struct ParamStubs {
  kj::Vector<kj::Own<RpcClient>> stubs;
  kj::Own<CallScope> scope = kj::refcounted<CallScope>();
  ~ParamStubs() noexcept(false) {
    scope->ended = true;
    for (auto& stub: stubs) stub->dispose();
  }
};

// A JS value (or an entrypoint) of one worker, callable from other workers.
class JsTargetServer final: public rpc::JsRpcTarget::Server {
public:
  // A value the worker hands out while entrypoint invocations with caps are in flight keeps
  // their caps (Worker::entrypointCaps()).
  JsTargetServer(kj::Own<Worker> workerArg, js::Lock& js, v8::Local<v8::Value> value)
      : worker(kj::mv(workerArg)), target(js.isolate, value),
        hasDisposer(disposerOf(*worker, js, value)), limits(worker->entrypointCaps()),
        request(js.base().currentRequest(js)) {}
  JsTargetServer(kj::Own<Worker> worker, kj::Maybe<kj::String> entrypoint,
                 kj::Maybe<kj::Own<PropsSource>> props, kj::Maybe<EntrypointLimits> limits)
      : worker(kj::mv(worker)), isEntrypoint(true), entrypoint(kj::mv(entrypoint)),
        props(kj::mv(props)), limits(kj::mv(limits)) {}

  ~JsTargetServer() noexcept(false) {
    if (target.IsEmpty() || !hasDisposer) {
      // This may be the worker's last reference, dropped from inside one of its own tasks (a
      // call completing whose target was the worker's own): never destroy it from there.
      if (worker.get() != nullptr && !worker->isShared()) Worker::releaseLater(kj::mv(worker));
      return;
    }
    // The last stub is gone: the target's [Symbol.dispose]() runs once — on a later turn, never
    // from inside a destructor (which may run while another isolate, or this one, is entered).
    auto& w = *worker;
    w.tasks().add(kj::evalLater([worker = kj::mv(worker), target = kj::mv(target)]() mutable {
      worker->runInJs([&](js::Lock& js) {
        v8::TryCatch tryCatch(js.isolate);
        v8::Local<v8::Value> args[] = {target.Get(js.isolate)};
        try {
          callHook(*worker, js, "disposeTarget", args);
        } catch (...) {
          js::translateCurrentException(js);
        }
        if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
          auto exception = tryCatch.Exception();
          tryCatch.Reset();
          worker->reportUncaught(js, exception, "Symbol.dispose");
        }
      });
      target.Reset();
      // This task is the worker's own: its reference may be the last (the stubs to the worker
      // and to its targets all dropped), and the worker must not go while the task runs.
      Worker::releaseLater(kj::mv(worker));
    }));
  }

  kj::Promise<void> call(CallContext context) override;

private:
  kj::Own<Worker> worker;
  v8::Global<v8::Value> target;
  bool hasDisposer = false;
  bool isEntrypoint = false;

  // Whether releasing the last stub must run the target's [Symbol.dispose]() (checked once,
  // so the common target without one costs no isolate entry when released).
  static bool disposerOf(Worker& worker, js::Lock& js, v8::Local<v8::Value> value) {
    if (!value->IsObject()) return false;
    v8::Local<v8::Value> args[] = {value};
    v8::TryCatch tryCatch(js.isolate);
    v8::Local<v8::Value> result;
    if (!worker.hook(js, "rpcHooks", "hasDisposer")
             ->Call(js.context(), js.undefined(), 1, args)
             .ToLocal(&result)) {
      return false;
    }
    return result->IsTrue();
  }
  kj::Maybe<kj::String> entrypoint;
  kj::Maybe<kj::Own<PropsSource>> props;
  kj::Maybe<EntrypointLimits> limits;  // getEntrypoint()'s, or those it was handed out under
  // A target's calls run for the request it was handed out in (workerd's IoContext); an
  // entrypoint's each start a request of their own.
  uint64_t request = 0;

  void fillResults(js::Lock& js, CallContext& context, v8::Local<v8::Value> value);
};

kj::Maybe<uint32_t> ExternalWriter::writeHostObject(js::Lock& js, v8::Local<v8::Object> object) {
  if (auto* ext = js::tryUnwrap<RpcExternal>(js, object)) {
    KJ_IF_MAYBE(client, ext->getClient()) {
      externals.add(External((*client)->get()));
      stubsSent.add(kj::addRef(**client));
    } else {
      externals.add(External(directClient<rpc::JsRpcTarget>(
          kj::heap<JsTargetServer>(kj::addRef(worker), js, ext->getValue(js.isolate)))));
    }
    return externals.size() - 1;
  }
  if (auto* fetcher = js::tryUnwrap<NativeFetcher>(js, object)) {
    externals.add(External(fetcher->get()));
    return externals.size() - 1;
  }
  if (auto* request = js::tryUnwrap<api::Request>(js, object)) {
    externals.add(External(kj::addRef(*request)));
    return externals.size() - 1;
  }
  if (auto* response = js::tryUnwrap<api::Response>(js, object)) {
    externals.add(External(kj::addRef(*response)));
    return externals.size() - 1;
  }
  if (auto* headers = js::tryUnwrap<api::Headers>(js, object)) {
    externals.add(External(kj::addRef(*headers)));
    return externals.size() - 1;
  }
  if (auto* blob = js::tryUnwrap<RpcBlob>(js, object)) {
    inlineBytes += blob->data.size();
    externals.add(External(kj::addRef(*blob)));
    return externals.size() - 1;
  }
  return nullptr;
}

void JsTargetServer::fillResults(js::Lock& js, CallContext& context, v8::Local<v8::Value> value) {
  // Small first segments: capnp zeroes a message's first segment, and most values are small.
  auto results = context.getResults(capnp::MessageSize{64, 4});
  kj::Maybe<rpc::JsRpcTarget::Client> valueStub;
  writeJsValue(*worker, js, value, results.initResult(), Preparation::PREPARE_FOR_RPC,
               &valueStub);
  // Even a primitive result is a target: calls on it fail as workerd's do ("does not implement
  // the method"), not earlier — without holding anything of the isolate.
  KJ_IF_MAYBE(stub, valueStub) {
    // An RpcTarget or function: pipelined calls go to the stub the caller receives, one
    // capability whose release (stub and pipeline both dropped) runs [Symbol.dispose]() once.
    results.setCallPipeline(kj::mv(*stub));
  } else if (value->IsObject()) {
    results.setCallPipeline(
        directClient<rpc::JsRpcTarget>(kj::heap<JsTargetServer>(kj::addRef(*worker), js, value)));
  } else {
    results.setCallPipeline(primitiveTarget());
  }
}

kj::Promise<void> JsTargetServer::call(CallContext context) {
  if (worker->limitExceeded() != LimitExceeded::NONE) return worker->limitException();
  kj::Maybe<const EntrypointLimits&> through = limits;
  worker->beginInvocation(through);
  auto invocation = kj::defer([w = worker.get(), through]() { w->endInvocation(through); });
  auto params = context.getParams();
  auto op = params.getOperation();
  bool isCall = op.isCallWithArgs();
  // Stubs received as arguments live until the call completes, then are disposed (the caller's
  // targets see their [Symbol.dispose]() run), however the callee kept them.
  auto paramStubs = kj::heap<ParamStubs>();
  kj::Maybe<kj::Promise<js::IsolateBase::Settled>> pending;
  kj::Maybe<kj::Exception> error;

  // The request this call runs for; RpcTargets in its result are handed out in it, also when
  // the result comes later (each runInJs starts outside any request).
  uint64_t forRequest = request != 0 ? request : worker->newRequest();
  auto abortWatch = kj::heap<Worker::AbortWatch>(*worker, forRequest, Worker::AbortedFor::RPC);
  worker->runInJs([&](js::Lock& js) {
    js.base().enterRequest(js, forRequest);
    v8::TryCatch tryCatch(js.isolate);
    try {
      auto pathReader = params.getMethodPath();
      auto path = v8::Array::New(js.isolate, pathReader.size());
      for (uint i = 0; i < pathReader.size(); i++) {
        // Internalized, as property names in JavaScript are: the receiver rules' lookups then
        // stay on V8's fast paths.
        js::check(path->Set(js.context(), i, js.internedStr(pathReader[i])));
      }
      v8::Local<v8::Value> args = isCall
          ? readJsValue(*worker, js, op.getCallWithArgs(), &paramStubs->stubs, forRequest)
          : v8::Array::New(js.isolate, 0).As<v8::Value>();
      for (auto& stub: paramStubs->stubs) stub->bindTo(*paramStubs->scope);
      v8::Local<v8::Value> result;
      if (isEntrypoint) {
        v8::Local<v8::Value> name = js.undefined();
        KJ_IF_MAYBE(e, entrypoint) { name = js.str(*e); }
        kj::Maybe<PropsSource&> propsRef = props.map([](kj::Own<PropsSource>& p) -> PropsSource& {
          return *p;
        });
        v8::Local<v8::Value> hookArgs[] = {
            worker->getExports(js), name, worker->getEnv(js),
            worker->makeExecutionContext(js, propsRef), path,
            v8::Boolean::New(js.isolate, isCall), args};
        result = callHook(*worker, js, "dispatchEntrypoint", hookArgs);
      } else {
        v8::Local<v8::Value> hookArgs[] = {target.Get(js.isolate), path,
                                           v8::Boolean::New(js.isolate, isCall), args};
        result = callHook(*worker, js, "dispatch", hookArgs);
      }
      if (result->IsPromise()) {
        // Its outcome goes to the caller: handled before any microtask could call it not.
        result.As<v8::Promise>()->MarkAsHandled();
        js.isolate->PerformMicrotaskCheckpoint();
        js.base().enterRequest(js, forRequest);  // the checkpoint's reactions may have left another
        auto promise = result.As<v8::Promise>();
        if (promise->State() == v8::Promise::kPending) {
          pending = worker->whenSettled(js, promise);
          return;
        }
        if (promise->State() == v8::Promise::kRejected) {
          error = tunnelException(*worker, js, promise->Result());
          return;
        }
        result = promise->Result();
      }
      fillResults(js, context, result);
    } catch (...) {
      js::translateCurrentException(js);
    }
    if (tryCatch.HasCaught()) {
      if (!tryCatch.CanContinue()) {
        error = worker->limitException();
        return;
      }
      auto exception = tryCatch.Exception();
      tryCatch.Reset();
      error = tunnelException(*worker, js, exception);
    }
  });

  KJ_IF_MAYBE(reason, abortWatch->reason()) { return kj::cp(*reason); }  // ctx.abort()
  if (worker->limitExceeded() != LimitExceeded::NONE) return worker->limitException();
  KJ_IF_MAYBE(e, error) {
    return kj::mv(*e);
  }
  KJ_IF_MAYBE(p, pending) {
    auto& watch = *abortWatch;
    auto settledThen = [this, context, forRequest, &watch](js::IsolateBase::Settled settled) mutable
        -> kj::Promise<void> {
      kj::Maybe<kj::Exception> error;
      worker->runInJs([&](js::Lock& js) {
        js.base().enterRequest(js, forRequest);
        auto value = settled.value.Get(js.isolate);
        if (settled.rejected) {
          error = tunnelException(*worker, js, value);
          return;
        }
        v8::TryCatch tryCatch(js.isolate);
        try {
          fillResults(js, context, value);
        } catch (...) {
          js::translateCurrentException(js);
        }
        if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
          auto exception = tryCatch.Exception();
          tryCatch.Reset();
          error = tunnelException(*worker, js, exception);
        }
      });
      // ctx.abort() from what filling the results ran (a getter): the reason.
      KJ_IF_MAYBE(reason, watch.reason()) { return kj::cp(*reason); }
      if (worker->limitExceeded() != LimitExceeded::NONE) return worker->limitException();
      KJ_IF_MAYBE(e, error) {
        return kj::mv(*e);
      }
      return kj::READY_NOW;
    };
    return worker->bounded(
        p->then(kj::mv(settledThen))
            .exclusiveJoin(watch.whenAborted().then([&watch]() -> kj::Promise<void> {
              return kj::cp(KJ_ASSERT_NONNULL(watch.reason()));
            }))
            .attach(kj::mv(paramStubs), kj::mv(invocation), kj::mv(abortWatch)));
  }
  return kj::READY_NOW;
}

// An entrypoint as a Fetcher: HTTP and RPC.
class EntrypointFetcher final: public rpc::Fetcher::Server {
public:
  EntrypointFetcher(kj::Own<Worker> worker, kj::Maybe<kj::String> entrypoint,
                    kj::Maybe<kj::Own<PropsSource>> props, kj::Maybe<EntrypointLimits> limits)
      : worker(kj::mv(worker)), entrypoint(kj::mv(entrypoint)), props(kj::mv(props)),
        limits(kj::mv(limits)) {}

  kj::Promise<void> fetch(FetchContext context) override {
    auto req = context.getParams().getRequest();
    auto headers = kj::refcounted<api::Headers>();
    for (auto h: req.getHeaders()) headers->appendUnchecked(h.getName(), h.getValue());
    kj::Maybe<kj::Array<kj::byte>> body;
    if (req.getHasBody() && !req.hasBodyStream()) body = kj::heapArray<kj::byte>(req.getBody());
    auto request = kj::refcounted<api::Request>(kj::str(req.getMethod()), kj::str(req.getUrl()),
                                                kj::mv(headers), kj::mv(body));
    if (req.hasBodyStream()) {
      request->setBodySource(kj::refcounted<NativeByteStream>(req.getBodyStream()));
    }
    kj::Maybe<kj::StringPtr> name = entrypoint.map([](kj::String& s) { return s.asPtr(); });
    kj::Maybe<PropsSource&> propsRef = props.map([](kj::Own<PropsSource>& p) -> PropsSource& {
      return *p;
    });
    kj::Maybe<const EntrypointLimits&> through = limits;
    return worker->fetch(kj::mv(request), name, propsRef, Worker::FetchErrors::PROPAGATE, through)
        .then([context](HttpResult result) mutable {
          auto response = context.getResults().initResponse();
          response.setStatus(result.status);
          response.setStatusText(result.statusText);
          auto headers = response.initHeaders(result.headers.size());
          for (uint i = 0; i < result.headers.size(); i++) {
            headers[i].setName(result.headers[i].name);
            headers[i].setValue(result.headers[i].value);
          }
          KJ_IF_MAYBE(source, result.stream) {
            response.setHasBody(true);
            response.setBodyStream(byteStreamFrom(kj::mv(*source)));
          } else KJ_IF_MAYBE(b, result.body) {
            response.setHasBody(true);
            response.setBody(*b);
          }
        });
  }

  // The entrypoint's connect(socket) handler (workers.js dispatchConnect), as an invocation of
  // its own that lasts until the handler's promise settles; the caller's socket opens as soon as
  // the handler is called. No handler: the call fails (the caller sees workerd's proxy message).
  kj::Promise<void> connect(ConnectContext context) override {
    if (worker->limitExceeded() != LimitExceeded::NONE) return worker->limitException();
    kj::Maybe<const EntrypointLimits&> through = limits;
    worker->beginInvocation(through);
    auto invocation = kj::defer([w = kj::addRef(*worker), limits = limits]() mutable {
      w->endInvocation(limits.map([](EntrypointLimits& l) -> const EntrypointLimits& { return l; }));
    });
    auto params = context.getParams();
    kj::Maybe<kj::Promise<js::IsolateBase::Settled>> done;
    kj::Maybe<kj::Exception> error;
    uint64_t forRequest = worker->newRequest();
    auto abortWatch = kj::heap<Worker::AbortWatch>(*worker, forRequest, Worker::AbortedFor::RPC);
    worker->runInJs([&](js::Lock& js) {
      js.base().enterRequest(js, forRequest);
      v8::TryCatch tryCatch(js.isolate);
      try {
        v8::Local<v8::Value> name = js.undefined();
        KJ_IF_MAYBE(e, entrypoint) { name = js.str(*e); }
        kj::Maybe<PropsSource&> propsRef = props.map([](kj::Own<PropsSource>& p) -> PropsSource& {
          return *p;
        });
        v8::Local<v8::Value> hookArgs[] = {
            worker->getExports(js), name, worker->getEnv(js),
            worker->makeExecutionContext(js, propsRef), js.str(params.getAddress()),
            kj::refcounted<NativeByteStream>(params.getUp())->wrap(js)};
        auto value = callHook(*worker, js, "dispatchConnect", hookArgs);
        // Checked, not assumed: user code can replace what the hook builds them with
        // (Promise.prototype.then), and a wrong cast would take the process down.
        if (!value->IsArray()) js::throwError(js::ErrorType::ERROR, "connect() handler failed.");
        auto result = value.As<v8::Array>();
        auto readDown = js::check(result->Get(js.context(), 0));
        auto settled = js::check(result->Get(js.context(), 1));
        auto downReleased = js::check(result->Get(js.context(), 2));
        if (!readDown->IsFunction() || !settled->IsPromise() || !downReleased->IsFunction()) {
          js::throwError(js::ErrorType::ERROR, "connect() handler failed.");
        }
        context.getResults().setDown(byteStreamFrom(kj::heap<JsBodySource>(
            kj::addRef(*worker), js.isolate, readDown.As<v8::Function>(),
            downReleased.As<v8::Function>())));
        done = worker->whenSettled(js, settled.As<v8::Promise>());
      } catch (...) {
        js::translateCurrentException(js);
      }
      if (tryCatch.HasCaught()) {
        if (!tryCatch.CanContinue()) {
          error = worker->limitException();
          return;
        }
        auto exception = tryCatch.Exception();
        tryCatch.Reset();
        error = tunnelException(*worker, js, exception);
      }
    });
    KJ_IF_MAYBE(reason, abortWatch->reason()) { return kj::cp(*reason); }  // ctx.abort()
    KJ_IF_MAYBE(e, error) { return kj::mv(*e); }
    // The invocation goes on with the handler, after this call has answered (ctx.abort() ends
    // it too).
    KJ_IF_MAYBE(d, done) {
      auto aborted = abortWatch->whenAborted();
      worker->tasks().add(worker->bounded(d->ignoreResult().exclusiveJoin(kj::mv(aborted)))
                              .attach(kj::mv(invocation), kj::mv(abortWatch)));
    }
    return kj::READY_NOW;
  }

  kj::Promise<void> getTarget(GetTargetContext context) override {
    kj::Maybe<kj::String> name = entrypoint.map([](kj::String& s) { return kj::str(s); });
    kj::Maybe<kj::Own<PropsSource>> propsCopy =
        props.map([](kj::Own<PropsSource>& p) { return kj::addRef(*p); });
    context.getResults().setTarget(directClient<rpc::JsRpcTarget>(
        kj::heap<JsTargetServer>(kj::addRef(*worker), kj::mv(name), kj::mv(propsCopy), limits)));
    return kj::READY_NOW;
  }

private:
  kj::Own<Worker> worker;
  kj::Maybe<kj::String> entrypoint;
  kj::Maybe<kj::Own<PropsSource>> props;
  kj::Maybe<EntrypointLimits> limits;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Values and errors

void writeJsValue(Worker& worker, js::Lock& js, v8::Local<v8::Value> value,
                  rpc::JsValue::Builder builder, Preparation preparation,
                  kj::Maybe<rpc::JsRpcTarget::Client>* valueStub) {
  auto prepared = value;
  // Primitives need no preparing (no stubs, streams or host objects in them).
  if (preparation == Preparation::PREPARE_FOR_RPC && value->IsObject()) {
    v8::Local<v8::Value> args[] = {value};
    prepared = callHook(worker, js, "prepare", args);
  }
  ExternalWriter writer(worker);
  kj::Maybe<kj::Array<kj::byte>> simple;
  if (preparation == Preparation::ARGUMENT_LIST && value->IsArray()) {
    simple = serializeArgumentList(js, value.As<v8::Array>());
  }
  auto bytes = kj::mv(simple).orDefault([&]() { return serializeValue(js, prepared, &writer); });
  constexpr size_t LIMIT = 1u << 25;
  size_t size = bytes.size() + writer.inlineBytes;  // a Blob's bytes count, as in workerd's
  if (size > LIMIT) {
    js::throwError(js::ErrorType::ERROR,
                   kj::str("Serialized RPC arguments or return values are limited to 32MiB, but "
                           "the size of this value was: ", size, " bytes."));
  }
  builder.setV8Serialized(bytes);
  if (preparation == Preparation::ARGUMENT_LIST) {
    // A stub passed as an argument moves to the callee, as on workerd: the caller's stub is
    // disposed once the call is sent (pass `stub.dup()` to keep one).
    for (auto& stub: writer.stubsSent) stub->dispose();
  }
  if (valueStub != nullptr && writer.externals.size() > 0 && prepared->IsObject() &&
      js::tryUnwrap<RpcExternal>(js, prepared.As<v8::Object>()) != nullptr) {
    // The value is a stub as a whole: it was written first.
    KJ_IF_MAYBE(client, writer.externals[0].tryGet<rpc::JsRpcTarget::Client>()) {
      *valueStub = *client;
    }
  }
  auto list = builder.initExternals(writer.externals.size());
  for (uint i = 0; i < writer.externals.size(); i++) {
    KJ_SWITCH_ONEOF(writer.externals[i]) {
      KJ_CASE_ONEOF(stub, rpc::JsRpcTarget::Client) { list[i].setStub(kj::mv(stub)); }
      KJ_CASE_ONEOF(fetcher, rpc::Fetcher::Client) { list[i].setFetcher(kj::mv(fetcher)); }
      KJ_CASE_ONEOF(request, kj::Own<api::Request>) {
        // Sending a Request or Response moves its body, as over the network.
        auto r = list[i].initRequest();
        r.setMethod(request->getMethod());
        r.setUrl(request->getUrl());
        r.setRedirect(request->getRedirect());
        auto pairs = request->headersRef().sortedPairs();
        fillHeaders(r.initHeaders(pairs.size()), request->headersRef());
        KJ_IF_MAYBE(body, request->takeContent()) {
          r.setHasBody(true);
          r.setBody(*body);
        }
      }
      KJ_CASE_ONEOF(response, kj::Own<api::Response>) {
        auto r = list[i].initResponse();
        r.setStatus(response->getStatus());
        r.setStatusText(response->getStatusText());
        auto pairs = response->headersRef().sortedPairs();
        fillHeaders(r.initHeaders(pairs.size()), response->headersRef());
        KJ_IF_MAYBE(body, response->takeContent()) {
          r.setHasBody(true);
          r.setBody(*body);
        }
      }
      KJ_CASE_ONEOF(headers, kj::Own<api::Headers>) {
        auto pairs = headers->sortedPairs();
        fillHeaders(list[i].initHeaders(pairs.size()), *headers);
      }
      KJ_CASE_ONEOF(blob, kj::Own<RpcBlob>) {
        auto b = list[i].initBlob();
        b.setType(blob->type);
        b.setData(blob->data);
      }
    }
  }
}

v8::Local<v8::Value> readJsValue(Worker& worker, js::Lock& js, rpc::JsValue::Reader reader,
                                 kj::Vector<kj::Own<RpcClient>>* createdStubs, uint64_t bindTo) {
  ExternalReader handler(worker, reader.getExternals(), createdStubs, bindTo);
  auto value = deserializeValue(js, reader.getV8Serialized(), &handler);
  if (reader.getExternals().size() == 0) return value;
  v8::Local<v8::Value> args[] = {value};
  return callHook(worker, js, "revive", args);
}

kj::Exception tunnelException(Worker& worker, js::Lock& js, v8::Local<v8::Value> exception) {
  return worker.tunnelException(js, exception);
}

v8::Local<v8::Value> untunnelException(Worker& worker, js::Lock& js,
                                       const kj::Exception& exception) {
  kj::StringPtr description = exception.getDescription();
  // Two-party RPC may prefix the description ("remote exception: ..."): search for the tag.
  // "jsrpc." errors were thrown by the callee's JS (remote: true); "jslocal." ones are the
  // caller's own errors coming back as they were thrown (a getCode failure).
  // The earliest tag is the real one: a message may hold the other's text.
  const char* rpcAt = strstr(description.cStr(), TUNNEL_PREFIX.cStr());
  const char* localAt = strstr(description.cStr(), "jslocal.");
  bool localFirst = localAt != nullptr && (rpcAt == nullptr || localAt < rpcAt);
  for (auto prefix: {localFirst ? "jslocal."_kj : TUNNEL_PREFIX}) {
    if (const char* found = strstr(description.cStr(), prefix.cStr())) {
      kj::StringPtr rest(found + prefix.size());
      if (const char* colon = strstr(rest.cStr(), ": ")) {
        auto type = kj::str(rest.slice(0, colon - rest.cStr()));
        kj::StringPtr message(colon + 2);
        kj::Maybe<kj::StringPtr> detail;
        if (const char* d = strstr(message.cStr(), js::TUNNEL_DETAIL_SEPARATOR.cStr())) {
          detail = kj::StringPtr(d + js::TUNNEL_DETAIL_SEPARATOR.size());
          message = kj::StringPtr(message.cStr(), d - message.cStr());
        }
        auto messageText = kj::heapString(message);
        bool remote = prefix == TUNNEL_PREFIX;
        KJ_IF_MAYBE(d, detail) {
          if (worker.compat().enhancedErrorSerialization) {
            v8::TryCatch tryCatch(js.isolate);
            try {
              auto bytes = kj::decodeBase64(*d);
              auto value = deserializeValue(js, bytes);
              v8::Local<v8::Value> args[] = {js.str(type), js.str(messageText), value,
                                             v8::Boolean::New(js.isolate, remote)};
              return callHook(worker, js, "makeEnhancedError", args);
            } catch (...) {
              // Fall back to type and message.
            }
          }
        }
        v8::Local<v8::Value> args[] = {js.str(type), js.str(messageText),
                                       v8::Boolean::New(js.isolate, remote)};
        return callHook(worker, js, "makeRemoteError", args);
      }
    }
  }
  // Errors of the loader and runtime (not raised by the callee's JS) carry no `remote`.
  v8::TryCatch tryCatch(js.isolate);
  try {
    kj::throwFatalException(kj::cp(exception));
  } catch (...) {
    js::translateCurrentException(js);
  }
  return tryCatch.Exception();
}

// ---------------------------------------------------------------------------------------------
// The caller side

rpc::JsRpcTarget::Client RpcClient::get() {
  KJ_IF_MAYBE(s, scope) {
    if ((*s)->ended && cap != nullptr) {
      js::throwError(js::ErrorType::ERROR,
          "Cannot perform I/O on behalf of a different request. I/O objects (such as streams, "
          "request/response bodies, and others) created in the context of one request handler "
          "cannot be accessed from a different request's handler. This is a limitation of "
          "Cloudflare Workers which allows us to improve overall performance. (I/O type: Client)");
    }
  }
  KJ_IF_MAYBE(c, cap) {
    // A promise capability (a pipelined result, an entrypoint still being looked up) that has
    // resolved is replaced by what it resolved to: a call through the promise costs a
    // forked-promise branch and an event-loop turn more. Calls queued on it before it resolved
    // were forwarded when it resolved, so later calls cannot overtake them.
    if (capnp::ClientHook::from(*c)->getResolved() != nullptr) {
      auto hook = capnp::ClientHook::from(kj::mv(*c));
      for (;;) {
        KJ_IF_MAYBE(inner, hook->getResolved()) {
          hook = inner->addRef();
        } else {
          break;
        }
      }
      // Still a promise (resolved to another one)? Its calls must carry their caller too.
      *c = capnp::Capability::Client(withDirectCalls(kj::mv(hook))).castAs<rpc::JsRpcTarget>();
    }
    return *c;
  }
  js::throwError(js::ErrorType::ERROR, "RPC stub used after being disposed.");
}

v8::Local<v8::Promise> RpcCallResult::promise(js::Lock& js) {
  auto resolver = js::check(v8::Promise::Resolver::New(js.context()));
  KJ_IF_MAYBE(r, response) {
    auto onOk = kj::refcounted<js::ResolverRef>(js.isolate, resolver);
    auto onError = kj::addRef(*onOk);
    auto& w = worker;
    // Stubs in the result belong to the request awaiting it (as on workerd).
    uint64_t request = js.base().currentRequest(js);
    w.tasks().add(r->then(
        [&w, ref = kj::mv(onOk), request](
            capnp::Response<rpc::JsRpcTarget::CallResults> results) mutable {
          w.runInJs([&](js::Lock& js) {
            v8::TryCatch tryCatch(js.isolate);
            auto resolver = ref->handle.Get(js.isolate);
            try {
              auto value = readJsValue(w, js, results.getResult(), nullptr, request);
              js::ignore(resolver->Resolve(js.context(), value));
            } catch (...) {
              js::translateCurrentException(js);
            }
            if (tryCatch.HasCaught() && tryCatch.CanContinue()) {
              auto exception = tryCatch.Exception();
              tryCatch.Reset();
              js::ignore(resolver->Reject(js.context(), exception));
            }
          });
        },
        [&w, ref = kj::mv(onError)](kj::Exception&& e) mutable {
          w.runInJs([&](js::Lock& js) {
            v8::Local<v8::Value> error;
            {
              v8::TryCatch tryCatch(js.isolate);
              try {
                error = untunnelException(w, js, e);
              } catch (...) {
              }
            }
            // If user code broke what rebuilding the error needs, still settle the promise.
            if (error.IsEmpty()) error = v8::Exception::Error(js.str(e.getDescription()));
            js::ignore(ref->handle.Get(js.isolate)->Reject(js.context(), error));
          });
        }));
    response = nullptr;
  } else {
    js::ignore(resolver->Reject(js.context(), js.makeError(js::ErrorType::ERROR,
                                                      "RPC promise used after being disposed.")));
  }
  return resolver->GetPromise();
}

kj::Own<RpcClient> RpcCallResult::pipeline() {
  KJ_IF_MAYBE(source, pipelineSource) {
    pipelineCap = source->getCallPipeline();
    pipelineSource = nullptr;
  }
  KJ_IF_MAYBE(p, pipelineCap) {
    auto client = kj::refcounted<RpcClient>(*p);
    client->request = request;
    return client;
  }
  js::throwError(js::ErrorType::ERROR, "RPC promise used after being disposed.");
}

namespace {
// A worker as the callee side of its calls sees it (DirectClient): whether it is gone, and its
// memory for the results of its calls.
class WorkerAccount final: public CallerAccount {
public:
  explicit WorkerAccount(Worker& worker): worker(&worker) {}
  bool gone() override {
    return worker == nullptr || worker->limitExceeded() != LimitExceeded::NONE;
  }
  kj::Own<void> holdResults(size_t bytes) override {
    if (worker == nullptr) return kj::Own<void>();
    return worker->holdArrived(bytes);
  }
  void forget() { worker = nullptr; }

private:
  Worker* worker;
};
}  // namespace

RpcNatives::RpcNatives(Worker& worker)
    : worker(worker), account(kj::refcounted<WorkerAccount>(worker)) {
  worker.onDestroy([account = kj::addRef(static_cast<WorkerAccount&>(*account))]() mutable {
    account->forget();
  });
}

void RpcCallResult::abandon() {
  KJ_IF_MAYBE(r, response) {
    // (The caller's worker going away takes its calls with it.)
    if (worker.acceptsTasks()) {
      worker.tasks().add(kj::mv(*r).then([](capnp::Response<rpc::JsRpcTarget::CallResults>) {},
                                         [](kj::Exception&&) {}));
    }
    response = nullptr;
  }
}

void RpcCallResult::dispose() {
  abandon();
  pipelineSource = nullptr;
  pipelineCap = nullptr;
}

kj::Own<RpcCallResult> RpcNatives::call(js::Lock& js, RpcClient& client,
                                        kj::Array<kj::String> path, v8::Local<v8::Value> args) {
  js::refuseInGlobalScope(js.isolate);
  auto target = client.get();  // "used after being disposed" comes first
  client.request.check(js);
  auto req = target.callRequest(capnp::MessageSize{64, 4});
  auto list = req.initMethodPath(path.size());
  for (uint i = 0; i < path.size(); i++) list.set(i, path[i]);
  // workers.js already prepared the arguments (prepareArgs).
  auto argsBuilder = req.initOperation().initCallWithArgs();
  writeJsValue(worker, js, args, argsBuilder, Preparation::ARGUMENT_LIST);
  // Until the call completes, its whole message (bodies of Requests and Responses passed as
  // arguments included) is native memory the caller's code keeps alive — a loop of calls nobody
  // awaits would otherwise hold any amount: counted against the caller's memory limit, with
  // what a call in flight costs besides its arguments.
  auto hold = worker.holdNative(js, argsBuilder.totalSize().wordCount * sizeof(capnp::word) +
                                        CALL_OVERHEAD);
  SendingFor sending(*account);
  auto result = kj::refcounted<RpcCallResult>(worker, req.send(), kj::mv(hold));
  result->request.bindToCurrent(js, "JsRpcPromise");
  return result;
}

kj::Own<RpcCallResult> RpcNatives::getProperty(js::Lock& js, RpcClient& client,
                                               kj::Array<kj::String> path) {
  js::refuseInGlobalScope(js.isolate);
  auto target = client.get();
  client.request.check(js);
  auto req = target.callRequest(capnp::MessageSize{32, 0});
  auto list = req.initMethodPath(path.size());
  for (uint i = 0; i < path.size(); i++) list.set(i, path[i]);
  req.initOperation().setGetProperty();
  auto hold = worker.holdNative(js, CALL_OVERHEAD);
  SendingFor sending(*account);
  auto result = kj::refcounted<RpcCallResult>(worker, req.send(), kj::mv(hold));
  result->request.bindToCurrent(js, "JsRpcPromise");
  return result;
}

kj::Own<RpcClient> RpcNatives::dup(RpcClient& client) {
  auto copy = kj::refcounted<RpcClient>(client.get(), client.scopeRef());
  copy->request = client.request;
  return copy;
}

kj::Own<RpcClient> RpcNatives::dupUnbound(RpcClient& client) {
  return kj::refcounted<RpcClient>(client.get());
}

kj::Own<RpcExternal> RpcNatives::external(js::Lock& js, v8::Local<v8::Value> value,
                                          kj::Maybe<kj::Own<RpcClient>> client) {
  return kj::refcounted<RpcExternal>(js, value, kj::mv(client));
}

kj::StringPtr RpcNatives::classify(js::Lock& js, v8::Local<v8::Value> value) {
  if (js::tryUnwrap<RpcClient>(js, value) != nullptr) return "client";
  if (js::tryUnwrap<NativeFetcher>(js, value) != nullptr) return "fetcher";
  if (js::tryUnwrap<RpcBlob>(js, value) != nullptr) return "blob";
  return "";
}

bool RpcNatives::isSerializableError(js::Lock& js, v8::Local<v8::Value> value) {
  return value->IsNativeError() || js::tryUnwrap<DomException>(js, value) != nullptr;
}

bool RpcNatives::isHostObject(v8::Local<v8::Value> value) {
  return value->IsObject() && value.As<v8::Object>()->InternalFieldCount() > 0;
}

kj::Own<RpcClient> RpcNatives::wrapLocal(js::Lock& js, v8::Local<v8::Value> value) {
  return kj::refcounted<RpcClient>(
      directClient<rpc::JsRpcTarget>(kj::heap<JsTargetServer>(kj::addRef(worker), js, value)));
}

kj::Own<RpcClient> RpcNatives::fetcherTarget(NativeFetcher& fetcher) {
  auto client = kj::refcounted<RpcClient>(fetcher.get().getTargetRequest().send().getTarget());
  client->request = fetcher.request;
  return client;
}

v8::Local<v8::Value> RpcBlob::getBytes(js::Lock& js) {
  auto buffer = js.newArrayBuffer(data.size());
  memcpy(buffer->GetBackingStore()->Data(), data.begin(), data.size());
  return v8::Uint8Array::New(buffer, 0, data.size());
}

void NativeByteStream::cancel() {
  KJ_IF_MAYBE(s, stream) {
    // Told, not just dropped: a read in flight keeps the source alive until it completes (a
    // socket's connection would stay open until its peer speaks).
    s->cancelRequest().send().detach([](kj::Exception&&) {});  // sources without it: dropped
  }
  stream = nullptr;
  tls = nullptr;
}

kj::Promise<kj::Maybe<kj::Array<kj::byte>>> NativeByteStream::read(double maxBytes) {
  KJ_IF_MAYBE(s, stream) {
    auto req = s->readRequest();
    req.setMaxBytes(api::chunkReadSize(maxBytes));
    return req.send().then([](capnp::Response<rpc::ByteStream::ReadResults> result)
                               -> kj::Maybe<kj::Array<kj::byte>> {
      auto data = result.getData();
      if (data.size() == 0) return nullptr;
      return kj::heapArray<kj::byte>(data);
    });
  }
  return kj::Maybe<kj::Array<kj::byte>>(nullptr);
}

void FetchCanceler::cancel() {
  canceled = true;
  KJ_IF_MAYBE(f, fulfiller) {
    (*f)->fulfill();
    fulfiller = nullptr;
  }
}

namespace {
class JsByteStreamServer final: public rpc::ByteStream::Server {
public:
  explicit JsByteStreamServer(kj::Own<JsBodySource> source): source(kj::mv(source)) {}

  kj::Promise<void> read(ReadContext context) override {
    uint32_t max = api::chunkReadSize(context.getParams().getMaxBytes());
    if (leftover.size() == 0) {
      if (ended) {
        context.getResults().setDone(true);
        return kj::READY_NOW;
      }
      return source->read().then([this, context](kj::Maybe<kj::Array<kj::byte>> chunk) mutable {
        KJ_IF_MAYBE(c, chunk) {
          leftover = kj::mv(*c);
          offset = 0;
        } else {
          ended = true;
        }
        return read(context);
      });
    }
    size_t n = kj::min(size_t(max), leftover.size() - offset);
    context.getResults().setData(leftover.slice(offset, offset + n));
    offset += n;
    if (offset == leftover.size()) leftover = nullptr;
    return kj::READY_NOW;
  }

private:
  kj::Own<JsBodySource> source;
  kj::Array<kj::byte> leftover;
  size_t offset = 0;
  bool ended = false;
};
}  // namespace

kj::Own<rpc::ByteStream::Server> byteStreamFrom(kj::Own<JsBodySource> source) {
  return kj::heap<JsByteStreamServer>(kj::mv(source));
}

v8::Local<v8::Promise> RpcNatives::fetch(js::Lock& js, NativeFetcher& fetcher,
                                         api::Request& request,
                                         kj::Maybe<kj::Own<FetchCanceler>> canceler,
                                         kj::Maybe<v8::Local<v8::Function>> bodyReader) {
  js::refuseInGlobalScope(js.isolate);
  fetcher.request.check(js);
  worker.countSubrequest();
  auto req = fetcher.get().fetchRequest();
  auto r = req.initRequest();
  r.setMethod(request.getMethod());
  r.setUrl(request.getUrl());
  r.setRedirect(request.getRedirect());
  auto pairs = request.headersRef().sortedPairs();
  auto headers = r.initHeaders(pairs.size());
  for (uint i = 0; i < pairs.size(); i++) {
    headers[i].setName(pairs[i].first);
    headers[i].setValue(pairs[i].second);
  }
  KJ_IF_MAYBE(next, bodyReader) {
    r.setHasBody(true);
    r.setBodyStream(byteStreamFrom(kj::heap<JsBodySource>(kj::addRef(worker), js.isolate, *next)));
  } else KJ_IF_MAYBE(body, request.takeContent()) {
    r.setHasBody(true);
    r.setBody(*body);
  }
  // The request's message is in flight until the response arrives: counted against the
  // caller's memory limit (fetches nobody awaits would otherwise hold any amount).
  auto hold = worker.holdNative(js, r.getBody().size() + CALL_OVERHEAD);
  uint64_t forRequest = js.base().currentRequest(js);  // the response's body belongs to it
  auto promise = req.send().attach(kj::mv(hold)).then([&worker = worker, forRequest](
      capnp::Response<rpc::Fetcher::FetchResults> results) {
    auto resp = results.getResponse();
    auto headers = kj::refcounted<api::Headers>();
    for (auto h: resp.getHeaders()) headers->appendUnchecked(h.getName(), h.getValue());
    kj::Maybe<kj::Array<kj::byte>> body;
    if (resp.getHasBody() && !resp.hasBodyStream()) body = kj::heapArray<kj::byte>(resp.getBody());
    auto response = kj::refcounted<api::Response>(resp.getStatus(), kj::str(resp.getStatusText()),
                                                  kj::mv(headers), kj::mv(body));
    response->request.bind(forRequest, api::Body::IO_TYPE);
    // A buffered body counts against the fetching worker's memory limit until it is read
    // (fetches nobody awaits could otherwise hold any amount).
    if (size_t size = response->countedContentSize()) {
      response->holdContentWith(worker.holdArrived(size));
      // A worker torn down (now or before) holds nothing more: the body is dropped.
      if (worker.limitExceeded() != LimitExceeded::NONE) {
        kj::throwFatalException(worker.limitException());
      }
    }
    if (resp.hasBodyStream()) {
      response->setBodySource(kj::refcounted<NativeByteStream>(resp.getBodyStream()));
    }
    return response;
  });
  KJ_IF_MAYBE(c, canceler) {
    promise = (*c)->cancelable(kj::mv(promise));
  }
  return js::Convert<kj::Promise<kj::Own<api::Response>>>::toJs(js, kj::mv(promise))
      .As<v8::Promise>();
}

namespace {
// Why a socket failed to open, for connect()'s `opened`: the outbound policy's refusals keep
// their words; any other failure (refused, DNS, no connect handler, a failed TLS handshake) is
// workerd's one message, not an internal error.
kj::Exception connectFailure(kj::Exception&& e) {
  auto description = e.getDescription();
  if (description.startsWith("js.") || strstr(description.cStr(), "jslocal.") != nullptr) {
    return kj::mv(e);
  }
  return KJ_EXCEPTION(FAILED,
                      "js.Error: proxy request failed, cannot connect to the specified address");
}
}  // namespace

v8::Local<v8::Promise> RpcNatives::startTls(js::Lock& js, NativeByteStream& down,
                                            kj::String hostname,
                                            v8::Local<v8::Function> upReader,
                                            v8::Local<v8::Function> upReleased) {
  KJ_IF_MAYBE(tls, down.tls) {
    auto req = tls->startTlsRequest();
    req.setExpectedServerHostname(hostname);
    req.setUp(byteStreamFrom(
        kj::heap<JsBodySource>(kj::addRef(worker), js.isolate, upReader, upReleased)));
    down.tls = nullptr;
    auto promise = req.send().then(
        [](capnp::Response<rpc::TlsUpgrade::StartTlsResults> results) {
          return kj::refcounted<NativeByteStream>(results.getDown());
        },
        [](kj::Exception&& e) -> kj::Own<NativeByteStream> {
          // A failed handshake (an untrusted certificate, a peer that does not speak TLS).
          kj::throwFatalException(connectFailure(kj::mv(e)));
        });
    return js::Convert<kj::Promise<kj::Own<NativeByteStream>>>::toJs(js, kj::mv(promise))
        .As<v8::Promise>();
  }
  js::throwError(js::ErrorType::TYPE_ERROR, "startTls can only be called once.");
}

v8::Local<v8::Promise> RpcNatives::connect(js::Lock& js, NativeFetcher& fetcher,
                                           kj::String address, kj::String secureTransport,
                                           v8::Local<v8::Function> upReader,
                                           v8::Local<v8::Function> upReleased) {
  js::refuseInGlobalScope(js.isolate);
  fetcher.request.check(js);
  worker.countSubrequest();
  auto req = fetcher.get().connectRequest();
  req.setAddress(address);
  req.setSecureTransport(secureTransport);
  req.setUp(byteStreamFrom(
      kj::heap<JsBodySource>(kj::addRef(worker), js.isolate, upReader, upReleased)));
  auto promise = req.send().then([](capnp::Response<rpc::Fetcher::ConnectResults> results) {
    auto down = kj::refcounted<NativeByteStream>(results.getDown());
    if (results.hasTls()) down->tls = results.getTls();
    return down;
  }, [](kj::Exception&& e) -> kj::Own<NativeByteStream> {
    kj::throwFatalException(connectFailure(kj::mv(e)));
  });
  return js::Convert<kj::Promise<kj::Own<NativeByteStream>>>::toJs(js, kj::mv(promise))
      .As<v8::Promise>();
}

// ---------------------------------------------------------------------------------------------

void installRpc(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal) {
  worker.installNative(js, internal, "rpc", kj::refcounted<RpcNatives>(worker));
  // Made now, so that they are in the startup snapshot rather than made by every dynamic
  // worker on its first request: its outbound Fetcher (installOutbound) and the `ctx` of its
  // first invocation (≈0.1 ms on a cold load's path).
  js.templateFor<NativeFetcher>();
  js.templateFor<api::ExecutionContext>();
  js.templateFor<api::Tracing>();
}

v8::Local<v8::Value> JsValueProps::read(Worker& worker, js::Lock& js) {
  return readJsValue(worker, js, message->getRoot<rpc::JsValue>().asReader());
}

kj::Own<JsValueProps> JsValueProps::write(Worker& worker, js::Lock& js,
                                          v8::Local<v8::Value> props) {
  auto message = kj::heap<capnp::MallocMessageBuilder>();
  writeJsValue(worker, js, props, message->initRoot<rpc::JsValue>(),
               Preparation::ALREADY_PREPARED);
  auto hold = worker.holdNative(js, message->sizeInWords() * sizeof(capnp::word));
  return kj::refcounted<JsValueProps>(kj::mv(message), kj::mv(hold));
}

kj::Own<NativeFetcher> RpcNatives::loopback(js::Lock& js, kj::Maybe<kj::String> entrypoint,
                                            kj::Maybe<v8::Local<v8::Value>> props) {
  kj::Maybe<kj::Own<PropsSource>> source;
  bool withProps = false;
  KJ_IF_MAYBE(p, props) {
    source = kj::Own<PropsSource>(JsValueProps::write(worker, js, *p));
    withProps = true;
  }
  auto fetcher = kj::refcounted<NativeFetcher>(
      entrypointFetcher(kj::addRef(worker), kj::mv(entrypoint), kj::mv(source)));
  // ctx.exports.X({ props }) is made for the request (ctx.exports.X itself is not).
  if (withProps) fetcher->request.bindToCurrent(js, "SubrequestChannel");
  return fetcher;
}

rpc::Fetcher::Client entrypointFetcher(kj::Own<Worker> worker, kj::Maybe<kj::String> entrypoint,
                                       kj::Maybe<kj::Own<PropsSource>> props,
                                       kj::Maybe<EntrypointLimits> limits) {
  return kj::heap<EntrypointFetcher>(kj::mv(worker), kj::mv(entrypoint), kj::mv(props),
                                     kj::mv(limits));
}

v8::Local<v8::Value> makeJsFetcher(Worker& worker, js::Lock& js, rpc::Fetcher::Client cap,
                                   NativeFetcher::Origin origin) {
  return wrapJsFetcher(worker, js, kj::refcounted<NativeFetcher>(kj::mv(cap), origin));
}

v8::Local<v8::Value> wrapJsFetcher(Worker& worker, js::Lock& js, kj::Own<NativeFetcher> fetcher) {
  v8::Local<v8::Value> args[] = {fetcher->wrap(js)};
  return callHook(worker, js, "makeFetcher", args);
}

}  // namespace loaderd
