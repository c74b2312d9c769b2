#include "env.h"

namespace loaderd {

v8::Local<v8::Object> makeEnv(js::Lock& js, kj::ArrayPtr<const BindingSpec> bindings) {
  auto env = v8::Object::New(js.isolate);
  for (auto& b: bindings) {
    v8::Local<v8::Value> value;
    switch (b.kind) {
      case BindingSpec::Kind::TEXT: value = js.str(b.value); break;
      case BindingSpec::Kind::JSON: value = js.parseJson(b.value); break;
    }
    js::check(env->Set(js.context(), js.str(b.name), value));
  }
  return env;
}

}  // namespace loaderd
