#include "compat.h"

#include <kj/debug.h>
#include <kj/vector.h>
#include <ctime>
#include <cstring>
#include <cstdlib>

namespace loaderd {

namespace {

struct FlagInfo {
  const char* enable;
  const char* disable;       // may be nullptr
  const char* impliedSince;  // date from which it is on by default; nullptr if never
  bool experimental;
  bool Compatibility::*field; // nullptr for flags accepted without effect yet
  // workerd's impliedByAfterDate: on (unless set explicitly) when `impliedBy` is on and the date
  // is `impliedByDate` or later.
  bool Compatibility::*impliedBy = nullptr;
  const char* impliedByDate = nullptr;
};

// TODO(conformance): grow this table with the flags that later features honour.
constexpr FlagInfo FLAGS[] = {
    {"nodejs_compat", "no_nodejs_compat", nullptr, false, &Compatibility::nodejsCompat},
    {"nodejs_compat_v2", "no_nodejs_compat_v2", nullptr, false, &Compatibility::nodejsCompatV2,
     &Compatibility::nodejsCompat, "2024-09-23"},
    {"cache_option_enabled", "cache_option_disabled", "2024-11-11", false,
     &Compatibility::cacheOption},
    {"cache_no_cache_enabled", "cache_no_cache_disabled", nullptr, false,
     &Compatibility::cacheNoCache, &Compatibility::cacheOption, "2025-08-07"},
    {"experimental", nullptr, nullptr, true, &Compatibility::experimental},
    {"enable_ctx_exports", "disable_ctx_exports", "2025-11-17", false, &Compatibility::ctxExports},
    {"enhanced_error_serialization", "legacy_error_serialization", "2026-04-21", false,
     &Compatibility::enhancedErrorSerialization},
    {"global_fetch_strictly_public", "global_fetch_private_origin", nullptr, false,
     &Compatibility::globalFetchStrictlyPublic},
    {"rpc", "no_rpc", "2024-04-03", false, nullptr},
    {"streams_enable_constructors", "streams_disable_constructors", "2022-11-30", false, nullptr},
    {"transformstream_enable_standard_constructor", "transformstream_disable_standard_constructor",
     "2022-11-30", false, nullptr},
    {"url_standard", "url_original", "2022-10-31", false, nullptr},
    {"nodejs_als", "no_nodejs_als", nullptr, false, nullptr},
    {"python_workers", nullptr, nullptr, false, nullptr},
    {"no_global_navigator", "global_navigator", nullptr, false, nullptr},
    {"allow_eval_during_startup", "disallow_eval_during_startup", "2025-06-01", false, nullptr},
};

[[noreturn]] void fail(kj::StringPtr message) {
  kj::throwFatalException(KJ_EXCEPTION(FAILED, kj::str("js.Error: ", message)));
}

}  // namespace

bool isValidDateSyntax(kj::StringPtr date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (kj::uint i: {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  int year = atoi(date.slice(0).cStr());
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  int day = (date[8] - '0') * 10 + (date[9] - '0');
  return year >= 2000 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

kj::String todayUtc() {
  time_t now = time(nullptr);
  struct tm tm;
  gmtime_r(&now, &tm);
  char buf[16];
  strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return kj::str(buf);
}

Compatibility compileCompatibility(kj::Maybe<kj::StringPtr> maybeDate,
                                   kj::ArrayPtr<const kj::String> flags,
                                   AllowExperimental allowExperimental, kj::StringPtr today) {
  Compatibility result;
  kj::StringPtr date;
  KJ_IF_MAYBE(d, maybeDate) {
    date = *d;
  } else {
    fail("Invalid compatibility date: undefined");
  }
  if (!isValidDateSyntax(date)) fail(kj::str("Invalid compatibility date: ", date));
  if (strcmp(date.cStr(), MAX_COMPATIBILITY_DATE) > 0) {
    fail(kj::str("This Worker requires compatibility date \"", date,
                 "\", but the newest date supported by this server binary is \"",
                 MAX_COMPATIBILITY_DATE, "\"."));
  }
  if (strcmp(date.cStr(), today.cStr()) > 0) {
    fail(kj::str("Can't set compatibility date in the future: \"", date,
                 "\". Today's date (UTC) is \"", today, "\"."));
  }
  result.date = kj::str(date);

  // Date-implied defaults first, then explicit flags.
  for (auto& info: FLAGS) {
    if (info.impliedSince != nullptr && info.field != nullptr &&
        strcmp(date.cStr(), info.impliedSince) >= 0) {
      result.*info.field = true;
    }
  }

  kj::Vector<kj::StringPtr> seen;
  for (auto& flag: flags) {
    for (auto& s: seen) {
      if (s == flag) fail(kj::str("Compatibility flag specified multiple times: ", flag));
    }
    seen.add(flag);
  }
  for (auto& flag: flags) {
    const FlagInfo* found = nullptr;
    bool enable = true;
    for (auto& info: FLAGS) {
      if (flag == info.enable) {
        found = &info;
      } else if (info.disable != nullptr && flag == info.disable) {
        found = &info;
        enable = false;
      }
    }
    if (found == nullptr) fail(kj::str("No such compatibility flag: ", flag));
    if (found->disable != nullptr) {
      kj::StringPtr other = enable ? found->disable : found->enable;
      for (auto& f: flags) {
        if (f == other) {
          fail(kj::str("Compatibility flags are mutually contradictory: ", found->enable, " vs ",
                       found->disable));
        }
      }
    }
    if (found->experimental && allowExperimental == AllowExperimental::NO) {
      fail(kj::str("The compatibility flag ", flag,
                   " is experimental and may break or be removed in a future version of workerd. "
                   "To use this flag, you must pass --experimental on the command line."));
    }
    if (found->field != nullptr) result.*found->field = enable;
  }

  // Implications, for what no flag set explicitly.
  for (auto& info: FLAGS) {
    if (info.impliedBy == nullptr || !(result.*info.impliedBy) ||
        strcmp(date.cStr(), info.impliedByDate) < 0) {
      continue;
    }
    bool explicitlySet = false;
    for (auto& flag: flags) {
      explicitlySet = explicitlySet || flag == info.enable ||
                      (info.disable != nullptr && flag == info.disable);
    }
    if (!explicitlySet) result.*info.field = true;
  }
  return result;
}

}  // namespace loaderd
