// DirectClient against the semantics JS RPC relies on: delivery order and timing, pipelining
// before and after completion, errors reaching pipelined capabilities, the generic call() path
// through a promise capability, cancellation by dropping, tail calls, and the caller account.
#include "direct-client.h"

#include "capnp/worker.capnp.h"
#include <gtest/gtest.h>
#include <kj/async.h>
#include <kj/debug.h>
#include <memory>
#include <kj/vector.h>

namespace loaderd {
namespace {

using Target = rpc::JsRpcTarget;

// Records each call's first path element ("<prefix><name>"); "fail" throws, "big" returns 64 KiB,
// "later" completes when `release` is fulfilled, "tail" tail-calls `next` with method "t".
class Recorder final: public Target::Server {
public:
  Recorder(kj::Vector<kj::String>& log, kj::String prefix): log(log), prefix(kj::mv(prefix)) {}

  kj::Maybe<Target::Client> next;
  kj::Maybe<kj::ForkedPromise<void>> release;

  kj::Promise<void> call(CallContext context) override {
    auto path = context.getParams().getMethodPath();
    auto name = kj::str(path.size() > 0 ? path[0] : "");
    log.add(kj::str(prefix, name));
    if (name == "fail") return KJ_EXCEPTION(FAILED, "failed on purpose");
    if (name == "tail") {
      auto req = KJ_ASSERT_NONNULL(next).callRequest();
      req.initMethodPath(1).set(0, "t");
      req.initOperation().setGetProperty();
      return context.tailCall(kj::mv(req));
    }
    bool later = name == "later";
    auto finish = [this, context, name = kj::mv(name)]() mutable {
      auto results = context.getResults();
      if (name == "big") {
        results.initResult().initV8Serialized(64 * 1024);
      } else {
        results.initResult().setV8Serialized(name.asBytes());
      }
      results.setCallPipeline(
          directClient<Target>(kj::heap<Recorder>(log, kj::str(prefix, name, "."))));
    };
    if (later) {
      return KJ_ASSERT_NONNULL(release).addBranch().then(kj::mv(finish));
    }
    finish();
    return kj::READY_NOW;
  }

private:
  kj::Vector<kj::String>& log;
  kj::String prefix;
};

capnp::RemotePromise<Target::CallResults> send(Target::Client& client, kj::StringPtr name) {
  auto req = client.callRequest();
  req.initMethodPath(1).set(0, name);
  req.initOperation().setGetProperty();
  return req.send();
}

kj::String valueOf(capnp::Response<Target::CallResults>& response) {
  auto bytes = response.getResult().getV8Serialized();
  return kj::heapString(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

kj::String joined(kj::Vector<kj::String>& log) {
  return kj::strArray(log, ",");
}

struct Loop {
  kj::EventLoop loop;
  kj::WaitScope waitScope{loop};
};

struct Fixture: public testing::Test {
  // Held by pointer: KJ's destructors may throw, gtest's fixture destructor may not.
  std::unique_ptr<Loop> events = std::make_unique<Loop>();
  kj::WaitScope& waitScope = events->waitScope;
  kj::Vector<kj::String> log;
  ~Fixture() noexcept override {}

  kj::String waitValue(capnp::RemotePromise<Target::CallResults>&& promise) {
    auto response = promise.wait(waitScope);
    return valueOf(response);
  }
  kj::String waitValue(capnp::RemotePromise<Target::CallResults>& promise) {
    return waitValue(kj::mv(promise));
  }
};

TEST_F(Fixture, DeliversInOrderAfterSendReturns) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto a = send(client, "a");
  auto b = send(client, "b");
  EXPECT_EQ(log.size(), 0u);  // nothing runs inside send()
  EXPECT_EQ(waitValue(b), "b");
  EXPECT_EQ(waitValue(a), "a");
  EXPECT_EQ(joined(log), "a,b");
}

TEST_F(Fixture, RunsCallsNobodyWaitsFor) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto kept = send(client, "unawaited");
  send(client, "marker").wait(waitScope);
  EXPECT_EQ(joined(log), "unawaited,marker");
}

TEST_F(Fixture, DroppingThePromiseBeforeDeliveryCancelsTheCall) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  { auto dropped = send(client, "dropped"); }
  send(client, "marker").wait(waitScope);
  EXPECT_EQ(joined(log), "marker");
}

TEST_F(Fixture, PipelinesBeforeAndAfterCompletion) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto first = send(client, "x");
  Target::Client early = first.getCallPipeline();  // before the call is delivered
  auto viaEarly = send(early, "y");
  first.wait(waitScope);
  EXPECT_EQ(waitValue(viaEarly), "y");

  auto second = send(client, "p");
  auto secondResponse = second.wait(waitScope);
  Target::Client late = second.getCallPipeline();  // after it completed
  EXPECT_EQ(waitValue(send(late, "q")), "q");
  EXPECT_EQ(joined(log), "x,x.y,p,p.q");
}

