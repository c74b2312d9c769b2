#include "headers.h"

#include <algorithm>

namespace loaderd::api {

bool isValidHeaderName(kj::StringPtr name) {
  if (name.size() == 0) return false;
  for (char c: name) {
    // RFC 7230 token characters.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) continue;
    switch (c) {
      case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
      case '.': case '^': case '_': case '`': case '|': case '~':
        continue;
      default:
        return false;
    }
  }
  return true;
}

static bool isHttpWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

kj::Maybe<kj::String> normalizeHeaderValue(kj::StringPtr value) {
  size_t begin = 0, end = value.size();
  while (begin < end && isHttpWhitespace(value[begin])) begin++;
  while (end > begin && isHttpWhitespace(value[end - 1])) end--;
  for (size_t i = begin; i < end; i++) {
    char c = value[i];
    if (c == '\0' || c == '\r' || c == '\n') return nullptr;
  }
  return kj::str(value.slice(begin, end));
}

static kj::String toLower(kj::StringPtr s) {
  auto result = kj::heapString(s);
  for (auto& c: result) {
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  }
  return result;
}

static kj::String checkedName(kj::StringPtr name) {
  if (!isValidHeaderName(name)) js::throwTypeError(kj::str("Invalid header name."));
  return toLower(name);
}

static kj::String checkedValue(kj::StringPtr value) {
  KJ_IF_MAYBE(v, normalizeHeaderValue(value)) {
    return kj::mv(*v);
  }
  js::throwTypeError(kj::str("Invalid header value."));
}

Headers::Headers(const kj::HttpHeaders& headers, Guard guard): guard(guard) {
  // Leading and trailing whitespace is not part of a field value (RFC 9110 §5.5); kj-http keeps
  // trailing whitespace, workerd strips it.
  headers.forEach([&](kj::StringPtr name, kj::StringPtr value) {
    size_t begin = 0, end = value.size();
    while (begin < end && (value[begin] == ' ' || value[begin] == '\t')) begin++;
    while (end > begin && (value[end - 1] == ' ' || value[end - 1] == '\t')) end--;
    entries_.add(Entry{toLower(name), kj::str(value.slice(begin, end))});
  });
}

kj::Own<Headers> Headers::constructor(js::Lock& js, kj::Maybe<v8::Local<v8::Value>> init) {
  KJ_IF_MAYBE(i, init) {
    return fromInit(js, *i);
  }
  return kj::refcounted<Headers>();
}

kj::Own<Headers> Headers::fromInit(js::Lock& js, v8::Local<v8::Value> init) {
  auto result = kj::refcounted<Headers>();
  if (init->IsNullOrUndefined()) return result;
  if (Headers* other = js::tryUnwrap<Headers>(js, init)) {
    for (auto& e: other->entries_) result->entries_.add(Entry{kj::str(e.name), kj::str(e.value)});
    return result;
  }
  if (!init->IsObject()) {
    js::throwTypeError(
        "Failed to construct 'Headers': The provided value is not of type "
        "'(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
  }
  auto obj = init.As<v8::Object>();
  auto iteratorFn = js::check(obj->Get(js.context(), v8::Symbol::GetIterator(js.isolate)));
  if (iteratorFn->IsFunction()) {
    // sequence<sequence<ByteString>>
    auto iterator = js::check(iteratorFn.As<v8::Function>()->Call(js.context(), obj, 0, nullptr))
                        .As<v8::Object>();
    auto next = js::check(iterator->Get(js.context(), js.internedStr("next")));
    if (!next->IsFunction()) js::throwTypeError("Headers init iterator has no next() method.");
    for (;;) {
      auto step = js::check(next.As<v8::Function>()->Call(js.context(), iterator, 0, nullptr));
      if (!step->IsObject()) js::throwTypeError("Iterator result is not an object.");
      auto stepObj = step.As<v8::Object>();
      if (js::check(stepObj->Get(js.context(), js.internedStr("done")))->BooleanValue(js.isolate)) {
        break;
      }
      auto pair = js::check(stepObj->Get(js.context(), js.internedStr("value")));
      if (!pair->IsArray() || pair.As<v8::Array>()->Length() != 2) {
        js::throwTypeError(
            "Failed to construct 'Headers': Each header entry must be an array of exactly two "
            "strings.");
      }
      auto arr = pair.As<v8::Array>();
      result->append(js.toString(js::check(arr->Get(js.context(), 0))),
                     js.toString(js::check(arr->Get(js.context(), 1))));
    }
    return result;
  }
  // record<ByteString, ByteString>
  auto keys = js::check(obj->GetOwnPropertyNames(js.context()));
  for (uint i = 0; i < keys->Length(); i++) {
    auto key = js::check(keys->Get(js.context(), i));
    auto value = js::check(obj->Get(js.context(), key));
    result->append(js.toString(key), js.toString(value));
  }
  return result;
}

void Headers::checkMutable() {
  if (guard == Guard::IMMUTABLE) js::throwTypeError("Can't modify immutable headers.");
}

kj::Maybe<kj::String> Headers::get(kj::String name) {
  auto lower = checkedName(name);
  kj::Vector<kj::StringPtr> values;
  for (auto& e: entries_) {
    if (e.name == lower) values.add(e.value);
  }
  if (values.empty()) return nullptr;
  return kj::strArray(values, ", ");
}

kj::Array<kj::String> Headers::getSetCookie() {
  kj::Vector<kj::String> values;
  for (auto& e: entries_) {
    if (e.name == "set-cookie") values.add(kj::str(e.value));
  }
  return values.releaseAsArray();
}

kj::Array<kj::String> Headers::getAll(kj::String name) {
  auto lower = checkedName(name);
  if (lower != "set-cookie") {
    js::throwTypeError("getAll() can only be used with the header name \"Set-Cookie\".");
  }
  return getSetCookie();
}

bool Headers::has(kj::String name) { return hasLower(checkedName(name)); }

bool Headers::hasLower(kj::StringPtr lower) const {
  for (auto& e: entries_) {
    if (e.name == lower) return true;
  }
  return false;
}

kj::Maybe<kj::StringPtr> Headers::getFirst(kj::StringPtr lower) const {
  for (auto& e: entries_) {
    if (e.name == lower) return e.value.asPtr();
  }
  return nullptr;
}

void Headers::set(kj::String name, kj::String value) {
  auto lower = checkedName(name);
  auto v = checkedValue(value);
  checkMutable();
  bool replaced = false;
  kj::Vector<Entry> kept;
  for (auto& e: entries_) {
    if (e.name == lower) {
      if (!replaced) {
        kept.add(Entry{kj::mv(e.name), kj::mv(v)});
        replaced = true;
      }
    } else {
      kept.add(kj::mv(e));
    }
  }
  if (!replaced) kept.add(Entry{kj::mv(lower), kj::mv(v)});
  entries_ = kj::mv(kept);
}

void Headers::append(kj::String name, kj::String value) {
  auto lower = checkedName(name);
  auto v = checkedValue(value);
  checkMutable();
  entries_.add(Entry{kj::mv(lower), kj::mv(v)});
}

void Headers::appendUnchecked(kj::StringPtr name, kj::StringPtr value) {
  entries_.add(Entry{toLower(name), kj::str(value)});
}

void Headers::delete_(kj::String name) {
  auto lower = checkedName(name);
  checkMutable();
  kj::Vector<Entry> kept;
  for (auto& e: entries_) {
    if (e.name != lower) kept.add(kj::mv(e));
  }
  entries_ = kj::mv(kept);
}

kj::Array<std::pair<kj::String, kj::String>> Headers::sortedPairs() const {
  kj::Vector<kj::StringPtr> names;
  for (auto& e: entries_) {
    bool seen = false;
    for (auto& n: names) {
      if (n == e.name) {
        seen = true;
        break;
      }
    }
    if (!seen) names.add(e.name);
  }
  std::sort(names.begin(), names.end(),
            [](kj::StringPtr a, kj::StringPtr b) { return strcmp(a.cStr(), b.cStr()) < 0; });
  kj::Vector<std::pair<kj::String, kj::String>> result;
  for (auto& name: names) {
    if (name == "set-cookie") {
      for (auto& e: entries_) {
        if (e.name == name) result.add(std::make_pair(kj::str(name), kj::str(e.value)));
      }
    } else {
      kj::Vector<kj::StringPtr> values;
      for (auto& e: entries_) {
        if (e.name == name) values.add(e.value);
      }
      result.add(std::make_pair(kj::str(name), kj::strArray(values, ", ")));
    }
  }
  return result.releaseAsArray();
}

void Headers::forEach(js::Lock& js, v8::Local<v8::Function> callback,
                      kj::Maybe<v8::Local<v8::Value>> thisArg) {
  v8::Local<v8::Value> receiver = js.undefined();
  KJ_IF_MAYBE(t, thisArg) { receiver = *t; }
  auto self = wrap(js);
  for (auto& pair: sortedPairs()) {
    v8::Local<v8::Value> args[] = {js.str(pair.second), js.str(pair.first), self};
    js::check(callback->Call(js.context(), receiver, 3, args));
  }
}

kj::Own<HeadersIterator> Headers::entries() {
  return kj::refcounted<HeadersIterator>(sortedPairs(), HeadersIterator::Kind::ENTRIES);
}
kj::Own<HeadersIterator> Headers::keys() {
  return kj::refcounted<HeadersIterator>(sortedPairs(), HeadersIterator::Kind::KEYS);
}
kj::Own<HeadersIterator> Headers::values() {
  return kj::refcounted<HeadersIterator>(sortedPairs(), HeadersIterator::Kind::VALUES);
}

kj::Own<Headers> Headers::clone(Guard g) const {
  auto result = kj::refcounted<Headers>();
  for (auto& e: entries_) result->entries_.add(Entry{kj::str(e.name), kj::str(e.value)});
  result->guard = g;
  return result;
}

void Headers::copyTo(kj::HttpHeaders& out) const {
  for (auto& e: entries_) {
    // KJ frames the body itself.
    if (e.name == "content-length" || e.name == "transfer-encoding") continue;
    out.add(kj::str(e.name), kj::str(e.value));
  }
}

IteratorResult HeadersIterator::next(js::Lock& js) {
  if (index >= pairs.size()) return IteratorResult{js.undefined(), true};
  auto& pair = pairs[index++];
  switch (kind) {
    case Kind::KEYS: return IteratorResult{js.str(pair.first), false};
    case Kind::VALUES: return IteratorResult{js.str(pair.second), false};
    case Kind::ENTRIES: break;
  }
  auto arr = v8::Array::New(js.isolate, 2);
  js::check(arr->Set(js.context(), 0, js.str(pair.first)));
  js::check(arr->Set(js.context(), 1, js.str(pair.second)));
  return IteratorResult{arr, false};
}

}  // namespace loaderd::api
