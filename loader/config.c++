#include "config.h"

#include <yaml-cpp/yaml.h>
#include <kj/debug.h>
#include <kj/vector.h>
#include <kj/compat/tls.h>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace loaderd {

namespace {

struct Ctx {
  kj::StringPtr path;

  [[noreturn]] void fail(const YAML::Node& node, kj::StringPtr field, kj::StringPtr what) {
    auto mark = node.Mark();
    if (mark.line >= 0) {
      throw ConfigError{kj::str(path, ":", mark.line + 1, ":", mark.column + 1, ": ", field, ": ",
                                what)};
    }
    throw ConfigError{kj::str(path, ": ", field, ": ", what)};
  }

  kj::String string(const YAML::Node& node, kj::StringPtr field) {
    if (!node.IsScalar()) fail(node, field, "expected a string");
    return kj::str(node.Scalar().c_str());
  }

  double number(const YAML::Node& node, kj::StringPtr field) {
    if (!node.IsScalar()) fail(node, field, "expected a number");
    try {
      size_t used = 0;
      double d = std::stod(node.Scalar(), &used);
      if (used != node.Scalar().size() || !(d >= 0)) throw std::invalid_argument("");
      return d;
    } catch (std::exception&) {
      fail(node, field, kj::str("expected a non-negative number, got \"", node.Scalar().c_str(),
                                "\""));
    }
  }

  void onlyKeys(const YAML::Node& node, kj::StringPtr field,
                std::initializer_list<const char*> allowed) {
    if (!node.IsMap()) fail(node, field, "expected a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto key = it->first.as<std::string>();
      bool ok = false;
      for (auto* a: allowed) {
        if (key == a) ok = true;
      }
      if (!ok) {
        kj::Vector<kj::StringPtr> names;
        for (auto* a: allowed) names.add(a);
        fail(it->first, kj::str(field, field.size() ? "." : "", key.c_str()),
             kj::str("unknown field (expected one of: ", kj::strArray(names, ", "), ")"));
      }
    }
  }
};

kj::String dirname(kj::StringPtr path) {
  KJ_IF_MAYBE(slash, path.findLast('/')) {
    if (*slash == 0) return kj::str("/");
    return kj::str(path.slice(0, *slash));
  }
  return kj::str(".");
}

kj::String absolute(kj::StringPtr path) {
  char buf[PATH_MAX];
  if (realpath(path.cStr(), buf) != nullptr) return kj::str(buf);
  return kj::str(path);
}

// Converts a YAML value to JSON text (for `json` bindings).
void toJson(const YAML::Node& node, std::ostringstream& out) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out << "null";
      return;
    case YAML::NodeType::Scalar: {
      auto& s = node.Scalar();
      if (node.Tag() != "!") {  // unquoted: booleans and numbers keep their type
        if (s == "true" || s == "false" || s == "null") {
          out << s;
          return;
        }
        char* end = nullptr;
        strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size() && s != "." && s != "-") {
          out << s;
          return;
        }
      }
      out << '"';
      for (char c: s) {
        switch (c) {
          case '"': out << "\\\""; break;
          case '\\': out << "\\\\"; break;
          case '\n': out << "\\n"; break;
          case '\r': out << "\\r"; break;
          case '\t': out << "\\t"; break;
          default:
            if (static_cast<unsigned char>(c) < 0x20) {
              char buf[8];
              snprintf(buf, sizeof(buf), "\\u%04x", c);
              out << buf;
            } else {
              out << c;
            }
        }
      }
      out << '"';
      return;
    }
    case YAML::NodeType::Sequence: {
      out << '[';
      bool first = true;
      for (auto item: node) {
        if (!first) out << ',';
        first = false;
        toJson(item, out);
      }
      out << ']';
      return;
    }
    case YAML::NodeType::Map: {
      out << '{';
      bool first = true;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (!first) out << ',';
        first = false;
        YAML::Node key = it->first;
        std::ostringstream k;
        YAML::Node quotedKey(key.as<std::string>());
        quotedKey.SetTag("!");
        toJson(quotedKey, k);
        out << k.str() << ':';
        toJson(it->second, out);
      }
      out << '}';
      return;
    }
  }
}

bool isYamlPath(kj::StringPtr path) { return path.endsWith(".yaml") || path.endsWith(".yml"); }

