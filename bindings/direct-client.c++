#include "direct-client.h"

#include <capnp/message.h>
#include <kj/debug.h>
#include <kj/refcount.h>
#include <kj/vector.h>
#include <cstring>

namespace loaderd {

namespace {

using capnp::AnyPointer;

// The call context and pipeline interfaces both have an addRef() returning their own type; these
// give them distinct names so that one object can be both.
class ContextHookBase: public capnp::CallContextHook {
public:
  kj::Own<capnp::CallContextHook> addRef() override { return addContextRef(); }
  virtual kj::Own<capnp::CallContextHook> addContextRef() = 0;
};

class PipelineHookBase: public capnp::PipelineHook {
public:
  kj::Own<capnp::PipelineHook> addRef() override { return addPipelineRef(); }
  virtual kj::Own<capnp::PipelineHook> addPipelineRef() = 0;
};

thread_local CallerAccount* currentCaller = nullptr;

// Results this large count against the caller's memory; smaller ones are covered by what the
// caller counts for the call itself.
constexpr size_t COUNTED_RESULTS = 16384;

// The capability at `ops` in a call's results, once `completion` (the call's) resolves.
kj::Own<capnp::ClientHook> capabilityAfter(kj::Promise<void> completion,
                                           kj::Own<capnp::CallContextHook> context,
                                           kj::ArrayPtr<const capnp::PipelineOp> ops) {
  return capnp::newLocalPromiseClient(completion.then(
      [context = kj::mv(context), ops = kj::heapArray(ops)]() mutable {
        return context->getResults(capnp::MessageSize{0, 0}).asReader().getPipelinedCap(ops);
      }));
}

// Words of each message's first segment kept inside the call: a JS RPC call's parameters and
// results (method path, a few serialized values) usually fit, so neither message allocates.
constexpr size_t INLINE_WORDS = 64;

// One call on a DirectClient: the request being built, then (once sent) the server's call
// context and the pipeline on its results (the caller's response is a `Reading` of it).
class DirectCall final: public ContextHookBase, public PipelineHookBase, public capnp::RequestHook,
                        public kj::Refcounted {
public:
  // `server` is null for a call on a capability that is still a promise: it is then sent
  // through the promise's own queue (which keeps calls in order) and delivered by the
  // DirectClient it resolves to (deliverOn()), or by whatever else it resolves to.
  DirectCall(kj::Own<capnp::ClientHook> client, capnp::Capability::Server* server,
             uint64_t interfaceId, uint16_t methodId)
      : client(kj::mv(client)), server(server), interfaceId(interfaceId), methodId(methodId) {
    // MallocMessageBuilder requires zeroed space and zeroes what it used when destroyed.
    memset(paramsSpace, 0, sizeof(paramsSpace));
    memset(resultsSpace, 0, sizeof(resultsSpace));
    params.emplace(kj::arrayPtr(paramsSpace, INLINE_WORDS));
  }

  AnyPointer::Builder paramsRoot() {
    return KJ_ASSERT_NONNULL(params).getRoot<AnyPointer>();
  }

  // RequestHook

  capnp::RemotePromise<AnyPointer> send() override {
    KJ_REQUIRE(!sent, "Already called send() on this request.");
    sent = true;
    if (currentCaller != nullptr) caller = kj::addRef(*currentCaller);
    kj::Promise<void> delivered = nullptr;
    if (server == nullptr) {
      // The promise capability queues this call (this object is the call's context) and
      // forwards it when it resolves, in order with every other call made on it.
      delivered = KJ_ASSERT_NONNULL(client)->call(interfaceId, methodId, addContextRef()).promise;
    } else {
      // Delivered on a later turn of the event loop, so the callee has no effect before the
      // caller has its promise (and calls sent in order are delivered in order).
      delivered = kj::evalLater([self = kj::addRef(*this)]() mutable { return self->deliver(); });
    }
    auto promise =
        delivered
            .then(
                [settler = Settler{kj::addRef(*this)}]() mutable {
                  auto self = kj::mv(settler.call);
                  self->settle(nullptr);
                  auto reader = self->resultsBuilder().asReader();
                  // Results stop counting against the caller once it has read them (dropped
                  // the response); pipelining on them may keep the call a while longer.
                  return capnp::Response<AnyPointer>(reader, kj::heap<Reading>(kj::mv(self)));
                },
                // `this` is kept alive by the success handler's Settler, which lives in the same
                // promise node.
                [this](kj::Exception&& exception) -> capnp::Response<AnyPointer> {
                  settle(exception);
                  kj::throwFatalException(kj::mv(exception));
                })
            // Delivered whether or not the caller waits for the response (a call nobody
            // awaits, a call only pipelined on).
            .eagerlyEvaluate(nullptr);
    return capnp::RemotePromise<AnyPointer>(kj::mv(promise), AnyPointer::Pipeline(addPipelineRef()));
  }

  kj::Promise<void> sendStreaming() override { return send().ignoreResult(); }

  const void* getBrand() override { return nullptr; }

  // CallContextHook

  AnyPointer::Reader getParams() override {
    KJ_IF_MAYBE(p, params) {
      return p->getRoot<AnyPointer>().asReader();
    }
    KJ_FAIL_REQUIRE("Can't call getParams() after releaseParams().");
  }

  void releaseParams() override { params = nullptr; }

  AnyPointer::Builder getResults(kj::Maybe<capnp::MessageSize>) override {
    return resultsBuilder();
  }

  kj::Promise<void> tailCall(kj::Own<capnp::RequestHook>&& request) override {
    // The tail call's results are copied into this call's (capabilities included).
    return request->send().then([self = kj::addRef(*this)](capnp::Response<AnyPointer> response) mutable {
      self->resultsBuilder().set(response);
    });
  }

  capnp::ClientHook::VoidPromiseAndPipeline directTailCall(
      kj::Own<capnp::RequestHook>&& request) override {
    return {tailCall(kj::mv(request)), addPipelineRef()};
  }

  kj::Promise<AnyPointer::Pipeline> onTailCall() override { return kj::NEVER_DONE; }

  // A local call is not cancelled by the server's permission but by its caller dropping it.
  void allowCancellation() override {}

  // Pipelined capabilities wait for the whole call (see the header).
  void setPipeline(kj::Own<capnp::PipelineHook>&&) override {}

  kj::Own<capnp::CallContextHook> addContextRef() override { return kj::addRef(*this); }

  // PipelineHook

  kj::Own<capnp::PipelineHook> addPipelineRef() override { return kj::addRef(*this); }

  // Delivers to `target` a call that was sent on a promise capability which resolved to it.
  kj::Promise<void> deliverOn(capnp::Capability::Server& target) {
    server = &target;
    return deliver();
  }

  kj::Own<capnp::ClientHook> getPipelinedCap(kj::ArrayPtr<const capnp::PipelineOp> ops) override {
    if (done) return resultsBuilder().asReader().getPipelinedCap(ops);
    KJ_IF_MAYBE(e, failure) {
      return capnp::newBrokenCap(kj::cp(*e));
    }
    auto paf = kj::newPromiseAndFulfiller<void>();
    waiting.add(kj::mv(paf.fulfiller));
    return capabilityAfter(kj::mv(paf.promise), addContextRef(), ops);
  }

private:
  // Settles the call as canceled if the send() chain is dropped before it completes (pipelined
  // capabilities handed out would otherwise wait forever).
  struct Settler {
    kj::Own<DirectCall> call;
    Settler(kj::Own<DirectCall> call): call(kj::mv(call)) {}
    Settler(Settler&&) = default;
    ~Settler() noexcept(false) {
      if (call.get() != nullptr && !call->done && call->failure == nullptr) {
        call->settle(KJ_EXCEPTION(DISCONNECTED, "the call was canceled"));
      }
    }
  };
  // The caller's response: while it exists, large results count against the caller.
  struct Reading final: public capnp::ResponseHook {
    explicit Reading(kj::Own<DirectCall> call): call(kj::mv(call)) {}
    ~Reading() noexcept(false) {
      call->resultsHold = nullptr;
      call->countedBytes = 0;
    }
    kj::Own<DirectCall> call;
  };

  // Keeps `server` (or the promise capability the call was sent on) alive until the call
  // completes.
  kj::Maybe<kj::Own<capnp::ClientHook>> client;
  capnp::Capability::Server* server;
  uint64_t interfaceId;
  uint16_t methodId;
  bool sent = false;
  bool done = false;
  kj::Maybe<kj::Exception> failure;
  kj::Vector<kj::Own<kj::PromiseFulfiller<void>>> waiting;  // pipelined capabilities
  kj::Maybe<kj::Own<CallerAccount>> caller;
  kj::Own<void> resultsHold;  // the results, counted against the caller's memory
  size_t countedBytes = 0;

  // Before the builders: they write zeros over these when destroyed.
  capnp::word paramsSpace[INLINE_WORDS];
  capnp::word resultsSpace[INLINE_WORDS];
  kj::Maybe<capnp::MallocMessageBuilder> params;
  kj::Maybe<capnp::MallocMessageBuilder> results;
  AnyPointer::Builder resultsRoot = nullptr;

  kj::Promise<void> deliver() {
    KJ_IF_MAYBE(c, caller) {
      if ((*c)->gone()) return KJ_EXCEPTION(DISCONNECTED, "the caller is gone");
    }
    auto promise =
        server->dispatchCall(interfaceId, methodId, capnp::CallContext<AnyPointer, AnyPointer>(*this))
            .promise;
    // Most servers have written their results by now; counted at once, since the calls queued
    // behind this one are delivered before it completes (a turn of the event loop later).
    countResults();
    return promise;
  }

  void countResults() {
    KJ_IF_MAYBE(c, caller) {
      KJ_IF_MAYBE(r, results) {
        size_t bytes = r->sizeInWords() * sizeof(capnp::word);
        // Counted when the server returns and again at completion, if the results grew.
        if (bytes >= COUNTED_RESULTS && bytes != countedBytes) {
          resultsHold = nullptr;
          resultsHold = (*c)->holdResults(bytes);
          countedBytes = bytes;
        }
      }
    }
  }

  AnyPointer::Builder resultsBuilder() {
    if (results == nullptr) {
      resultsRoot = results.emplace(kj::arrayPtr(resultsSpace, INLINE_WORDS)).getRoot<AnyPointer>();
    }
    return resultsRoot;
  }

  void settle(kj::Maybe<const kj::Exception&> exception) {
    // The parameters (and capabilities passed in them) and the target are released when the
    // call completes, not when the caller drops the response or the pipeline: a target's
    // last reference going away is observable (an RpcTarget's [Symbol.dispose]()).
    params = nullptr;
    client = nullptr;
    KJ_IF_MAYBE(e, exception) {
      failure = kj::cp(*e);
      for (auto& f: waiting) f->reject(kj::cp(*e));
    } else {
      done = true;
      countResults();
      for (auto& f: waiting) f->fulfill();
    }
    waiting.clear();
  }
};

// The pipeline of a call that came through call() (from a promise capability that resolved to
// a DirectClient, or from another process): pipelined capabilities wait for the call.
class AfterCallPipeline final: public capnp::PipelineHook, public kj::Refcounted {
public:
  AfterCallPipeline(kj::Promise<void> completion, kj::Own<capnp::CallContextHook> context)
      : completion(completion.fork()), context(kj::mv(context)) {}

