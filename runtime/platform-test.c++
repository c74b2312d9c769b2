#include "platform.h"

#include <gtest/gtest.h>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/mman.h>

namespace loaderd {
namespace {

using Permission = v8::PageAllocator::Permission;
constexpr size_t PAGE = 256 * 1024;  // V8's heap page

// How many of the region's system pages are resident.
size_t residentPages(void* address, size_t length) {
  size_t pages = length / 4096;
  std::vector<unsigned char> vec(pages);
  EXPECT_EQ(mincore(address, length, vec.data()), 0);
  size_t n = 0;
  for (auto v: vec) n += v & 1;
  return n;
}

// The protection of the mapping holding `address` as /proc/self/maps shows it ("rw-", "---").
std::string protectionAt(void* address) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto at = reinterpret_cast<uintptr_t>(address);
  while (std::getline(maps, line)) {
    uintptr_t begin, end;
    char perms[5] = {};
    if (sscanf(line.c_str(), "%lx-%lx %4s", &begin, &end, perms) != 3) continue;
    if (at >= begin && at < end) return std::string(perms, 3);
  }
  return "unmapped";
}

class PageRecycling: public ::testing::Test {
protected:
  std::unique_ptr<v8::Platform> base = v8::platform::NewDefaultPlatform();
  RecyclingPageAllocator pages{*base->GetPageAllocator()};
};

TEST_F(PageRecycling, AFreedRegionComesBackMappedAndResident) {
  void* first = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite);
  ASSERT_NE(first, nullptr);
  memset(first, 7, PAGE);
  ASSERT_TRUE(pages.FreePages(first, PAGE));
  EXPECT_EQ(pages.kept(), 1u);
  // V8 reserves inaccessible, then commits: the reused region's pages must not have been
  // discarded on the way (V8's own allocator discards on kNoAccess).
  void* again = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kNoAccess);
  EXPECT_EQ(again, first);
  EXPECT_EQ(pages.kept(), 0u);
  EXPECT_EQ(residentPages(again, PAGE), PAGE / 4096);
  ASSERT_TRUE(pages.SetPermissions(again, PAGE, Permission::kReadWrite));
  EXPECT_EQ(static_cast<unsigned char*>(again)[PAGE - 1], 7);
  // DecommitPages still promises zeroes.
  ASSERT_TRUE(pages.DecommitPages(again, PAGE));
  ASSERT_TRUE(pages.SetPermissions(again, PAGE, Permission::kReadWrite));
  EXPECT_EQ(static_cast<unsigned char*>(again)[0], 0);
  ASSERT_TRUE(pages.FreePages(again, PAGE));
}

TEST_F(PageRecycling, OnlyLengthsAskedForAreKeptAndAlignmentIsHonoured) {
  // A region of a length V8 shrinks its pages to is unmapped, not kept (only whole heap pages
  // are: see the next test).
  void* odd = pages.AllocatePages(nullptr, 2 * PAGE * 4, PAGE, Permission::kReadWrite);
  ASSERT_NE(odd, nullptr);
  ASSERT_TRUE(pages.ReleasePages(odd, 2 * PAGE * 4, PAGE * 4));
  ASSERT_TRUE(pages.FreePages(odd, PAGE * 4));
  EXPECT_EQ(pages.kept(), 0u);
  // A kept region is not handed out for a stricter alignment it does not meet.
  void* small = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite);
  ASSERT_TRUE(pages.FreePages(small, PAGE));
  EXPECT_EQ(pages.kept(), 1u);
  size_t strict = size_t(1) << 30;
  if (reinterpret_cast<uintptr_t>(small) % strict != 0) {
    void* other = pages.AllocatePages(nullptr, PAGE, strict, Permission::kReadWrite);
    EXPECT_NE(other, small);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(other) % strict, 0u);
    ASSERT_TRUE(pages.FreePages(other, PAGE));
  }
}

