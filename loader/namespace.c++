#include "namespace.h"

#include <kj/debug.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace loaderd {

kj::Own<Worker> LoaderNamespaceImpl::start(DynamicWorkerSource& source, kj::String displayName) {
  if (source.hasPython) {
    kj::throwFatalException(KJ_EXCEPTION(FAILED,
        "jslocal.Error: Failed to start Worker:\nUncaught Error: Python Workers are not "
        "supported by loaderd."));
  }
  if (source.mainIsCommonJs) {
    kj::throwFatalException(KJ_EXCEPTION(FAILED,
        "jslocal.Error: Failed to start Worker:\nUncaught TypeError: Main module must be an ES "
        "module."));
  }
  auto modules = kj::heapArrayBuilder<MapModuleSource::Module>(source.modules.size());
  for (auto& m: source.modules) {
    modules.add(MapModuleSource::Module{
        kj::str(m.name),
        ModuleContent{m.content.type, kj::heapArray<const kj::byte>(m.content.content)}});
  }
  // The env message is shared by restarts of the same source; read it, never consume it.
  capnp::MallocMessageBuilder* envMessage = nullptr;
  KJ_IF_MAYBE(e, source.env) { envMessage = e->get(); }
  auto outbound = source.outbound.clone();
  WorkerSpec spec{
      kj::mv(displayName),
      kj::heap<MapModuleSource>(kj::str(source.mainModule), modules.finish()),
      source.compat.clone(),
      [envMessage](Worker& worker, js::Lock& js) -> v8::Local<v8::Object> {
        if (envMessage == nullptr) return v8::Object::New(js.isolate);
        auto value = readJsValue(worker, js, envMessage->getRoot<rpc::JsValue>().asReader());
        return value.As<v8::Object>();
      },
      kj::Function<void(Worker&, js::Lock&, v8::Local<v8::Object>)>(
          [outbound = kj::mv(outbound), tails = kj::mv(source.tails)](
              Worker& w, js::Lock& js, v8::Local<v8::Object> internal) mutable {
            installOutbound(w, js, internal, outbound);
            installTails(w, js, internal, tails);
          }),
      WorkerLimits{source.cpuMs.orDefault(bounds.defaults.cpuMs),
                   source.memoryMb.orDefault(pool.heapLimitMb()), source.subRequests,
                   source.wallMs.orDefault(bounds.defaults.wallMs),
                   kj::min(source.cpuMs.orDefault(bounds.defaults.cpuMs),
                           bounds.defaults.startupCpuMs)},
  };
  try {
    static bool timing = getenv("LOADERD_DEBUG_TIMING") != nullptr;
    auto t0 = std::chrono::steady_clock::now();
    auto ready = pool.readyCount();
    // A heap limit other than the pool's needs an isolate made for it.
    auto prepared = source.memoryMb.orDefault(pool.heapLimitMb()) == pool.heapLimitMb()
        ? pool.take() : pool.prepare(source.memoryMb.orDefault(0));
    auto t1 = std::chrono::steady_clock::now();
    bool fromSnapshot = prepared->fromSnapshot();
    auto w = Worker::start(kj::mv(prepared), kj::mv(spec));
    auto t2 = std::chrono::steady_clock::now();
    if (timing) {
      fprintf(stderr, "start: ready=%zu take=%.3fms start=%.3fms from=%s\n", ready,
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              std::chrono::duration<double, std::milli>(t2 - t1).count(),
              fromSnapshot ? "snapshot" : "context");
    }
    return w;
  } catch (StartupError& e) {
    kj::throwFatalException(KJ_EXCEPTION(
        FAILED, kj::str("jslocal.Error: Failed to start Worker:\nUncaught ", e.workerdStyle)));
  }
}

kj::Promise<kj::Own<Worker>> LoaderNamespaceImpl::waitFor(kj::Own<Entry> entry) {
  auto& ref = *entry;
  return KJ_ASSERT_NONNULL(ref.ready).addBranch().then(
      [entry = kj::mv(entry)]() mutable -> kj::Own<Worker> {
        KJ_IF_MAYBE(e, entry->error) {
          kj::throwFatalException(kj::cp(*e));
        }
        return kj::addRef(*KJ_ASSERT_NONNULL(entry->worker));
      });
}

namespace {
// Whether a failed start was a limit's (loaderd's own limits, which workerd does not have).
bool failedOnALimit(const kj::Exception& e) {
  for (auto which: {LimitExceeded::CPU, LimitExceeded::MEMORY, LimitExceeded::WALL}) {
    if (strstr(e.getDescription().cStr(), limitMessage(which).cStr()) != nullptr) return true;
  }
  return false;
}
}  // namespace

bool LoaderNamespaceImpl::anonymousAtCap() {
  return live->anonymous >= bounds.maxAnonymousWorkers;
}

bool LoaderNamespaceImpl::collectDue() {
  if (releasableSinceCollect < COLLECT_EVERY) return false;
  releasableSinceCollect = 0;
  return true;
}

