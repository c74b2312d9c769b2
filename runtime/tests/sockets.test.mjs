// connect() from cloudflare:sockets on loaderd alone (conformance/cases/sockets-connect compares
// the API with workerd): the outbound policy (loopback refused unless allowed, cloud metadata
// always), TLS attempted for secureTransport "on", a megabyte both ways through the echo server,
// the subrequest limit, and a peer that resets the connection.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { serveWorker } from "../../tools/testing/harness.mjs";
import { tcpTestServer } from "../../conformance/runner.mjs";
import { privateCa, selfSignedCertificate } from "../../tools/testing/certificates.mjs";

let echo, resetter;
before(async () => {
  echo = await tcpTestServer();
  // Accepts, reads one chunk, then resets the connection.
  resetter = net.createServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
  await new Promise((r) => resetter.listen(0, "127.0.0.1", r));
});
after(() => { echo.close(); resetter.close(); });

const WORKER = `
import { connect } from "cloudflare:sockets";
const show = (e) => e.constructor.name + ": " + e.message;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const address = url.searchParams.get("address");
    const options = JSON.parse(url.searchParams.get("options") ?? "{}");
    if (url.pathname === "/opened") {
      try {
        const s = connect(address, options);
        await s.opened;
        await s.close();
        return new Response("opened");
      } catch (e) {
        return new Response("rejected " + show(e));
      }
    }
    if (url.pathname === "/megabyte") {
      // 1 MiB of a pattern out, read back while writing, compared byte for byte.
      const size = 1 << 20;
      const data = new Uint8Array(size);
      for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 10)) & 0xff;
      const s = connect(address);
      const writer = s.writable.getWriter();
      const writing = (async () => {
        const step = Number(url.searchParams.get("chunk") ?? 10000);
        for (let i = 0; i < size; i += step) await writer.write(data.subarray(i, i + step));
        await writer.close();
      })();
      const reader = s.readable.getReader();
      let got = 0, mismatch = -1;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (let j = 0; j < value.length; j++) if (mismatch < 0 && value[j] !== data[got + j]) mismatch = got + j;
        got += value.length;
      }
      await writing;
      return Response.json({ got, mismatch });
    }
    if (url.pathname === "/twice") {
      const out = [];
      for (let i = 0; i < 2; i++) {
        try { const s = connect(address); s.opened.catch(() => {}); out.push("socket"); } catch (e) { out.push(show(e)); }
      }
      return Response.json(out);
    }
    if (url.pathname === "/reset") {
      const s = connect(address);
      const writer = s.writable.getWriter();
      await writer.write(new TextEncoder().encode("x"));
      let read;
      try {
        read = "read " + JSON.stringify(await s.readable.getReader().read());
      } catch (e) {
        read = "read failed " + show(e);
      }
      // Writing on after the reset fails rather than waiting forever, and close() ends.
      const within = (p) => Promise.race([p.then(() => "ok", (e) => "failed " + show(e)),
                                          new Promise((r) => setTimeout(() => r("hung"), 3000))]);
      const writes = [];
      for (let i = 0; i < 3; i++) writes.push(await within(writer.write(new TextEncoder().encode("more"))));
      const closed = await within(s.close());
      return Response.json({ read, writes, closed });
    }
    return new Response("?");
  },
};`;

const config = (extra = "") =>
  `${extra}workers:\n  w:\n    main: index.js\n    compatibility_date: 2026-05-01\n`;

async function get(proc, path, params) {
  const r = await proc.fetch(`${path}?${new URLSearchParams(params)}`);
  return r.text();
}

test("the outbound policy refuses loopback by default and cloud metadata always", async () => {
  const strict = await serveWorker(WORKER, config());
  try {
    assert.equal(await get(strict, "/opened", { address: `127.0.0.1:${echo.port}` }),
      `rejected TypeError: connect() refused: 127.0.0.1 resolves to 127.0.0.1:${echo.port}, a ` +
      "loopback, private or link-local address. Set outbound.allow_private in loaderd.yaml to allow it.");
  } finally {
    await strict.stop();
  }
  const open = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    assert.equal(await get(open, "/opened", { address: `127.0.0.1:${echo.port}` }), "opened");
    assert.equal(await get(open, "/opened", { address: "169.254.169.254:80" }),
      "rejected TypeError: connect() refused: 169.254.169.254 is a cloud metadata address.");
  } finally {
    await open.stop();
  }
});

test("a megabyte goes out and comes back intact, in small writes or one, writes waiting for the connection", async () => {
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    // In 10,000-byte writes, and in one write (sent in 64 KiB slices).
    for (const chunk of [10000, 1 << 20]) {
      const r = JSON.parse(await get(proc, "/megabyte", { address: `127.0.0.1:${echo.port}`, chunk }));
      assert.deepEqual(r, { got: 1 << 20, mismatch: -1 }, `chunk ${chunk}`);
    }
  } finally {
    await proc.stop();
  }
});

