// JS RPC over Cap'n Proto: the native half (the JavaScript half is runtime/builtins/workers.js).
//
// Values cross as V8-serialized bytes plus a table of capabilities (capnp/worker.capnp JsValue):
// functions, RpcTargets and stubs become JsRpcTarget capabilities; Fetchers become Fetcher
// capabilities. Every call between workers, in-process too, goes through these interfaces.
#pragma once

#include "direct-client.h"

#include "runtime/worker.h"
#include "runtime/serialize.h"
#include "capnp/worker.capnp.h"
#include <capnp/message.h>

namespace loaderd {

// The call that brought stubs in as parameters: they (and their dups) belong to it, and using
// them once it has ended is I/O on behalf of another request (as on workerd).
struct CallScope: public kj::Refcounted {
  bool ended = false;
};


// A stub's capability, held by the JS proxy made in workers.js.
class RpcClient final: public js::Object {
public:
  // A promise capability is wrapped so that calls made on it before it resolves carry the
  // caller's account (bindings/direct-client.h).
  explicit RpcClient(rpc::JsRpcTarget::Client cap, kj::Maybe<kj::Own<CallScope>> scope = nullptr)
      : cap(withDirectCalls<rpc::JsRpcTarget>(kj::mv(cap))), scope(kj::mv(scope)) {}
  // Throws "RPC stub used after being disposed.", or workerd's cross-request error for a
  // parameter stub's dup used after its call ended.
  rpc::JsRpcTarget::Client get();
  kj::Maybe<rpc::JsRpcTarget::Client> tryGet() { return cap; }
  void dispose() { cap = nullptr; }
  void bindTo(CallScope& call) { scope = kj::addRef(call); }
  kj::Maybe<kj::Own<CallScope>> scopeRef() {
    return scope.map([](kj::Own<CallScope>& s) { return kj::addRef(*s); });
  }
  js::RequestBinding request;

  LOADERD_JS_CLASS(RpcClient) {}

private:
  kj::Maybe<rpc::JsRpcTarget::Client> cap;
  kj::Maybe<kj::Own<CallScope>> scope;
};

// A Fetcher's capability (service binding, entrypoint), held by the JS proxy made in workers.js.
class NativeFetcher final: public js::Object {
public:
  enum class Origin { STATIC, DYNAMIC };
  explicit NativeFetcher(rpc::Fetcher::Client cap, Origin origin = Origin::STATIC)
      : cap(kj::mv(cap)), origin(origin) {}
  rpc::Fetcher::Client get() { return cap; }
  // An entrypoint of a dynamically loaded worker: it cannot be transferred (spec §3).
  bool isDynamic() const { return origin == Origin::DYNAMIC; }
  // Set for an entrypoint of a dynamic worker (WorkerStub::getEntrypoint()).
  js::RequestBinding request;

  LOADERD_JS_CLASS(NativeFetcher) {}

private:
  rpc::Fetcher::Client cap;
  Origin origin;
};

// A value that crosses by reference, marked by workers.js's prepare() for the serializer.
class RpcExternal final: public js::Object {
public:
  RpcExternal(js::Lock& js, v8::Local<v8::Value> value, kj::Maybe<kj::Own<RpcClient>> client)
      : value(js.isolate, value), client(kj::mv(client)) {}
  v8::Local<v8::Value> getValue(v8::Isolate* isolate) { return value.Get(isolate); }
  kj::Maybe<kj::Own<RpcClient>>& getClient() { return client; }

  LOADERD_JS_CLASS(RpcExternal) {}

private:
  v8::Global<v8::Value> value;
  kj::Maybe<kj::Own<RpcClient>> client;
};

// A Blob on its way through the serializer (workers.js prepare() makes one) or just out of the
// deserializer (workers.js revive() turns it into a Blob).
class RpcBlob final: public js::Object {
public:
  RpcBlob(kj::String type, kj::Array<kj::byte> data): type(kj::mv(type)), data(kj::mv(data)) {}
  kj::StringPtr getType() { return type; }
  v8::Local<v8::Value> getBytes(js::Lock& js);

  LOADERD_JS_CLASS(RpcBlob) {
    LOADERD_JS_READONLY(type, getType);
    LOADERD_JS_METHOD(getBytes);
  }

