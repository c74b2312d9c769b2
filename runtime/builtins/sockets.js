// `cloudflare:sockets`: connect() and its Socket (TCP, optionally TLS), through the worker's
// global outbound (the internet, a Fetcher, or none) or a Fetcher binding's connect(), with
// workerd's observable behaviour: its argument errors, a synchronous refusal when the outbound
// is null, `opened` and `closed`, close(), allowHalfOpen.
//
// Loaded on the first import of cloudflare:sockets or the first Fetcher connect() (workers.js).
// Sets internal.sockets = { connect(address, options), connectThrough(native, address, options) }.
//
// Bytes cross through bindings/rpc.c++ RpcNatives.connect(): what the writable is given is
// handed, one chunk at a time, to the connection's reads of `up` (so a write completes once the
// connection has taken its chunk, and writes made before the socket opens wait for it); what
// arrives is read from the native stream the connection resolves to, as the readable's pulls.
"use strict";
const rpc = internal.rpc;
const native = internal.native;
const { defineProperty } = Object;
const PromiseCtor = Promise;

const PROXY_FAILED = "proxy request failed, cannot connect to the specified address";
const HTTP_HINT = ". It looks like you might be trying to connect to a HTTP-based service — " +
  "consider using fetch instead";
const VALID_ADDRESS = /^[A-Za-z0-9\-._[\]:]{1,255}$/;
const SECURE_TRANSPORTS = ["off", "on", "starttls"];
const SLICE_BYTES = 65536;

function deferred() {
  let resolve, reject;
  const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const toPort = internal.toPort;

// "host:port" and its port, or the TypeError workerd throws at the call. As on workerd, only
// the string form is checked here: {hostname, port} is joined as it is (a bad one fails to
// connect).
function parseAddress(address) {
  if (address === null || address === undefined) {
    throw new TypeError("Cannot initialize N7workerd3api13SocketAddressE with required members " +
                        "from an undefined or null value.");
  }
  if (typeof address === "object") {
    const port = toPort(address.port);
    return { text: `${address.hostname}:${port}`, port };
  }
  const text = `${address}`;
  let url;
  try {
    url = new URL(`fake://${text}`);
  } catch {
    throw new TypeError("Specified address could not be parsed.");
  }
  if (url.hostname === "") throw new TypeError("Specified address is missing hostname.");
  if (url.port === "") throw new TypeError("Specified address is missing port.");
  if (!VALID_ADDRESS.test(text)) {
    throw new TypeError(
      "Specified address is empty string, contains unsupported characters or is too long.");
  }
  return { text, port: +url.port };
}

function chunkBytes(chunk) {
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk.slice(0));
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
  }
  if (typeof chunk === "string") return native.utf8Encode(chunk);
  throw new TypeError("This TransformStream is being used as a byte stream, but received an " +
                      "object of non-ArrayBuffer/ArrayBufferView type on its writable side.");
}

const CONSTRUCTING = Symbol("constructing");

// What keeps a socket's connection going: native code holds the function giving what to send
// only weakly (a socket dropped without close() is collected, ending its connection), so the
// socket and both its streams hold it here for as long as any of them is reachable.
const connectionKeepAlive = new WeakMap();

