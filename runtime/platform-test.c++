#include "platform.h"

#include <gtest/gtest.h>
#include <cstring>
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
  void* region = pages.AllocatePages(nullptr, PAGE, PAGE, Permission::kReadWrite);
  ASSERT_NE(region, nullptr);
  // Shrunk to a length nobody asks for: unmapped, not kept.
  ASSERT_TRUE(pages.ReleasePages(region, PAGE, 8192));
  ASSERT_TRUE(pages.FreePages(region, 8192));
  EXPECT_EQ(pages.kept(), 0u);
  // A kept region is not handed out for a stricter alignment it does not meet.
  void* small = pages.AllocatePages(nullptr, 65536, 4096, Permission::kReadWrite);
  ASSERT_TRUE(pages.FreePages(small, 65536));
  size_t strict = size_t(1) << 30;
  if (reinterpret_cast<uintptr_t>(small) % strict != 0) {
    void* other = pages.AllocatePages(nullptr, 65536, strict, Permission::kReadWrite);
    EXPECT_NE(other, small);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(other) % strict, 0u);
    ASSERT_TRUE(pages.FreePages(other, 65536));
  }
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