  const kj::String type;
  const kj::Array<kj::byte> data;
};

// The outcome of one call: awaitable once, pipelinable.
class RpcCallResult final: public js::Object {
public:
  // `hold` (what the call carries, counted against the caller's memory limit) is released when
  // the call completes.
  explicit RpcCallResult(Worker& worker,
                         capnp::RemotePromise<rpc::JsRpcTarget::CallResults> remote,
                         kj::Own<void> hold = kj::Own<void>())
      : worker(worker),
        pipelineSource(kj::mv(static_cast<rpc::JsRpcTarget::CallResults::Pipeline&>(remote))),
        response(kj::mv(static_cast<kj::Promise<capnp::Response<rpc::JsRpcTarget::CallResults>>&>(
            remote)).attach(kj::mv(hold))) {}
  ~RpcCallResult() noexcept(false) { abandon(); }

  v8::Local<v8::Promise> promise(js::Lock& js);
  kj::Own<RpcClient> pipeline();
  // The request that made the call: its pipelined stubs belong to it (workerd's JsRpcPromise).
  js::RequestBinding request;
  void dispose();

  LOADERD_JS_CLASS(RpcCallResult) {
    LOADERD_JS_METHOD(promise);
    LOADERD_JS_METHOD(pipeline);
    LOADERD_JS_METHOD(dispose);
  }

private:
  // A call nobody awaits still runs to its end: its response goes to the worker's tasks.
  void abandon();

  Worker& worker;
  // The result's capability is made only when JavaScript pipelines on the call (reads a
  // property or calls the result before it arrived): a promise capability costs several
  // allocations and a forked promise to make and to drop, and most calls are simply awaited.
  kj::Maybe<rpc::JsRpcTarget::CallResults::Pipeline> pipelineSource;
  kj::Maybe<rpc::JsRpcTarget::Client> pipelineCap;
  kj::Maybe<kj::Promise<capnp::Response<rpc::JsRpcTarget::CallResults>>> response;
};

// `internal.rpc` in workers.js.
// Cancels one fetch() through a Fetcher when its AbortSignal fires: the Cap'n Proto call (and
// with it the HTTP request or the callee's invocation) is dropped.
class FetchCanceler final: public js::Object {
public:
  void cancel();
  // `promise`, or a rejection as soon as cancel() is called.
  template <typename T>
  kj::Promise<T> cancelable(kj::Promise<T> promise) {
    if (canceled) return KJ_EXCEPTION(DISCONNECTED, "jslocal.AbortError: The operation was aborted");
    auto paf = kj::newPromiseAndFulfiller<void>();
    fulfiller = kj::mv(paf.fulfiller);
    return promise.exclusiveJoin(paf.promise.then([]() -> kj::Promise<T> {
      return KJ_EXCEPTION(DISCONNECTED, "jslocal.AbortError: The operation was aborted");
    }));
  }

  LOADERD_JS_CLASS(FetchCanceler) {
    LOADERD_JS_METHOD(cancel);
  }

private:
  bool canceled = false;
  kj::Maybe<kj::Own<kj::PromiseFulfiller<void>>> fulfiller;
};

// A body arriving through a ByteStream capability (a response from the internet), read by the
// builtins chunk by chunk as the Response's stream body.
class NativeByteStream final: public js::Object {
public:
  explicit NativeByteStream(rpc::ByteStream::Client stream): stream(kj::mv(stream)) {}
  // The next chunk of at most `maxBytes` bytes, or null at the end.
  kj::Promise<kj::Maybe<kj::Array<kj::byte>>> read(double maxBytes);
  // Abandons the transfer (the connection is closed).
  void cancel();
  // A "starttls" socket's (RpcNatives::connect()): what upgrades its connection to TLS.
  kj::Maybe<rpc::TlsUpgrade::Client> tls;

  LOADERD_JS_CLASS(NativeByteStream) {
    LOADERD_JS_METHOD(read);
    LOADERD_JS_METHOD(cancel);
  }

private:
  kj::Maybe<rpc::ByteStream::Client> stream;
};

// The request a socket was made for (sockets.js), checked where JavaScript reads or writes it:
// workerd's I/O types for the two sides.
class SocketBinding final: public js::Object {
public:
  explicit SocketBinding(js::Lock& js) {
    readable.bindToCurrent(js, "ReadableStreamSource>");
    writable.bindToCurrent(js, "Writable");
  }
  void checkReadable(js::Lock& js) { readable.check(js); }
  void checkWritable(js::Lock& js) { writable.check(js); }

  LOADERD_JS_CLASS(SocketBinding) {
    LOADERD_JS_METHOD(checkReadable);
    LOADERD_JS_METHOD(checkWritable);
  }

private:
  js::RequestBinding readable, writable;
};

// A body JavaScript produces (JsBodySource), served as a ByteStream to another worker or to the
// internet outbound.
kj::Own<rpc::ByteStream::Server> byteStreamFrom(kj::Own<JsBodySource> source);

class RpcNatives final: public js::Object {
public:
  explicit RpcNatives(Worker& worker);