test("secureTransport 'on' speaks TLS: a self-signed peer is refused, a plain one gets a ClientHello", async () => {
  const tls = await import("node:tls");
  const selfSigned = tls.createServer(selfSignedCertificate(), (socket) => socket.end("must not be read"));
  await new Promise((r) => selfSigned.listen(0, "127.0.0.1", r));
  // Records the first byte a client sends (0x16: a TLS handshake record), then hangs up.
  const firstBytes = [];
  const plain = net.createServer((socket) => socket.once("data", (d) => { firstBytes.push(d[0]); socket.destroy(); }));
  await new Promise((r) => plain.listen(0, "127.0.0.1", r));
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    const failed = "rejected Error: proxy request failed, cannot connect to the specified address";
    const on = JSON.stringify({ secureTransport: "on" });
    assert.equal(await get(proc, "/opened", { address: `localhost:${selfSigned.address().port}`, options: on }), failed);
    assert.equal(await get(proc, "/opened", { address: `127.0.0.1:${plain.address().port}`, options: on }), failed);
    assert.deepEqual(firstBytes, [0x16]);
    assert.equal(await get(proc, "/opened", { address: `127.0.0.1:${echo.port}` }), "opened");
  } finally {
    await proc.stop();
    selfSigned.close();
    plain.close();
  }
});

test("each connect() is a subrequest, refused over the worker's limit", async () => {
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n")
    .replace("compatibility_date: 2026-05-01\n", "compatibility_date: 2026-05-01\n    limits: { subrequests: 1 }\n"));
  try {
    const r = JSON.parse(await get(proc, "/twice", { address: `127.0.0.1:${echo.port}` }));
    assert.equal(r[0], "socket");
    assert.match(r[1], /subrequest/i);
  } finally {
    await proc.stop();
  }
});

test("a peer that resets the connection fails the read and later writes; close() ends; the server goes on", async () => {
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    const r = JSON.parse(await get(proc, "/reset", { address: `127.0.0.1:${resetter.address().port}` }));
    assert.match(r.read, /^read (failed|\{"done":true\})/);
    assert.ok(!r.writes.includes("hung") && r.writes.at(-1).startsWith("failed"), JSON.stringify(r.writes));
    assert.notEqual(r.closed, "hung");
    assert.equal(await get(proc, "/opened", { address: `127.0.0.1:${echo.port}` }), "opened");
  } finally {
    await proc.stop();
  }
});


const TLS_WORKER = `
import { connect } from "cloudflare:sockets";
const enc = new TextEncoder(), dec = new TextDecoder();
async function readLine(reader) {
  let text = "";
  while (!text.includes("\\n")) {
    const { value, done } = await reader.read();
    if (done) return text + "<eof>";
    text += dec.decode(value, { stream: true });
  }
  return text;
}
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const port = url.searchParams.get("port");
    if (url.pathname === "/https") {
      try {
        const r = await fetch("https://localhost:" + port + "/hi");
        return new Response("fetched " + r.status + " " + await r.text());
      } catch (e) {
        return new Response("failed " + e.message);
      }
    }
    if (url.pathname === "/tls") {
      const s = connect("localhost:" + port, { secureTransport: "on" });
      const writer = s.writable.getWriter();
      await writer.write(enc.encode("over tls\\n"));
      const line = await readLine(s.readable.getReader());
      await s.close();
      return new Response("tls " + line.trim());
    }
    if (url.pathname === "/starttls") {
      const plain = connect("localhost:" + port, { secureTransport: "starttls" });
      const writer = plain.writable.getWriter();
      await writer.write(enc.encode("STARTTLS\\n"));
      const reader = plain.readable.getReader();
      const go = await readLine(reader);
      reader.releaseLock();
      writer.releaseLock();
      const secure = plain.startTls();
      let again;
      try { plain.startTls(); again = "no error"; } catch (e) { again = e.message; }
      const w2 = secure.writable.getWriter();
      await w2.write(enc.encode("secret\\n"));
      const line = await readLine(secure.readable.getReader());
      const opened = JSON.stringify(await secure.opened);
      await secure.close();
      return Response.json({ go: go.trim(), line: line.trim(), again, upgraded: plain.upgraded,
                             oldClosed: await plain.closed.then(() => "resolved"), opened,
                             secureTransport: secure.secureTransport });
    }
    return new Response("?");
  },
};`;

