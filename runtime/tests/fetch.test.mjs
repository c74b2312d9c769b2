// fetch() to the network through `global_outbound: internet`: real HTTP to a Node server on
// loopback (allowed by `outbound.allow_private`), redirects, gzip, bodies, and the refusal of
// private addresses by default. loaderd-only: workerd's default network refuses loopback too,
// but configuring it differs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import zlib from "node:zlib";
import { serveWorker, ONE_WORKER_CONFIG } from "../../tools/testing/harness.mjs";
import { selfSignedCertificate } from "../../tools/testing/certificates.mjs";

let server, origin;
const seen = [];
let slowClosed;  // resolves when a /slow request's connection closes before any answer

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/drip" || req.url === "/drip-gzip") {  // one chunk now, one 600 ms later
      const gzip = req.url === "/drip-gzip";
      res.writeHead(200, { "content-type": "text/plain", ...(gzip ? { "content-encoding": "gzip" } : {}) });
      const out = gzip ? zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH }) : res;
      if (gzip) out.pipe(res);
      out.write("first;");
      setTimeout(() => out.end("second"), 600);
      return;
    }
    if (req.url === "/upload") {  // reports when each chunk of the request body arrived
      const started = Date.now();
      const arrivals = [];
      req.on("data", (d) => arrivals.push([String(d), Date.now() - started]));
      req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(arrivals)); });
      return;
    }
    if (req.url === "/upload-redirect") { req.resume(); req.on("end", () => { res.writeHead(307, { location: "/upload" }); res.end(); }); return; }
    if (req.url === "/slow") {  // never answers; reports when the client goes away
      res.on("close", () => slowClosed?.resolve(res.writableEnded ? "answered" : "closed unanswered"));
      return;
    }
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (req.url === "/redirect") { res.writeHead(302, { location: "/final?from=redirect" }); res.end(); return; }
      if (req.url === "/redirect-loop") { res.writeHead(307, { location: "/redirect-loop" }); res.end(); return; }
      if (req.url === "/see-other") { res.writeHead(303, { location: "/final" }); res.end(); return; }
      if (req.url === "/gzip") {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end(zlib.gzipSync("decompressed text"));
        return;
      }
      if (req.url === "/deflate") {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "deflate" });
        res.end(zlib.deflateSync("inflated text ".repeat(5000)));
        return;
      }
      if (req.url === "/bad-gzip") {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end("this is not gzip at all");
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-server": "node" });
      res.end(JSON.stringify({ method: req.method, url: req.url, body, xTest: req.headers["x-test"] ?? null }));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

const WORKER = `
export default {
  async fetch(request, env) {
    const target = new URL(request.url).searchParams.get("target");
    if (new URL(request.url).pathname === "/proxy") return fetch(target);  // streamed through
    if (new URL(request.url).pathname === "/upload") {
      let n = 0;
      const body = new ReadableStream({ async pull(c) {
        if (n === 1) await new Promise((r) => setTimeout(r, 500));
        if (n === 2) return c.close();
        c.enqueue(new TextEncoder().encode(n++ === 0 ? "part one;" : "part two"));
      } });
      try {
        const r = await fetch(target, { method: "POST", body });
        return new Response(await r.text());
      } catch (e) {
        return new Response(e.name + ": " + e.message);
      }
    }
    if (new URL(request.url).pathname === "/timed") {
      const started = Date.now();
      const r = await fetch(target);
      const headersAt = Date.now() - started;
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      const first = decoder.decode((await reader.read()).value, { stream: true });
      const firstAt = Date.now() - started;
      let rest = "";
      for (;;) { const { value, done } = await reader.read(); if (done) break; rest += decoder.decode(value, { stream: true }); }
      return Response.json({ headersAt, first, firstAt, rest, endAt: Date.now() - started,
                             encoding: r.headers.get("content-encoding") });
    }
    const mode = new URL(request.url).searchParams.get("redirect") ?? "follow";
    const method = new URL(request.url).searchParams.get("method") ?? "GET";
    const abortAfter = new URL(request.url).searchParams.get("abortAfter");
    try {
      const r = await fetch(target, { method, redirect: mode, headers: { "x-test": "yes" },
                                      body: method === "POST" ? "posted body" : undefined,
                                      signal: abortAfter ? AbortSignal.timeout(Number(abortAfter)) : undefined });
      return Response.json({ status: r.status, location: r.headers.get("location"),
                             type: r.headers.get("content-type"), body: await r.text() });
    } catch (e) {
      return Response.json({ error: e.name + ": " + e.message });
    }
  },
};`;

const serve = (config) => serveWorker(WORKER, config);

const BASE = ONE_WORKER_CONFIG;

test("private addresses are refused by default", async () => {
  const proc = await serve(BASE);
  try {
    const r = await (await proc.fetch(`/?target=${encodeURIComponent(origin + "/x")}`)).json();
    assert.match(r.error, /^TypeError: Fetch refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1:\d+, a loopback, private or link-local address\./);
    const meta = await (await proc.fetch(`/?target=${encodeURIComponent("http://169.254.169.254/latest")}`)).json();
    assert.equal(meta.error, "TypeError: Fetch refused: 169.254.169.254 is a cloud metadata address.");
  } finally {
    await proc.stop();
  }
});

test("HTTP fetch with bodies, headers, redirects and gzip when allowed", async () => {
  const proc = await serve(`outbound: { allow_private: true }\n${BASE}`);
  try {
    const get = async (path, extra = "") =>
      (await proc.fetch(`/?target=${encodeURIComponent(origin + path)}${extra}`)).json();
    const plain = await get("/plain");
    assert.equal(plain.status, 201);
    assert.equal(plain.type, "application/json");
    assert.deepEqual(JSON.parse(plain.body), { method: "GET", url: "/plain", body: "", xTest: "yes" });
    const posted = await get("/post", "&method=POST");
    assert.deepEqual(JSON.parse(posted.body), { method: "POST", url: "/post", body: "posted body", xTest: "yes" });
    const followed = await get("/redirect");
    assert.equal(JSON.parse(followed.body).url, "/final?from=redirect");
    const manual = await get("/redirect", "&redirect=manual");
    assert.equal(manual.status, 302);
    assert.equal(manual.location, "/final?from=redirect");
    const seeOther = await get("/see-other", "&method=POST");
    assert.deepEqual(JSON.parse(seeOther.body), { method: "GET", url: "/final", body: "", xTest: "yes" });
    const loop = await get("/redirect-loop");
    assert.equal(loop.error, "TypeError: Too many redirects.");
    const gz = await get("/gzip");
    assert.equal(gz.body, "decompressed text");
    const deflated = await get("/deflate");
    assert.equal(deflated.body, "inflated text ".repeat(5000));
    const corrupt = await get("/bad-gzip");
    assert.match(corrupt.error, /^\w*Error: /);
    assert.equal(seen.find((r) => r.url === "/deflate").headers["accept-encoding"], "gzip, deflate");
    const bad = await (await proc.fetch(`/?target=${encodeURIComponent("ftp://example.com/")}`)).json();
    assert.equal(bad.error, "TypeError: Fetch API cannot load: ftp://example.com/");
  } finally {
    await proc.stop();
  }
});

test("response bodies stream: chunks arrive as the server sends them, gzip decoded on the way", async () => {
  const proc = await serve(`outbound: { allow_private: true }\n${BASE}`);
  try {
    for (const path of ["/drip", "/drip-gzip"]) {
      const r = await (await proc.fetch(`/timed?target=${encodeURIComponent(origin + path)}`)).json();
      assert.equal(r.first, "first;", path);
      assert.ok(r.firstAt < 400, `${path}: first chunk after ${r.firstAt} ms`);
      assert.equal(r.rest, "second", path);
      assert.ok(r.endAt >= 550, `${path}: ended after ${r.endAt} ms`);
      assert.equal(r.encoding, null);
    }
    // A fetched response returned as is streams through to the client.
    const started = Date.now();
    const response = await proc.fetch(`/proxy?target=${encodeURIComponent(origin + "/drip")}`);
    const reader = response.body.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "first;");
    assert.ok(Date.now() - started < 400);
    let rest = "";
    for (;;) { const { value, done } = await reader.read(); if (done) break; rest += new TextDecoder().decode(value); }
    assert.equal(rest, "second");
  } finally {
    await proc.stop();
  }
});