  kj::Own<RpcCallResult> call(js::Lock& js, RpcClient& client, kj::Array<kj::String> path,
                              v8::Local<v8::Value> args);
  kj::Own<RpcCallResult> getProperty(js::Lock& js, RpcClient& client,
                                     kj::Array<kj::String> path);
  kj::Own<RpcClient> dup(RpcClient& client);
  // A dup that belongs to no call (the builtins' own references, e.g. a stream being read).
  kj::Own<RpcClient> dupUnbound(RpcClient& client);
  void dispose(RpcClient& client) { client.dispose(); }
  kj::Own<RpcExternal> external(js::Lock& js, v8::Local<v8::Value> value,
                                kj::Maybe<kj::Own<RpcClient>> client);
  bool isHostObject(v8::Local<v8::Value> value);
  // An object V8's serializer copies as an error: a native Error (not one that only inherits
  // from Error.prototype) or a DOMException.
  bool isSerializableError(js::Lock& js, v8::Local<v8::Value> value);
  kj::Own<RpcBlob> blobValue(kj::String type, kj::Array<kj::byte> bytes) {
    return kj::refcounted<RpcBlob>(kj::mv(type), kj::mv(bytes));
  }
  // "client", "fetcher", "blob" or "" (for workers.js revive()).
  kj::StringPtr classify(js::Lock& js, v8::Local<v8::Value> value);
  bool isDynamicFetcher(NativeFetcher& fetcher) { return fetcher.isDynamic(); }
  kj::Own<RpcClient> wrapLocal(js::Lock& js, v8::Local<v8::Value> value);
  kj::Own<RpcClient> fetcherTarget(NativeFetcher& fetcher);
  // A Fetcher to this worker's own entrypoint (ctx.exports), with optional props.
  kj::Own<NativeFetcher> loopback(js::Lock& js, kj::Maybe<kj::String> entrypoint,
                                  kj::Maybe<v8::Local<v8::Value>> props);
  // `bodyReader` (workers.js bodyReader()) streams a request body JavaScript still produces.
  v8::Local<v8::Promise> fetch(js::Lock& js, NativeFetcher& fetcher, api::Request& request,
                               kj::Maybe<kj::Own<FetchCanceler>> canceler,
                               kj::Maybe<v8::Local<v8::Function>> bodyReader);
  kj::Own<FetchCanceler> canceler() { return kj::refcounted<FetchCanceler>(); }
  // connect() from `cloudflare:sockets` through `fetcher` (the worker's outbound, or a Fetcher
  // binding): resolves, once the connection is open, to what arrives on it; `upReader`
  // (sockets.js: () -> Promise<Uint8Array | null>) gives what to send, null at the end.
  // `upReleased` runs once the connection will read no more of it (it ended, or went away).
  v8::Local<v8::Promise> connect(js::Lock& js, NativeFetcher& fetcher, kj::String address,
                                 kj::String secureTransport, v8::Local<v8::Function> upReader,
                                 v8::Local<v8::Function> upReleased);
  kj::Own<SocketBinding> socketBinding(js::Lock& js) { return kj::refcounted<SocketBinding>(js); }
  // startTls() of a "starttls" socket, once nothing it wrote is still in flight: resolves to
  // what arrives on the connection as TLS; `upReader` gives what to send through it.
  v8::Local<v8::Promise> startTls(js::Lock& js, NativeByteStream& down, kj::String hostname,
                                  v8::Local<v8::Function> upReader,
                                  v8::Local<v8::Function> upReleased);
  // The NativeByteStream of a fetched Response whose body is still arriving, once; else
  // undefined.
  v8::Local<v8::Value> takeBodySource(js::Lock& js, api::Response& response) {
    KJ_IF_MAYBE(source, response.takeBodySource()) { return (*source)->wrap(js); }
    return js.undefined();
  }

