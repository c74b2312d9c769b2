// The internet as a Fetcher: where global fetch() goes for `global_outbound: internet`.
// HTTP/1.1 and HTTPS (kj-tls on OpenSSL, system trust store, SNI, verification on), redirects,
// gzip/deflate decoding, and refusal of loopback, private, link-local and cloud-metadata
// addresses after DNS resolution unless the config allows them.
#pragma once

#include "capnp/worker.capnp.h"
#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/compat/tls.h>

namespace loaderd {

struct InternetOptions {
  // Allow loopback and private addresses (local development and tests). Cloud metadata
  // addresses stay refused.
  bool allowPrivate = false;
  // PEM certificates trusted besides the system's store (config outbound.trusted_certificates;
  // empty: none). Read when the InternetFetcher is made.
  kj::StringPtr trustedCertificates;
};

// True if `address` (as kj::NetworkAddress::toString() prints it: "1.2.3.4:80",
// "[::1]:443") is loopback, private, link-local, unspecified or shared address space.
bool isPrivateAddress(kj::StringPtr address);
// True for the cloud metadata endpoints (169.254.169.254, fd00:ec2::254).
bool isMetadataAddress(kj::StringPtr address);

class InternetFetcher final: public rpc::Fetcher::Server {
public:
  InternetFetcher(kj::Network& network, kj::Timer& timer, const kj::HttpHeaderTable& headerTable,
                  InternetOptions options);

  kj::Promise<void> fetch(FetchContext context) override;
  kj::Promise<void> getTarget(GetTargetContext context) override;
  kj::Promise<void> connect(ConnectContext context) override;

private:
  kj::Network& network;
  kj::Timer& timer;
  const kj::HttpHeaderTable& headerTable;
  InternetOptions options;
  kj::Own<kj::TlsContext> tls;
};

}  // namespace loaderd
