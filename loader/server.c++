#include "server.h"

#include "runtime/modules.h"
#include <kj/debug.h>

namespace loaderd {

Server::Server(Platform& platform, kj::AsyncIoContext& io, Config config)
    : platform(platform), io(io), config_(kj::mv(config)) {}

Server::~Server() noexcept(false) {
  httpServer = nullptr;
  workers.clear();
}

void Server::startWorkers() {
  for (auto& w: config_.workers) {
    WorkerSpec spec{
        kj::str(w.name),
        kj::heap<FileModuleSource>(kj::str(w.root), kj::str(w.mainModule)),
        Compatibility{kj::str(w.compat.date), w.compat.nodejsCompat, w.compat.experimental,
                      w.compat.ctxExports, w.compat.enhancedErrorSerialization,
                      w.compat.globalFetchStrictlyPublic},
        [&w](js::Lock& js) { return makeEnv(js, w.bindings); },
    };
    workers.add(Worker::start(platform, io.provider->getTimer(), headerTable, kj::mv(spec)));
  }
}

Worker& Server::mainWorker() {
  for (auto& w: workers) {
    if (w->name() == config_.main) return *w;
  }
  KJ_FAIL_ASSERT("main worker not started", config_.main);
}

kj::Promise<void> Server::listen(kj::Maybe<kj::StringPtr> listenOverride,
                                 kj::Function<void(kj::StringPtr)> onListening) {
  kj::StringPtr address = config_.listen;
  KJ_IF_MAYBE(l, listenOverride) { address = *l; }
  auto& service = mainWorker();
  kj::HttpServerSettings settings;
  auto server = kj::heap<kj::HttpServer>(io.provider->getTimer(), headerTable, service, settings);
  auto& serverRef = *server;
  httpServer = kj::mv(server);
  return io.provider->getNetwork().parseAddress(address).then(
      [&serverRef, onListening = kj::mv(onListening)](
          kj::Own<kj::NetworkAddress> addr) mutable {
        auto listener = addr->listen();
        auto port = listener->getPort();
        auto bound = addr->toString();
        // Replace the requested port (maybe 0) with the bound one.
        KJ_IF_MAYBE(colon, bound.findLast(':')) {
          bound = kj::str(bound.slice(0, *colon), ":", port);
        }
        onListening(bound);
        return serverRef.listenHttp(*listener).attach(kj::mv(listener));
      });
}

}  // namespace loaderd
