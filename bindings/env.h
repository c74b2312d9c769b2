// Builds a worker's `env` from its configured bindings.
#pragma once

#include "loader.h"
#include "api-binding.h"
#include <kj/string.h>
#include <kj/array.h>

namespace loaderd {

// A binding as configured.
struct BindingSpec {
  enum class Kind { TEXT, JSON, SERVICE, WORKER_LOADER, HTTP_API };
  kj::String name;
  Kind kind;
  kj::String value;                  // TEXT: the text; JSON: JSON text; SERVICE: worker name
  kj::Maybe<kj::String> entrypoint;  // SERVICE: named entrypoint
  kj::Maybe<kj::String> loaderId;    // WORKER_LOADER: namespace id (shared across bindings)
  kj::Maybe<kj::Own<ApiBindingConfig>> httpApi;  // HTTP_API
  kj::Maybe<kj::String> upstream;    // HTTP_API: a worker standing in for the API's host
};

// What env construction needs from the supervisor.
class EnvHost {
public:
  virtual ~EnvHost() noexcept(false) = default;
  // The Fetcher of a configured worker's entrypoint.
  virtual rpc::Fetcher::Client service(kj::StringPtr worker, kj::Maybe<kj::StringPtr> entrypoint) = 0;
  // The loader namespace for an id; a binding without id gets a private namespace named after
  // the worker and binding.
  virtual LoaderNamespace& loaderNamespace(kj::StringPtr id) = 0;
  // The credential-holding Fetcher of an http_api binding of `worker`.
  virtual rpc::Fetcher::Client apiBinding(kj::StringPtr worker, kj::StringPtr binding) = 0;
};

// Creates the env object holding every binding.
v8::Local<v8::Object> makeEnv(Worker& worker, js::Lock& js,
                              kj::ArrayPtr<const BindingSpec> bindings, EnvHost& host,
                              const OutboundPolicy& outbound);

}  // namespace loaderd
