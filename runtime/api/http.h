// Request and Response (WHATWG Fetch) with buffered bodies.
// TODO(conformance): bodies as ReadableStream, formData(), blob() (the Web APIs issue).
#pragma once

#include "headers.h"
#include <kj/async-io.h>

namespace loaderd::api {

// A body source as JS may give it: bytes, or a string (coerced last, as WebIDL unions do).
using BodyInit = kj::OneOf<kj::Array<kj::byte>, kj::String>;

// The size of one body chunk read: what was asked for, from 1 byte to 1 MiB, else 64 KiB.
inline uint32_t chunkReadSize(double maxBytes) {
  return maxBytes >= 1 && maxBytes <= (1 << 20) ? static_cast<uint32_t>(maxBytes) : 65536;
}

// A request body still arriving from an HTTP client, read in chunks. It can be read only while
// its request is being served: afterwards reads fail.
class ClientBodySource final: public js::Object {
public:
  struct Validity: public kj::Refcounted {
    bool valid = true;
    kj::Canceler reads;  // pending reads, cancelled when the request is done
    void end();
  };
  ClientBodySource(kj::AsyncInputStream& input, kj::Own<Validity> validity)
      : input(input), validity(kj::mv(validity)) {}
  // The next chunk of at most `maxBytes` bytes, or null at the end.
  kj::Promise<kj::Maybe<kj::Array<kj::byte>>> read(double maxBytes);
  void cancel() { canceled = true; }

  LOADERD_JS_CLASS(ClientBodySource) {
    LOADERD_JS_METHOD(read);
    LOADERD_JS_METHOD(cancel);
  }

private:
  kj::AsyncInputStream& input;
  kj::Own<Validity> validity;
  bool canceled = false;
};

// The Body mixin: buffered content, consumed once.
class Body: public js::Object {
public:
  Body(kj::Own<Headers> headers, kj::Maybe<kj::Array<kj::byte>> content)
      : headers(kj::mv(headers)), content(kj::mv(content)) {}

  v8::Local<v8::Promise> text(js::Lock& js);
  v8::Local<v8::Promise> json(js::Lock& js);
  v8::Local<v8::Promise> arrayBuffer(js::Lock& js);
  bool getBodyUsed() { return used; }
  kj::Own<Headers> getHeaders() { return kj::addRef(*headers); }

  Headers& headersRef() { return *headers; }
  // A body from I/O (an incoming request, a fetched or RPC response) or buffered by JavaScript
  // belongs to the request it was made for: reading it in another fails as on workerd (its I/O
  // type there: "ReadableStreamSource>"). A JavaScript ReadableStream body is not bound.
  js::RequestBinding request;
  static constexpr kj::StringPtr IO_TYPE = "ReadableStreamSource>"_kj;
  void bindIfBuffered(js::Lock& js) {
    if (content != nullptr) request.bindToCurrent(js, IO_TYPE);
  }
  // Reading is I/O: refused at a module's top level and from another request.
  void checkReadable(js::Lock& js);
  // For clone(): the request binding (a body of another request is marked used when refused).
  void checkCloneable(js::Lock& js);
  // Takes the content for sending; nullptr for a null body.
  kj::Maybe<kj::Array<kj::byte>> takeContent();
  // Takes the content together with what counts it against the memory limit of the worker that
  // made it (empty if not counted), for content that is still that worker's to account for
  // after this object lets go of it.
  kj::Maybe<kj::Array<kj::byte>> takeContentHeld(kj::Own<void>& hold) {
    hold = kj::mv(contentHold);
    return takeContent();
  }
  kj::Maybe<kj::ArrayPtr<const kj::byte>> peekContent() const;
  // Content this large counts against a worker's memory limit while a Body holds it; smaller
  // bodies are bounded by the heap their wrappers take.
  static constexpr size_t COUNTED_CONTENT = 4096;
  // The content's size if it is counted, else 0.
  size_t countedContentSize() const;
  // Counts the content against the memory limit of the isolate `js` is in (throws over it).
  void holdContent(js::Lock& js);
  // Counts the content through `hold` (made by the caller) while this object holds it.
  void holdContentWith(kj::Own<void> hold) { contentHold = kj::mv(hold); }

  // A body still arriving (from the network, or from an HTTP client), taken once by the
  // builtins, which make it the stream body (runtime/builtins/workers.js).
  void setBodySource(kj::Own<js::Object> source) { bodySource = kj::mv(source); }
  kj::Maybe<kj::Own<js::Object>> takeBodySource() { return kj::mv(bodySource); }

