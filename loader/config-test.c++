#include "config.h"

#include <gtest/gtest.h>
#include <kj/debug.h>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace loaderd {
namespace {

class ConfigTest: public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/loaderd-config-test-XXXXXX";
    dir = mkdtemp(tmpl);
    std::ofstream(dir + "/index.js") << "export default {}";
  }
  void TearDown() override { system(("rm -rf " + dir).c_str()); }

  std::string errorOf(const char* yaml) {
    try {
      parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"), yaml);
    } catch (ConfigError& e) {
      std::string msg = e.message.cStr();
      return msg.substr(msg.find("loaderd.yaml"));
    }
    return "ok";
  }
  std::string dir;
};

TEST_F(ConfigTest, ParsesWorkers) {
  auto config = parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"), R"(
listen: 127.0.0.1:9000
main: api
workers:
  api:
    main: index.js
    compatibility_date: "2025-06-01"
    compatibility_flags: [nodejs_compat]
    bindings:
      GREETING: { text: "hello" }
      SETTINGS: { json: { retries: 3, name: "x", on: true, list: [1, "2"] } }
    limits: { cpu_ms: 50, memory_mb: 128, subrequests: 50 }
)");
  EXPECT_EQ(config.listen, "127.0.0.1:9000");
  auto& w = config.mainWorker();
  EXPECT_EQ(w.mainModule, "index.js");
  EXPECT_TRUE(w.compat.nodejsCompat);
  ASSERT_EQ(w.bindings.size(), 2u);
  EXPECT_EQ(w.bindings[0].value, "hello");
  EXPECT_EQ(w.bindings[1].value, R"({"retries":3,"name":"x","on":true,"list":[1,"2"]})");
  EXPECT_EQ(KJ_ASSERT_NONNULL(w.limits.cpuMs), 50);
  EXPECT_EQ(w.globalOutbound, "internet");
}

TEST_F(ConfigTest, ErrorsNameFileLineAndField) {
  EXPECT_EQ(errorOf("workers:\n  api:\n    main: 5x.js\n    compatibility_date: '2025-06-01'\n"),
            "loaderd.yaml:3:11: workers.api.main: no such file: " + dir + "/5x.js");
  EXPECT_EQ(errorOf("workers:\n  api:\n    main: index.js\n"),
            "loaderd.yaml:3:5: workers.api.compatibility_date: required (YYYY-MM-DD)");
  EXPECT_EQ(errorOf("workers:\n  api:\n    main: index.js\n    compatibility_date: banana\n"),
            "loaderd.yaml:4:25: workers.api.compatibility_date: Invalid compatibility date: "
            "banana");
  EXPECT_EQ(errorOf("workers:\n  api:\n    main: index.js\n    compatibility_date: 2025-06-01\n"
                    "    compatibility_flags: [bogus]\n"),
            "loaderd.yaml:5:26: workers.api.compatibility_flags: No such compatibility flag: "
            "bogus");
  EXPECT_EQ(errorOf("workers:\n  api:\n    mian: index.js\n"),
            "loaderd.yaml:3:5: workers.api.mian: unknown field (expected one of: main, root, "
            "compatibility_date, compatibility_flags, bindings, global_outbound, limits)");
  EXPECT_EQ(errorOf("workers: [\n"), "loaderd.yaml:2:1: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(errorOf("workers:\n  api:\n    main: index.js\n    compatibility_date: 2025-06-01\n"
                    "    limits: { cpu_ms: fast }\n"),
            "loaderd.yaml:5:23: workers.api.limits.cpu_ms: expected a non-negative number, got "
            "\"fast\"");
  EXPECT_EQ(errorOf("main: nope\nworkers:\n  api:\n    main: index.js\n"
                    "    compatibility_date: 2025-06-01\n"),
            "loaderd.yaml:1:7: main: no worker named \"nope\" under `workers`");
}