// A JSON document from a file; .yaml/.yml files are read as YAML and converted.
kj::String readJsonFile(Ctx& c, const YAML::Node& node, kj::StringPtr field,
                        kj::StringPtr path) {
  std::ifstream in(path.cStr());
  if (!in) c.fail(node, field, kj::str("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!isYamlPath(path)) return kj::str(buffer.str().c_str());
  YAML::Node doc;
  try {
    doc = YAML::Load(buffer.str());
  } catch (const YAML::Exception& e) {
    c.fail(node, field, kj::str(path, ": ", e.what()));
  }
  std::ostringstream out;
  toJson(doc, out);
  return kj::str(out.str().c_str());
}

BindingSpec parseBinding(Ctx& c, kj::StringPtr field, kj::StringPtr name,
                         const YAML::Node& node, kj::StringPtr configDir) {
  if (!node.IsMap() || node.size() != 1) {
    c.fail(node, field, "expected a mapping with exactly one binding kind (text, json, json_file, "
                        "service, worker_loader, http_api)");
  }
  auto it = node.begin();
  auto kind = it->first.as<std::string>();
  auto kindField = kj::str(field, ".", kind.c_str());
  if (kind == "text") {
    return BindingSpec{kj::str(name), BindingSpec::Kind::TEXT, c.string(it->second, kindField)};
  }
  if (kind == "json") {
    std::ostringstream out;
    toJson(it->second, out);
    return BindingSpec{kj::str(name), BindingSpec::Kind::JSON, kj::str(out.str().c_str())};
  }
  if (kind == "json_file") {
    // A JSON (or YAML, converted) document read from a file when the config loads, e.g. an
    // OpenAPI spec; bound like `json`.
    auto file = c.string(it->second, kindField);
    auto path = file.startsWith("/") ? kj::mv(file) : kj::str(configDir, "/", file);
    return BindingSpec{kj::str(name), BindingSpec::Kind::JSON,
                       readJsonFile(c, it->second, kindField, path)};
  }
  if (kind == "service") {
    auto& v = it->second;
    if (v.IsScalar()) {
      return BindingSpec{kj::str(name), BindingSpec::Kind::SERVICE, c.string(v, kindField),
                         nullptr, nullptr};
    }
    c.onlyKeys(v, kindField, {"name", "entrypoint"});
    if (!v["name"]) c.fail(v, kj::str(kindField, ".name"), "required (the worker to call)");
    BindingSpec b{kj::str(name), BindingSpec::Kind::SERVICE,
                  c.string(v["name"], kj::str(kindField, ".name")), nullptr, nullptr};
    if (v["entrypoint"]) b.entrypoint = c.string(v["entrypoint"], kj::str(kindField, ".entrypoint"));
    return b;
  }
  if (kind == "worker_loader") {
    auto& v = it->second;
    BindingSpec b{kj::str(name), BindingSpec::Kind::WORKER_LOADER, kj::str(), nullptr, nullptr};
    if (v.IsNull()) return b;
    c.onlyKeys(v, kindField, {"id"});
    if (v["id"]) b.loaderId = c.string(v["id"], kj::str(kindField, ".id"));
    return b;
  }
  if (kind == "http_api") {
    auto& v = it->second;
    c.onlyKeys(v, kindField, {"base_url", "spec", "auth", "upstream"});
    auto need = [&](const char* key) {
      if (!v[key]) c.fail(v, kj::str(kindField, ".", key), "required");
      return c.string(v[key], kj::str(kindField, ".", key));
    };
    auto api = kj::heap<ApiBindingConfig>();
    api->name = kj::str(name);
    api->baseUrl = need("base_url");
    auto specPath = need("spec");
    api->specPath = specPath.startsWith("/") ? kj::mv(specPath) : kj::str(configDir, "/", specPath);
    if (isYamlPath(api->specPath)) {
      api->specJson = readJsonFile(c, v["spec"], kj::str(kindField, ".spec"), api->specPath);
    }
    auto auth = v["auth"];
    if (!auth) c.fail(v, kj::str(kindField, ".auth"), "required ({ header, value_from_env | value_from_file, prefix })");
    c.onlyKeys(auth, kj::str(kindField, ".auth"),
               {"header", "value_from_env", "value_from_file", "value_default", "prefix"});
    api->authHeader = auth["header"] ? c.string(auth["header"], kj::str(kindField, ".auth.header"))
                                     : kj::str("Authorization");
    api->authPrefix = auth["prefix"] ? c.string(auth["prefix"], kj::str(kindField, ".auth.prefix"))
                                     : kj::str("");
    if (auth["value_default"]) {
      if (!auth["value_from_env"]) {
        c.fail(auth["value_default"], kj::str(kindField, ".auth.value_default"),
               "only goes with value_from_env (the value used when that variable is unset)");
      }
      api->secretDefault =
          c.string(auth["value_default"], kj::str(kindField, ".auth.value_default"));
    }
    if (auth["value_from_env"]) {
      api->secretEnv = c.string(auth["value_from_env"], kj::str(kindField, ".auth.value_from_env"));
    } else if (auth["value_from_file"]) {
      auto f = c.string(auth["value_from_file"], kj::str(kindField, ".auth.value_from_file"));
      api->secretFile = f.startsWith("/") ? kj::mv(f) : kj::str(configDir, "/", f);
    } else {
      c.fail(auth, kj::str(kindField, ".auth"), "needs value_from_env or value_from_file");
    }
    BindingSpec b{kj::str(name), BindingSpec::Kind::HTTP_API, kj::str(), nullptr, nullptr};
    b.httpApi = kj::mv(api);
    if (v["upstream"]) b.upstream = c.string(v["upstream"], kj::str(kindField, ".upstream"));
    return b;
  }
  c.fail(it->first, kindField,
         "unknown binding kind (expected text, json, json_file, service, worker_loader or http_api)");
}

WorkerConfig parseWorker(Ctx& c, kj::StringPtr configDir, kj::StringPtr name,
                         const YAML::Node& node, kj::ArrayPtr<const kj::String> workerNames) {
  auto field = kj::str("workers.", name);
  c.onlyKeys(node, field,
             {"main", "root", "compatibility_date", "compatibility_flags", "bindings",
              "global_outbound", "limits"});
  WorkerConfig w;
  w.name = kj::str(name);

  auto mainNode = node["main"];
  if (!mainNode) c.fail(node, kj::str(field, ".main"), "required (the worker's main module)");
  auto main = c.string(mainNode, kj::str(field, ".main"));
  auto mainPath = main.startsWith("/") ? kj::str(main) : kj::str(configDir, "/", main);
  struct stat st;
  if (stat(mainPath.cStr(), &st) != 0 || !S_ISREG(st.st_mode)) {
    c.fail(mainNode, kj::str(field, ".main"), kj::str("no such file: ", mainPath));
  }
  mainPath = absolute(mainPath);
  if (auto rootNode = node["root"]) {
    auto root = c.string(rootNode, kj::str(field, ".root"));
    w.root = absolute(root.startsWith("/") ? kj::str(root) : kj::str(configDir, "/", root));
    if (!mainPath.startsWith(kj::str(w.root, "/"))) {
      c.fail(rootNode, kj::str(field, ".root"), "must contain the main module");
    }
  } else {
    w.root = dirname(mainPath);
  }
  w.mainModule = kj::str(mainPath.slice(w.root.size() + 1));

  kj::Maybe<kj::String> date;
  auto dateNode = node["compatibility_date"];
  if (dateNode) date = c.string(dateNode, kj::str(field, ".compatibility_date"));
  kj::Vector<kj::String> flags;
  auto flagsNode = node["compatibility_flags"];
  if (flagsNode) {
    if (!flagsNode.IsSequence()) {
      c.fail(flagsNode, kj::str(field, ".compatibility_flags"), "expected a list of strings");
    }
    for (auto f: flagsNode) flags.add(c.string(f, kj::str(field, ".compatibility_flags")));
  }
  w.compatibilityFlags = flags.releaseAsArray();
  if (date == nullptr) {
    c.fail(node, kj::str(field, ".compatibility_date"), "required (YYYY-MM-DD)");
  }
  try {
    KJ_IF_MAYBE(d, date) {
      w.compat = compileCompatibility(d->asPtr(), w.compatibilityFlags, AllowExperimental::YES,
                                      todayUtc());
    }
  } catch (kj::Exception& e) {
    kj::StringPtr msg = e.getDescription();
    if (msg.startsWith("js.Error: ")) msg = msg.slice(strlen("js.Error: "));
    bool aboutDate = msg.startsWith("Invalid compatibility date") || msg.startsWith("This Worker") ||
                     msg.startsWith("Can't set");
    c.fail(aboutDate ? dateNode : flagsNode,
           kj::str(field, aboutDate ? ".compatibility_date" : ".compatibility_flags"), msg);
  }

  kj::Vector<BindingSpec> bindings;
  if (auto b = node["bindings"]) {
    if (!b.IsMap()) c.fail(b, kj::str(field, ".bindings"), "expected a mapping of name to binding");
    for (auto it = b.begin(); it != b.end(); ++it) {
      auto bname = kj::str(it->first.as<std::string>().c_str());
      bindings.add(parseBinding(c, kj::str(field, ".bindings.", bname), bname, it->second,
                                configDir));
    }
  }
  w.bindings = bindings.releaseAsArray();

  w.globalOutbound = kj::str("internet");
  if (auto g = node["global_outbound"]) {
    w.globalOutbound = c.string(g, kj::str(field, ".global_outbound"));
    bool known = w.globalOutbound == "internet" || w.globalOutbound == "none";
    for (auto& n: workerNames) {
      if (n == w.globalOutbound) known = true;
    }
    if (!known) {
      c.fail(g, kj::str(field, ".global_outbound"),
             kj::str("expected internet, none or the name of a worker; got \"", w.globalOutbound,
                     "\""));
    }
  }

  if (auto l = node["limits"]) {
    c.onlyKeys(l, kj::str(field, ".limits"), {"cpu_ms", "memory_mb", "subrequests", "wall_ms"});
    if (auto v = l["wall_ms"]) w.limits.wallMs = c.number(v, kj::str(field, ".limits.wall_ms"));
    if (auto v = l["cpu_ms"]) w.limits.cpuMs = c.number(v, kj::str(field, ".limits.cpu_ms"));
    if (auto v = l["memory_mb"]) {
      w.limits.memoryMb = c.number(v, kj::str(field, ".limits.memory_mb"));
    }
    if (auto v = l["subrequests"]) {
      w.limits.subrequests = c.number(v, kj::str(field, ".limits.subrequests"));
    }
  }
  return w;
}

}  // namespace

const WorkerConfig& Config::mainWorker() const {
  for (auto& w: workers) {
    if (w.name == main) return w;
  }
  KJ_FAIL_ASSERT("main worker missing; parseConfig validates it", main);
}

Config parseConfig(kj::StringPtr path, kj::StringPtr text) {
  Ctx c{path};
  YAML::Node root;
  try {
    root = YAML::Load(text.cStr());
  } catch (YAML::ParserException& e) {
    throw ConfigError{kj::str(path, ":", e.mark.line + 1, ":", e.mark.column + 1,
                              ": invalid YAML: ", e.msg.c_str())};
  }
  if (!root.IsMap()) {
    throw ConfigError{kj::str(path, ": expected a mapping with `workers` at the top level")};
  }
  c.onlyKeys(root, "", {"listen", "main", "workers", "outbound", "loader", "v8_flags"});

  Config config;
  config.path = kj::str(path);
  config.listen = kj::str("127.0.0.1:8787");
  if (auto l = root["listen"]) config.listen = c.string(l, "listen");
  if (auto o = root["outbound"]) {
    c.onlyKeys(o, "outbound", {"allow_private", "trusted_certificates"});
    if (auto t = o["trusted_certificates"]) {
      auto file = c.string(t, "outbound.trusted_certificates");
      auto dir = dirname(absolute(path));
      auto pemPath = file.startsWith("/") ? kj::mv(file) : kj::str(dir, "/", file);
      std::ifstream in(pemPath.cStr());
      if (!in) c.fail(t, "outbound.trusted_certificates", kj::str("cannot read ", pemPath));
      std::stringstream buffer;
      buffer << in.rdbuf();
      config.outboundTrustedCertificates = kj::str(buffer.str().c_str());
      KJ_IF_MAYBE(e, kj::runCatchingExceptions([&]() {
        kj::TlsCertificate check(config.outboundTrustedCertificates);
      })) {
        c.fail(t, "outbound.trusted_certificates",
               kj::str(pemPath, " holds no PEM certificate we can read"));
      }
    }
    if (auto a = o["allow_private"]) {
      auto v = c.string(a, "outbound.allow_private");
      if (v != "true" && v != "false") c.fail(a, "outbound.allow_private", "expected true or false");
      config.outboundAllowPrivate = v == "true";
    }
  }

  if (auto l = root["loader"]) {
    c.onlyKeys(l, "loader", {"max_cached_workers", "max_cached_memory_mb", "idle_timeout_ms",
                             "max_live_anonymous"});
    auto count = [&](const char* key, size_t& out) {
      if (auto v = l[key]) {
        auto field = kj::str("loader.", key);
        double d = c.number(v, field);
        if (d < 1 || d != static_cast<double>(static_cast<size_t>(d)) || d > 1e6) {
          c.fail(v, field, "expected a whole number from 1 to 1000000");
        }
        out = static_cast<size_t>(d);
      }
    };
    count("max_cached_workers", config.loader.maxCachedWorkers);
    count("max_live_anonymous", config.loader.maxLiveAnonymous);
    if (auto v = l["max_cached_memory_mb"]) {
      config.loader.maxCachedMemoryMb = c.number(v, "loader.max_cached_memory_mb");
      if (config.loader.maxCachedMemoryMb < 1) {
        c.fail(v, "loader.max_cached_memory_mb", "expected at least 1");
      }
    }
    if (auto v = l["idle_timeout_ms"]) {
      config.loader.idleTimeoutMs = c.number(v, "loader.idle_timeout_ms");
    }
  }

  if (auto f = root["v8_flags"]) {
    if (!f.IsSequence()) c.fail(f, "v8_flags", "expected a list of strings");
    kj::Vector<kj::String> flags;
    for (auto flag: f) {
      auto v = c.string(flag, "v8_flags");
      // One flag per item: V8 would read "--a --b" as two flags and a stray word as a file name.
      if (!v.startsWith("--") || v.size() < 3 || strpbrk(v.cStr(), " \t\n") != nullptr) {
        c.fail(flag, "v8_flags", kj::str("expected one V8 flag per item, like --expose-gc, got \"",
                                          v, "\""));
      }
      flags.add(kj::mv(v));
    }
    config.v8Flags = flags.releaseAsArray();
  }

  auto workers = root["workers"];
  if (!workers) c.fail(root, "workers", "required (a mapping of worker name to worker)");
  if (!workers.IsMap() || workers.size() == 0) {
    c.fail(workers, "workers", "expected a mapping with at least one worker");
  }
  kj::Vector<kj::String> names;
  for (auto it = workers.begin(); it != workers.end(); ++it) {
    names.add(kj::str(it->first.as<std::string>().c_str()));
  }
  auto configDir = dirname(absolute(path));
  kj::Vector<WorkerConfig> parsed;
  for (auto it = workers.begin(); it != workers.end(); ++it) {
    auto name = kj::str(it->first.as<std::string>().c_str());
    parsed.add(parseWorker(c, configDir, name, it->second, names));
  }
  config.workers = parsed.releaseAsArray();
  for (auto it = workers.begin(); it != workers.end(); ++it) {
    auto bindingsNode = it->second["bindings"];
    if (!bindingsNode) continue;
    for (auto b = bindingsNode.begin(); b != bindingsNode.end(); ++b) {
      auto service = b->second["service"];
      if (!service && b->second["http_api"] && b->second["http_api"]["upstream"]) {
        service = b->second["http_api"]["upstream"];
      }
      if (!service) continue;
      auto target = service.IsScalar() ? service : service["name"];
      auto targetName = kj::str(target.Scalar().c_str());
      bool found = false;
      for (auto& n: names) {
        if (n == targetName) found = true;
      }
      if (!found) {
        c.fail(target, kj::str("workers.", it->first.as<std::string>().c_str(), ".bindings.",
                               b->first.as<std::string>().c_str(), ".service"),
               kj::str("no worker named \"", targetName, "\" under `workers`"));
      }
    }
  }

  if (auto m = root["main"]) {
    config.main = c.string(m, "main");
    bool found = false;
    for (auto& n: names) {
      if (n == config.main) found = true;
    }
    if (!found) {
      c.fail(m, "main", kj::str("no worker named \"", config.main, "\" under `workers`"));
    }
  } else if (names.size() == 1) {
    config.main = kj::str(names[0]);
  } else {
    c.fail(root, "main", "required when there is more than one worker");
  }
  return config;
}

Config loadConfig(kj::StringPtr pathArg) {
  kj::String path = kj::str(pathArg);
  struct stat st;
  if (stat(path.cStr(), &st) != 0) {
    throw ConfigError{kj::str(path, ": no such file or folder")};
  }
  if (S_ISDIR(st.st_mode)) {
    auto candidate = kj::str(path, "/loaderd.yaml");
    if (stat(candidate.cStr(), &st) != 0) {
      throw ConfigError{kj::str(path, ": folder holds no loaderd.yaml")};
    }
    path = kj::mv(candidate);
  }
  if (path.endsWith(".jsonc") || path.endsWith(".toml") || path.endsWith(".json")) {
    throw ConfigError{kj::str(path, ": wrangler configuration is not supported by this build "
                                    "yet; use loaderd.yaml")};
  }
  std::ifstream in(path.cStr());
  if (!in) throw ConfigError{kj::str(path, ": cannot read")};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parseConfig(path, buffer.str().c_str());
}

}  // namespace loaderd
