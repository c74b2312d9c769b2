#include "internet.h"

#include "runtime/api/http.h"
#include <zlib.h>
#include <kj/compat/url.h>
#include <kj/debug.h>
#include <arpa/inet.h>
#include <cstring>
#include <cstdlib>
#include <utility>

namespace loaderd {

namespace {

constexpr uint MAX_REDIRECTS = 20;

[[noreturn]] void typeError(kj::StringPtr message) {
  kj::throwFatalException(KJ_EXCEPTION(FAILED, kj::str("js.TypeError: ", message)));
}

// The host part of "1.2.3.4:80" or "[::1]:443".
kj::String hostOf(kj::StringPtr address) {
  if (address.startsWith("[")) {
    KJ_IF_MAYBE(end, address.findFirst(']')) {
      return kj::str(address.slice(1, *end));
    }
  }
  KJ_IF_MAYBE(colon, address.findLast(':')) {
    return kj::str(address.slice(0, *colon));
  }
  return kj::str(address);
}

struct Outgoing {
  kj::String method;
  kj::String url;
  kj::Vector<std::pair<kj::String, kj::String>> headers;
  kj::Maybe<kj::Array<kj::byte>> body;
  kj::Maybe<rpc::ByteStream::Client> bodyStream;  // instead of `body`: sent as it is produced
  kj::String redirect;
};

// Copies a body from a ByteStream to an HTTP request body, chunk by chunk.
kj::Promise<void> upload(rpc::ByteStream::Client stream, kj::AsyncOutputStream& out) {
  auto request = stream.readRequest();
  request.setMaxBytes(65536);
  return request.send().then([stream = kj::mv(stream), &out](
                                 capnp::Response<rpc::ByteStream::ReadResults> result) mutable
                             -> kj::Promise<void> {
    auto data = result.getData();
    if (data.size() == 0) return kj::READY_NOW;
    auto written = out.write(data.begin(), data.size()).attach(kj::mv(result));
    return written.then([stream = kj::mv(stream), &out]() mutable {
      return upload(kj::mv(stream), out);
    });
  });
}

struct Incoming {
  uint status;
  kj::String statusText;
  kj::Vector<std::pair<kj::String, kj::String>> headers;
  kj::Own<kj::AsyncInputStream> body;  // as it arrives (owning its connection)
};

// A connection: the HTTP client over the stream it uses (destroyed client first).
struct Connection: public kj::Refcounted {
  Connection(kj::Own<kj::AsyncIoStream> stream, kj::Own<kj::HttpClient> client)
      : stream(kj::mv(stream)), client(kj::mv(client)) {}
  kj::Own<kj::AsyncIoStream> stream;
  kj::Own<kj::HttpClient> client;
};

// Decodes a gzip or deflate (zlib) body as it is read.
class InflatingStream final: public kj::AsyncInputStream {
public:
  explicit InflatingStream(kj::Own<kj::AsyncInputStream> inner): inner(kj::mv(inner)) {
    // 15 + 32: zlib or gzip, whichever the header says.
    KJ_ASSERT(inflateInit2(&z, 15 + 32) == Z_OK);
  }
  ~InflatingStream() noexcept(false) { inflateEnd(&z); }
  KJ_DISALLOW_COPY(InflatingStream);

  kj::Promise<size_t> tryRead(void* buffer, size_t minBytes, size_t maxBytes) override {
    return fill(static_cast<kj::byte*>(buffer), minBytes, maxBytes, 0);
  }

private:
  kj::Own<kj::AsyncInputStream> inner;
  z_stream z = {};
  kj::byte input[16384];
  bool ended = false;

