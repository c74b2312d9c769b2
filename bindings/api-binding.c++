#include "api-binding.h"

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <kj/compat/url.h>
#include <kj/debug.h>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace loaderd {

namespace {

[[noreturn]] void typeError(kj::StringPtr message) {
  kj::throwFatalException(KJ_EXCEPTION(FAILED, kj::str("js.TypeError: ", message)));
}

kj::Vector<kj::String> splitPath(kj::StringPtr path) {
  kj::Vector<kj::String> out;
  size_t start = 0;
  for (size_t i = 0; i <= path.size(); i++) {
    if (i == path.size() || path[i] == '/') {
      if (i > start) out.add(kj::str(path.slice(start, i)));
      start = i + 1;
    }
  }
  return out;
}

kj::String upper(kj::StringPtr s) {
  auto out = kj::heapString(s);
  for (auto& c: out) c = toupper(static_cast<unsigned char>(c));
  return out;
}

}  // namespace

ApiFetcher::ApiFetcher(ApiBindingConfig configArg, rpc::Fetcher::Client upstream)
    : config(kj::mv(configArg)), upstream(kj::mv(upstream)) {
  auto fail = [&](kj::StringPtr what) -> ApiBindingError {
    return ApiBindingError{kj::str("http_api binding ", config.name, ": ", what)};
  };

  // The secret: read once, kept here only.
  KJ_IF_MAYBE(env, config.secretEnv) {
    const char* value = getenv(env->cStr());
    if (value != nullptr && *value != '\0') {
      secret = kj::str(value);
    } else KJ_IF_MAYBE(fallback, config.secretDefault) {
      // Never the value itself in a log line.
      auto line = kj::str("http_api binding ", config.name, ": ", *env,
                          " is not set; using the configured value_default\n");
      fwrite(line.begin(), 1, line.size(), stderr);
      secret = kj::str(*fallback);
    } else {
      throw fail(kj::str("environment variable ", *env, " is not set"));
    }
  } else KJ_IF_MAYBE(file, config.secretFile) {
    std::ifstream in(file->cStr());
    if (!in) throw fail(kj::str("cannot read the secret file ", *file));
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    secret = kj::str(text.c_str());
  } else {
    throw fail("auth needs value_from_env or value_from_file");
  }

  KJ_IF_MAYBE(base, kj::Url::tryParse(config.baseUrl, kj::Url::REMOTE_HREF)) {
    if (base->scheme != "https" && base->scheme != "http") {
      throw fail(kj::str("base_url must be http or https: ", config.baseUrl));
    }
    baseOrigin = kj::str(base->scheme, "://", base->host);
    basePath = kj::str("/", kj::strArray(base->path, "/"));
    if (basePath == "/") basePath = kj::str("");
  } else {
    throw fail(kj::str("base_url is not a URL: ", config.baseUrl));
  }

  // The operations of the spec: its paths and their methods.
  std::string text;
  KJ_IF_MAYBE(json, config.specJson) {
    text = std::string(json->cStr(), json->size());
  } else {
    std::ifstream in(config.specPath.cStr());
    if (!in) throw fail(kj::str("cannot read the spec ", config.specPath));
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<capnp::JsonValue>();
  try {
    capnp::JsonCodec codec;
    codec.setMaxNestingDepth(256);
    codec.decodeRaw(kj::arrayPtr(text.data(), text.size()), root);
  } catch (kj::Exception& e) {
    throw fail(kj::str("the spec is not valid JSON: ", e.getDescription()));
  }
  if (!root.isObject()) throw fail("the spec is not a JSON object");
  // A local JSON pointer ("#/components/pathItems/x"), for path items given by $ref (3.1).
  auto follow = [&](capnp::JsonValue::Reader item) -> capnp::JsonValue::Reader {
    for (auto f: item.getObject()) {
      if (f.getName() != "$ref" || !f.getValue().isString()) continue;
      kj::StringPtr ref = f.getValue().getString();
      if (!ref.startsWith("#/")) return item;
      capnp::JsonValue::Reader node = root;
      kj::Vector<kj::String> parts;  // ~1 and ~0 escapes are not needed for component names
      size_t start = 2;
      for (size_t i = 2; i <= ref.size(); i++) {
        if (i == ref.size() || ref[i] == '/') {
          parts.add(kj::heapString(ref.slice(start, i)));
          start = i + 1;
        }
      }
      for (auto& key: parts) {
        bool found = false;
        if (node.isObject()) {
          for (auto g: node.getObject()) {
            if (g.getName() == key) { node = g.getValue(); found = true; break; }
          }
        }
        if (!found) return item;
      }
      return node.isObject() ? node : item;
    }
    return item;
  };
  for (auto field: root.getObject()) {
    if (field.getName() != "paths" || !field.getValue().isObject()) continue;
    for (auto path: field.getValue().getObject()) {
      if (!path.getValue().isObject()) continue;
      for (auto method: follow(path.getValue()).getObject()) {
        kj::StringPtr m = method.getName();
        if (m != "get" && m != "post" && m != "put" && m != "patch" && m != "delete") continue;
        operations.add(Operation{upper(m), kj::str(path.getName()), splitPath(path.getName())});
      }
    }
  }
  if (operations.empty()) throw fail(kj::str("the spec ", config.specPath, " has no operations"));
}

kj::Promise<void> ApiFetcher::getTarget(GetTargetContext context) {
  return KJ_EXCEPTION(FAILED, "js.TypeError: An http_api binding has no RPC methods; use fetch().");
}

void ApiFetcher::checkOperation(kj::StringPtr method, kj::StringPtr path) {
  auto segments = splitPath(path);
  auto matches = [&](const Operation& op) {
    if (op.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); i++) {
      auto& t = op.segments[i];
      if (t.startsWith("{") && t.endsWith("}")) continue;
      if (t != segments[i]) return false;
    }
    return true;
  };
  bool pathKnown = false;
  for (auto& op: operations) {
    if (!matches(op)) continue;
    if (op.method == method) return;
    pathKnown = true;
  }
  // Nothing matched: name the closest operations (most leading segments in common, then the
  // nearest segment count).
  struct Scored {
    const Operation* op;
    int score;
  };
  kj::Vector<Scored> scored;
  for (auto& op: operations) {
    int common = 0;
    for (size_t i = 0; i < op.segments.size() && i < segments.size(); i++) {
      auto& t = op.segments[i];
      if ((t.startsWith("{") && t.endsWith("}")) || t == segments[i]) {
        common++;
      } else {
        break;
      }
    }
    int lengthPenalty = std::abs(static_cast<int>(op.segments.size()) -
                                 static_cast<int>(segments.size()));
    int score = common * 100 - lengthPenalty * 10 + (op.method == method ? 1 : 0);
    scored.add(Scored{&op, score});
  }
  std::sort(scored.begin(), scored.end(),
            [](const Scored& a, const Scored& b) { return a.score > b.score; });
  kj::Vector<kj::String> closest;
  for (size_t i = 0; i < scored.size() && i < 3; i++) {
    closest.add(kj::str(scored[i].op->method, " ", scored[i].op->path));
  }
  typeError(kj::str(pathKnown ? "The API spec has no " : "The API spec has no operation ", method,
                    " ", path, pathKnown ? " (the path exists with other methods)" : "",
                    ". Closest: ", kj::strArray(closest, ", "), "."));
}

