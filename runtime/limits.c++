#include "limits.h"

#include <kj/debug.h>
#include <algorithm>
#include <pthread.h>
#include <time.h>

namespace loaderd {

kj::StringPtr limitMessage(LimitExceeded which) {
  switch (which) {
    case LimitExceeded::CPU: return "Worker exceeded CPU time limit.";
    case LimitExceeded::MEMORY: return "Worker exceeded memory limit.";
    case LimitExceeded::WALL: return "Worker exceeded wall-clock time limit.";
    case LimitExceeded::NONE: break;
  }
  return "Worker was terminated.";
}

CpuWatchdog::CpuWatchdog() {
  jsThread = pthread_self();
  KJ_ASSERT(pthread_getcpuclockid(jsThread, &jsThreadClock) == 0);
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
  // On the JavaScript thread itself (every arming and disarming), the calling thread's clock:
  // the kernel then need not look the thread up by id (≈1 % of a JS RPC round trip).
  clock_gettime(pthread_equal(pthread_self(), jsThread) ? CLOCK_THREAD_CPUTIME_ID : jsThreadClock,
                &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {
// Entries into JavaScript are short and follow each other closely (an RPC round trip enters the
// caller, the callee and the caller again within microseconds), and reading the CPU clock is a
// system call (≈8 % of a JS RPC round trip on a paravirtualised machine when read at every
// entry). Two upper bounds of an entry's CPU time need no reading at its start: its wall-clock
// time (a thread's CPU time never runs ahead of the wall clock), and the CPU clock at its end
// minus any earlier reading. An entry of up to SHORT_ENTRY_NS is charged its wall-clock time
// and reads nothing; a longer one reads the clock at its end and is charged the lesser of the
// two bounds. Either way no entry is charged less than the CPU time it used; it is charged more
// only for time it was preempted (a short entry) or, if also preempted for longer than that,
// for the runtime's own work since the last reading (at most FRESH_READING_NS before it).
constexpr int64_t SHORT_ENTRY_NS = 20000;
// An arming this soon after the last reading starts from it: its deadline is set from the most
// CPU time the thread can have used since (the wall-clock time since the reading), so a budget
// is enforced at most this late; older readings are renewed.
constexpr int64_t FRESH_READING_NS = 100000;

int64_t monotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
}  // namespace

void CpuWatchdog::arm(v8::Isolate* isolate, int64_t budgetNs, std::atomic<bool>* exceeded) {
  int64_t wall = monotonicNs();
  if (wall - lastReadAtNs > FRESH_READING_NS) {
    lastCpuNs = threadCpuNs();
    lastReadAtNs = wall;
    ++readings;
  }
  // The most CPU time the thread can have used by now.
  int64_t now = lastCpuNs + (wall - lastReadAtNs);
  {
    std::lock_guard<std::mutex> lock(mutex);
    int64_t deadline = now + budgetNs;
    // An inner arming never outlives the outer deadline.
    if (!stack.empty() && stack.back().deadlineNs < deadline) deadline = stack.back().deadlineNs;
    stack.push_back(Arming{isolate, lastCpuNs, wall, deadline, exceeded});
    // The watchdog looks again by nextLookNs; by then the thread can have used at most that
    // much CPU time (none of it beyond a budget that outlasts the wait).
    if (nextLookNs - wall <= deadline - now) return;
  }
  wake.notify_all();
}

int64_t CpuWatchdog::disarm() {
  int64_t wall = monotonicNs();
  Arming armed;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (stack.empty()) return 0;  // already fired and cleared
    armed = stack.back();
    stack.pop_back();
  }
  int64_t entryWall = wall - armed.armedAtWallNs;
  if (entryWall <= SHORT_ENTRY_NS) return entryWall;
  int64_t now = threadCpuNs();
  ++readings;
  lastCpuNs = now;
  lastReadAtNs = wall;
  return std::min(now - armed.cpuBeforeNs, entryWall);
}

void CpuWatchdog::run() {
  // While something is armed, sleeps until the innermost deadline could be reached at the
  // earliest (a thread's CPU time never runs ahead of the wall clock), at least a millisecond and
  // at most MAX_SLEEP, then reads the clock; arm() wakes it early only for an arming whose
  // budget is shorter than that sleep. With nothing armed, looks every MAX_SLEEP for a while
  // (armings with budgets longer than that, the default ones, then need no wake-up), then
  // sleeps until an arming wakes it. (It looked every millisecond: with requests 100 ms apart
  // it never stopped, a thousand wake-ups a second on an idle server.)
  constexpr int IDLE_POLLS = 4;
  constexpr int64_t POLL_NS = 1000000, MAX_SLEEP_NS = 50000000;
  int idlePolls = 0;
  std::unique_lock<std::mutex> lock(mutex);
  while (!stopping) {
    if (stack.empty() && ++idlePolls > IDLE_POLLS) {
      nextLookNs = INT64_MAX;
      wake.wait(lock);
      idlePolls = 0;
      continue;
    }
    int64_t sleepNs = MAX_SLEEP_NS;
    if (!stack.empty()) {
      idlePolls = 0;
      int64_t now = threadCpuNs();
      if (now >= stack.back().deadlineNs) {
        // Every worker whose budget has run out is terminated (outer ones included when an
        // inner call used up their time).
        for (auto& a: stack) {
          if (now >= a.deadlineNs) {
            a.flag->store(true);
            if (a.isolate != nullptr) a.isolate->TerminateExecution();  // null in unit tests
          }
        }
        sleepNs = POLL_NS;  // until the terminated code has left
      } else {
        sleepNs = std::min(std::max(stack.back().deadlineNs - now, POLL_NS), MAX_SLEEP_NS);
      }
    }
    nextLookNs = monotonicNs() + sleepNs;
    wake.wait_for(lock, std::chrono::nanoseconds(sleepNs));
    wakes.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace loaderd