  kj::Own<capnp::PipelineHook> addRef() override { return kj::addRef(*this); }

  kj::Own<capnp::ClientHook> getPipelinedCap(kj::ArrayPtr<const capnp::PipelineOp> ops) override {
    return capabilityAfter(completion.addBranch(), context->addRef(), ops);
  }

private:
  kj::ForkedPromise<void> completion;
  kj::Own<capnp::CallContextHook> context;
};

class DirectClient final: public capnp::ClientHook, public kj::Refcounted {
public:
  explicit DirectClient(kj::Own<capnp::Capability::Server> server): server(kj::mv(server)) {}

  capnp::Request<AnyPointer, AnyPointer> newCall(uint64_t interfaceId, uint16_t methodId,
                                                 kj::Maybe<capnp::MessageSize>) override {
    auto call = kj::refcounted<DirectCall>(kj::addRef(*this), server.get(), interfaceId, methodId);
    auto root = call->paramsRoot();
    return capnp::Request<AnyPointer, AnyPointer>(root, kj::mv(call));
  }

  VoidPromiseAndPipeline call(uint64_t interfaceId, uint16_t methodId,
                              kj::Own<capnp::CallContextHook>&& context) override {
    KJ_IF_MAYBE(direct, kj::dynamicDowncastIfAvailable<DirectCall>(*context)) {
      // A DirectCall sent on a promise capability that resolved to this client: delivered as
      // any DirectCall is, with its caller's account. It settles itself when this completes.
      auto call = kj::addRef(*direct);
      auto pipeline = call->addPipelineRef();
      auto delivered = kj::evalLater([self = kj::addRef(*this), call = kj::mv(call)]() mutable {
        return call->deliverOn(*self->server).attach(kj::mv(self));
      });
      return {kj::mv(delivered), kj::mv(pipeline)};
    }
    auto* contextPtr = context.get();
    auto forked = kj::evalLater([self = kj::addRef(*this), interfaceId, methodId, contextPtr]() mutable {
                    return self->server
                        ->dispatchCall(interfaceId, methodId,
                                       capnp::CallContext<AnyPointer, AnyPointer>(*contextPtr))
                        .promise;
                  })
                      .then(
                          // As LocalClient does: the parameters (and capabilities in them) go
                          // when the call completes.
                          [c = context->addRef()]() mutable { c->releaseParams(); },
                          [c = context->addRef()](kj::Exception&& e) mutable {
                            c->releaseParams();
                            kj::throwFatalException(kj::mv(e));
                          })
                      .attach(context->addRef())
                      .fork();
    auto pipeline = kj::refcounted<AfterCallPipeline>(forked.addBranch(), context->addRef());
    return {forked.addBranch().attach(kj::mv(context)), kj::mv(pipeline)};
  }

