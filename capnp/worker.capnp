@0xb24bb03bbeb6c753;
# How workers call each other. Every call between two workers goes through these interfaces:
# in-process through local capabilities, and (hardened mode) across processes through the same
# interfaces over two-party RPC. Field ordinals never change once shipped.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("loaderd::rpc");

struct JsValue {
  # A JavaScript value crossing between isolates: the bytes of V8's ValueSerializer (the
  # structured clone format, version 13+), plus a table of what crosses by reference. Inside
  # the bytes such a value is a host object whose payload is its index in `externals`.
  v8Serialized @0 :Data;
  externals @1 :List(External);

  struct External {
    union {
      invalid @0 :Void;
      stub @1 :JsRpcTarget;
      # A function, an RpcTarget instance or a stub, passed by reference: the receiver gets a
      # stub that calls back through this capability.
      fetcher @2 :Fetcher;
      # A service binding or entrypoint (a Fetcher), usable for fetch() and RPC.
      request @3 :HttpRequest;
      response @4 :HttpResponse;
      headers @5 :List(Header);
      # Request, Response and Headers cross by value (buffered bodies move with them).
      # (A DOMException is in the bytes: runtime/serialize.h.)
      blob @6 :Blob;
      # A Blob crosses by value (the receiver's workers.js revive() makes it a Blob).
    }
  }

  struct Blob {
    type @0 :Text;
    data @1 :Data;
  }
}

interface JsRpcTarget {
  # Something JavaScript can call methods on across isolates.

  call @0 (methodPath :List(Text), operation :Operation) -> (result :JsValue, callPipeline :JsRpcTarget);
  # Walks `methodPath` from the target with the receiver rules of JS RPC (class members only on
  # RpcTargets and entrypoints, own properties only on plain objects), then calls or reads.
  # `callPipeline` is the result itself as a target, so calls on it can be pipelined before the
  # result arrives. Errors arrive as exceptions whose description is
  # "jsrpc.<ErrorType>: <message>" (see bindings/rpc.c++).

  struct Operation {
    union {
      callWithArgs @0 :JsValue;
      # The arguments, serialized as one Array.
      getProperty @1 :Void;
    }
  }
}

struct Header {
  name @0 :Text;
  value @1 :Text;
}

struct HttpRequest {
  method @0 :Text;
  url @1 :Text;
  headers @2 :List(Header);
  body @3 :Data;
  hasBody @4 :Bool;
  redirect @5 :Text;
  # "follow" (default), "manual" or "error": how the internet outbound treats redirects.
  bodyStream @6 :ByteStream;
  # When set, the body arrives through it as the caller produces it (`body` is empty).
}

struct HttpResponse {
  status @0 :UInt16;
  statusText @1 :Text;
  headers @2 :List(Header);
  body @3 :Data;
  hasBody @4 :Bool;
  bodyStream @5 :ByteStream;
  # When set, the body arrives through it as it is received (`body` is empty): responses from
  # the internet stream this way.
}

interface ByteStream {
  # A body read in chunks; dropping the capability abandons the transfer.
  read @0 (maxBytes :UInt32) -> (data :Data, done :Bool);
  # At least one byte, at most maxBytes; `done` with no data at the end.

  cancel @1 () -> ();
  # The reader is done, with a read possibly still in flight (which would keep the capability,
  # and what it reads from, alive until it completes): the source stops now. Optional: a
  # source without it is abandoned when dropped.
}

interface Fetcher {
  # An entrypoint of a worker (a service binding, or a dynamic worker's getEntrypoint()).

  fetch @0 (request :HttpRequest) -> (response :HttpResponse);

  getTarget @1 () -> (target :JsRpcTarget);
  # The entrypoint as an RPC target. For a class entrypoint each call made on it instantiates
  # the class with this entrypoint's ctx (props) and env.

  connect @2 (address :Text, secureTransport :Text, up :ByteStream)
      -> (down :ByteStream, tls :TlsUpgrade);
  # A TCP connection, for connect() from `cloudflare:sockets`: `address` is "host:port" (an IPv6
  # host in brackets), `secureTransport` "off", "on" (TLS) or "starttls" (plain until upgraded
  # through `tls`, set only then). Returns once the connection is open. The callee reads what to
  # send from `up` until it is done (then shuts its side of the connection down) and serves what
  # arrives through `down`; dropping `down` and `tls` closes the connection. Workers' entrypoints
  # have no connect handler: they leave it unimplemented.
}

interface TlsUpgrade {
  startTls @0 (expectedServerHostname :Text, up :ByteStream) -> (down :ByteStream);
  # Once the caller has nothing more in flight on the plain connection: its `up` is no longer
  # read and its `down` ends, and the connection continues as TLS (verified for
  # `expectedServerHostname`, or the host connected to when empty) through these. Once.
}
