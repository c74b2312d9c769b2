#include "pool.h"

#include <kj/debug.h>

namespace loaderd {

// Preparing an isolate blocks the thread for a couple of milliseconds; waiting this long after
// a take lets the request that took it (and its neighbours) finish first.
constexpr auto REFILL_DELAY = 10 * kj::MILLISECONDS;

IsolatePool::IsolatePool(Platform& platform, kj::Timer& timer,
                         const kj::HttpHeaderTable& headerTable, IsolateSetup& setup,
                         size_t target, double memoryMb)
    : platform(platform), timer(timer), headerTable(headerTable), setup(setup), target(target),
      memoryMb(memoryMb), tasks(*this) {}

kj::Own<Worker> IsolatePool::take() {
  kj::Own<Worker> result;
  if (ready.empty()) {
    result = Worker::prepare(platform, timer, headerTable, memoryMb, setup);
  } else {
    result = kj::mv(ready.back());
    ready.removeLast();
  }
  fill();
  return result;
}

void IsolatePool::fill() {
  if (refilling || ready.size() >= target) return;
  refilling = true;
  tasks.add(refill());
}

kj::Promise<void> IsolatePool::refill() {
  // A timer turn between isolates lets the event loop take in requests that arrived meanwhile.
  return timer.afterDelay(REFILL_DELAY).then([this]() -> kj::Promise<void> {
    if (ready.size() >= target) {
      refilling = false;
      return kj::READY_NOW;
    }
    ready.add(Worker::prepare(platform, timer, headerTable, memoryMb, setup));
    return refill();
  });
}

void IsolatePool::taskFailed(kj::Exception&& exception) {
  refilling = false;
  KJ_LOG(ERROR, "isolate pool refill failed", exception);
}

}  // namespace loaderd