  LOADERD_JS_CLASS(Body) {
    LOADERD_JS_METHOD(text);
    LOADERD_JS_METHOD(json);
    LOADERD_JS_METHOD(arrayBuffer);
    LOADERD_JS_READONLY(bodyUsed, getBodyUsed);
    LOADERD_JS_READONLY(headers, getHeaders);
  }

protected:
  kj::Own<Headers> headers;
  kj::Maybe<kj::Array<kj::byte>> content;
  kj::Maybe<kj::Own<js::Object>> bodySource;
  bool used = false;
  kj::Own<void> contentHold;  // see holdContent()

  // Consumes the body (TypeError if already used); empty for a null body.
  kj::Array<kj::byte> consume();
  // Converts a BodyInit and fills in Content-Type if absent.
  static kj::Array<kj::byte> extractBody(BodyInit init, Headers& headers);
};

struct RequestInit {
  kj::Maybe<kj::String> method;
  kj::Maybe<v8::Local<v8::Value>> headers;
  kj::Maybe<BodyInit> body;
  kj::Maybe<kj::String> redirect;
  LOADERD_JS_RECORD(RequestInit, method, headers, body, redirect);
};

class Request final: public Body {
public:
  Request(kj::String method, kj::String url, kj::Own<Headers> headers,
          kj::Maybe<kj::Array<kj::byte>> content, kj::String redirect = kj::str("follow"))
      : Body(kj::mv(headers), kj::mv(content)), method(kj::mv(method)), url(kj::mv(url)),
        redirect(kj::mv(redirect)) {}

  static kj::Own<Request> constructor(js::Lock& js, kj::OneOf<kj::Own<Request>, kj::String> input,
                                      kj::Maybe<RequestInit> init);

  kj::StringPtr getMethod() { return method; }
  kj::StringPtr getUrl() { return url; }
  kj::StringPtr getRedirect() { return redirect; }
  kj::Own<Request> clone(js::Lock& js);

  LOADERD_JS_CLASS(Request) {
    LOADERD_JS_INHERIT(Body);
    LOADERD_JS_READONLY(method, getMethod);
    LOADERD_JS_READONLY(url, getUrl);
    LOADERD_JS_READONLY(redirect, getRedirect);
    LOADERD_JS_METHOD(clone);
  }

private:
  kj::String method;
  kj::String url;
  kj::String redirect;
};

struct ResponseInit {
  kj::Maybe<double> status;
  kj::Maybe<kj::String> statusText;
  kj::Maybe<v8::Local<v8::Value>> headers;
  LOADERD_JS_RECORD(ResponseInit, status, statusText, headers);
};

class Response final: public Body {
public:
  Response(uint status, kj::String statusText, kj::Own<Headers> headers,
           kj::Maybe<kj::Array<kj::byte>> content)
      : Body(kj::mv(headers), kj::mv(content)), status(status), statusText(kj::mv(statusText)) {}

  static kj::Own<Response> constructor(js::Lock& js, kj::Maybe<BodyInit> body,
                                       kj::Maybe<ResponseInit> init);
  static kj::Own<Response> json_(js::Lock& js, v8::Local<v8::Value> data,
                                 kj::Maybe<ResponseInit> init);
  static kj::Own<Response> redirect(js::Lock& js, kj::String url, kj::Maybe<int> status);
  // A network error: status 0, type "error", immutable empty headers.
  static kj::Own<Response> error();

  uint getStatus() { return status; }
  kj::StringPtr getStatusText() { return statusText; }
  bool getOk() { return status >= 200 && status <= 299; }
  bool getRedirected() { return false; }
  kj::StringPtr getUrl() { return ""; }
  kj::StringPtr getType() { return isNetworkError ? "error"_kj : "default"_kj; }
  kj::Own<Response> clone(js::Lock& js);

  LOADERD_JS_CLASS(Response) {
    LOADERD_JS_INHERIT(Body);
    LOADERD_JS_STATIC_METHOD_NAMED("json", json_);
    LOADERD_JS_STATIC_METHOD(redirect);
    LOADERD_JS_STATIC_METHOD(error);
    LOADERD_JS_READONLY(status, getStatus);
    LOADERD_JS_READONLY(statusText, getStatusText);
    LOADERD_JS_READONLY(ok, getOk);
    LOADERD_JS_READONLY(redirected, getRedirected);
    LOADERD_JS_READONLY(url, getUrl);
    LOADERD_JS_READONLY(type, getType);
    LOADERD_JS_METHOD(clone);
  }

private:
  uint status;
  kj::String statusText;
  bool isNetworkError = false;
};

// The standard reason phrase for a status code ("" if none).
kj::StringPtr defaultStatusText(uint status);

#define LOADERD_HTTP_TYPES ::loaderd::api::Body, ::loaderd::api::Request, ::loaderd::api::Response

}  // namespace loaderd::api