  kj::Promise<size_t> fill(kj::byte* out, size_t minBytes, size_t maxBytes, size_t done) {
    z.next_out = out + done;
    z.avail_out = maxBytes - done;
    while (!ended && z.avail_in > 0 && z.avail_out > 0) {
      int result = inflate(&z, Z_NO_FLUSH);
      if (result == Z_STREAM_END) {
        ended = true;
      } else if (result != Z_OK && result != Z_BUF_ERROR) {
        return KJ_EXCEPTION(DISCONNECTED, "the response body is not valid gzip/deflate data");
      }
    }
    done = maxBytes - z.avail_out;
    if (done >= minBytes || ended || done == maxBytes) return done;
    return inner->tryRead(input, 1, sizeof(input))
        .then([this, out, minBytes, maxBytes, done](size_t n) -> kj::Promise<size_t> {
          if (n == 0) {
            if (done > 0) return done;
            return KJ_EXCEPTION(DISCONNECTED, "the compressed response body ended early");
          }
          z.next_in = input;
          z.avail_in = n;
          return fill(out, minBytes, maxBytes, done);
        });
  }
};

// A response body served chunk by chunk to whoever holds the capability.
// Answers a ByteStream read with what `read(buffer, max)` gives: at least one byte, or done.
template <typename Read>
kj::Promise<void> answerRead(
    capnp::CallContext<rpc::ByteStream::ReadParams, rpc::ByteStream::ReadResults> context,
    Read&& read) {
  context.allowCancellation();
  uint32_t max = api::chunkReadSize(context.getParams().getMaxBytes());
  auto buffer = kj::heapArray<kj::byte>(max);
  kj::Promise<size_t> promise = read(buffer.begin(), max);
  return promise.then([context, buffer = kj::mv(buffer)](size_t n) mutable {
    auto results = context.getResults();
    if (n == 0) {
      results.setDone(true);
    } else {
      results.setData(buffer.slice(0, n));
    }
  });
}

class ByteStreamServer final: public rpc::ByteStream::Server {
public:
  explicit ByteStreamServer(kj::Own<kj::AsyncInputStream> input): input(kj::mv(input)) {}

  kj::Promise<void> read(ReadContext context) override {
    return answerRead(context, [this](kj::byte* buffer, size_t max) {
      return input->tryRead(buffer, 1, max);
    });
  }

private:
  kj::Own<kj::AsyncInputStream> input;
};


}  // namespace

bool isMetadataAddress(kj::StringPtr address) {
  auto host = hostOf(address);
  return host == "169.254.169.254" || host == "fd00:ec2::254";
}

bool isPrivateAddress(kj::StringPtr address) {
  auto host = hostOf(address);
  in_addr v4;
  if (inet_pton(AF_INET, host.cStr(), &v4) == 1) {
    uint32_t a = ntohl(v4.s_addr);
    auto in = [&](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0a000000, 8) || in(0x7f000000, 8) || in(0xa9fe0000, 16) ||
           in(0xac100000, 12) || in(0xc0a80000, 16) || in(0x64400000, 10) ||
           in(0xc0000000, 24) || in(0xc6120000, 15) || a >= 0xe0000000;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, host.cStr(), &v6) == 1) {
    const uint8_t* b = v6.s6_addr;
    static const uint8_t LOOPBACK[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t UNSPECIFIED[16] = {};
    if (memcmp(b, LOOPBACK, 16) == 0 || memcmp(b, UNSPECIFIED, 16) == 0) return true;
    if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
    if (b[0] == 0xff) return true;                           // multicast
    static const uint8_t MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    // An IPv4 address inside IPv6: mapped (::ffff:0:0/96) or NAT64's well-known prefix
    // (64:ff9b::/96), judged as the IPv4 address.
    static const uint8_t NAT64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, MAPPED, 12) == 0 || memcmp(b, NAT64, 12) == 0) {
      char text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, b + 12, text, sizeof(text));
      return isPrivateAddress(kj::str(text, ":0"));
    }
    return false;
  }
  return true;  // not an IP address at all: refuse rather than guess
}