TEST_F(PageRecycling, RegionsLessAlignedThanAHeapPageAreNeverRecycled) {
  // WebAssembly memory is aligned to its 64 KiB pages and must read as zero: a recycled heap
  // page handed to a WebAssembly.Memory showed one worker another's heap.
  void* heapPage = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite);
  memset(heapPage, 7, PAGE);
  ASSERT_TRUE(pages.FreePages(heapPage, PAGE));
  ASSERT_EQ(pages.kept(), 1u);
  auto* memory = static_cast<unsigned char*>(
      pages.AllocatePages(nullptr, PAGE, 65536, Permission::kNoAccess));
  ASSERT_NE(memory, nullptr);
  EXPECT_NE(static_cast<void*>(memory), heapPage);
  EXPECT_EQ(pages.kept(), 1u);
  EXPECT_EQ(protectionAt(memory), "---");  // inaccessible at once, not lazily
  ASSERT_TRUE(pages.SetPermissions(memory, PAGE, Permission::kReadWrite));
  for (size_t i = 0; i < PAGE; i += 4096) ASSERT_EQ(memory[i], 0);
  memset(memory, 9, PAGE);
  ASSERT_TRUE(pages.FreePages(memory, PAGE));
  EXPECT_EQ(pages.kept(), 1u);  // unmapped, not kept
  EXPECT_EQ(protectionAt(memory), "unmapped");
}

TEST_F(PageRecycling, ALargeRegionComesBackReadingAsZero) {
  size_t large = 8 * PAGE * 4;
  auto* range = static_cast<unsigned char*>(
      pages.AllocatePages(nullptr, large, 4096, Permission::kNoAccess));
  ASSERT_TRUE(pages.SetPermissions(range + PAGE, PAGE, Permission::kReadWrite));
  memset(range + PAGE, 5, PAGE);
  ASSERT_TRUE(pages.FreePages(range, large));
  EXPECT_EQ(pages.kept(), 1u);
  auto* again = static_cast<unsigned char*>(
      pages.AllocatePages(nullptr, large, 4096, Permission::kNoAccess));
  EXPECT_EQ(again, range);
  EXPECT_EQ(residentPages(again + PAGE, PAGE), 0u);
  ASSERT_TRUE(pages.SetPermissions(again + PAGE, PAGE, Permission::kReadWrite));
  for (size_t i = 0; i < PAGE; i += 512) ASSERT_EQ(again[PAGE + i], 0);
  ASSERT_TRUE(pages.FreePages(again, large));
}

TEST_F(PageRecycling, OnlyRegularHeapPagesStayWholeWhenShrunk) {
  // A large object's page can shrink at every collection: it is shrunk for real.
  size_t length = 2 * PAGE;
  auto* chunk = static_cast<char*>(pages.AllocatePages(nullptr, length, PAGE, Permission::kReadWrite));
  ASSERT_TRUE(pages.ReleasePages(chunk, length, PAGE));
  EXPECT_EQ(protectionAt(chunk + PAGE), "unmapped");
  ASSERT_TRUE(pages.FreePages(chunk, PAGE));
}

TEST_F(PageRecycling, AShrunkHeapPageStaysWholeAndItsTailIsGivenBackLater) {
  void* page = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite);
  ASSERT_NE(page, nullptr);
  memset(page, 1, PAGE);
  ASSERT_TRUE(pages.ReleasePages(page, PAGE, 8192));
  void* tail = static_cast<char*>(page) + 8192;
  // Not yet: a page of an isolate that is gone soon comes back whole and resident.
  pages.discardTails(std::chrono::hours(1));
  EXPECT_EQ(residentPages(tail, PAGE - 8192), (PAGE - 8192) / 4096);
  EXPECT_EQ(protectionAt(tail), "rw-");
  // Held longer than that: the tail's memory is given back and it is protected.
  pages.discardTails(std::chrono::steady_clock::duration::zero());
  EXPECT_EQ(residentPages(tail, PAGE - 8192), 0u);
  EXPECT_EQ(protectionAt(tail), "---");
  EXPECT_EQ(static_cast<unsigned char*>(page)[8191], 1);
  // Freed with the length V8 kept, cached whole, and handed out whole and usable again.
  ASSERT_TRUE(pages.FreePages(page, 8192));
  EXPECT_EQ(pages.kept(), 1u);
  void* again = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kNoAccess);
  EXPECT_EQ(again, page);
  ASSERT_TRUE(pages.SetPermissions(again, PAGE, Permission::kReadWrite));
  EXPECT_EQ(protectionAt(tail), "rw-");
  static_cast<unsigned char*>(again)[PAGE - 1] = 2;
  ASSERT_TRUE(pages.FreePages(again, PAGE));
}