test("request bodies stream: a stream body is sent as it is produced", async () => {
  const proc = await serve(`outbound: { allow_private: true }\n${BASE}`);
  try {
    const arrivals = JSON.parse(await (await proc.fetch(`/upload?target=${encodeURIComponent(origin + "/upload")}`)).text());
    assert.equal(arrivals.map(([d]) => d).join(""), "part one;part two");
    // The first part reached the server well before the second was produced.
    assert.equal(arrivals[0][0], "part one;");
    assert.ok(arrivals.at(-1)[1] - arrivals[0][1] >= 400, JSON.stringify(arrivals));
    // A redirect that would need the streamed body again fails clearly.
    const redirected = await (await proc.fetch(`/upload?target=${encodeURIComponent(origin + "/upload-redirect")}`)).text();
    assert.equal(redirected, "TypeError: Fetch failed because a redirect needs the request body again, and the body was a stream that has been sent.");
  } finally {
    await proc.stop();
  }
});

test("an aborted fetch rejects with the reason and closes its connection", async () => {
  const proc = await serve(`outbound: { allow_private: true }\n${BASE}`);
  try {
    let resolve;
    slowClosed = { promise: new Promise((r) => (resolve = r)), resolve: (v) => resolve(v) };
    const started = Date.now();
    const r = await (await proc.fetch(`/?target=${encodeURIComponent(origin + "/slow")}&abortAfter=100`)).json();
    assert.equal(r.error, "TimeoutError: The operation was aborted due to timeout");
    assert.ok(Date.now() - started < 2000);
    // The request upstream is cancelled, not left running: the server sees the connection close.
    const outcome = await Promise.race([slowClosed.promise,
      new Promise((r) => setTimeout(() => r("still open after 3 s"), 3000))]);
    assert.equal(outcome, "closed unanswered");
  } finally {
    await proc.stop();
  }
});

test("global_outbound: none refuses fetch() with workerd's message", async () => {
  const proc = await serve(`${BASE}    global_outbound: none\n`);
  try {
    const r = await (await proc.fetch(`/?target=${encodeURIComponent(origin + "/x")}`)).json();
    assert.equal(r.error, "Error: This worker is not permitted to access the internet via global functions like fetch(). It must use capabilities (such as bindings in 'env') to talk to the outside world.");
  } finally {
    await proc.stop();
  }
});

test("HTTPS verifies certificates: a self-signed server is refused", async () => {
  const https = await import("node:https");
  const tls = https.createServer(selfSignedCertificate(), (req, res) => res.end("must not be read"));
  await new Promise((r) => tls.listen(0, "127.0.0.1", r));
  const proc = await serve(`outbound: { allow_private: true }\n${BASE}`);
  try {
    const target = `https://localhost:${tls.address().port}/`;
    const r = await (await proc.fetch(`/?target=${encodeURIComponent(target)}`)).json();
    assert.equal(r.error, `TypeError: Network connection failed: ${target}: TLS peer's certificate is not trusted; reason = self-signed certificate`);
  } finally {
    await proc.stop();
    tls.close();
  }
});