TEST_F(Fixture, ErrorsReachTheCallerAndPipelinedCalls) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto failing = send(client, "fail");
  Target::Client pipelined = failing.getCallPipeline();
  auto onPipeline = send(pipelined, "never");
  auto error = kj::runCatchingExceptions([&]() { failing.wait(waitScope); });
  ASSERT_TRUE(error != nullptr);
  EXPECT_TRUE(KJ_ASSERT_NONNULL(error).getDescription().endsWith("failed on purpose"));
  auto pipelinedError = kj::runCatchingExceptions([&]() { onPipeline.wait(waitScope); });
  ASSERT_TRUE(pipelinedError != nullptr);
  EXPECT_TRUE(KJ_ASSERT_NONNULL(pipelinedError).getDescription().endsWith("failed on purpose"));
  EXPECT_EQ(joined(log), "fail");
}

TEST_F(Fixture, CallsThroughAPromiseCapabilityUseTheGenericPath) {
  auto paf = kj::newPromiseAndFulfiller<Target::Client>();
  Target::Client promised(kj::mv(paf.promise));
  auto queued = send(promised, "queued");
  Target::Client queuedPipeline = queued.getCallPipeline();
  auto onQueued = send(queuedPipeline, "next");
  paf.fulfiller->fulfill(directClient<Target>(kj::heap<Recorder>(log, kj::str())));
  EXPECT_EQ(waitValue(queued), "queued");
  EXPECT_EQ(waitValue(onQueued), "next");
  EXPECT_EQ(joined(log), "queued,queued.next");
}

TEST_F(Fixture, TailCallsCopyTheResults) {
  auto server = kj::heap<Recorder>(log, kj::str());
  server->next = directClient<Target>(kj::heap<Recorder>(log, kj::str("next:")));
  Target::Client client = directClient<Target>(kj::mv(server));
  auto response = send(client, "tail").wait(waitScope);
  EXPECT_EQ(valueOf(response), "t");
  // The copied results keep their capability.
  Target::Client copied = response.getCallPipeline();
  EXPECT_EQ(waitValue(send(copied, "u")), "u");
  EXPECT_EQ(joined(log), "tail,next:t,next:t.u");
}

class Account final: public CallerAccount {
public:
  bool isGone = false;
  size_t held = 0;
  bool gone() override { return isGone; }
  kj::Own<void> holdResults(size_t bytes) override {
    held += bytes;
    return kj::heap(kj::defer([this, bytes]() { held -= bytes; }));
  }
};

TEST_F(Fixture, LargeResultsCountAgainstTheCallerUntilDropped) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto account = kj::refcounted<Account>();
  kj::Maybe<capnp::RemotePromise<Target::CallResults>> big, small;
  {
    SendingFor sending(*account);
    big = send(client, "big");
    small = send(client, "small");
  }
  auto smallResponse = KJ_ASSERT_NONNULL(small).wait(waitScope);
  {
    auto bigResponse = KJ_ASSERT_NONNULL(big).wait(waitScope);
    EXPECT_GE(account->held, 64u * 1024);
    EXPECT_LT(account->held, 80u * 1024);  // the small result is not counted
  }
  big = nullptr;
  EXPECT_EQ(account->held, 0u);
}

TEST_F(Fixture, CallsOfACallerGoneAreNotDelivered) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto account = kj::refcounted<Account>();
  kj::Maybe<capnp::RemotePromise<Target::CallResults>> pending;
  {
    SendingFor sending(*account);
    pending = send(client, "after-gone");
  }
  auto other = send(client, "other");  // sent for nobody in particular
  account->isGone = true;
  auto error = kj::runCatchingExceptions([&]() { KJ_ASSERT_NONNULL(pending).wait(waitScope); });
  EXPECT_TRUE(error != nullptr);
  other.wait(waitScope);
  EXPECT_EQ(joined(log), "other");
}

TEST_F(Fixture, ParametersAndTargetAreReleasedWhenTheCallCompletes) {
  // The caller keeps the response (and with it the call) after completion; the target must not
  // stay alive through it.
  bool destroyed = false;
  struct Watched final: public Target::Server {
    explicit Watched(bool& flag): flag(flag) {}
    ~Watched() noexcept(false) { flag = true; }
    kj::Promise<void> call(CallContext context) override {
      context.getResults().initResult();
      return kj::READY_NOW;
    }
    bool& flag;
  };
  auto response = [&]() {
    Target::Client client = directClient<Target>(kj::heap<Watched>(destroyed));
    return send(client, "once");
  }().wait(waitScope);
  EXPECT_TRUE(destroyed);
}

TEST_F(Fixture, AServerCompletingLaterIsWaitedFor) {
  auto server = kj::heap<Recorder>(log, kj::str());
  auto paf = kj::newPromiseAndFulfiller<void>();
  server->release = paf.promise.fork();
  Target::Client client = directClient<Target>(kj::mv(server));
  auto later = send(client, "later");
  Target::Client pipelined = later.getCallPipeline();
  auto onPipeline = send(pipelined, "then");
  EXPECT_FALSE(later.poll(waitScope));
  EXPECT_EQ(joined(log), "later");  // delivered, waiting
  paf.fulfiller->fulfill();
  EXPECT_EQ(waitValue(onPipeline), "then");
  EXPECT_EQ(joined(log), "later,later.then");
}

