// `http_api` bindings: an OpenAPI-described HTTP API as a Fetcher whose credential lives only
// in the supervisor. JavaScript (a static worker, or a sandbox it hands the Fetcher to) sends
// plain requests to the API's base URL; this capability checks the method and path against
// the spec, pins the base URL (no scheme, host or port override; redirects are not followed),
// adds the secret header, and forwards the request. The secret is in no isolate, log line,
// error text or RPC payload.
#pragma once

#include "capnp/worker.capnp.h"
#include <kj/string.h>
#include <kj/vector.h>

namespace loaderd {

struct ApiBindingConfig {
  kj::String name;           // the binding's name, for messages
  kj::String baseUrl;        // e.g. https://api.cloudflare.com/client/v4
  kj::String specPath;       // OpenAPI document (JSON), for messages and to read it from
  kj::Maybe<kj::String> specJson;  // the document already as JSON text (converted from YAML)
  kj::String authHeader;     // e.g. Authorization
  kj::String authPrefix;     // e.g. "Bearer "
  kj::Maybe<kj::String> secretEnv;   // environment variable holding the secret
  kj::Maybe<kj::String> secretFile;  // or a file holding it (trailing newline dropped)
  kj::Maybe<kj::String> secretDefault;  // used when secretEnv is unset (demos: a known token)
};

// Thrown at startup for a binding that cannot work (unreadable spec, missing secret); `message`
// is one line naming the binding.
struct ApiBindingError {
  kj::String message;
};

class ApiFetcher final: public rpc::Fetcher::Server {
public:
  // `upstream` receives the checked, authenticated requests (the internet, or a worker that
  // stands in for the API in tests and demos). Throws ApiBindingError.
  ApiFetcher(ApiBindingConfig config, rpc::Fetcher::Client upstream);

  kj::Promise<void> fetch(FetchContext context) override;
  kj::Promise<void> getTarget(GetTargetContext context) override;

  size_t operationCount() const { return operations.size(); }

private:
  struct Operation {
    kj::String method;                    // upper case
    kj::String path;                      // template, e.g. /zones/{zone_id}/dns_records
    kj::Vector<kj::String> segments;      // "{...}" segments match anything non-empty
  };
  ApiBindingConfig config;
  rpc::Fetcher::Client upstream;
  kj::String secret;
  kj::String baseOrigin;  // scheme://host[:port]
  kj::String basePath;    // without a trailing slash
  kj::Vector<Operation> operations;

  // Throws a TypeError naming the closest operations when nothing matches.
  void checkOperation(kj::StringPtr method, kj::StringPtr path);
};

}  // namespace loaderd