namespace {
// Resolves `hostname`, refusing what the outbound policy does not allow (cloud metadata always;
// loopback, private and link-local addresses unless allowed). `what` names the operation in the
// refusal ("Fetch", "connect()").
kj::Promise<kj::Own<kj::NetworkAddress>> resolveAllowed(kj::Network& network,
                                                        InternetOptions options,
                                                        kj::StringPtr what, kj::String hostname,
                                                        uint port) {
  auto lookup = hostname.findFirst(':') == nullptr ? kj::str(hostname)
                                                   : kj::str("[", hostname, "]");
  return network.parseAddress(lookup, port).then(
      [options, what, hostname = kj::mv(hostname)](kj::Own<kj::NetworkAddress> addr) {
        // A name with several records prints them all, comma-separated, and connect() falls
        // back from one to the next: every one of them must be allowed.
        auto all = addr->toString();
        size_t start = 0;
        while (start <= all.size()) {
          size_t end = start;
          while (end < all.size() && all[end] != ',') end++;
          auto text = kj::str(all.slice(start, end));
          if (isMetadataAddress(text)) {
            typeError(kj::str(what, " refused: ", hostname, " is a cloud metadata address."));
          }
          if (!options.allowPrivate && isPrivateAddress(text)) {
            typeError(kj::str(what, " refused: ", hostname, " resolves to ", text,
                              ", a loopback, private or link-local address. Set "
                              "outbound.allow_private in loaderd.yaml to allow it."));
          }
          start = end + 1;
        }
        return kj::mv(addr);
      });
}

kj::Own<kj::TlsContext> makeTlsContext(kj::StringPtr trustedPem) {
  kj::TlsContext::Options tlsOptions;  // the system's trust store, verification on
  // One certificate per PEM block: kj trusts only the first certificate of each chain.
  kj::Vector<kj::TlsCertificate> trusted;
  static constexpr kj::StringPtr END = "-----END CERTIFICATE-----"_kj;
  size_t start = 0;
  while (start < trustedPem.size()) {
    const char* found = strstr(trustedPem.cStr() + start, END.cStr());
    if (found == nullptr) break;
    size_t end = (found - trustedPem.cStr()) + END.size();
    trusted.add(kj::TlsCertificate(kj::str(trustedPem.slice(start, end))));
    start = end;
  }
  tlsOptions.trustedCertificates = trusted;
  return kj::heap<kj::TlsContext>(kj::mv(tlsOptions));
}
}  // namespace

InternetFetcher::InternetFetcher(kj::Network& network, kj::Timer& timer,
                                 const kj::HttpHeaderTable& headerTable, InternetOptions options)
    : network(network), timer(timer), headerTable(headerTable), options(options),
      tls(makeTlsContext(options.trustedCertificates)) {}

namespace {
// A TCP connection made for connect(): for as long as it is held (by its `down` and, for a
// "starttls" one, its upgrade capability), sends what the caller's `up` stream gives (then shuts
// the sending side down) and serves what arrives. Upgrading it to TLS cancels what runs on the
// plain stream and hands the stream on.
class SocketConnection final: public kj::Refcounted {
public:
  explicit SocketConnection(kj::Own<kj::AsyncIoStream> stream): stream(kj::mv(stream)) {}
  ~SocketConnection() noexcept(false) {
    cancelReads();
    if (!canceler.isEmpty()) canceler.cancel("the socket is closed");
  }

  void startSending(rpc::ByteStream::Client up) {
    sending = canceler.wrap(send(*KJ_ASSERT_NONNULL(stream), kj::mv(up)))
                  .eagerlyEvaluate([](kj::Exception&&) {
                    // The caller went away or its stream failed: nothing more is sent.
                  });
  }

  kj::Promise<size_t> read(kj::byte* buffer, size_t max) {
    KJ_IF_MAYBE(s, stream) {
      return readCanceler.wrap((*s)->tryRead(buffer, 1, max));
    }
    return size_t(0);  // upgraded: this side of it has ended
  }

  // The socket is closed (its reader cancelled): a read in flight stops, so that nothing keeps
  // the connection open once its holders let go.
  void cancelReads() {
    if (!readCanceler.isEmpty()) readCanceler.cancel("the socket is closed");
  }