TEST_F(Fixture, ResultsStopCountingOnceTheResponseIsDropped) {
  // A caller that reads its results and keeps the call's pipeline (a JS RPC promise not yet
  // collected) is not charged for results it has read.
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  auto account = kj::refcounted<Account>();
  kj::Maybe<capnp::RemotePromise<Target::CallResults>> big;
  {
    SendingFor sending(*account);
    big = send(client, "big");
  }
  Target::Client pipeline = KJ_ASSERT_NONNULL(big).getCallPipeline();
  {
    auto response = KJ_ASSERT_NONNULL(big).wait(waitScope);
    EXPECT_GE(account->held, 64u * 1024);
  }
  EXPECT_EQ(account->held, 0u);
  EXPECT_EQ(waitValue(send(pipeline, "after")), "after");
}

TEST_F(Fixture, PipelinedCallsOfACanceledCallFail) {
  Target::Client client = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  Target::Client pipelined = nullptr;
  {
    auto dropped = send(client, "dropped");
    pipelined = dropped.getCallPipeline();
  }
  auto onPipeline = send(pipelined, "x");
  auto error = kj::runCatchingExceptions([&]() { onPipeline.wait(waitScope); });
  ASSERT_TRUE(error != nullptr);
  EXPECT_TRUE(KJ_ASSERT_NONNULL(error).getDescription().endsWith("the call was canceled"));
  EXPECT_EQ(log.size(), 0u);
}

TEST_F(Fixture, CallsOnAPromiseCarryTheirCallerThroughItsQueue) {
  // withDirectCalls(): calls made before the promise resolves are counted against and checked
  // for their caller, in the order they were made, like calls on the resolved client.
  auto paf = kj::newPromiseAndFulfiller<Target::Client>();
  Target::Client promised = withDirectCalls<Target>(Target::Client(kj::mv(paf.promise)));
  auto account = kj::refcounted<Account>();
  kj::Maybe<capnp::RemotePromise<Target::CallResults>> big, small;
  {
    SendingFor sending(*account);
    big = send(promised, "big");
    small = send(promised, "small");
  }
  Target::Client pipelined = KJ_ASSERT_NONNULL(big).getCallPipeline();
  auto onPipeline = send(pipelined, "next");
  auto direct = directClient<Target>(kj::heap<Recorder>(log, kj::str()));
  paf.fulfiller->fulfill(kj::cp(direct));
  auto after = send(promised, "after");  // resolved now: after the queued calls
  EXPECT_EQ(waitValue(KJ_ASSERT_NONNULL(small)), "small");
  {
    auto response = KJ_ASSERT_NONNULL(big).wait(waitScope);
    EXPECT_GE(account->held, 64u * 1024);
  }
  EXPECT_EQ(account->held, 0u);
  EXPECT_EQ(waitValue(onPipeline), "next");
  EXPECT_EQ(waitValue(after), "after");
  EXPECT_EQ(joined(log), "big,small,after,big.next");
}

TEST_F(Fixture, CallsOnAPromiseFromACallerGoneAreNotDelivered) {
  auto paf = kj::newPromiseAndFulfiller<Target::Client>();
  Target::Client promised = withDirectCalls<Target>(Target::Client(kj::mv(paf.promise)));
  auto account = kj::refcounted<Account>();
  kj::Maybe<capnp::RemotePromise<Target::CallResults>> pending;
  {
    SendingFor sending(*account);
    pending = send(promised, "after-gone");
  }
  auto other = send(promised, "other");
  account->isGone = true;  // torn down before the promise resolved
  paf.fulfiller->fulfill(directClient<Target>(kj::heap<Recorder>(log, kj::str())));
  auto error = kj::runCatchingExceptions([&]() { KJ_ASSERT_NONNULL(pending).wait(waitScope); });
  EXPECT_TRUE(error != nullptr);
  other.wait(waitScope);
  EXPECT_EQ(joined(log), "other");
}

TEST_F(Fixture, APromiseResolvingToSomethingElseStillWorks) {
  // A broken capability, or a server reached through capnp's own local client.
  auto broken = kj::newPromiseAndFulfiller<Target::Client>();
  Target::Client toBroken = withDirectCalls<Target>(Target::Client(kj::mv(broken.promise)));
  auto failing = send(toBroken, "x");
  broken.fulfiller->reject(KJ_EXCEPTION(FAILED, "no such worker"));
  auto error = kj::runCatchingExceptions([&]() { failing.wait(waitScope); });
  ASSERT_TRUE(error != nullptr);
  EXPECT_TRUE(KJ_ASSERT_NONNULL(error).getDescription().endsWith("no such worker"));

  auto local = kj::newPromiseAndFulfiller<Target::Client>();
  Target::Client toLocal = withDirectCalls<Target>(Target::Client(kj::mv(local.promise)));
  auto queued = send(toLocal, "via-local");
  local.fulfiller->fulfill(Target::Client(kj::heap<Recorder>(log, kj::str())));
  EXPECT_EQ(waitValue(queued), "via-local");
  EXPECT_EQ(joined(log), "via-local");
}

}  // namespace
}  // namespace loaderd