test("outbound.trusted_certificates: HTTPS fetch, a TLS socket and startTls() against a private CA", async () => {
  const tls = await import("node:tls");
  const https = await import("node:https");
  const ca = privateCa();
  const web = https.createServer({ key: ca.key, cert: ca.cert }, (req, res) => res.end("hello over https"));
  await new Promise((r) => web.listen(0, "127.0.0.1", r));
  // Echoes lines over TLS.
  const tlsEcho = tls.createServer({ key: ca.key, cert: ca.cert }, (socket) => socket.on("data", (d) => socket.write(d)));
  await new Promise((r) => tlsEcho.listen(0, "127.0.0.1", r));
  // Plain until "STARTTLS\n" (answered "GO\n"), then TLS, echoing.
  const starttls = net.createServer((socket) => {
    socket.once("data", (d) => {
      assert.equal(String(d), "STARTTLS\n");
      socket.write("GO\n", () => {
        const secure = new tls.TLSSocket(socket, { isServer: true, key: ca.key, cert: ca.cert });
        secure.on("data", (x) => secure.write(x));
        secure.on("error", () => {});
      });
    });
  });
  await new Promise((r) => starttls.listen(0, "127.0.0.1", r));
  const trusting = await serveWorker(TLS_WORKER, config(`outbound: { allow_private: true, trusted_certificates: ${ca.caPath} }\n`));
  const plainStore = await serveWorker(TLS_WORKER, config("outbound: { allow_private: true }\n"));
  try {
    assert.equal(await get(trusting, "/https", { port: web.address().port }), "fetched 200 hello over https");
    assert.equal(await get(trusting, "/tls", { port: tlsEcho.address().port }), "tls over tls");
    assert.deepEqual(JSON.parse(await get(trusting, "/starttls", { port: starttls.address().port })), {
      go: "GO", line: "secret", again: "startTls has already been called on this socket, or the socket was transferred over RPC.", upgraded: true,
      oldClosed: "resolved", opened: `{"remoteAddress":"localhost:${starttls.address().port}"}`,
      secureTransport: "on",
    });
    // Without the CA, the same certificate is not trusted.
    assert.match(await get(plainStore, "/https", { port: web.address().port }),
                 /^failed .*TLS peer's certificate is not trusted/);
  } finally {
    await trusting.stop();
    await plainStore.stop();
    web.close();
    tlsEcho.close();
    starttls.close();
  }
});

test("a socket's connection lives while any of socket, readable or writable is reachable, and ends when none is", async () => {
  let closedConnections = 0;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("data", (d) => socket.write(d));
    socket.on("close", () => closedConnections++);
    socket.on("error", () => {});
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const worker = `
import { connect } from "cloudflare:sockets";
let kept;
const enc = new TextEncoder(), dec = new TextDecoder();
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const address = "127.0.0.1:" + url.searchParams.get("port");
    if (url.pathname === "/keep-streams") {
      // Only the streams are kept: the Socket object itself is dropped before they are used.
      const { readable, writable } = connect(address);
      const reader = readable.getReader(), writer = writable.getWriter();
      gc(); gc();
      await new Promise((r) => setTimeout(r, 20));
      gc();
      await writer.write(enc.encode("still here"));
      const { value } = await reader.read();
      kept = { reader, writer };  // kept open across requests (unused there)
      return new Response(dec.decode(value));
    }
    if (url.pathname === "/drop") {
      const s = connect(address);
      await s.opened;
      await s.writable.getWriter().write(enc.encode("x"));
      return new Response("dropped");
    }
    if (url.pathname === "/gc") {
      gc(); gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      return new Response("collected");
    }
    return new Response("?");
  },
};`;
  const proc = await serveWorker(worker, config("outbound: { allow_private: true }\nv8_flags: [--expose-gc]\n"));
  try {
    const port = server.address().port;
    assert.equal(await get(proc, "/keep-streams", { port }), "still here");
    assert.equal(closedConnections, 0);
    assert.equal(await get(proc, "/drop", { port }), "dropped");
    // The dropped socket's connection ends once it is collected (the kept one stays).
    for (let i = 0; i < 20 && closedConnections === 0; i++) {
      await get(proc, "/gc", {});
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(closedConnections, 1);  // the dropped one; the kept one is still open
  } finally {
    await proc.stop();
    server.close();
  }
});

test("close() with a read in flight against a silent peer closes the connection", async () => {
  let closes = 0;
  const silent = net.createServer((socket) => {
    socket.on("close", () => closes++);
    socket.on("error", () => {});
  });
  await new Promise((r) => silent.listen(0, "127.0.0.1", r));
  const worker = `
import { connect } from "cloudflare:sockets";
export default {
  async fetch(request) {
    const port = new URL(request.url).searchParams.get("port");
    const s = connect("127.0.0.1:" + port);
    await s.opened;
    const pending = s.readable.getReader().read().then(() => "read ended", (e) => "read failed");
    await s.close();
    const outcome = await pending;
    // The request goes on: the connection must be closed by now, not when the request ends.
    await new Promise((r) => setTimeout(r, 1500));
    return new Response("closed; " + outcome);
  },
};`;
  const proc = await serveWorker(worker, config("outbound: { allow_private: true }\n"));
  try {
    const response = get(proc, "/", { port: silent.address().port });
    for (let i = 0; i < 20 && closes === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(closes, 1, "the connection is still open while the request goes on");
    assert.match(await response, /^closed; read (ended|failed)$/);
  } finally {
    await proc.stop();
    silent.close();
  }
});