TEST_F(ConfigTest, LoaderCache) {
  const char* worker = "workers:\n  api:\n    main: index.js\n    compatibility_date: 2025-06-01\n";
  auto defaults = parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"), worker).loader;
  EXPECT_EQ(defaults.maxCachedWorkers, 256u);
  EXPECT_EQ(defaults.maxCachedMemoryMb, 1024);
  EXPECT_EQ(defaults.idleTimeoutMs, 600000);
  EXPECT_EQ(defaults.maxLiveAnonymous, 256u);
  auto set = parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"),
                         kj::str("loader: { max_cached_workers: 3, max_cached_memory_mb: 64, "
                                 "idle_timeout_ms: 0, max_live_anonymous: 10 }\n", worker)).loader;
  EXPECT_EQ(set.maxCachedWorkers, 3u);
  EXPECT_EQ(set.maxCachedMemoryMb, 64);
  EXPECT_EQ(set.idleTimeoutMs, 0);
  EXPECT_EQ(set.maxLiveAnonymous, 10u);
  EXPECT_EQ(errorOf(kj::str("loader: { max_cached_workers: 2.5 }\n", worker).cStr()),
            "loaderd.yaml:1:31: loader.max_cached_workers: expected a whole number from 1 to "
            "1000000");
  EXPECT_EQ(errorOf(kj::str("loader: { max_cached_workers: 0 }\n", worker).cStr()),
            "loaderd.yaml:1:31: loader.max_cached_workers: expected a whole number from 1 to "
            "1000000");
  EXPECT_EQ(errorOf(kj::str("loader: { idle_timeout: 5 }\n", worker).cStr()),
            "loaderd.yaml:1:11: loader.idle_timeout: unknown field (expected one of: "
            "max_cached_workers, max_cached_memory_mb, idle_timeout_ms, max_live_anonymous)");
  EXPECT_EQ(errorOf(kj::str("loader: { max_cached_memory_mb: 0.5 }\n", worker).cStr()),
            "loaderd.yaml:1:33: loader.max_cached_memory_mb: expected at least 1");
}

TEST_F(ConfigTest, V8Flags) {
  const char* worker = "workers:\n  api:\n    main: index.js\n    compatibility_date: 2025-06-01\n";
  auto config = parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"),
                            kj::str("v8_flags: [--expose-gc, --stack-size=900]\n", worker));
  ASSERT_EQ(config.v8Flags.size(), 2u);
  EXPECT_EQ(config.v8Flags[0], "--expose-gc");
  EXPECT_EQ(config.v8Flags[1], "--stack-size=900");
  EXPECT_EQ(parseConfig(kj::str(dir.c_str(), "/loaderd.yaml"), worker).v8Flags.size(), 0u);
  EXPECT_EQ(errorOf(kj::str("v8_flags: --expose-gc\n", worker).cStr()),
            "loaderd.yaml:1:11: v8_flags: expected a list of strings");
  EXPECT_EQ(errorOf(kj::str("v8_flags: [\"--expose-gc --jitless\"]\n", worker).cStr()),
            "loaderd.yaml:1:12: v8_flags: expected one V8 flag per item, like --expose-gc, got "
            "\"--expose-gc --jitless\"");
  EXPECT_EQ(errorOf(kj::str("v8_flags: [expose-gc]\n", worker).cStr()),
            "loaderd.yaml:1:12: v8_flags: expected one V8 flag per item, like --expose-gc, got "
            "\"expose-gc\"");
}

TEST_F(ConfigTest, TrustedCertificates) {
  const char* workers = "workers:\n  api:\n    main: index.js\n    compatibility_date: 2025-06-01\n";
  EXPECT_EQ(errorOf((std::string("outbound: { trusted_certificates: ca.pem }\n") + workers).c_str()),
            "loaderd.yaml:1:35: outbound.trusted_certificates: cannot read " + dir + "/ca.pem");
  std::ofstream(dir + "/bad.pem") << "not a certificate";
  EXPECT_EQ(errorOf((std::string("outbound: { trusted_certificates: bad.pem }\n") + workers).c_str()),
            "loaderd.yaml:1:35: outbound.trusted_certificates: " + dir +
                "/bad.pem holds no PEM certificate we can read");
  EXPECT_EQ(errorOf((std::string("outbound: { trusted_cert: x }\n") + workers).c_str()),
            "loaderd.yaml:1:13: outbound.trusted_cert: unknown field (expected one of: "
            "allow_private, trusted_certificates)");
}

}  // namespace
}  // namespace loaderd
