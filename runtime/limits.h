// Resource limits enforced on isolates: CPU time per invocation (a watchdog thread that calls
// TerminateExecution) and the heap (a near-heap-limit callback). workerd accepts these limits
// and ignores them; loaderd enforces them (docs/limits.md).
#pragma once

#include <v8.h>
#include <kj/common.h>
#include <kj/string.h>
#include <atomic>
#include <thread>
#include <mutex>
#include <condition_variable>
#include <vector>

namespace loaderd {

struct WorkerLimits {
  kj::Maybe<double> cpuMs;        // CPU time per invocation
  kj::Maybe<double> memoryMb;     // V8 heap
  kj::Maybe<double> subrequests;  // fetch() and service-binding calls per invocation
  kj::Maybe<double> wallMs;       // wall-clock time of one invocation that waits on a promise
  // CPU time for evaluating the modules at startup; cpuMs when not set.
  kj::Maybe<double> startupCpuMs;
};

// Limits an entrypoint adds for the invocations made through it (getEntrypoint(name,
// { limits })): the lower of these and the worker's own apply.
struct EntrypointLimits {
  kj::Maybe<double> cpuMs;
  kj::Maybe<double> subrequests;
};

enum class LimitExceeded { NONE, CPU, MEMORY, WALL };

// The message a caller sees when a worker was torn down for exceeding a limit.
kj::StringPtr limitMessage(LimitExceeded which);

// One thread watching the CPU time of the JavaScript thread (the thread that constructed it).
// A CPU budget in milliseconds as nanoseconds for CpuWatchdog::arm(): NaN and negatives are
// none at all, and huge values (Infinity) are capped instead of overflowing.
inline int64_t budgetNs(double ms) {
  if (!(ms > 0)) return 0;
  constexpr double MAX_MS = 1e12;  // ≈31 years
  return static_cast<int64_t>((ms < MAX_MS ? ms : MAX_MS) * 1e6);
}

class CpuWatchdog {
public:
  CpuWatchdog();
  ~CpuWatchdog() noexcept(false);
  KJ_DISALLOW_COPY(CpuWatchdog);

  // CPU time of the JavaScript thread, in nanoseconds.
  int64_t threadCpuNs() const;

  // Until disarm(), terminates `isolate` once the JS thread has used `budgetNs` more CPU time,
  // setting `*exceeded`. Arming nests (JS of one worker can end up running another's, e.g. a
  // disposer): the innermost arming is watched, and disarm() restores the one outside it with
  // its deadline unchanged, so an inner arming can never extend or cancel an outer one.
  void arm(v8::Isolate* isolate, int64_t budgetNs, std::atomic<bool>* exceeded);
  // Returns the CPU time used since the matching arm().
  int64_t disarm();

private:
  pthread_t jsThread;
  clockid_t jsThreadClock;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  struct Arming {
    v8::Isolate* isolate;
    int64_t cpuBeforeNs;   // a reading of the JS thread's CPU clock at or before the arming
    int64_t armedAtWallNs; // when it was armed (monotonic clock)
    int64_t deadlineNs;
    std::atomic<bool>* flag;
  };
  std::vector<Arming> stack;  // guarded by mutex; back() is watched
  // When (monotonic ns) the watchdog reads the clock next at the latest: an arming whose
  // budget outlasts that needs no wake-up (a futex call and a context switch). INT64_MAX while
  // it sleeps until woken, after a while with nothing armed. Guarded by mutex.
  int64_t nextLookNs = INT64_MAX;
  // The last reading of the JS thread's CPU clock (a system call each time; there is no vDSO
  // for CPU clocks) and when it was taken (monotonic, cheap). JS thread only.
  int64_t lastCpuNs = 0;
  int64_t lastReadAtNs = INT64_MIN / 2;
  uint64_t readings = 0;  // for tests
  std::atomic<uint64_t> wakes{0};  // for tests

public:
  // How many times the JS thread read its CPU clock for armings and disarmings (tests).
  uint64_t clockReadings() const { return readings; }
  // How many times the watchdog thread has woken up (tests).
  uint64_t wakeUps() const { return wakes.load(std::memory_order_relaxed); }

private:
  std::thread thread;

  void run();
};

}  // namespace loaderd