kj::Promise<kj::Own<Worker>> LoaderNamespaceImpl::getWorker(
    kj::Maybe<kj::String> maybeName,
    kj::Function<kj::Promise<kj::Own<DynamicWorkerSource>>()> getSource) {
  auto entry = kj::refcounted<Entry>();
  kj::String displayName;
  KJ_IF_MAYBE(name, maybeName) {
    KJ_IF_MAYBE(existing, named.find(*name)) {
      bool tornDown = false;
      KJ_IF_MAYBE(w, (*existing)->worker) {
        tornDown = (*w)->limitExceeded() != LimitExceeded::NONE;
      }
      KJ_IF_MAYBE(e, (*existing)->error) {
        // Other failed starts stay cached (as on workerd); one that hit a limit is retried.
        tornDown = failedOnALimit(*e);
      }
      if (!tornDown) {
        (*existing)->lastUsed = ++useCounter;
        (*existing)->lastUsedAt = timer.now();
        return waitFor(kj::addRef(**existing));
      }
      // Torn down for exceeding a limit: this get() starts it afresh (getCode runs again), as a
      // new isolate would serve the next request on Cloudflare. Earlier stubs keep failing.
      named.erase(*name);
      releasableSinceCollect++;
    }
    displayName = kj::str(id, ":", *name);
    entry->lastUsed = ++useCounter;
    entry->lastUsedAt = timer.now();
    named.insert(kj::str(*name), kj::addRef(*entry));
    evictIfNeeded();
    startSweeping();
  } else {
    if (live->anonymous >= bounds.maxAnonymousWorkers) {
      // The parent has just collected garbage (WorkerLoader asks before refusing); the stubs it
      // found are released on the next turn of the event loop (js::IsolateBase::
      // releaseOnEventLoop()). Look again then.
      return kj::evalLater([this, getSource = kj::mv(getSource)]() mutable
                           -> kj::Promise<kj::Own<Worker>> {
        if (live->anonymous >= bounds.maxAnonymousWorkers) {
          return KJ_EXCEPTION(FAILED, kj::str(
              "jslocal.Error: Too many dynamic workers are alive in this loader (the limit is ",
              bounds.maxAnonymousWorkers, "). Drop references to WorkerStubs you no longer use, "
              "or use get() with a name to reuse a worker."));
        }
        return getWorker(nullptr, kj::mv(getSource));
      });
    }
    displayName = kj::str(id, ":dynamic:", ++anonymousCounter);
  }

  // getCode never runs synchronously inside get(): the stub exists first.
  auto& ref = *entry;
  bool anonymous = maybeName == nullptr;
  if (anonymous) {
    live->anonymous++;
    releasableSinceCollect++;
  }
  ref.ready = kj::evalLater(kj::mv(getSource))
      .then([this, &ref, anonymous, displayName = kj::mv(displayName)](
                kj::Own<DynamicWorkerSource> source) mutable {
        auto worker = start(*source, kj::mv(displayName));
        if (anonymous) {
          worker->onDestroy([live = kj::addRef(*live)]() mutable { live->anonymous--; });
        }
        ref.worker = kj::mv(worker);
      })
      .catch_([this, &ref, anonymous](kj::Exception&& e) mutable {
        if (anonymous) live->anonymous--;
        ref.error = kj::mv(e);
        // A failed start (getCode threw or rejected, the code was refused, its startup threw)
        // stays cached under its name, as on workerd: the next get() gets the same error
        // without calling getCode again, until the entry is evicted.
      })
      .fork();  // owned by the entry: dropping the entry cancels a start in progress
  return waitFor(kj::mv(entry));
}

void LoaderNamespaceImpl::evictIfNeeded() {
  while (named.size() > bounds.maxNamedWorkers) evictLeastRecentlyUsed();
}

void LoaderNamespaceImpl::evictLeastRecentlyUsed() {
  // TODO(perf): an ordered index instead of a scan once namespaces hold many thousands.
  kj::StringPtr oldest;
  uint64_t oldestUse = UINT64_MAX;
  for (auto& e: named) {
    if (e.value->lastUsed < oldestUse) {
      oldestUse = e.value->lastUsed;
      oldest = e.key;
    }
  }
  auto key = kj::str(oldest);
  named.erase(key);
  releasableSinceCollect++;
}

void LoaderNamespaceImpl::startSweeping() {
  if (sweeping) return;
  sweeping = true;
  // Owned by the namespace: it goes with it. Ends when nothing is cached (no wake-ups for an
  // idle server); the next named worker starts it again, replacing the finished promise.
  sweeper = sweepLoop().eagerlyEvaluate(nullptr);
}

kj::Promise<void> LoaderNamespaceImpl::sweepLoop() {
  return timer.afterDelay(1 * kj::SECONDS).then([this]() -> kj::Promise<void> {
    sweep();
    if (named.size() > 0) return sweepLoop();
    sweeping = false;
    return kj::READY_NOW;
  });
}

void LoaderNamespaceImpl::sweep() {
  if (bounds.idleTimeoutMs > 0) {
    auto cutoff = timer.now() - static_cast<int64_t>(bounds.idleTimeoutMs * 1000) * kj::MICROSECONDS;
    kj::Vector<kj::String> idle;
    for (auto& e: named) {
      if (e.value->lastUsedAt < cutoff) idle.add(kj::str(e.key));
    }
    for (auto& key: idle) {
      named.erase(key);
      releasableSinceCollect++;
    }
  }
  // Measured once per sweep; the least recently used go until the rest fit.
  struct Cached {
    uint64_t lastUsed;
    kj::StringPtr key;
    double bytes;
  };
  kj::Vector<Cached> cached;
  double total = 0;
  for (auto& e: named) {
    double bytes = 0;
    KJ_IF_MAYBE(w, e.value->worker) { bytes = (*w)->heapBytes(); }
    cached.add(Cached{e.value->lastUsed, e.key, bytes});
    total += bytes;
  }
  auto limit = bounds.maxNamedMemoryMb * 1048576;
  if (total <= limit) return;
  std::sort(cached.begin(), cached.end(),
            [](const Cached& a, const Cached& b) { return a.lastUsed < b.lastUsed; });
  kj::Vector<kj::String> evict;
  for (auto& c: cached) {
    if (total <= limit) break;
    total -= c.bytes;
    evict.add(kj::str(c.key));
  }
  for (auto& key: evict) {
    named.erase(key);
    releasableSinceCollect++;
  }
}

}  // namespace loaderd
