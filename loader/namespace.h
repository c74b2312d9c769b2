// Loader namespaces: the id -> dynamic worker cache behind `env.LOADER`. Bindings that share an
// `id` share one namespace. Named workers stay warm until evicted (least recently used beyond
// the count bound); anonymous workers live as long as something references them.
#pragma once

#include "bindings/loader.h"
#include "pool.h"

namespace loaderd {

struct LoaderBounds {
  size_t maxNamedWorkers = 256;
  // Named workers' heaps together (Worker::heapBytes()); least recently used go first.
  double maxNamedMemoryMb = 1024;
  // A named worker not asked for (get()) this long leaves the cache; 0: never.
  double idleTimeoutMs = 600000;
  // Anonymous workers (load(), get(null)) alive at once in one namespace; each is an isolate
  // that lives as long as something references it.
  size_t maxAnonymousWorkers = 256;
  DynamicWorkerDefaults defaults;
};

class LoaderNamespaceImpl final: public LoaderNamespace {
public:
  LoaderNamespaceImpl(kj::String id, IsolatePool& pool, kj::Timer& timer, LoaderBounds bounds)
      : id(kj::mv(id)), pool(pool), timer(timer), bounds(bounds) {}

  bool anonymousAtCap() override;
  bool collectDue() override;
  kj::Promise<kj::Own<Worker>> getWorker(
      kj::Maybe<kj::String> name,
      kj::Function<kj::Promise<kj::Own<DynamicWorkerSource>>()> getSource) override;

  size_t cachedCount() const { return named.size(); }

private:
  struct Entry: public kj::Refcounted {
    kj::Maybe<kj::Own<Worker>> worker;
    kj::Maybe<kj::Exception> error;
    kj::Maybe<kj::ForkedPromise<void>> ready;
    uint64_t lastUsed = 0;
    kj::TimePoint lastUsedAt = kj::origin<kj::TimePoint>();
  };

  kj::String id;
  IsolatePool& pool;
  kj::Timer& timer;
  LoaderBounds bounds;
  // While named workers are cached: every second, evict the idle and, beyond the memory
  // bound, the least recently used.
  kj::Maybe<kj::Promise<void>> sweeper;
  bool sweeping = false;
  kj::HashMap<kj::String, kj::Own<Entry>> named;
  uint64_t useCounter = 0;
  uint64_t anonymousCounter = 0;
  // Workers only stubs keep alive since the last collectDue(): anonymous ones made, named ones
  // evicted or dropped after a limit.
  uint releasableSinceCollect = 0;
  struct LiveCount: public kj::Refcounted {
    size_t anonymous = 0;
  };
  kj::Own<LiveCount> live = kj::refcounted<LiveCount>();

  kj::Own<Worker> start(DynamicWorkerSource& source, kj::String displayName);
  kj::Promise<kj::Own<Worker>> waitFor(kj::Own<Entry> entry);
  void evictIfNeeded();
  void evictLeastRecentlyUsed();
  void startSweeping();
  kj::Promise<void> sweepLoop();
  void sweep();
};

}  // namespace loaderd
