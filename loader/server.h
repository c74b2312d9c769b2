// The supervisor: starts the configured workers and serves the main one over HTTP.
#pragma once

#include "config.h"
#include "namespace.h"
#include "runtime/worker.h"
#include <kj/async-io.h>
#include <kj/compat/http.h>

namespace loaderd {

class Server final: private EnvHost {
public:
  Server(Platform& platform, kj::AsyncIoContext& io, Config config,
         kj::PromiseFulfillerPair<void> started = kj::newPromiseAndFulfiller<void>());
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
  IsolateSetup setup;
  rpc::Fetcher::Client internet;
  kj::Own<IsolatePool> pool;
  kj::HashMap<kj::String, kj::Own<LoaderNamespaceImpl>> namespaces;
  // Resolves once every configured worker has started (service bindings wait for it).
  kj::Own<kj::PromiseFulfiller<void>> startedFulfiller;
  kj::ForkedPromise<void> started;

  class MainService;
  class ServiceForwarder;
  class Connections;
  kj::Own<kj::HttpService> mainService;
  kj::Own<Connections> connections;

  kj::Own<Worker> startWorker(const WorkerConfig& config);
  // The configured worker `name`, started again first if it was torn down for a limit.
  Worker& currentWorker(kj::StringPtr name);
  kj::Maybe<Worker&> findWorker(kj::StringPtr name);
  OutboundPolicy outboundFor(const WorkerConfig& config);

  // EnvHost
  rpc::Fetcher::Client service(kj::StringPtr worker, kj::Maybe<kj::StringPtr> entrypoint) override;
  LoaderNamespace& loaderNamespace(kj::StringPtr id) override;
  rpc::Fetcher::Client apiBinding(kj::StringPtr worker, kj::StringPtr binding) override;
  kj::HashMap<kj::String, rpc::Fetcher::Client> apiBindings;  // "worker/binding" -> capability
};

}  // namespace loaderd
