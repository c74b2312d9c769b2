// Compatibility dates and flags, validated with workerd's messages (spec/worker-loader.md §4).
#pragma once

#include <kj/string.h>
#include <kj/array.h>
#include <kj/common.h>

namespace loaderd {

// The newest compatibility date this binary supports.
constexpr const char* MAX_COMPATIBILITY_DATE = "2026-11-24";

// Resolved compatibility settings of one worker.
struct Compatibility {
  kj::String date;  // YYYY-MM-DD
  bool nodejsCompat = false;
  bool experimental = false;
  bool ctxExports = false;
  bool enhancedErrorSerialization = false;
  bool globalFetchStrictlyPublic = false;
  // nodejs_compat_v2 (implied by nodejs_compat from 2024-09-23): the Buffer and process globals.
  bool nodejsCompatV2 = false;
  // cache_option_enabled (2024-11-11): RequestInit's `cache` ("no-store"); cache_no_cache_enabled
  // (implied by it from 2025-08-07): "no-cache" too.
  bool cacheOption = false;
  bool cacheNoCache = false;

  // node:* modules: nodejs_compat or nodejs_compat_v2.
  bool nodeModules() const { return nodejsCompat || nodejsCompatV2; }
  Compatibility clone() const {
    return Compatibility{kj::str(date), nodejsCompat, experimental, ctxExports,
                         enhancedErrorSerialization, globalFetchStrictlyPublic, nodejsCompatV2,
                         cacheOption, cacheNoCache};
  }
};

enum class AllowExperimental { NO, YES };

// Validates a date and flags. Throws kj exceptions whose description is the exact workerd
// message prefixed with "js.Error: " (so JS sees `Error: <message>`). `today` is YYYY-MM-DD (UTC).
Compatibility compileCompatibility(kj::Maybe<kj::StringPtr> date,
                                   kj::ArrayPtr<const kj::String> flags,
                                   AllowExperimental allowExperimental, kj::StringPtr today);

// Today's date in UTC as YYYY-MM-DD.
kj::String todayUtc();

// True if `date` is a syntactically valid YYYY-MM-DD compatibility date.
bool isValidDateSyntax(kj::StringPtr date);

}  // namespace loaderd
