#include "server.h"

#include "runtime/modules.h"
#include "bindings/internet.h"
#include <kj/debug.h>

namespace loaderd {

// Isolates kept prepared for dynamic workers.
// TODO(perf): size from config and from the measured per-isolate memory.
constexpr size_t POOL_SIZE = 4;

Server::Server(Platform& platform, kj::AsyncIoContext& io, Config config,
               kj::PromiseFulfillerPair<void> startedPair)
    : platform(platform), io(io), config_(kj::mv(config)),
      setup([](Worker& worker, js::Lock& js, v8::Local<v8::Object> internal) {
        installRpc(worker, js, internal);
      }),
      internet(kj::heap<InternetFetcher>(io.provider->getNetwork(), io.provider->getTimer(),
                                         headerTable,
                                         InternetOptions{config_.outboundAllowPrivate})),
      pool(kj::heap<IsolatePool>(platform, io.provider->getTimer(), headerTable, setup,
                                 POOL_SIZE)),
      startedFulfiller(kj::mv(startedPair.fulfiller)), started(startedPair.promise.fork()) {}

Server::~Server() noexcept(false) {
  httpServer = nullptr;
  workers.clear();
  namespaces.clear();
  pool = nullptr;
}

kj::Maybe<Worker&> Server::findWorker(kj::StringPtr name) {
  for (auto& w: workers) {
    if (w->name() == name) return *w;
  }
  return nullptr;
}

rpc::Fetcher::Client Server::service(kj::StringPtr workerName,
                                     kj::Maybe<kj::StringPtr> entrypoint) {
  // Workers start in config order; a binding to a later one resolves once all have started.
  return started.addBranch().then(
      [this, name = kj::str(workerName),
       entrypoint = entrypoint.map([](kj::StringPtr e) { return kj::str(e); })]() mutable
          -> rpc::Fetcher::Client {
        auto& worker = KJ_ASSERT_NONNULL(findWorker(name), "service binding to unknown worker");
        return entrypointFetcher(kj::addRef(worker), kj::mv(entrypoint), nullptr);
      });
}

LoaderNamespace& Server::loaderNamespace(kj::StringPtr id) {
  KJ_IF_MAYBE(existing, namespaces.find(id)) {
    return **existing;
  }
  auto ns = kj::heap<LoaderNamespaceImpl>(kj::str(id), *pool, LoaderBounds{});
  auto& ref = *ns;
  namespaces.insert(kj::str(id), kj::mv(ns));
  return ref;
}

OutboundPolicy Server::outboundFor(const WorkerConfig& w) {
  if (w.globalOutbound == "internet") return OutboundPolicy{OutboundPolicy::Kind::INTERNET, internet};
  if (w.globalOutbound == "none") return OutboundPolicy{OutboundPolicy::Kind::NONE, nullptr};
  return OutboundPolicy{OutboundPolicy::Kind::FETCHER, service(w.globalOutbound, nullptr)};
}

void Server::startWorkers() {
  for (auto& w: config_.workers) {
    auto outbound = kj::heap<OutboundPolicy>(outboundFor(w));
    auto& outboundRef = *outbound;
    WorkerSpec spec{
        kj::str(w.name),
        kj::heap<FileModuleSource>(kj::str(w.root), kj::str(w.mainModule)),
        Compatibility{kj::str(w.compat.date), w.compat.nodejsCompat, w.compat.experimental,
                      w.compat.ctxExports, w.compat.enhancedErrorSerialization,
                      w.compat.globalFetchStrictlyPublic},
        [this, &w, &outboundRef](Worker& worker, js::Lock& js) {
          return makeEnv(worker, js, w.bindings, *this, outboundRef);
        },
        kj::Function<void(Worker&, js::Lock&, v8::Local<v8::Object>)>(
            [&outboundRef](Worker& worker, js::Lock& js, v8::Local<v8::Object> internal) {
              installOutbound(worker, js, internal, outboundRef);
            }),
        WorkerLimits{w.limits.cpuMs, w.limits.memoryMb, w.limits.subrequests},
    };
    workers.add(Worker::start(platform, io.provider->getTimer(), headerTable, kj::mv(spec), setup)
                    .attach(kj::mv(outbound)));
  }
  startedFulfiller->fulfill();
  // Dynamic workers start from prepared isolates; prepare them now that the server is up.
  if (namespaces.size() > 0) pool->fill();
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
