// connect() from cloudflare:sockets on loaderd alone (conformance/cases/sockets-connect compares
// the API with workerd): the outbound policy (loopback refused unless allowed, cloud metadata
// always), TLS attempted for secureTransport "on", a megabyte both ways through the echo server,
// the subrequest limit, and a peer that resets the connection.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { serveWorker, scratchDir } from "../../tools/testing/harness.mjs";
import { tcpTestServer } from "../../conformance/runner.mjs";

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
        for (let i = 0; i < size; i += 10000) await writer.write(data.subarray(i, i + 10000));
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
      try {
        const r = await s.readable.getReader().read();
        return new Response("read " + JSON.stringify(r));
      } catch (e) {
        return new Response("read failed " + show(e));
      }
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

test("a megabyte goes out and comes back intact, writes waiting for the connection", async () => {
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    const r = JSON.parse(await get(proc, "/megabyte", { address: `127.0.0.1:${echo.port}` }));
    assert.deepEqual(r, { got: 1 << 20, mismatch: -1 });
  } finally {
    await proc.stop();
  }
});

test("secureTransport 'on' speaks TLS: a self-signed peer is refused, a plain one gets a ClientHello", async () => {
  const { execFileSync } = await import("node:child_process");
  const tls = await import("node:tls");
  const fs = await import("node:fs");
  const dir = scratchDir();
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/key.pem`,
    "-out", `${dir}/cert.pem`, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
  const selfSigned = tls.createServer({ key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) },
    (socket) => socket.end("must not be read"));
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

test("a peer that resets the connection fails the read; the server goes on", async () => {
  const proc = await serveWorker(WORKER, config("outbound: { allow_private: true }\n"));
  try {
    const r = await get(proc, "/reset", { address: `127.0.0.1:${resetter.address().port}` });
    assert.match(r, /^read (failed|\{"done":true\})/);
    assert.equal(await get(proc, "/opened", { address: `127.0.0.1:${echo.port}` }), "opened");
  } finally {
    await proc.stop();
  }
});