  // The plain stream, for its TLS upgrade; null if it was taken already.
  kj::Maybe<kj::Own<kj::AsyncIoStream>> takeForUpgrade() {
    cancelReads();
    if (!canceler.isEmpty()) canceler.cancel("the socket was upgraded to TLS");
    sending = nullptr;
    auto taken = kj::mv(stream);
    stream = nullptr;
    return taken;
  }

private:
  kj::Maybe<kj::Own<kj::AsyncIoStream>> stream;
  kj::Canceler canceler;      // the sending
  kj::Canceler readCanceler;  // reads in flight
  kj::Promise<void> sending = nullptr;

  static kj::Promise<void> send(kj::AsyncIoStream& stream, rpc::ByteStream::Client up) {
    auto req = up.readRequest();
    req.setMaxBytes(65536);
    return req.send().then([&stream, up = kj::mv(up)](
        capnp::Response<rpc::ByteStream::ReadResults> chunk) mutable -> kj::Promise<void> {
      if (chunk.getDone() && chunk.getData().size() == 0) {
        stream.shutdownWrite();
        return kj::READY_NOW;
      }
      auto data = chunk.getData();
      return stream.write(data.begin(), data.size())
          .attach(kj::mv(chunk))
          .then([&stream, up = kj::mv(up)]() mutable { return send(stream, kj::mv(up)); });
    });
  }
};

// What arrives on a socket's connection, chunk by chunk.
class SocketDown final: public rpc::ByteStream::Server {
public:
  explicit SocketDown(kj::Own<SocketConnection> connection): connection(kj::mv(connection)) {}

  kj::Promise<void> cancel(CancelContext context) override {
    connection->cancelReads();
    return kj::READY_NOW;
  }

  kj::Promise<void> read(ReadContext context) override {
    return answerRead(context, [this](kj::byte* buffer, size_t max) {
      return connection->read(buffer, max);
    });
  }

private:
  kj::Own<SocketConnection> connection;
};

// startTls() of a "starttls" socket: its connection, as TLS from now on.
class SocketTlsUpgrade final: public rpc::TlsUpgrade::Server {
public:
  SocketTlsUpgrade(kj::Own<SocketConnection> connection, kj::TlsContext& tls,
                   kj::String hostname)
      : connection(kj::mv(connection)), tls(tls), hostname(kj::mv(hostname)) {}

  kj::Promise<void> startTls(StartTlsContext context) override {
    auto params = context.getParams();
    auto expected = params.getExpectedServerHostname();
    auto name = expected.size() > 0 ? kj::str(expected) : kj::str(hostname);
    auto up = params.getUp();
    KJ_IF_MAYBE(plain, connection->takeForUpgrade()) {
      return tls.wrapClient(kj::mv(*plain), name)
          .then([context, up = kj::mv(up)](kj::Own<kj::AsyncIoStream> stream) mutable {
            auto secured = kj::refcounted<SocketConnection>(kj::mv(stream));
            secured->startSending(kj::mv(up));
            context.getResults().setDown(kj::heap<SocketDown>(kj::mv(secured)));
          });
    }
    typeError("startTls can only be called once.");
  }

private:
  kj::Own<SocketConnection> connection;
  kj::TlsContext& tls;
  kj::String hostname;
};

// "host:port" (the host of "[::1]:443" without brackets); nullptr if it is not one.
kj::Maybe<std::pair<kj::String, uint>> splitHostPort(kj::StringPtr address) {
  KJ_IF_MAYBE(colon, address.findLast(':')) {
    auto host = address.slice(0, *colon);
    auto portText = address.slice(*colon + 1);
    if (host.size() == 0 || portText.size() == 0 || portText.size() > 5) return nullptr;
    uint port = 0;
    for (char c: portText) {
      if (c < '0' || c > '9') return nullptr;
      port = port * 10 + (c - '0');
    }
    if (port > 65535) return nullptr;
    if (host.size() >= 2 && host[0] == '[' && host[host.size() - 1] == ']') {
      return std::make_pair(kj::str(host.slice(1, host.size() - 1)), port);
    }
    return std::make_pair(kj::str(host), port);
  }
  return nullptr;
}
}  // namespace

