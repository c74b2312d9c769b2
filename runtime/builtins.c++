#include "builtins.h"

#include <kj/debug.h>
#include <kj/vector.h>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace loaderd {

BuiltinSet& BuiltinSet::get() {
  // Process-wide and immutable after startup apart from the caches, which are filled once on
  // the JavaScript thread.
  static BuiltinSet set;
  return set;
}

kj::ArrayPtr<const kj::byte> BuiltinSet::codeCache(size_t index) const {
  if (index >= caches.size()) return nullptr;
  return caches[index];
}

bool BuiltinSet::isEager(kj::StringPtr name) {
  return name == "globals.js" || name == "workers.js" || name == "polyfills.js" ||
         name == "http-bodies.js";
}

bool BuiltinSet::snapshotsCompiled(kj::StringPtr name) {
  return isEager(name) && name != "polyfills.js";
}

void BuiltinSet::setNames(size_t index, kj::Array<kj::String> names) {
  if (globalNames.size() != list.size()) {
    globalNames = kj::heapArray<kj::Array<kj::String>>(list.size());
  }
  globalNames[index] = kj::mv(names);
  if (index + 1 == list.size()) namesRecorded = true;
}

void BuiltinSet::setCodeCache(size_t index, kj::Array<kj::byte> data) {
  if (caches.size() != list.size()) caches = kj::heapArray<kj::Array<kj::byte>>(list.size());
  caches[index] = kj::mv(data);
}

BuiltinSet::BuiltinSet() {
  const char* dir = getenv("LOADERD_BUILTINS_DIR");
  if (dir == nullptr || *dir == '\0') {
    auto embedded = builtinSources();
    list = kj::heapArray<Builtin>(embedded.begin(), embedded.size());
    caches = kj::heapArray<kj::Array<kj::byte>>(list.size());
    findAscii();
    return;
  }
  std::ifstream order(kj::str(dir, "/ORDER").cStr());
  KJ_REQUIRE(order.good(), "LOADERD_BUILTINS_DIR has no ORDER file", dir);
  kj::Vector<kj::String> names, sources;
  std::string line;
  while (std::getline(order, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::ifstream file(kj::str(dir, "/", line.c_str()).cStr());
    KJ_REQUIRE(file.good(), "builtin listed in ORDER is missing", line.c_str());
    std::stringstream buffer;
    buffer << file.rdbuf();
    names.add(kj::str(line.c_str()));
    sources.add(kj::str(buffer.str().c_str()));
  }
  kj::Vector<Builtin> result;
  for (size_t i = 0; i < names.size(); i++) result.add(Builtin{names[i].cStr(), sources[i]});
  kj::Vector<kj::String> all;
  for (auto& n: names) all.add(kj::mv(n));
  for (auto& s: sources) all.add(kj::mv(s));
  storage = all.releaseAsArray();
  list = result.releaseAsArray();
  caches = kj::heapArray<kj::Array<kj::byte>>(list.size());
  findAscii();
}

void BuiltinSet::findAscii() {
  ascii = kj::heapArray<bool>(list.size());
  for (size_t i = 0; i < list.size(); i++) {
    ascii[i] = true;
    for (char c: list[i].source) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii[i] = false;
        break;
      }
    }
  }
}

}  // namespace loaderd
