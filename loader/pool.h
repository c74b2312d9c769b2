// Isolates prepared ahead of demand: each holds a context with the builtins evaluated, so a
// cold dynamic worker costs little more than compiling its modules. Refilled between requests,
// one isolate per timer turn, so the refill never holds up an arriving request for long.
#pragma once

#include "runtime/worker.h"
#include <kj/async.h>

namespace loaderd {

class IsolatePool final: private kj::TaskSet::ErrorHandler {
public:
  IsolatePool(Platform& platform, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
              IsolateSetup& setup, size_t target, double memoryMb = DEFAULT_MEMORY_MB);

  // A prepared isolate (prepared now if none is waiting); starts a refill.
  kj::Own<Worker> take();
  // An isolate with another heap limit, prepared now (not from the pool).
  kj::Own<Worker> prepare(double memoryMb) {
    return Worker::prepare(platform, timer, headerTable, memoryMb, setup);
  }
  size_t readyCount() const { return ready.size(); }
  double heapLimitMb() const { return memoryMb; }
  // Fills the pool in the background, starting now.
  void fill();

private:
  Platform& platform;
  kj::Timer& timer;
  const kj::HttpHeaderTable& headerTable;
  IsolateSetup& setup;
  size_t target;
  double memoryMb;
  kj::Vector<kj::Own<Worker>> ready;
  bool refilling = false;
  kj::TaskSet tasks;

  kj::Promise<void> refill();
  void taskFailed(kj::Exception&& exception) override;
};

}  // namespace loaderd
