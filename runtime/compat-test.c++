#include "compat.h"

#include <gtest/gtest.h>
#include <kj/debug.h>
#include <kj/vector.h>

namespace loaderd {
namespace {

kj::String errorOf(kj::Maybe<kj::StringPtr> date, std::initializer_list<const char*> flagList,
                   AllowExperimental allow = AllowExperimental::NO) {
  kj::Vector<kj::String> flags;
  for (auto* f: flagList) flags.add(kj::str(f));
  try {
    compileCompatibility(date, flags, allow, "2026-11-24");
  } catch (kj::Exception& e) {
    return kj::str(e.getDescription());
  }
  return kj::str("ok");
}

TEST(Compat, AcceptsValidDateAndFlags) {
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"nodejs_compat"}), "ok");
  kj::String flags[] = {kj::str("nodejs_compat")};
  auto c = compileCompatibility("2025-06-01"_kj, flags, AllowExperimental::NO, "2026-11-24");
  EXPECT_TRUE(c.nodejsCompat);
  EXPECT_FALSE(c.ctxExports);
}

TEST(Compat, DateImpliedFlags) {
  auto c = compileCompatibility("2026-05-01"_kj, {}, AllowExperimental::NO, "2026-11-24");
  EXPECT_TRUE(c.ctxExports);
  EXPECT_TRUE(c.enhancedErrorSerialization);
  auto old = compileCompatibility("2025-01-01"_kj, {}, AllowExperimental::NO, "2026-11-24");
  EXPECT_FALSE(old.ctxExports);
}

// workerd's impliedByAfterDate: a flag on when another is on and the date has come, unless a
// flag sets it explicitly.
TEST(Compat, ImpliedByOtherFlags) {
  auto compile = [](const char* date, std::initializer_list<const char*> list) {
    kj::Vector<kj::String> flags;
    for (auto* f: list) flags.add(kj::str(f));
    return compileCompatibility(kj::StringPtr(date), flags, AllowExperimental::NO, "2026-11-24");
  };
  EXPECT_FALSE(compile("2024-09-22", {"nodejs_compat"}).nodejsCompatV2);
  EXPECT_TRUE(compile("2024-09-23", {"nodejs_compat"}).nodejsCompatV2);
  EXPECT_FALSE(compile("2025-06-01", {}).nodejsCompatV2);
  EXPECT_FALSE(compile("2025-06-01", {"nodejs_compat", "no_nodejs_compat_v2"}).nodejsCompatV2);
  auto v2Only = compile("2023-01-01", {"nodejs_compat_v2"});
  EXPECT_TRUE(v2Only.nodejsCompatV2);
  EXPECT_TRUE(v2Only.nodeModules());
  EXPECT_FALSE(compile("2024-11-10", {}).cacheOption);
  EXPECT_TRUE(compile("2024-11-11", {}).cacheOption);
  EXPECT_FALSE(compile("2025-08-06", {}).cacheNoCache);
  EXPECT_TRUE(compile("2025-08-07", {}).cacheNoCache);
  auto disabled = compile("2025-09-01", {"cache_option_disabled"});
  EXPECT_FALSE(disabled.cacheOption);
  EXPECT_FALSE(disabled.cacheNoCache);
  EXPECT_TRUE(compile("2023-01-01", {"cache_option_enabled", "cache_no_cache_enabled"}).cacheNoCache);
}

TEST(Compat, WorkerdMessages) {
  EXPECT_EQ(errorOf(nullptr, {}), "js.Error: Invalid compatibility date: undefined");
  EXPECT_EQ(errorOf("banana"_kj, {}), "js.Error: Invalid compatibility date: banana");
  EXPECT_EQ(errorOf("2099-01-01"_kj, {}),
            "js.Error: This Worker requires compatibility date \"2099-01-01\", but the newest "
            "date supported by this server binary is \"2026-11-24\".");
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"no_such_flag"}),
            "js.Error: No such compatibility flag: no_such_flag");
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"nodejs_compat", "nodejs_compat"}),
            "js.Error: Compatibility flag specified multiple times: nodejs_compat");
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"nodejs_compat", "no_nodejs_compat"}),
            "js.Error: Compatibility flags are mutually contradictory: nodejs_compat vs "
            "no_nodejs_compat");
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"experimental"}),
            "js.Error: The compatibility flag experimental is experimental and may break or be "
            "removed in a future version of workerd. To use this flag, you must pass "
            "--experimental on the command line.");
  EXPECT_EQ(errorOf("2025-06-01"_kj, {"experimental"}, AllowExperimental::YES), "ok");
}

TEST(Compat, DateSyntax) {
  EXPECT_TRUE(isValidDateSyntax("2025-01-31"));
  EXPECT_FALSE(isValidDateSyntax("2025-13-01"));
  EXPECT_FALSE(isValidDateSyntax("1999-01-01"));
  EXPECT_FALSE(isValidDateSyntax("2025-1-01"));
  EXPECT_EQ(todayUtc().size(), 10u);
}

}  // namespace
}  // namespace loaderd