kj::Promise<void> InternetFetcher::connect(ConnectContext context) {
  auto params = context.getParams();
  auto address = kj::str(params.getAddress());
  bool tlsOn = params.getSecureTransport() == "on";
  bool startTls = params.getSecureTransport() == "starttls";
  auto up = params.getUp();
  KJ_IF_MAYBE(parts, splitHostPort(address)) {
    auto hostname = kj::mv(parts->first);
    auto port = parts->second;
    return resolveAllowed(network, options, "connect()", kj::str(hostname), port)
        .then([](kj::Own<kj::NetworkAddress> addr) {
          return addr->connect().attach(kj::mv(addr));
        })
        .then([this, tlsOn, hostname = kj::str(hostname)](kj::Own<kj::AsyncIoStream> stream)
                  -> kj::Promise<kj::Own<kj::AsyncIoStream>> {
          if (!tlsOn) return kj::mv(stream);
          return tls->wrapClient(kj::mv(stream), hostname);
        })
        .then([this, context, startTls, hostname = kj::mv(hostname), up = kj::mv(up)](
                  kj::Own<kj::AsyncIoStream> stream) mutable {
          auto connection = kj::refcounted<SocketConnection>(kj::mv(stream));
          connection->startSending(kj::mv(up));
          auto results = context.getResults();
          results.setDown(kj::heap<SocketDown>(kj::addRef(*connection)));
          if (startTls) {
            results.setTls(kj::heap<SocketTlsUpgrade>(kj::mv(connection), *tls, kj::mv(hostname)));
          }
        });
  }
  typeError("Specified address could not be parsed.");
}

kj::Promise<void> InternetFetcher::getTarget(GetTargetContext context) {
  return KJ_EXCEPTION(FAILED, "js.TypeError: The internet has no RPC methods.");
}

namespace {

class Transfer: public kj::Refcounted {
public:
  Transfer(kj::Network& network, const kj::HttpHeaderTable& table, kj::TlsContext& tls,
           InternetOptions options)
      : network(network), table(table), tls(tls), options(options) {}

  kj::Promise<Incoming> send(Outgoing& req) {
    KJ_IF_MAYBE(url, kj::Url::tryParse(req.url, kj::Url::REMOTE_HREF)) {
      bool https = url->scheme == "https";
      if (!https && url->scheme != "http") typeError(kj::str("Fetch API cannot load: ", req.url));
      kj::String hostname = kj::str(url->host);
      uint port = https ? 443 : 80;
      if (hostname.startsWith("[")) {
        KJ_IF_MAYBE(end, hostname.findFirst(']')) {
          if (*end + 1 < hostname.size() && hostname[*end + 1] == ':') {
            port = atoi(hostname.cStr() + *end + 2);
          }
          hostname = kj::str(hostname.slice(1, *end));
        }
      } else KJ_IF_MAYBE(colon, hostname.findFirst(':')) {
        port = atoi(hostname.cStr() + *colon + 1);
        hostname = kj::str(hostname.slice(0, *colon));
      }
      auto path = url->toString(kj::Url::HTTP_REQUEST);
      auto hostHeader = kj::str(url->host);
      return resolveAllowed(network, options, "Fetch", kj::str(hostname), port)
          .then([this, &req, https, hostname = kj::mv(hostname), path = kj::mv(path),
                 hostHeader = kj::mv(hostHeader)](kj::Own<kj::NetworkAddress> addr) mutable {
            return addr->connect().attach(kj::mv(addr)).then(
                [this, https, hostname = kj::mv(hostname)](kj::Own<kj::AsyncIoStream> stream)
                    -> kj::Promise<kj::Own<kj::AsyncIoStream>> {
                  if (!https) return kj::mv(stream);
                  return tls.wrapClient(kj::mv(stream), hostname);
                })
                .then([this, &req, path = kj::mv(path), hostHeader = kj::mv(hostHeader)](
                          kj::Own<kj::AsyncIoStream> stream) mutable {
                  return exchange(req, kj::mv(stream), path, hostHeader);
                });
          });
    } else {
      typeError(kj::str("Fetch API cannot load: ", req.url));
    }
  }

private:
  kj::Network& network;
  const kj::HttpHeaderTable& table;
  kj::TlsContext& tls;
  InternetOptions options;

