#include "pool.h"

#include "runtime/builtins.h"
#include <kj/debug.h>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace loaderd {

// How long after the last take the isolate thread waits before preparing the next isolate,
// unless the pool is down to fewer than LOW_WATER isolates (then demand is high and isolates are
// needed at once: waiting for a quiet moment that never comes left the thread idle while the
// request thread prepared isolates itself).
constexpr auto QUIET_AFTER_TAKE = std::chrono::milliseconds(5);
constexpr size_t LOW_WATER = 2;

IsolatePool::IsolatePool(Platform& platform, kj::Timer& timer,
                         const kj::HttpHeaderTable& headerTable, IsolateSetup& setup,
                         size_t target, double memoryMb)
    : platform(platform), timer(timer), headerTable(headerTable), setup(setup), target(target),
      memoryMb(memoryMb) {}

IsolatePool::~IsolatePool() noexcept(false) {
  std::vector<kj::Own<Worker>> leftover;
  {
    std::unique_lock<std::mutex> lock(mutex);
    closing = true;
    settled.wait(lock, [this]() { return preparing == 0; });
    leftover = kj::mv(ready);
  }
  // Destroyed here, on the JavaScript thread, like every other worker.
}

kj::Own<Worker> IsolatePool::take() {
  kj::Own<Worker> result;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!ready.empty()) {
      result = kj::mv(ready.back());
      ready.pop_back();
    }
    lastTake = std::chrono::steady_clock::now();
  }
  if (result.get() == nullptr) {
    result = Worker::prepare(platform, timer, headerTable, memoryMb, setup, snapshotPtr());
  } else {
    result->bindToThread();
  }
  fill();
  return result;
}

size_t IsolatePool::readyCount() {
  std::lock_guard<std::mutex> lock(mutex);
  return ready.size();
}

void IsolatePool::fill() {
  // The first isolate of the process compiles the builtins and records their code cache and
  // globals (runtime/builtins.h); that shared state is made on this thread, before any other
  // thread prepares an isolate.
  if (!BuiltinSet::get().namesKnown()) {
    auto first = Worker::prepare(platform, timer, headerTable, memoryMb, setup);
    first->releaseThread();
    std::lock_guard<std::mutex> lock(mutex);
    ready.push_back(kj::mv(first));
  }
  if (!snapshotTried) {
    snapshotTried = true;
    if (getenv("LOADERD_NO_SNAPSHOT") == nullptr) {
      // Without a snapshot isolates are made as the first one was, only slower: a failure to
      // make one is logged, never fatal.
      KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() {
        snapshot = Worker::makeSnapshot(platform, timer, headerTable, setup);
      })) {
        KJ_LOG(ERROR, "not using a startup snapshot", *e);
      }
      if (getenv("LOADERD_DEBUG_TIMING") != nullptr) {
        KJ_IF_MAYBE(s, snapshot) {
          fprintf(stderr, "snapshot: %d bytes\n", (*s)->blob.raw_size);
        }
      }
    }
  }
  std::lock_guard<std::mutex> lock(mutex);
  while (ready.size() + preparing < target) {
    preparing++;
    platform.isolateThread().post(IsolateThread::Kind::PREPARE, [this]() { prepareOne(); });
  }
}

void IsolatePool::prepareOne() {
  for (;;) {
    std::chrono::steady_clock::duration wait;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (closing) {
        preparing--;
        settled.notify_all();
        return;
      }
      if (ready.size() < LOW_WATER) break;
      wait = lastTake + QUIET_AFTER_TAKE - std::chrono::steady_clock::now();
    }
    if (wait <= std::chrono::steady_clock::duration::zero()) break;
    std::this_thread::sleep_for(wait);
  }
  kj::Maybe<kj::Own<Worker>> prepared;
  KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() {
    auto worker = Worker::prepare(platform, timer, headerTable, memoryMb, setup, snapshotPtr());
    worker->releaseThread();
    prepared = kj::mv(worker);
  })) {
    KJ_LOG(ERROR, "preparing an isolate failed", *e);
  }
  std::lock_guard<std::mutex> lock(mutex);
  KJ_IF_MAYBE(w, prepared) { ready.push_back(kj::mv(*w)); }
  preparing--;
  settled.notify_all();
}

}  // namespace loaderd
