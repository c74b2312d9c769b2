// Headers (WHATWG Fetch), with workerd's guard behaviour for immutable headers.
#pragma once

#include "runtime/js.h"
#include <kj/compat/http.h>

namespace loaderd::api {

class HeadersIterator;

class Headers final: public js::Object {
public:
  enum class Guard { NONE, IMMUTABLE };

  Headers() = default;
  // Copies kj::HttpHeaders (incoming requests, fetched responses).
  Headers(const kj::HttpHeaders& headers, Guard guard);

  static kj::Own<Headers> constructor(js::Lock& js, kj::Maybe<v8::Local<v8::Value>> init);
  // Builds headers from a HeadersInit value (another Headers, pairs, or a record).
  static kj::Own<Headers> fromInit(js::Lock& js, v8::Local<v8::Value> init);

  kj::Maybe<kj::String> get(kj::String name);
  kj::Array<kj::String> getSetCookie();
  kj::Array<kj::String> getAll(kj::String name);
  bool has(kj::String name);
  void set(kj::String name, kj::String value);
  void append(kj::String name, kj::String value);
  void delete_(kj::String name);
  void forEach(js::Lock& js, v8::Local<v8::Function> callback,
               kj::Maybe<v8::Local<v8::Value>> thisArg);
  kj::Own<HeadersIterator> entries();
  kj::Own<HeadersIterator> keys();
  kj::Own<HeadersIterator> values();

  kj::Own<Headers> clone(Guard guard = Guard::NONE) const;
  void setGuard(Guard g) { guard = g; }
  // Appends without validation; for headers that came from the network already parsed.
  void appendUnchecked(kj::StringPtr name, kj::StringPtr value);
  kj::Maybe<kj::StringPtr> getFirst(kj::StringPtr lowerName) const;
  bool hasLower(kj::StringPtr lowerName) const;
  // Writes every header into `out` (which must use `table`).
  void copyTo(kj::HttpHeaders& out) const;

  // Sorted and combined, as iteration sees them.
  kj::Array<std::pair<kj::String, kj::String>> sortedPairs() const;

  LOADERD_JS_CLASS(Headers) {
    LOADERD_JS_METHOD(get);
    LOADERD_JS_METHOD(getSetCookie);
    LOADERD_JS_METHOD(getAll);
    LOADERD_JS_METHOD(has);
    LOADERD_JS_METHOD(set);
    LOADERD_JS_METHOD(append);
    LOADERD_JS_METHOD_NAMED("delete", delete_);
    LOADERD_JS_METHOD(forEach);
    LOADERD_JS_ITERABLE(entries);
    LOADERD_JS_METHOD(keys);
    LOADERD_JS_METHOD(values);
  }

private:
  struct Entry {
    kj::String name;   // lower case
    kj::String value;  // normalised
  };
  kj::Vector<Entry> entries_;
  Guard guard = Guard::NONE;

  void checkMutable();
};

struct IteratorResult {
  v8::Local<v8::Value> value;
  bool done;
  LOADERD_JS_RECORD(IteratorResult, value, done);
};

// Iterates a snapshot of the sorted header list.
class HeadersIterator final: public js::Object {
public:
  enum class Kind { ENTRIES, KEYS, VALUES };
  HeadersIterator(kj::Array<std::pair<kj::String, kj::String>> pairs, Kind kind)
      : pairs(kj::mv(pairs)), kind(kind) {}

  IteratorResult next(js::Lock& js);
  v8::Local<v8::Value> self(const js::Arguments& args) { return args.This(); }

  LOADERD_JS_CLASS(HeadersIterator) {
    LOADERD_JS_METHOD(next);
    LOADERD_JS_SYMBOL_ITERATOR(self);
  }

private:
  kj::Array<std::pair<kj::String, kj::String>> pairs;
  Kind kind;
  size_t index = 0;
};

bool isValidHeaderName(kj::StringPtr name);
// Strips leading and trailing HTTP whitespace; nullptr if the value has NUL, CR or LF.
kj::Maybe<kj::String> normalizeHeaderValue(kj::StringPtr value);

#define LOADERD_HEADERS_TYPES ::loaderd::api::Headers

}  // namespace loaderd::api
