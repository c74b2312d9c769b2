// Isolates prepared ahead of demand: each holds a context with the builtins evaluated, so a
// cold dynamic worker costs little more than compiling its modules. They are prepared on the
// platform's isolate thread (the second core), never on the thread that serves requests, except
// when a request finds the pool empty. While enough isolates are waiting, the isolate thread
// holds off until requests have been quiet for a moment: preparing one maps and touches
// megabytes of memory, which slows the request thread beside it (a spaced-out cold load took
// ≈1.5× longer with a preparation running alongside).
#pragma once

#include "runtime/worker.h"
#include <mutex>
#include <condition_variable>
#include <vector>
#include <chrono>

namespace loaderd {

class IsolatePool final {
public:
  IsolatePool(Platform& platform, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
              IsolateSetup& setup, size_t target, double memoryMb = DEFAULT_MEMORY_MB);
  // Waits for the isolates being prepared, then disposes of every prepared one.
  ~IsolatePool() noexcept(false);
  KJ_DISALLOW_COPY(IsolatePool);

  // A prepared isolate, bound to the calling thread (prepared now if none is waiting); starts
  // a refill.
  kj::Own<Worker> take();
  // An isolate with another heap limit, prepared now (not from the pool).
  kj::Own<Worker> prepare(double memoryMb) {
    return Worker::prepare(platform, timer, headerTable, memoryMb, setup, snapshotPtr());
  }
  size_t readyCount();
  double heapLimitMb() const { return memoryMb; }
  // Tops the pool up in the background.
  void fill();

private:
  Platform& platform;
  kj::Timer& timer;
  const kj::HttpHeaderTable& headerTable;
  IsolateSetup& setup;
  size_t target;
  double memoryMb;
  // Made on the JavaScript thread by the first fill(), before any preparation is posted, and
  // read-only after (LOADERD_NO_SNAPSHOT=1 goes without, for comparison).
  kj::Maybe<kj::Own<IsolateSnapshot>> snapshot;
  bool snapshotTried = false;
  const IsolateSnapshot* snapshotPtr() {
    KJ_IF_MAYBE(s, snapshot) { return s->get(); }
    return nullptr;
  }

  // Shared with the isolate thread.
  std::mutex mutex;
  std::condition_variable settled;
  std::vector<kj::Own<Worker>> ready;  // released: bound to no thread
  size_t preparing = 0;
  bool closing = false;
  std::chrono::steady_clock::time_point lastTake;

  // On the isolate thread.
  void prepareOne();
};

}  // namespace loaderd
