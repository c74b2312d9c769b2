#include "server.h"

#include "runtime/modules.h"
#include "bindings/internet.h"
#include <kj/debug.h>

namespace loaderd {

// Isolates kept prepared for dynamic workers.
// TODO(perf): size from config and from the measured per-isolate memory.
constexpr size_t POOL_SIZE = 4;

// The socket's service: the main worker as it is now (restarted if it was torn down).
class Server::MainService final: public kj::HttpService {
public:
  explicit MainService(Server& server): server(server) {}
  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url,
                            const kj::HttpHeaders& headers, kj::AsyncInputStream& requestBody,
                            Response& response) override {
    auto& worker = server.currentWorker(server.config_.main);
    return worker.request(method, url, headers, requestBody, response).attach(kj::addRef(worker));
  }

private:
  Server& server;
};

// The accepted connections, each served by the HTTP server. A client that goes away before its
// response is written is no error of ours: kj's HTTP server would log its broken pipe (and, for a
// response already started, fail again sending a 500 after it), so a disconnection ends the
// connection quietly. Anything else is logged.
//
// A connection the server ends while the client is still sending (a 413 for a body over the
// limit, an upload the worker did not read) closes lingering, as nginx and Apache do: the server
// stops writing, then reads and discards what still arrives, for up to LINGER, before closing.
// Closing a socket with unread input makes the kernel reset the connection, and the reset can
// destroy the response in flight before the client has read it.
class Server::Connections final: public kj::HttpServerErrorHandler,
                                 private kj::TaskSet::ErrorHandler {
public:
  explicit Connections(kj::Timer& timer): timer(timer), tasks(*this) {}
  ~Connections() noexcept(false) { closing = true; }

  kj::Promise<void> acceptLoop(kj::HttpServer& server, kj::ConnectionReceiver& listener) {
    return listener.accept().then([this, &server, &listener](kj::Own<kj::AsyncIoStream> c) {
      tasks.add(server.listenHttp(kj::heap<LingeringStream>(*this, kj::mv(c))));
      return acceptLoop(server, listener);
    });
  }

  kj::Promise<void> handleApplicationError(
      kj::Exception exception, kj::Maybe<kj::HttpService::Response&> response) override {
    if (exception.getType() == kj::Exception::Type::DISCONNECTED) return kj::mv(exception);
    return kj::HttpServerErrorHandler::handleApplicationError(kj::mv(exception), response);
  }

private:
  static constexpr auto LINGER = 2 * kj::SECONDS;

  kj::Timer& timer;
  bool closing = false;  // connections dropped while the server shuts down just close
  kj::TaskSet tasks;

  // The connection as the HTTP server sees it; when the server drops it, the socket lingers.
  class LingeringStream final: public kj::AsyncIoStream {
  public:
    LingeringStream(Connections& owner, kj::Own<kj::AsyncIoStream> inner)
        : owner(owner), inner(kj::mv(inner)) {}
    ~LingeringStream() noexcept(false) { owner.linger(kj::mv(inner)); }

    kj::Promise<size_t> tryRead(void* buffer, size_t minBytes, size_t maxBytes) override {
      return inner->tryRead(buffer, minBytes, maxBytes);
    }
    kj::Maybe<uint64_t> tryGetLength() override { return inner->tryGetLength(); }
    kj::Promise<void> write(const void* buffer, size_t size) override {
      return inner->write(buffer, size);
    }
    kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
      return inner->write(pieces);
    }
    kj::Maybe<kj::Promise<uint64_t>> tryPumpFrom(kj::AsyncInputStream& input,
                                                 uint64_t amount) override {
      return inner->tryPumpFrom(input, amount);
    }
    kj::Promise<void> whenWriteDisconnected() override { return inner->whenWriteDisconnected(); }
    void shutdownWrite() override { inner->shutdownWrite(); }
    void abortRead() override { inner->abortRead(); }
    void getsockopt(int level, int option, void* value, uint* length) override {
      inner->getsockopt(level, option, value, length);
    }
    void setsockopt(int level, int option, const void* value, uint length) override {
      inner->setsockopt(level, option, value, length);
    }
    void getsockname(struct sockaddr* addr, uint* length) override {
      inner->getsockname(addr, length);
    }
    void getpeername(struct sockaddr* addr, uint* length) override {
      inner->getpeername(addr, length);
    }

  private:
    Connections& owner;
    kj::Own<kj::AsyncIoStream> inner;
  };

  void linger(kj::Own<kj::AsyncIoStream> stream) {
    if (closing) return;
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() { stream->shutdownWrite(); })) {
      return;  // already broken: nothing to wait for
    }
    auto& ref = *stream;
    tasks.add(discardUntilEnd(ref, kj::heapArray<kj::byte>(65536))
                  .exclusiveJoin(timer.afterDelay(LINGER))
                  .attach(kj::mv(stream)));
  }

  static kj::Promise<void> discardUntilEnd(kj::AsyncIoStream& stream, kj::Array<kj::byte> buffer) {
    auto& buf = buffer;
    return stream.tryRead(buf.begin(), 1, buf.size())
        .then([&stream, buffer = kj::mv(buffer)](size_t n) mutable -> kj::Promise<void> {
          if (n == 0) return kj::READY_NOW;
          return discardUntilEnd(stream, kj::mv(buffer));
        });
  }

  void taskFailed(kj::Exception&& exception) override {
    if (exception.getType() == kj::Exception::Type::DISCONNECTED) return;
    KJ_LOG(ERROR, "HTTP connection failed", exception);
  }
};