  kj::Promise<Incoming> exchange(Outgoing& req, kj::Own<kj::AsyncIoStream> stream,
                                 kj::StringPtr path, kj::StringPtr hostHeader) {
    auto& raw = *stream;
    auto conn = kj::refcounted<Connection>(kj::mv(stream), kj::newHttpClient(table, raw));
    auto& client = conn->client;
    kj::HttpHeaders headers(table);
    for (auto& h: req.headers) {
      if (strcasecmp(h.first.cStr(), "host") == 0 ||
          strcasecmp(h.first.cStr(), "content-length") == 0 ||
          strcasecmp(h.first.cStr(), "transfer-encoding") == 0) {
        continue;
      }
      headers.add(h.first, h.second);
    }
    headers.set(kj::HttpHeaderId::HOST, hostHeader);
    bool hasAcceptEncoding = false;
    for (auto& h: req.headers) {
      if (strcasecmp(h.first.cStr(), "accept-encoding") == 0) hasAcceptEncoding = true;
    }
    if (!hasAcceptEncoding) headers.add("Accept-Encoding", "gzip, deflate");
    auto method = KJ_ASSERT_NONNULL(kj::tryParseHttpMethod(req.method), "unsupported method");
    kj::Maybe<uint64_t> size;
    if (req.bodyStream != nullptr) {
      size = nullptr;  // chunked, as it is produced
    } else KJ_IF_MAYBE(b, req.body) {
      size = b->size();
    } else if (method != kj::HttpMethod::GET && method != kj::HttpMethod::HEAD) {
      size = uint64_t(0);
    }
    auto request = client->request(method, path, headers, size);
    kj::Promise<void> written = kj::READY_NOW;
    KJ_IF_MAYBE(stream, req.bodyStream) {
      written = upload(*stream, *request.body);
    } else KJ_IF_MAYBE(b, req.body) {
      if (b->size() > 0) written = request.body->write(b->begin(), b->size());
    }
    return written.attach(kj::mv(request.body))
        .then([response = kj::mv(request.response)]() mutable { return kj::mv(response); })
        .then([conn = kj::addRef(*conn)](kj::HttpClient::Response response) mutable {
          Incoming in{response.statusCode, kj::str(response.statusText), {}, {}};
          bool compressed = false;
          response.headers->forEach([&](kj::StringPtr name, kj::StringPtr value) {
            in.headers.add(std::make_pair(kj::str(name), kj::str(value)));
            if (strcasecmp(name.cStr(), "content-encoding") == 0 &&
                (value == "gzip" || value == "deflate" || value == "x-gzip")) {
              compressed = true;
            }
          });
          kj::Own<kj::AsyncInputStream> body = kj::mv(response.body);
          if (compressed) {
            // Decoded as it arrives: drop the headers that described the encoded body.
            body = kj::heap<InflatingStream>(kj::mv(body));
            kj::Vector<std::pair<kj::String, kj::String>> kept;
            for (auto& h: in.headers) {
              if (strcasecmp(h.first.cStr(), "content-encoding") == 0 ||
                  strcasecmp(h.first.cStr(), "content-length") == 0) {
                continue;
              }
              kept.add(kj::mv(h));
            }
            in.headers = kj::mv(kept);
          }
          in.body = body.attach(kj::mv(conn));
          return kj::mv(in);
        })
        // Until the response arrives, the connection lives with the request.
        .attach(kj::mv(conn));
  }
};

kj::Promise<Incoming> follow(kj::Own<Transfer> transfer, kj::Own<Outgoing> req, uint redirects) {
  auto& t = *transfer;
  auto& r = *req;
  return t.send(r).then([transfer = kj::mv(transfer), req = kj::mv(req), redirects](
                            Incoming in) mutable -> kj::Promise<Incoming> {
    bool isRedirect = in.status == 301 || in.status == 302 || in.status == 303 ||
                      in.status == 307 || in.status == 308;
    if (!isRedirect || req->redirect == "manual") return kj::mv(in);
    kj::Maybe<kj::StringPtr> location;
    for (auto& h: in.headers) {
      if (strcasecmp(h.first.cStr(), "location") == 0) location = h.second;
    }
    KJ_IF_MAYBE(loc, location) {
      if (req->redirect == "error") {
        typeError("Fetch failed because a redirect was encountered and the redirect mode is "
                  "'error'.");
      }
      if (redirects >= MAX_REDIRECTS) typeError("Too many redirects.");
      auto base = kj::Url::parse(req->url, kj::Url::REMOTE_HREF);
      KJ_IF_MAYBE(next, base.tryParseRelative(*loc)) {
        req->url = next->toString();
      } else {
        typeError(kj::str("Invalid redirect location: ", *loc));
      }
      if (in.status == 303 || ((in.status == 301 || in.status == 302) && req->method == "POST")) {
        req->method = kj::str("GET");
        req->body = nullptr;
        req->bodyStream = nullptr;
      } else if (req->bodyStream != nullptr) {
        // A streamed body was sent as it was produced and cannot be sent again.
        typeError("Fetch failed because a redirect needs the request body again, and the body "
                  "was a stream that has been sent.");
      }
      return follow(kj::mv(transfer), kj::mv(req), redirects + 1);
    }
    return kj::mv(in);
  });
}

}  // namespace

