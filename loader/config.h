// loaderd.yaml: parsing and validation. Every error names the file, the position, the field and
// what was expected, in one line.
#pragma once

#include "bindings/env.h"
#include "runtime/compat.h"
#include <kj/string.h>
#include <kj/array.h>

namespace loaderd {

struct Limits {
  kj::Maybe<double> cpuMs;
  kj::Maybe<double> memoryMb;
  kj::Maybe<double> subrequests;
  kj::Maybe<double> wallMs;
};

struct WorkerConfig {
  kj::String name;
  kj::String root;        // absolute folder the worker's modules are confined to
  kj::String mainModule;  // relative to root
  Compatibility compat;
  kj::Array<kj::String> compatibilityFlags;
  kj::Array<BindingSpec> bindings;
  kj::String globalOutbound;  // "internet", "none" or a worker name
  Limits limits;
};

// loader: how each Worker Loader namespace (one per binding id) keeps dynamic workers.
struct LoaderCacheConfig {
  size_t maxCachedWorkers = 256;      // named workers kept warm; least recently used go first
  double maxCachedMemoryMb = 1024;    // their V8 heaps together; least recently used go first
  double idleTimeoutMs = 600000;      // a named worker unused this long is evicted (0: never)
  size_t maxLiveAnonymous = 256;      // anonymous workers (load(), get(null)) alive at once
};

struct Config {
  kj::String path;    // the config file
  // outbound.trusted_certificates: PEM certificates (a private CA) trusted for HTTPS fetch() and
  // TLS sockets besides the system's store; empty for none.
  kj::String outboundTrustedCertificates;
  bool outboundAllowPrivate = false;  // outbound.allow_private: internet fetch() may reach
                                      // loopback and private addresses (local development)
  kj::String listen;  // HOST:PORT
  kj::String main;    // the worker serving `listen`
  // v8_flags: passed to V8 before it starts, for every isolate in the process (as workerd's
  // `v8Flags`). For testing and diagnosis: e.g. `--expose-gc` gives every worker `gc()`.
  kj::Array<kj::String> v8Flags;
  LoaderCacheConfig loader;
  kj::Array<WorkerConfig> workers;

  const WorkerConfig& mainWorker() const;
};

// A config that cannot be used; `message` is the one line to print.
struct ConfigError {
  kj::String message;
};

// Loads CONFIG: a loaderd.yaml file, or a folder holding one. Throws ConfigError.
Config loadConfig(kj::StringPtr path);

// Parses YAML text as if read from `path` (whose folder anchors relative paths).
Config parseConfig(kj::StringPtr path, kj::StringPtr text);

}  // namespace loaderd