// A service binding: each call goes to the target worker as it is now.
class Server::ServiceForwarder final: public rpc::Fetcher::Server {
public:
  ServiceForwarder(loaderd::Server& server, kj::String name, kj::Maybe<kj::String> entrypoint)
      : server(server), name(kj::mv(name)), entrypoint(kj::mv(entrypoint)) {}

  kj::Promise<void> fetch(FetchContext context) override {
    auto req = target().fetchRequest();
    req.setRequest(context.getParams().getRequest());
    return context.tailCall(kj::mv(req));
  }
  kj::Promise<void> getTarget(GetTargetContext context) override {
    return context.tailCall(target().getTargetRequest());
  }
  kj::Promise<void> connect(ConnectContext context) override {
    auto params = context.getParams();
    auto req = target().connectRequest();
    req.setAddress(params.getAddress());
    req.setSecureTransport(params.getSecureTransport());
    req.setUp(params.getUp());
    return context.tailCall(kj::mv(req));
  }

private:
  loaderd::Server& server;
  kj::String name;
  kj::Maybe<kj::String> entrypoint;

  rpc::Fetcher::Client target() {
    auto& worker = server.currentWorker(name);
    return entrypointFetcher(kj::addRef(worker),
                             entrypoint.map([](kj::String& e) { return kj::str(e); }), nullptr);
  }
};


Server::Server(Platform& platform, kj::AsyncIoContext& io, Config config,
               kj::PromiseFulfillerPair<void> startedPair)
    : platform(platform), io(io), config_(kj::mv(config)),
      setup([](Worker& worker, js::Lock& js, v8::Local<v8::Object> internal) {
        installRpc(worker, js, internal);
      }),
      internet(kj::heap<InternetFetcher>(io.provider->getNetwork(), io.provider->getTimer(),
                                         headerTable,
                                         InternetOptions{config_.outboundAllowPrivate,
                                                         config_.outboundTrustedCertificates})),
      pool(kj::heap<IsolatePool>(platform, io.provider->getTimer(), headerTable, setup,
                                 POOL_SIZE)),
      startedFulfiller(kj::mv(startedPair.fulfiller)), started(startedPair.promise.fork()) {}

Server::~Server() noexcept(false) {
  connections = nullptr;
  httpServer = nullptr;
  mainService = nullptr;
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
        return kj::heap<ServiceForwarder>(*this, kj::mv(name), kj::mv(entrypoint));
      });
}

LoaderNamespace& Server::loaderNamespace(kj::StringPtr id) {
  KJ_IF_MAYBE(existing, namespaces.find(id)) {
    return **existing;
  }
  LoaderBounds bounds;
  bounds.maxNamedWorkers = config_.loader.maxCachedWorkers;
  bounds.maxNamedMemoryMb = config_.loader.maxCachedMemoryMb;
  bounds.idleTimeoutMs = config_.loader.idleTimeoutMs;
  bounds.maxAnonymousWorkers = config_.loader.maxLiveAnonymous;
  auto ns = kj::heap<LoaderNamespaceImpl>(kj::str(id), *pool, io.provider->getTimer(), bounds);
  auto& ref = *ns;
  namespaces.insert(kj::str(id), kj::mv(ns));
  return ref;
}

OutboundPolicy Server::outboundFor(const WorkerConfig& w) {
  if (w.globalOutbound == "internet") return OutboundPolicy{OutboundPolicy::Kind::INTERNET, internet};
  if (w.globalOutbound == "none") return OutboundPolicy{OutboundPolicy::Kind::NONE, nullptr};
  return OutboundPolicy{OutboundPolicy::Kind::FETCHER, service(w.globalOutbound, nullptr)};
}