  kj::Maybe<capnp::ClientHook&> getResolved() override { return nullptr; }
  kj::Maybe<kj::Promise<kj::Own<capnp::ClientHook>>> whenMoreResolved() override {
    return nullptr;
  }
  kj::Own<capnp::ClientHook> addRef() override { return kj::addRef(*this); }
  const void* getBrand() override { return nullptr; }
  kj::Maybe<int> getFd() override { return server->getFd(); }

private:
  kj::Own<capnp::Capability::Server> server;
};

// A promise capability whose calls are DirectCalls: they carry their caller's account through
// the promise's queue to the DirectClient it resolves to (capnp's own request for a promise
// capability would reach it as a call with no caller).
class PromiseClient final: public capnp::ClientHook, public kj::Refcounted {
public:
  explicit PromiseClient(kj::Own<capnp::ClientHook> inner): inner(kj::mv(inner)) {}

  static const int BRAND;

  capnp::Request<AnyPointer, AnyPointer> newCall(uint64_t interfaceId, uint16_t methodId,
                                                 kj::Maybe<capnp::MessageSize>) override {
    auto call = kj::refcounted<DirectCall>(inner->addRef(), nullptr, interfaceId, methodId);
    auto root = call->paramsRoot();
    return capnp::Request<AnyPointer, AnyPointer>(root, kj::mv(call));
  }
  VoidPromiseAndPipeline call(uint64_t interfaceId, uint16_t methodId,
                              kj::Own<capnp::CallContextHook>&& context) override {
    return inner->call(interfaceId, methodId, kj::mv(context));
  }
  kj::Maybe<capnp::ClientHook&> getResolved() override { return inner->getResolved(); }
  kj::Maybe<kj::Promise<kj::Own<capnp::ClientHook>>> whenMoreResolved() override {
    return inner->whenMoreResolved();
  }
  kj::Own<capnp::ClientHook> addRef() override { return kj::addRef(*this); }
  const void* getBrand() override { return &BRAND; }
  kj::Maybe<int> getFd() override { return inner->getFd(); }

private:
  kj::Own<capnp::ClientHook> inner;
};

const int PromiseClient::BRAND = 0;

}  // namespace

SendingFor::SendingFor(CallerAccount& account): previous(currentCaller) {
  currentCaller = &account;
}

SendingFor::~SendingFor() {
  currentCaller = previous;
}


kj::Own<capnp::ClientHook> newDirectClient(kj::Own<capnp::Capability::Server> server) {
  return kj::refcounted<DirectClient>(kj::mv(server));
}

kj::Own<capnp::ClientHook> withDirectCalls(kj::Own<capnp::ClientHook> hook) {
  if (hook->getBrand() == &PromiseClient::BRAND || hook->getResolved() != nullptr ||
      hook->whenMoreResolved() == nullptr) {
    return hook;  // already wrapped, resolved, or no promise at all
  }
  return kj::refcounted<PromiseClient>(kj::mv(hook));
}

}  // namespace loaderd
