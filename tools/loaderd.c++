// The loaderd command line: serve, check, version.
#include "loader/server.h"

#include <kj/async-unix.h>
#include <kj/debug.h>
#include <csignal>
#include <cstdio>
#include <cstring>

#ifndef LOADERD_VERSION
#define LOADERD_VERSION "0.1.0"
#endif

namespace loaderd {
namespace {

constexpr const char* USAGE =
    "usage:\n"
    "  loaderd serve [CONFIG] [--listen HOST:PORT]   serve the config's main worker\n"
    "  loaderd check CONFIG                          validate config, compile every module\n"
    "  loaderd version                               print the version\n"
    "\n"
    "CONFIG is a loaderd.yaml file or a folder holding one (default: the current folder).\n";

int fail(kj::StringPtr message) {
  fprintf(stderr, "loaderd: error: %s\n", message.cStr());
  return 1;
}

int usageError(kj::StringPtr message) {
  fprintf(stderr, "loaderd: %s\n%s", message.cStr(), USAGE);
  return 2;
}

int serveOrCheck(const char* argv0, bool serve, kj::StringPtr configPath,
                 kj::Maybe<kj::StringPtr> listen) {
  Config config;
  try {
    config = loadConfig(configPath);
  } catch (ConfigError& e) {
    return fail(e.message);
  }
  if (serve) {
    // Before V8 starts its threads, so that they inherit the blocked signal mask.
    kj::UnixEventPort::captureSignal(SIGINT);
    kj::UnixEventPort::captureSignal(SIGTERM);
  }
  kj::Maybe<Platform> maybePlatform;
  try {
    maybePlatform.emplace(argv0, config.v8Flags);
  } catch (UnknownV8Flag& e) {
    return fail(kj::str(config.path, ": v8_flags: this V8 has no flag ", e.flag));
  }
  auto& platform = KJ_ASSERT_NONNULL(maybePlatform);
  signal(SIGPIPE, SIG_IGN);
  auto io = kj::setupAsyncIo();
  // Destroyed after the server and before the event loop: runs the turns that release what the
  // workers left to a later turn (Worker::releaseLater(), objects a GC collected), which would
  // otherwise still be queued when the event loop goes.
  struct RunLeftoverTurns {
    kj::WaitScope& waitScope;
    ~RunLeftoverTurns() noexcept(false) { waitScope.poll(); }
  } leftovers{io.waitScope};
  Server server(platform, io, kj::mv(config));
  try {
    server.startWorkers();
  } catch (StartupError& e) {
    return fail(e.message);
  }
  if (!serve) {
    printf("loaderd: %s: ok (%zu worker%s)\n", server.config().path.cStr(),
           server.config().workers.size(), server.config().workers.size() == 1 ? "" : "s");
    return 0;
  }
  auto mainName = kj::str(server.config().main);
  auto serving = server.listen(listen, [&](kj::StringPtr address) {
    printf("loaderd: serving worker \"%s\" on http://%s\n", mainName.cStr(), address.cStr());
    fflush(stdout);
  });
  auto signalled = io.unixEventPort.onSignal(SIGINT)
                       .exclusiveJoin(io.unixEventPort.onSignal(SIGTERM))
                       .ignoreResult();
  try {
    serving.exclusiveJoin(kj::mv(signalled)).wait(io.waitScope);
  } catch (kj::Exception& e) {
    return fail(e.getDescription());
  }
  return 0;
}

int run(int argc, char** argv) {
  if (argc < 2) return usageError("missing command");
  kj::StringPtr command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    printf("loaderd %s: a self-hosted, Cloudflare-compatible Workers runtime\n\n%s",
           LOADERD_VERSION, USAGE);
    return 0;
  }
  if (command == "version" || command == "--version") {
    printf("loaderd %s (V8 %s, newest compatibility date %s)\n", LOADERD_VERSION,
           v8::V8::GetVersion(), MAX_COMPATIBILITY_DATE);
    return 0;
  }
  if (command == "serve" || command == "check") {
    kj::Maybe<kj::StringPtr> config;
    kj::Maybe<kj::StringPtr> listen;
    for (int i = 2; i < argc; i++) {
      kj::StringPtr arg = argv[i];
      if (arg == "--listen") {
        if (i + 1 >= argc) return usageError("--listen needs HOST:PORT");
        listen = kj::StringPtr(argv[++i]);
      } else if (arg.startsWith("--listen=")) {
        listen = arg.slice(strlen("--listen="));
      } else if (arg.startsWith("-")) {
        return usageError(kj::str("unknown option ", arg));
      } else if (config == nullptr) {
        config = arg;
      } else {
        return usageError(kj::str("unexpected argument ", arg));
      }
    }
    if (command == "check" && config == nullptr) return usageError("check needs CONFIG");
    if (command == "check" && listen != nullptr) return usageError("check takes no --listen");
    kj::StringPtr path = ".";
    KJ_IF_MAYBE(c, config) { path = *c; }
    return serveOrCheck(argv[0], command == "serve", path, listen);
  }
  return usageError(kj::str("unknown command ", command));
}

}  // namespace
}  // namespace loaderd

int main(int argc, char** argv) {
  return loaderd::run(argc, argv);
}