kj::Promise<void> ApiFetcher::fetch(FetchContext context) {
  context.allowCancellation();  // an aborted fetch() drops the request, connection and all
  auto req = context.getParams().getRequest();
  kj::StringPtr url = req.getUrl();
  // The base URL is pinned: scheme, host and port must be the base URL's, and the path must be
  // under its path.
  auto prefix = kj::str(baseOrigin, basePath, "/");
  if (!url.startsWith(prefix)) {
    typeError(kj::str("The ", config.name, " binding only calls ", config.baseUrl,
                      "; refused a request to ", url, "."));
  }
  kj::StringPtr rest = url.slice(prefix.size() - 1);
  kj::String path;
  KJ_IF_MAYBE(q, rest.findFirst('?')) {
    path = kj::str(rest.slice(0, *q));
  } else KJ_IF_MAYBE(h, rest.findFirst('#')) {
    path = kj::str(rest.slice(0, *h));
  } else {
    path = kj::str(rest);
  }
  if (path.size() > 1 && path.endsWith("/")) path = kj::str(path.slice(0, path.size() - 1));
  for (auto& segment: splitPath(path)) {
    // Dot segments were resolved when the Request was built; one that got here anyway, or an
    // encoded slash or backslash, could move the request to a different operation upstream.
    if (segment == ".." || segment == "." || strcasestr(segment.cStr(), "%2f") != nullptr ||
        strcasestr(segment.cStr(), "%5c") != nullptr || strcasestr(segment.cStr(), "%2e") != nullptr) {
      typeError(kj::str("The ", config.name, " binding refuses the path ", path, "."));
    }
  }
  checkOperation(upper(req.getMethod()), path);

  // Forward with the secret added (any header of the same name from JavaScript is dropped) and
  // redirects not followed, so nothing can take the credential off the pinned host.
  auto forward = upstream.fetchRequest();
  auto out = forward.initRequest();
  out.setMethod(upper(req.getMethod()));
  out.setUrl(url);
  out.setRedirect("manual");
  auto headers = req.getHeaders();
  size_t kept = 0;
  for (auto h: headers) {
    if (strcasecmp(h.getName().cStr(), config.authHeader.cStr()) != 0) kept++;
  }
  auto outHeaders = out.initHeaders(kept + 1);
  size_t i = 0;
  for (auto h: headers) {
    if (strcasecmp(h.getName().cStr(), config.authHeader.cStr()) == 0) continue;
    outHeaders[i].setName(h.getName());
    outHeaders[i].setValue(h.getValue());
    i++;
  }
  outHeaders[i].setName(config.authHeader);
  outHeaders[i].setValue(kj::str(config.authPrefix, secret));
  if (req.getHasBody()) {
    out.setHasBody(true);
    out.setBody(req.getBody());
  }
  return forward.send().then([context](capnp::Response<rpc::Fetcher::FetchResults> result) mutable {
    context.getResults().setResponse(result.getResponse());
  });
}

}  // namespace loaderd