class Socket {
  #parts;
  constructor(token, parts) {
    if (token !== CONSTRUCTING) throw new TypeError("Illegal constructor");
    this.#parts = parts;
  }
  get readable() { return this.#parts.readable; }
  get writable() { return this.#parts.writable; }
  get opened() { return this.#parts.opened; }
  get closed() { return this.#parts.closed; }
  get upgraded() { return this.#parts.upgraded(); }
  get secureTransport() { return this.#parts.secureTransport; }
  close() { return this.#parts.close(); }
  startTls(options = undefined) {
    if (this.#parts.secureTransport === "on") throw new TypeError("Cannot startTls on a TLS socket.");
    if (this.#parts.secureTransport !== "starttls") {
      throw new TypeError(
        "The `secureTransport` socket option must be set to 'starttls' for startTls to be used.");
    }
    const hostname = options?.expectedServerHostname;
    return this.#parts.startTls(hostname === undefined ? "" : `${hostname}`);
  }
}
defineProperty(Socket.prototype, Symbol.toStringTag, { value: "Socket", configurable: true });

// A Socket over what `open(readUp)` resolves to (the native stream of what arrives), `readUp`
// giving what to send. `open` runs now: it throws synchronously where workerd's connect() does.
function openSocket(open, address, port, secureTransport, allowHalfOpen, accepted = false) {
  let failed = null;  // what writes fail with once the connection failed or went away
  let writeController;
  // What the writable offers, taken by the connection's reads of `up` in slices of at most 64 KiB
  // (what native code copies per read stays small whatever one write holds); the write completes
  // once its last slice is taken.
  let offered = null;  // { bytes, offset, taken, refused }
  let reading = null;  // a read waiting for a chunk: (bytes | null) => void
  let idle = null;     // startTls() waiting for the connection to wait for a chunk
  let sendingEnded = false, upgrading = false, upgraded = false;
  const sent = deferred();  // the connection has read the end: all that was written is sent
  const takeSlice = () => {
    const o = offered;
    const slice = o.bytes.subarray(o.offset, o.offset + SLICE_BYTES);
    o.offset += slice.length;
    if (o.offset >= o.bytes.length) {
      offered = null;
      o.taken();
    }
    return slice;
  };
  const readUp = () => {
    if (offered !== null) return PromiseCtor.resolve(takeSlice());
    if (sendingEnded) {
      sent.resolve();
      return PromiseCtor.resolve(null);
    }
    if (idle !== null) idle();  // all taken chunks are written: nothing is in flight
    return new PromiseCtor((resolve) => { reading = resolve; });
  };
  const endSending = () => {
    sendingEnded = true;
    if (reading !== null) {
      const r = reading;
      reading = null;
      sent.resolve();
      r(null);
    }
  };

  // The connection let go of what it read from: it will read no more. After the end, that is
  // the end sent; before it, the connection went away: what is offered or written fails (as
  // does startTls() waiting for the connection to take what was written).
  const upReleased = () => {
    sent.resolve();
    if (sendingEnded || down === null) return;  // before it opened: the failure to connect says it
    const error = new Error("Network connection lost.");
    failed ??= error;
    if (offered !== null) offered.refused(error);
    offered = null;
    if (idle !== null) idle();
    writeController?.error(error);
  };
  const connection = open(readUp, upReleased);
  const binding = rpc.socketBinding();  // reads and writes from another request are refused
  const opened = deferred(), closed = deferred();
  opened.promise.catch(() => {});
  closed.promise.catch(() => {});
  let down = null, closing = false;

  const { stream: readable, controller: readController } = internal.streams.pullSource(
    async (controller) => {
      binding.checkReadable();
      const source = down ?? await connection;
      const chunk = await source.read(65536);
      if (chunk !== null) {
        controller.enqueue(chunk);
        return;
      }
      controller.close();
      if (!allowHalfOpen) {
        // The peer is done: so is this side, once what was written is sent; then the socket is
        // closed. (Half open, only close() closes it, as on workerd.)
        await flushWritable();
        endSending();
        closed.resolve(undefined);
      }
    },
    () => { down?.cancel(); });

  const writable = new WritableStream({
    start(controller) { writeController = controller; },
    write(chunk) {
      binding.checkWritable();
      const bytes = chunkBytes(chunk);
      if (failed !== null) return PromiseCtor.reject(failed);
      if (bytes.length === 0) return undefined;
      return new PromiseCtor((taken, refused) => {
        offered = { bytes, offset: 0, taken, refused };
        if (reading !== null) {
          const r = reading;
          reading = null;
          r(takeSlice());
        }
      });
    },
    close() { if (!upgrading) endSending(); },  // startTls() flushes without ending the connection
    abort() { endSending(); },
  });

  // Closes the writable once what was written is taken (whoever holds its writer), unless it is
  // closed or closing already; `writerError`: its writer's `closed` then rejects with it.
  const flushWritable = async (writerError = undefined) => {
    const flushed = internal.streams.close(writable, writerError);
    if (flushed !== undefined) await flushed.catch(() => {});
  };

  // As on workerd: `opened` and `closed` reject, the readable ends, writes fail.
  const fail = (error) => {
    failed = new Error(`jsg.Error: ${error.message}`);
    opened.reject(error);
    closed.reject(error);
    sent.resolve();
    readController.close();
    writeController.error(failed);
    if (offered !== null) offered.refused(failed);
    offered = null;
  };
  connection.then((source) => {
    down = source;
    // A connect handler's socket names the address its caller connected to as its own.
    opened.resolve(accepted ? { remoteAddress: undefined, localAddress: address }
                            : { remoteAddress: address, localAddress: undefined });
  }, (error) => {
    // loaderd's own refusals (the outbound policy) keep their words; anything else failed to
    // connect, in workerd's (with its hint for the HTTP ports).
    fail(error instanceof TypeError ? error
                                    : new Error(PROXY_FAILED + (port === 80 || port === 443 ? HTTP_HINT : "")));
  });

  // What is written is flushed and sent, then both streams are done with (reads fail, writes
  // find the writable closed) and `closed` resolves. Each call gives a promise of its own.
  const close = () => {
    if (!closing) {
      closing = true;
      (async () => {
        try { await opened.promise; } catch { return; }
        // As on workerd: writes then find the writable closed, and its writer's `closed` rejects.
        await flushWritable(new TypeError("This socket has been closed."));
        endSending();
        await sent.promise;
        readController.error(new TypeError("This ReadableStream belongs to an object that is closing."));
        down?.cancel();
        closed.resolve(undefined);
      })();
    }
    return closed.promise.then(() => undefined);
  };

  // A new Socket over this one's connection as TLS, once what was written here is sent; this one
  // is then upgraded: its writable and readable closed, `closed` resolved.
  const startTls = (hostname) => {
    if (upgrading) {
      throw new TypeError("startTls has already been called on this socket, or the socket was " +
                          "transferred over RPC.");
    }
    upgrading = true;
    const upgrade = async (readUpTls, releasedTls) => {
      await opened.promise;
      await flushWritable();
      if (reading === null) await new PromiseCtor((resolve) => { idle = resolve; });
      if (failed !== null) throw failed;
      upgraded = true;
      readController.close();
      closed.resolve(undefined);
      return rpc.startTls(down, hostname, readUpTls, releasedTls);
    };
    return openSocket(upgrade, address, port, "on", allowHalfOpen);
  };

  const socket = new Socket(CONSTRUCTING, {
    readable, writable, opened: opened.promise, closed: closed.promise, secureTransport, close,
    startTls, upgraded: () => upgraded,
  });
  const keep = [readUp, upReleased];
  for (const holder of [socket, readable, writable]) connectionKeepAlive.set(holder, keep);
  if (!accepted) return socket;
  // The connection ends with the handler: what it has not had taken is dropped, the caller sees
  // the end, and what the caller still sends is not read.
  const abandon = () => {
    offered = null;
    endSending();
    down?.cancel();
    closed.resolve(undefined);
  };
  return { socket, readDown: readUp, downReleased: upReleased, abandon };
}

function connectThrough(fetcher, address, options, parsed = undefined) {
  if (parsed === undefined) {
    // A Fetcher's connect() (the global one parses first).
    if (address === null || address === undefined) {
      throw new TypeError(
        "Failed to execute 'connect' on 'Fetcher': parameter 1 is not of type 'SocketAddress or string'.");
    }
    parsed = parseAddress(address);
  }
  const { text, port } = parsed;
  const secureTransport = options?.secureTransport ?? "off";
  if (!SECURE_TRANSPORTS.includes(secureTransport)) {
    throw new TypeError(`Unsupported value in secureTransport socket option: ${secureTransport}`);
  }
  const allowHalfOpen = !!options?.allowHalfOpen;
  // Throws synchronously where workerd does (global scope, another request's Fetcher).
  const open = (readUp, released) => rpc.connect(fetcher, text, secureTransport, readUp, released);
  return openSocket(open, text, port, secureTransport, allowHalfOpen);
}

function connect(address, options = undefined) {
  native.refuseInGlobalScope();
  const outbound = internal.outbound ?? { kind: "internet" };
  const parsed = parseAddress(address);
  if (outbound.kind === "null") throw new Error(internal.workers.NULL_OUTBOUND_MESSAGE);
  if (outbound.fetcher === undefined) {
    throw new TypeError("This worker has no outbound network configured.");
  }
  return connectThrough(outbound.fetcher, address, options, parsed);
}

// The Socket a connect handler gets (workers.js dispatchConnect): `up` is what the caller sends;
// `readDown` gives what the handler writes, to be sent to the caller.
function accept(address, up) {
  const port = +`${address}`.slice(`${address}`.lastIndexOf(":") + 1);
  // Half open: the handler may answer after the caller has finished sending (as on workerd).
  return openSocket((readUp) => PromiseCtor.resolve(up), `${address}`, port, "off", true, true);
}

internal.sockets = { connect, connectThrough, accept };
