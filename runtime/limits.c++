#include "limits.h"

#include <kj/debug.h>
#include <pthread.h>
#include <time.h>

namespace loaderd {

kj::StringPtr limitMessage(LimitExceeded which) {
  switch (which) {
    case LimitExceeded::CPU: return "Worker exceeded CPU time limit.";
    case LimitExceeded::MEMORY: return "Worker exceeded memory limit.";
    case LimitExceeded::NONE: break;
  }
  return "Worker was terminated.";
}

CpuWatchdog::CpuWatchdog() {
  KJ_ASSERT(pthread_getcpuclockid(pthread_self(), &jsThreadClock) == 0);
  thread = std::thread([this]() { run(); });
}

CpuWatchdog::~CpuWatchdog() noexcept(false) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  thread.join();
}

int64_t CpuWatchdog::threadCpuNs() const {
  struct timespec ts;
  clock_gettime(jsThreadClock, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void CpuWatchdog::arm(v8::Isolate* isolate, int64_t budgetNs, std::atomic<bool>* exceeded) {
  int64_t now = threadCpuNs();
  {
    std::lock_guard<std::mutex> lock(mutex);
    armedIsolate = isolate;
    armedAtNs = now;
    deadlineNs = now + budgetNs;
    armedFlag = exceeded;
  }
  wake.notify_all();
}

int64_t CpuWatchdog::disarm() {
  int64_t now = threadCpuNs();
  std::lock_guard<std::mutex> lock(mutex);
  int64_t used = now - armedAtNs;
  armedIsolate = nullptr;
  armedFlag = nullptr;
  return used;
}

void CpuWatchdog::run() {
  std::unique_lock<std::mutex> lock(mutex);
  while (!stopping) {
    if (armedIsolate == nullptr) {
      wake.wait(lock);
      continue;
    }
    // Poll every millisecond while armed: the check costs a clock read.
    wake.wait_for(lock, std::chrono::milliseconds(1));
    if (armedIsolate != nullptr && threadCpuNs() >= deadlineNs) {
      armedFlag->store(true);
      armedIsolate->TerminateExecution();
      armedIsolate = nullptr;
      armedFlag = nullptr;
    }
  }
}

}  // namespace loaderd