kj::Own<Worker> Server::startWorker(const WorkerConfig& w) {
  auto outbound = kj::heap<OutboundPolicy>(outboundFor(w));
  auto& outboundRef = *outbound;
  WorkerSpec spec{
      kj::str(w.name),
      kj::heap<FileModuleSource>(kj::str(w.root), kj::str(w.mainModule)),
      w.compat.clone(),
      [this, &w, &outboundRef](Worker& worker, js::Lock& js) {
        return makeEnv(worker, js, w.bindings, *this, outboundRef);
      },
      kj::Function<void(Worker&, js::Lock&, v8::Local<v8::Object>)>(
          [&outboundRef](Worker& worker, js::Lock& js, v8::Local<v8::Object> internal) {
            installOutbound(worker, js, internal, outboundRef);
          }),
      WorkerLimits{w.limits.cpuMs, w.limits.memoryMb, w.limits.subrequests, w.limits.wallMs},
  };
  return Worker::start(platform, io.provider->getTimer(), headerTable, kj::mv(spec), setup)
      .attach(kj::mv(outbound));
}

rpc::Fetcher::Client Server::apiBinding(kj::StringPtr worker, kj::StringPtr binding) {
  return KJ_ASSERT_NONNULL(apiBindings.find(kj::str(worker, "/", binding)),
                           "http_api binding not prepared", worker, binding);
}

void Server::startWorkers() {
  // Credential bindings first: a missing secret or unreadable spec stops startup with one line.
  for (auto& w: config_.workers) {
    for (auto& b: w.bindings) {
      if (b.kind != BindingSpec::Kind::HTTP_API) continue;
      auto& api = *KJ_ASSERT_NONNULL(b.httpApi);
      rpc::Fetcher::Client upstream = internet;
      KJ_IF_MAYBE(u, b.upstream) { upstream = service(*u, nullptr); }
      try {
        auto fetcher = kj::heap<ApiFetcher>(
            ApiBindingConfig{kj::str(api.name), kj::str(api.baseUrl), kj::str(api.specPath),
                             api.specJson.map([](const kj::String& s) { return kj::str(s); }),
                             kj::str(api.authHeader), kj::str(api.authPrefix),
                             api.secretEnv.map([](const kj::String& s) { return kj::str(s); }),
                             api.secretFile.map([](const kj::String& s) { return kj::str(s); }),
                             api.secretDefault.map([](const kj::String& s) { return kj::str(s); })},
            kj::mv(upstream));
        apiBindings.insert(kj::str(w.name, "/", b.name), rpc::Fetcher::Client(kj::mv(fetcher)));
      } catch (ApiBindingError& e) {
        throw StartupError{kj::str(config_.path, ": workers.", w.name, ".bindings.", b.name, ": ",
                                   e.message),
                           kj::mv(e.message)};
      }
    }
  }
  for (auto& w: config_.workers) workers.add(startWorker(w));
  startedFulfiller->fulfill();
  // Dynamic workers start from prepared isolates; prepare them now that the server is up.
  if (namespaces.size() > 0) pool->fill();
}

Worker& Server::currentWorker(kj::StringPtr name) {
  for (uint i = 0; i < workers.size(); i++) {
    if (workers[i]->name() != name) continue;
    if (workers[i]->limitExceeded() == LimitExceeded::NONE) return *workers[i];
    // A static worker torn down for a limit starts again from its config: the server keeps
    // serving it (requests already in flight on the old one have failed).
    for (auto& config: config_.workers) {
      if (config.name == name) {
        try {
          workers[i] = startWorker(config);
          fprintf(stderr, "[%s] restarted after exceeding a limit\n", name.cStr());
        } catch (StartupError& e) {
          fprintf(stderr, "[%s] could not restart: %s\n", name.cStr(), e.message.cStr());
        }
      }
    }
    return *workers[i];
  }
  KJ_FAIL_ASSERT("no such worker", name);
}

kj::Promise<void> Server::listen(kj::Maybe<kj::StringPtr> listenOverride,
                                 kj::Function<void(kj::StringPtr)> onListening) {
  kj::StringPtr address = config_.listen;
  KJ_IF_MAYBE(l, listenOverride) { address = *l; }
  mainService = kj::heap<MainService>(*this);
  connections = kj::heap<Connections>(io.provider->getTimer());
  kj::HttpServerSettings settings;
  settings.errorHandler = *connections;
  auto server = kj::heap<kj::HttpServer>(io.provider->getTimer(), headerTable, *mainService,
                                         settings);
  auto& serverRef = *server;
  httpServer = kj::mv(server);
  return io.provider->getNetwork().parseAddress(address).then(
      [this, &serverRef, onListening = kj::mv(onListening)](
          kj::Own<kj::NetworkAddress> addr) mutable {
        auto listener = addr->listen();
        auto port = listener->getPort();
        auto bound = addr->toString();
        // Replace the requested port (maybe 0) with the bound one.
        KJ_IF_MAYBE(colon, bound.findLast(':')) {
          bound = kj::str(bound.slice(0, *colon), ":", port);
        }
        onListening(bound);
        auto& listenerRef = *listener;
        return connections->acceptLoop(serverRef, listenerRef).attach(kj::mv(listener));
      });
}

}  // namespace loaderd
