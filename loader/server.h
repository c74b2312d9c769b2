// The supervisor: starts the configured workers and serves the main one over HTTP.
#pragma once

#include "config.h"
#include "runtime/worker.h"
#include <kj/async-io.h>
#include <kj/compat/http.h>

namespace loaderd {

class Server {
public:
  Server(Platform& platform, kj::AsyncIoContext& io, Config config);
  ~Server() noexcept(false);

  // Starts every worker; throws StartupError (with the worker named) on the first failure.
  void startWorkers();

  // Listens on `listen` (or the config's address) and serves until the promise is dropped.
  // `onListening` receives the bound address, e.g. "127.0.0.1:41234".
  kj::Promise<void> listen(kj::Maybe<kj::StringPtr> listen,
                           kj::Function<void(kj::StringPtr)> onListening);

  const Config& config() const { return config_; }

private:
  Platform& platform;
  kj::AsyncIoContext& io;
  Config config_;
  kj::HttpHeaderTable headerTable;
  kj::Vector<kj::Own<Worker>> workers;
  kj::Maybe<kj::Own<kj::HttpServer>> httpServer;

  Worker& mainWorker();
};

}  // namespace loaderd