TEST_F(PageRecycling, TakingAWholeHeapPageAwayIsDeferredUntilPartOfItChanges) {
  void* page = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kNoAccess);
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(protectionAt(page), "---");  // fresh: really inaccessible
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kReadWrite));
  memset(page, 3, PAGE);
  // Uncommitted whole (V8's page pool) and recommitted whole: no protection change at all.
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kNoAccess));
  EXPECT_EQ(pages.lazyCount(), 1u);
  EXPECT_EQ(protectionAt(page), "rw-");
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kNoAccess));
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kReadWrite));
  EXPECT_EQ(pages.lazyCount(), 0u);
  EXPECT_EQ(static_cast<unsigned char*>(page)[PAGE - 1], 3);
  // Part of a lazy page granted: the rest is protected first.
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kNoAccess));
  ASSERT_TRUE(pages.SetPermissions(page, 4096, Permission::kReadWrite));
  EXPECT_EQ(pages.lazyCount(), 0u);
  EXPECT_EQ(protectionAt(page), "rw-");
  EXPECT_EQ(protectionAt(static_cast<char*>(page) + 4096), "---");
  // Part of a page taken away: at once.
  ASSERT_TRUE(pages.SetPermissions(page, PAGE, Permission::kReadWrite));
  ASSERT_TRUE(pages.SetPermissions(page, 4096, Permission::kNoAccess));
  EXPECT_EQ(pages.lazyCount(), 0u);
  EXPECT_EQ(protectionAt(page), "---");
  // A recycled page reserved inaccessible is lazy until granted; freeing it forgets that.
  ASSERT_TRUE(pages.FreePages(page, PAGE));
  void* again = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kNoAccess);
  EXPECT_EQ(again, page);
  EXPECT_EQ(pages.lazyCount(), 1u);
  ASSERT_TRUE(pages.FreePages(again, PAGE));
  EXPECT_EQ(pages.lazyCount(), 0u);
  // A decommit of a lazy page leaves it really inaccessible (and zeroed).
  again = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kNoAccess);
  ASSERT_TRUE(pages.DecommitPages(again, PAGE));
  EXPECT_EQ(pages.lazyCount(), 0u);
  EXPECT_EQ(protectionAt(again), "---");
  ASSERT_TRUE(pages.FreePages(again, PAGE));
}

TEST_F(PageRecycling, PartsOfLargerReservationsAreProtectedAtOnce) {
  // A code range or a WebAssembly memory: its pages may hold code or sit beside guard regions.
  size_t large = 8 * PAGE * 4;
  char* range = static_cast<char*>(pages.AllocatePages(nullptr, large, PAGE, Permission::kNoAccess));
  ASSERT_NE(range, nullptr);
  ASSERT_TRUE(pages.SetPermissions(range + PAGE, PAGE, Permission::kReadWrite));
  EXPECT_EQ(protectionAt(range + PAGE), "rw-");
  ASSERT_TRUE(pages.SetPermissions(range + PAGE, PAGE, Permission::kNoAccess));
  EXPECT_EQ(pages.lazyCount(), 0u);
  EXPECT_EQ(protectionAt(range + PAGE), "---");
  // Handed out again from the cache, a large reservation is inaccessible at once.
  ASSERT_TRUE(pages.SetPermissions(range, PAGE, Permission::kReadWrite));
  ASSERT_TRUE(pages.FreePages(range, large));
  char* again = static_cast<char*>(pages.AllocatePages(nullptr, large, PAGE, Permission::kNoAccess));
  EXPECT_EQ(again, range);
  EXPECT_EQ(protectionAt(again), "---");
  ASSERT_TRUE(pages.FreePages(again, large));
}

TEST_F(PageRecycling, BoundedAndTrimmedWhenIdle) {
  std::vector<void*> regions;
  for (int i = 0; i < 600; i++) {
    regions.push_back(pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite));
  }
  for (void* r: regions) ASSERT_TRUE(pages.FreePages(r, PAGE));
  EXPECT_EQ(pages.kept(), 512u);  // the rest were unmapped
  pages.trim();
  EXPECT_EQ(pages.kept(), 32u);
}

}  // namespace
}  // namespace loaderd