kj::Promise<void> InternetFetcher::fetch(FetchContext context) {
  context.allowCancellation();  // an aborted fetch() drops the request, connection and all
  auto params = context.getParams().getRequest();
  auto req = kj::heap<Outgoing>();
  req->method = kj::str(params.getMethod());
  req->url = kj::str(params.getUrl());
  for (auto h: params.getHeaders()) {
    req->headers.add(std::make_pair(kj::str(h.getName()), kj::str(h.getValue())));
  }
  if (params.hasBodyStream()) {
    req->bodyStream = params.getBodyStream();
  } else if (params.getHasBody()) {
    req->body = kj::heapArray<kj::byte>(params.getBody());
  }
  req->redirect = params.hasRedirect() ? kj::str(params.getRedirect()) : kj::str("follow");
  auto transfer = kj::refcounted<Transfer>(network, headerTable, *tls, options);
  auto url = kj::str(req->url);
  return follow(kj::mv(transfer), kj::mv(req), 0)
      .catch_([url = kj::mv(url)](kj::Exception&& e) -> Incoming {
        // Our own refusals are already JS errors; network and TLS failures become a TypeError
        // that says what failed (never an "internal error").
        if (kj::StringPtr(e.getDescription()).startsWith("js.")) kj::throwFatalException(kj::mv(e));
        kj::throwFatalException(KJ_EXCEPTION(
            FAILED, kj::str("js.TypeError: Network connection failed: ", url, ": ",
                            e.getDescription())));
      })
      .then([context](Incoming in) mutable {
    auto response = context.getResults().initResponse();
    response.setStatus(in.status);
    response.setStatusText(in.statusText);
    auto headers = response.initHeaders(in.headers.size());
    for (uint i = 0; i < in.headers.size(); i++) {
      headers[i].setName(in.headers[i].first);
      headers[i].setValue(in.headers[i].second);
    }
    response.setHasBody(true);
    response.setBodyStream(kj::heap<ByteStreamServer>(kj::mv(in.body)));
  });
}

}  // namespace loaderd