  LOADERD_JS_CLASS(RpcNatives) {
    LOADERD_JS_METHOD(call);
    LOADERD_JS_METHOD(getProperty);
    LOADERD_JS_METHOD(dup);
    LOADERD_JS_METHOD(dupUnbound);
    LOADERD_JS_METHOD(dispose);
    LOADERD_JS_METHOD(external);
    LOADERD_JS_METHOD(isHostObject);
    LOADERD_JS_METHOD(isSerializableError);
    LOADERD_JS_METHOD(blobValue);
    LOADERD_JS_METHOD(classify);
    LOADERD_JS_METHOD(isDynamicFetcher);
    LOADERD_JS_METHOD(wrapLocal);
    LOADERD_JS_METHOD(fetcherTarget);
    LOADERD_JS_METHOD(loopback);
    LOADERD_JS_METHOD(fetch);
    LOADERD_JS_METHOD(connect);
    LOADERD_JS_METHOD(socketBinding);
    LOADERD_JS_METHOD(startTls);
    LOADERD_JS_METHOD(canceler);
    LOADERD_JS_METHOD(takeBodySource);
  }

private:
  Worker& worker;
  kj::Own<CallerAccount> account;  // this worker, as the callee side of its calls sees it
};

// Installs `internal.rpc` (pass as WorkerSpec::extendInternal).
void installRpc(Worker& worker, js::Lock& js, v8::Local<v8::Object> internal);

// ctx.props kept as a JsValue message (Fetchers in it stay capabilities).
class JsValueProps final: public PropsSource {
public:
  JsValueProps(kj::Own<capnp::MallocMessageBuilder> message, kj::Own<void> hold)
      : message(kj::mv(message)), hold(kj::mv(hold)) {}
  v8::Local<v8::Value> read(Worker& worker, js::Lock& js) override;
  // Serializes `props` (already checked by workers.js prepareEnv()) in `worker`'s isolate. The
  // message is counted against `worker`'s memory limit for as long as it is kept (with the
  // Fetcher it was given to): up to 32 MiB each, outside the heap.
  static kj::Own<JsValueProps> write(Worker& worker, js::Lock& js, v8::Local<v8::Value> props);

private:
  kj::Own<capnp::MallocMessageBuilder> message;
  kj::Own<void> hold;
};

// The Fetcher capability of one entrypoint of `worker` (nullptr: default).
// `limits` (getEntrypoint's) cap the invocations made through it.
rpc::Fetcher::Client entrypointFetcher(kj::Own<Worker> worker, kj::Maybe<kj::String> entrypoint,
                                       kj::Maybe<kj::Own<PropsSource>> props,
                                       kj::Maybe<EntrypointLimits> limits = nullptr);

// Wraps a Fetcher capability as the JS Fetcher object of `worker`'s isolate.
v8::Local<v8::Value> makeJsFetcher(Worker& worker, js::Lock& js, rpc::Fetcher::Client cap,
                                   NativeFetcher::Origin origin = NativeFetcher::Origin::STATIC);
v8::Local<v8::Value> wrapJsFetcher(Worker& worker, js::Lock& js, kj::Own<NativeFetcher> fetcher);

// Serializes a JS value for RPC (externals become capabilities owned by `worker`). RPC
// arguments and results pass functions and RpcTargets by reference (PREPARE_FOR_RPC); env and
// props were already checked by workers.js prepareEnv() (ALREADY_PREPARED), where a function
// is a DataCloneError. A call's arguments were prepared by workers.js prepareArgs() as an
// array of its own (ARGUMENT_LIST), which has a fast path when they are all primitives.
enum class Preparation { PREPARE_FOR_RPC, ALREADY_PREPARED, ARGUMENT_LIST };
// `valueStub`, if given, receives the stub that `value` itself became (an RpcTarget, a function
// or a stub at the top level), so that a call's pipeline can be that same capability.
void writeJsValue(Worker& worker, js::Lock& js, v8::Local<v8::Value> value,
                  rpc::JsValue::Builder builder,
                  Preparation preparation = Preparation::PREPARE_FOR_RPC,
                  kj::Maybe<rpc::JsRpcTarget::Client>* valueStub = nullptr);
// Reads a JS value; stubs created for its externals are appended to `createdStubs` if given
// (parameter stubs are disposed when the call completes). Its stubs, Requests and Responses
// belong to request `bindTo` (js::IsolateBase::enterRequest(); 0: none).
v8::Local<v8::Value> readJsValue(Worker& worker, js::Lock& js, rpc::JsValue::Reader reader,
                                 kj::Vector<kj::Own<RpcClient>>* createdStubs = nullptr,
                                 uint64_t bindTo = 0);

// Converts a thrown JS value into the KJ exception that carries it to the caller, and back.
kj::Exception tunnelException(Worker& worker, js::Lock& js, v8::Local<v8::Value> exception);
v8::Local<v8::Value> untunnelException(Worker& worker, js::Lock& js,
                                       const kj::Exception& exception);

}  // namespace loaderd
