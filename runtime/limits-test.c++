#include "limits.h"

#include <gtest/gtest.h>
#include <time.h>
#include <atomic>

namespace loaderd {
namespace {

int64_t nowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Burns about `ns` of this thread's CPU time.
void spin(int64_t ns) {
  int64_t until = nowNs(CLOCK_THREAD_CPUTIME_ID) + ns;
  volatile uint64_t sink = 0;
  while (nowNs(CLOCK_THREAD_CPUTIME_ID) < until) {
    for (int i = 0; i < 100; i++) sink = sink + i;
  }
}

constexpr int64_t BIG_BUDGET = int64_t(3600) * 1000000000;  // never reached: no isolate needed

TEST(CpuWatchdog, ChargesALongEntryAtLeastItsCpuTime) {
  CpuWatchdog watchdog;  // watches this thread
  int64_t before = nowNs(CLOCK_THREAD_CPUTIME_ID);
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  spin(3000000);
  int64_t charged = watchdog.disarm();
  int64_t used = nowNs(CLOCK_THREAD_CPUTIME_ID) - before;
  EXPECT_GE(charged, 3000000);
  EXPECT_LE(charged, used);
}

TEST(CpuWatchdog, NeverChargesShortEntriesLessThanTheyUse) {
  // Entries of a few microseconds right after one another reuse clock readings; each must
  // still be charged at least the CPU time it used, and at most 20 µs more.
  CpuWatchdog watchdog;
  constexpr int ENTRIES = 2000;
  int64_t inside = 0, charged = 0;
  int64_t wallBefore = nowNs(CLOCK_MONOTONIC);
  for (int i = 0; i < ENTRIES; i++) {
    watchdog.arm(nullptr, BIG_BUDGET, nullptr);
    int64_t t0 = nowNs(CLOCK_THREAD_CPUTIME_ID);
    spin(i % 7 == 0 ? 30000 : 2000);  // mostly short, some past the reuse window
    inside += nowNs(CLOCK_THREAD_CPUTIME_ID) - t0;
    charged += watchdog.disarm();
  }
  int64_t wall = nowNs(CLOCK_MONOTONIC) - wallBefore;
  EXPECT_GE(charged, inside);
  EXPECT_LE(charged, wall + int64_t(ENTRIES) * 20000);
}

TEST(CpuWatchdog, ShortEntriesInARowReadTheClockRarely) {
  // Reading a thread's CPU clock is a system call; entries of a few microseconds (a JS RPC
  // round trip is two) are charged their wall-clock time instead, and an arming renews a reading
  // only once it is 100 µs old.
  CpuWatchdog watchdog;
  constexpr int ENTRIES = 2000;
  int64_t wallBefore = nowNs(CLOCK_MONOTONIC);
  for (int i = 0; i < ENTRIES; i++) {
    watchdog.arm(nullptr, BIG_BUDGET, nullptr);
    spin(2000);
    watchdog.disarm();
  }
  int64_t wall = nowNs(CLOCK_MONOTONIC) - wallBefore;
  // One reading per 100 µs of armings, plus one for each entry preempted past 20 µs (a few);
  // reading whenever the last one was 20 µs old took one every four or five entries here.
  EXPECT_LE(watchdog.clockReadings(), uint64_t(wall / 100000 + ENTRIES / 100)) << wall;
  EXPECT_LT(watchdog.clockReadings(), uint64_t(ENTRIES / 8));
}

TEST(CpuWatchdog, ALongEntryAfterAnIdleGapIsChargedInFull) {
  // The arming reuses a reading taken before a pause: the entry's charge must still cover all of
  // its CPU time (an estimate of the clock at the arming must never shorten it).
  CpuWatchdog watchdog;
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  watchdog.disarm();
  for (int i = 0; i < 20; i++) {
    struct timespec pause = {0, 50000};  // within the reading's 100 µs
    nanosleep(&pause, nullptr);
    watchdog.arm(nullptr, BIG_BUDGET, nullptr);
    int64_t t0 = nowNs(CLOCK_THREAD_CPUTIME_ID);
    spin(200000);
    int64_t used = nowNs(CLOCK_THREAD_CPUTIME_ID) - t0;
    EXPECT_GE(watchdog.disarm(), used);
  }
}

TEST(CpuWatchdog, AnIdleWatchdogSleeps) {
  // With nothing armed it looks every 50 ms for a while, then sleeps until an arming wakes it;
  // it used to look every millisecond for 200 ms after every arming, so an idle server with a
  // request every 100 ms woke a thousand times a second.
  CpuWatchdog watchdog;
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  watchdog.disarm();
  uint64_t before = watchdog.wakeUps();
  struct timespec pause = {0, 150000000};
  nanosleep(&pause, nullptr);
  EXPECT_LE(watchdog.wakeUps() - before, 5u);
  // A short budget armed now is still enforced in time.
  std::atomic<bool> exceeded{false};
  int64_t start = nowNs(CLOCK_THREAD_CPUTIME_ID);
  watchdog.arm(nullptr, 3000000, &exceeded);
  while (!exceeded.load() && nowNs(CLOCK_THREAD_CPUTIME_ID) - start < 200000000) spin(100000);
  int64_t used = nowNs(CLOCK_THREAD_CPUTIME_ID) - start;
  watchdog.disarm();
  EXPECT_TRUE(exceeded.load());
  EXPECT_LT(used, 20000000);
}

TEST(CpuWatchdog, NestedArmingsAccountSeparately) {
  CpuWatchdog watchdog;
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  spin(1000000);
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  spin(1000000);
  int64_t inner = watchdog.disarm();
  int64_t outer = watchdog.disarm();
  EXPECT_GE(inner, 1000000);
  EXPECT_GE(outer, inner + 1000000);
}

TEST(CpuWatchdog, AShortBudgetArmedDuringALongSleepIsEnforcedInTime) {
  // With only a long budget armed, the watchdog sleeps for up to 50 ms between clock readings;
  // a shorter budget armed meanwhile must wake it, or it would overrun by that much.
  CpuWatchdog watchdog;
  watchdog.arm(nullptr, BIG_BUDGET, nullptr);
  struct timespec pause = {0, 20000000};
  nanosleep(&pause, nullptr);  // the watchdog is now in a long sleep
  std::atomic<bool> exceeded{false};
  int64_t before = nowNs(CLOCK_THREAD_CPUTIME_ID);
  watchdog.arm(nullptr, 3000000, &exceeded);
  while (!exceeded.load() && nowNs(CLOCK_THREAD_CPUTIME_ID) - before < 200000000) spin(100000);
  int64_t used = nowNs(CLOCK_THREAD_CPUTIME_ID) - before;
  watchdog.disarm();
  watchdog.disarm();
  EXPECT_TRUE(exceeded.load());
  EXPECT_GE(used, 3000000);
  EXPECT_LT(used, 20000000);  // ≈1 ms of polling granularity, with room for a loaded machine
}

TEST(CpuWatchdog, ALongBudgetIsEnforcedAfterLongSleeps) {
  CpuWatchdog watchdog;
  std::atomic<bool> exceeded{false};
  int64_t before = nowNs(CLOCK_THREAD_CPUTIME_ID);
  watchdog.arm(nullptr, 120000000, &exceeded);  // longer than one sleep
  while (!exceeded.load() && nowNs(CLOCK_THREAD_CPUTIME_ID) - before < 2000000000) spin(100000);
  int64_t used = nowNs(CLOCK_THREAD_CPUTIME_ID) - before;
  watchdog.disarm();
  EXPECT_TRUE(exceeded.load());
  EXPECT_GE(used, 120000000);
  EXPECT_LT(used, 140000000);
}

TEST(CpuBudget, NaNNegativeAndInfinityAreSafe) {
  EXPECT_EQ(budgetNs(0.0 / 0.0), 0);
  EXPECT_EQ(budgetNs(-5), 0);
  EXPECT_EQ(budgetNs(2.5), 2500000);
  EXPECT_EQ(budgetNs(1.0 / 0.0), int64_t(1e18));
  EXPECT_GT(budgetNs(1e300), 0);
}

}  // namespace
}  // namespace loaderd
