#include "http.h"

#include <kj/compat/url.h>
#include <kj/debug.h>

namespace loaderd::api {

// ---------------------------------------------------------------------------------------------
// Body

kj::Array<kj::byte> Body::consume() {
  if (used) js::throwTypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
  used = true;
  contentHold = nullptr;
  KJ_IF_MAYBE(c, content) {
    auto result = kj::mv(*c);
    content = nullptr;
    return result;
  }
  return nullptr;
}

size_t Body::countedContentSize() const {
  KJ_IF_MAYBE(c, content) {
    if (c->size() >= COUNTED_CONTENT) return c->size();
  }
  return 0;
}

void Body::holdContent(js::Lock& js) {
  if (size_t size = countedContentSize()) contentHold = js.base().holdNative(js, size);
}

static constexpr kj::StringPtr BODY_GONE =
    "jslocal.TypeError: The request body can no longer be read: its response was sent."_kj;

void ClientBodySource::Validity::end() {
  valid = false;
  // A read still waiting would outlive the connection's stream: it fails now instead.
  reads.cancel(KJ_EXCEPTION(FAILED, BODY_GONE));
}

kj::Promise<kj::Maybe<kj::Array<kj::byte>>> ClientBodySource::read(double maxBytes) {
  if (canceled) return kj::Maybe<kj::Array<kj::byte>>(nullptr);
  if (!validity->valid) {
    return KJ_EXCEPTION(FAILED, BODY_GONE);
  }
  size_t max = chunkReadSize(maxBytes);
  auto buffer = kj::heapArray<kj::byte>(max);
  auto promise = validity->reads.wrap(input.tryRead(buffer.begin(), 1, max));
  return promise.then([buffer = kj::mv(buffer)](size_t n) mutable
                      -> kj::Maybe<kj::Array<kj::byte>> {
    if (n == 0) return nullptr;
    if (n == buffer.size()) return kj::mv(buffer);
    return kj::heapArray<kj::byte>(buffer.slice(0, n));
  });
}

kj::Maybe<kj::Array<kj::byte>> Body::takeContent() {
  used = true;
  contentHold = nullptr;
  auto result = kj::mv(content);
  content = nullptr;
  return result;
}

kj::Maybe<kj::ArrayPtr<const kj::byte>> Body::peekContent() const {
  KJ_IF_MAYBE(c, content) {
    return c->asPtr().asConst();
  }
  return nullptr;
}

void Body::checkReadable(js::Lock& js) {
  js::refuseInGlobalScope(js.isolate);
  request.check(js);
}

void Body::checkCloneable(js::Lock& js) {
  try {
    request.check(js);
  } catch (...) {
    // workerd tees the body before the check fails: it is used from then on.
    if (content != nullptr || bodySource != nullptr) used = true;
    throw;
  }
}

v8::Local<v8::Promise> Body::text(js::Lock& js) {
  try {
    checkReadable(js);
    auto bytes = consume();
    return js.resolvedPromise(js::check(v8::String::NewFromUtf8(
        js.isolate, reinterpret_cast<const char*>(bytes.begin()), v8::NewStringType::kNormal,
        bytes.size())));
  } catch (js::Error& e) {
    return js.rejectedPromise(js.makeError(e));
  }
}

v8::Local<v8::Promise> Body::json(js::Lock& js) {
  v8::TryCatch tryCatch(js.isolate);
  try {
    checkReadable(js);
    auto bytes = consume();
    auto text = kj::heapString(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
    return js.resolvedPromise(js.parseJson(text));
  } catch (js::Error& e) {
    return js.rejectedPromise(js.makeError(e));
  } catch (js::ExceptionPending&) {
    auto exception = tryCatch.Exception();
    tryCatch.Reset();
    return js.rejectedPromise(exception);
  }
}

v8::Local<v8::Promise> Body::arrayBuffer(js::Lock& js) {
  try {
    checkReadable(js);
    return js.resolvedPromise(js::Convert<kj::Array<kj::byte>>::toJs(js, consume()));
  } catch (js::Error& e) {
    return js.rejectedPromise(js.makeError(e));
  }
}

kj::Array<kj::byte> Body::extractBody(BodyInit init, Headers& headers) {
  KJ_SWITCH_ONEOF(init) {
    KJ_CASE_ONEOF(bytes, kj::Array<kj::byte>) {
      return kj::mv(bytes);
    }
    KJ_CASE_ONEOF(text, kj::String) {
      if (!headers.hasLower("content-type")) {
        headers.appendUnchecked("content-type", "text/plain;charset=UTF-8");
      }
      return kj::heapArray<kj::byte>(text.asBytes());
    }
  }
  KJ_UNREACHABLE;
}

// ---------------------------------------------------------------------------------------------
// Request

static kj::String normalizeMethod(kj::StringPtr method) {
  static constexpr const char* STANDARD[] = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"};
  for (auto* m: STANDARD) {
    if (strcasecmp(method.cStr(), m) == 0) return kj::str(m);
  }
  return kj::str(method);
}

static kj::String parseUrl(kj::StringPtr url) {
  // The JavaScript Request and Response.redirect (builtins/http-bodies.js) have already
  // serialised the URL by the URL Standard; here it is only validated. (kj::Url's own
  // serialisation would re-encode it, "%2f" -> "%2F", and refuses decoded dot segments.)
  if (kj::Url::tryParse(url, kj::Url::REMOTE_HREF) != nullptr) return kj::str(url);
  js::throwTypeError(kj::str("Invalid URL: ", url));
}

kj::Own<Request> Request::constructor(js::Lock& js,
                                      kj::OneOf<kj::Own<Request>, kj::String> input,
                                      kj::Maybe<RequestInit> maybeInit) {
  kj::String method = kj::str("GET");
  kj::String url;
  kj::String redirect = kj::str("follow");
  kj::Own<Headers> headers;
  kj::Maybe<kj::Array<kj::byte>> content;

  KJ_SWITCH_ONEOF(input) {
    KJ_CASE_ONEOF(other, kj::Own<Request>) {
      method = kj::str(other->method);
      url = kj::str(other->url);
      redirect = kj::str(other->redirect);
      headers = other->headers->clone();
      KJ_IF_MAYBE(c, other->content) {
        if (other->used) js::throwTypeError("Cannot reconstruct a Request with a used body.");
        content = kj::heapArray<kj::byte>(c->asPtr());
      }
    }
    KJ_CASE_ONEOF(str, kj::String) {
      url = parseUrl(str);
      headers = kj::refcounted<Headers>();
    }
  }

  KJ_IF_MAYBE(init, maybeInit) {
    KJ_IF_MAYBE(m, init->method) {
      if (!isValidHeaderName(*m)) js::throwTypeError(kj::str("Invalid HTTP method: ", *m));
      method = normalizeMethod(*m);
    }
    KJ_IF_MAYBE(h, init->headers) {
      headers = Headers::fromInit(js, *h);
    }
    KJ_IF_MAYBE(r, init->redirect) {
      if (*r != "follow" && *r != "manual" && *r != "error") {
        js::throwTypeError(kj::str("Invalid redirect value, must be one of \"follow\" or \"manual\" (\"error\" won't be implemented since it does not make sense at the edge; use \"manual\" and check the response status code)."));
      }
      redirect = kj::mv(*r);
    }
    KJ_IF_MAYBE(b, init->body) {
      content = extractBody(kj::mv(*b), *headers);
    }
  }
  if (content != nullptr && (method == "GET" || method == "HEAD")) {
    js::throwTypeError("Request with a GET or HEAD method cannot have a body.");
  }
  // Bodies are I/O objects on workerd, made only within a handler.
  if (content != nullptr) js::refuseInGlobalScope(js.isolate);
  auto request = kj::refcounted<Request>(kj::mv(method), kj::mv(url), kj::mv(headers),
                                         kj::mv(content), kj::mv(redirect));
  request->holdContent(js);
  request->bindIfBuffered(js);
  return request;
}

kj::Own<Request> Request::clone(js::Lock& js) {
  checkCloneable(js);
  if (used) js::throwTypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
  kj::Maybe<kj::Array<kj::byte>> copy;
  KJ_IF_MAYBE(c, content) { copy = kj::heapArray<kj::byte>(c->asPtr()); }
  auto request = kj::refcounted<Request>(kj::str(method), kj::str(url), headers->clone(),
                                         kj::mv(copy), kj::str(redirect));
  request->holdContent(js);
  request->bindIfBuffered(js);
  return request;
}

// ---------------------------------------------------------------------------------------------
// Response

kj::StringPtr defaultStatusText(uint status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
  }
  return "";
}

static uint checkedStatus(double status) {
  if (!(status >= 200 && status <= 599) || status != static_cast<uint>(status)) {
    js::throwRangeError(kj::str(
        "Responses may only be constructed with status codes in the range 200 to 599, "
        "inclusive."));
  }
  return static_cast<uint>(status);
}

static bool isNullBodyStatus(uint status) {
  return status == 101 || status == 204 || status == 205 || status == 304;
}

kj::Own<Response> Response::constructor(js::Lock& js, kj::Maybe<BodyInit> body,
                                        kj::Maybe<ResponseInit> maybeInit) {
  uint status = 200;
  kj::Maybe<kj::String> statusText;
  kj::Own<Headers> headers;
  KJ_IF_MAYBE(init, maybeInit) {
    KJ_IF_MAYBE(s, init->status) { status = checkedStatus(*s); }
    KJ_IF_MAYBE(t, init->statusText) { statusText = kj::mv(*t); }
    KJ_IF_MAYBE(h, init->headers) { headers = Headers::fromInit(js, *h); }
  }
  if (headers.get() == nullptr) headers = kj::refcounted<Headers>();
  kj::Maybe<kj::Array<kj::byte>> content;
  KJ_IF_MAYBE(b, body) {
    if (isNullBodyStatus(status)) {
      js::throwTypeError(kj::str("Response with null body status (", status,
                                 ") cannot have a body."));
    }
    js::refuseInGlobalScope(js.isolate);  // as for a Request's body
    content = extractBody(kj::mv(*b), *headers);
  }
  kj::String text;
  KJ_IF_MAYBE(t, statusText) {
    text = kj::mv(*t);
  } else {
    // As on workerd, a constructed Response has no default reason phrase.
    text = kj::str("");
  }
  auto response = kj::refcounted<Response>(status, kj::mv(text), kj::mv(headers), kj::mv(content));
  response->holdContent(js);
  response->bindIfBuffered(js);
  return response;
}

kj::Own<Response> Response::json_(js::Lock& js, v8::Local<v8::Value> data,
                                  kj::Maybe<ResponseInit> init) {
  kj::String text;
  KJ_IF_MAYBE(t, js.serializeJson(data)) {
    text = kj::mv(*t);
  } else {
    js::throwTypeError("Value is not JSON-serializable.");
  }
  auto response = constructor(js, BodyInit(kj::mv(text)), kj::mv(init));
  // Response.json() sets the JSON type unless the caller gave one.
  auto& h = *response->headers;
  bool defaulted = false;
  KJ_IF_MAYBE(ct, h.getFirst("content-type")) {
    defaulted = *ct == "text/plain;charset=UTF-8";
  }
  if (defaulted) {
    h.delete_(kj::str("content-type"));
    h.appendUnchecked("content-type", "application/json");
  }
  return response;
}

kj::Own<Response> Response::error() {
  auto headers = kj::refcounted<Headers>();
  headers->setGuard(Headers::Guard::IMMUTABLE);
  auto response = kj::refcounted<Response>(0, kj::str(), kj::mv(headers), nullptr);
  response->isNetworkError = true;
  return response;
}

kj::Own<Response> Response::redirect(js::Lock& js, kj::String url, kj::Maybe<int> maybeStatus) {
  int status = 302;
  KJ_IF_MAYBE(s, maybeStatus) { status = *s; }
  if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
    js::throwRangeError(kj::str(status, " is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308."));
  }
  js::refuseInGlobalScope(js.isolate);  // workerd gives a redirect an (empty) body
  auto headers = kj::refcounted<Headers>();
  headers->appendUnchecked("location", parseUrl(url));
  headers->setGuard(Headers::Guard::IMMUTABLE);
  return kj::refcounted<Response>(status, kj::str(defaultStatusText(status)), kj::mv(headers),
                                  nullptr);
}

kj::Own<Response> Response::clone(js::Lock& js) {
  checkCloneable(js);
  if (used) js::throwTypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.");
  kj::Maybe<kj::Array<kj::byte>> copy;
  KJ_IF_MAYBE(c, content) { copy = kj::heapArray<kj::byte>(c->asPtr()); }
  auto response = kj::refcounted<Response>(status, kj::str(statusText), headers->clone(),
                                           kj::mv(copy));
  response->holdContent(js);
  response->bindIfBuffered(js);
  return response;
}

}  // namespace loaderd::api
