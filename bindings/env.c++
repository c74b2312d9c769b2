#include "env.h"

namespace loaderd {

v8::Local<v8::Object> makeEnv(Worker& worker, js::Lock& js,
                              kj::ArrayPtr<const BindingSpec> bindings, EnvHost& host,
                              const OutboundPolicy& outbound) {
  auto env = v8::Object::New(js.isolate);
  for (auto& b: bindings) {
    v8::Local<v8::Value> value;
    switch (b.kind) {
      case BindingSpec::Kind::TEXT:
        value = js.str(b.value);
        break;
      case BindingSpec::Kind::JSON:
        value = js.parseJson(b.value);
        break;
      case BindingSpec::Kind::SERVICE:
        value = makeJsFetcher(worker, js,
                              host.service(b.value, b.entrypoint.map([](const kj::String& s) {
                                return s.asPtr();
                              })));
        break;
      case BindingSpec::Kind::HTTP_API:
        value = makeJsFetcher(worker, js, host.apiBinding(worker.name(), b.name));
        break;
      case BindingSpec::Kind::WORKER_LOADER: {
        kj::String id;
        KJ_IF_MAYBE(i, b.loaderId) {
          id = kj::str(*i);
        } else {
          id = kj::str(worker.name(), "/", b.name);
        }
        value = kj::refcounted<WorkerLoader>(worker, host.loaderNamespace(id), outbound.clone())
                    ->wrap(js);
        break;
      }
    }
    js::check(env->Set(js.context(), js.str(b.name), value));
  }
  return env;
}

}  // namespace loaderd
