// Request bodies from HTTP clients: small bodies of known length are buffered; larger ones and
// chunked uploads reach the worker as a stream, read as they arrive.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { serveWorker } from "../../tools/testing/harness.mjs";

const WORKER = `
let late = "not yet";
export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (path === "/first") {
      const started = Date.now();
      const reader = request.body.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      const firstAt = Date.now() - started;
      let rest = "";
      for (;;) { const { value, done } = await reader.read(); if (done) break; rest += new TextDecoder().decode(value); }
      return Response.json({ first, firstAt, rest, endAt: Date.now() - started });
    }
    if (path === "/size") {
      const text = await request.text();
      return Response.json({ length: text.length, head: text.slice(0, 5) });
    }
    if (path === "/later") {
      ctx.waitUntil(new Promise((r) => setTimeout(r, 100)).then(() => request.text())
        .then((t) => { late = "read " + t.length; }, (e) => { late = e.name + ": " + e.message; }));
      return new Response("answered");
    }
    if (path === "/pending") {
      // A read started before the response and still waiting when it is sent.
      const reader = request.body.getReader();
      await reader.read();
      ctx.waitUntil(reader.read().then(() => { late = "read on"; }, (e) => { late = e.name + ": " + e.message; }));
      return new Response("answered");
    }
    if (path === "/late") return new Response(late);
    return new Response("ok");
  },
};`;

let proc;
before(async () => {
  proc = await serveWorker(WORKER);
});
after(() => proc?.stop());

function chunkedPost(path, parts, gapMs) {
  const { hostname, port } = new URL(proc.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: "POST", headers: { "transfer-encoding": "chunked" } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.write(parts[0]);
    setTimeout(() => req.end(parts[1]), gapMs);
  });
}

test("a chunked upload is read as it arrives", async () => {
  const r = JSON.parse(await chunkedPost("/first", ["first;", "second"], 600));
  assert.equal(r.first, "first;");
  assert.ok(r.firstAt < 400, `first chunk after ${r.firstAt} ms`);
  assert.equal(r.rest, "second");
  assert.ok(r.endAt >= 450, `ended after ${r.endAt} ms`);
});

test("bodies above the buffered size stream whole; small ones are buffered", async () => {
  const big = "x".repeat(5 << 20);
  assert.deepEqual(await (await fetch(new URL("/size", proc.url), { method: "POST", body: big })).json(),
                   { length: 5 << 20, head: "xxxxx" });
  assert.deepEqual(await (await fetch(new URL("/size", proc.url), { method: "POST", body: "small" })).json(),
                   { length: 5, head: "small" });
});

test("a streamed body read after the response was sent fails clearly; the server goes on", async () => {
  const body = "y".repeat(2 << 20);
  assert.equal(await (await fetch(new URL("/later", proc.url), { method: "POST", body })).text(), "answered");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await (await fetch(new URL("/late", proc.url))).text(),
               "TypeError: The request body can no longer be read: its response was sent.");
  assert.equal(await (await fetch(proc.url)).text(), "ok");
  // A read already waiting when the response goes out fails too (it would outlive the stream).
  const { hostname, port } = new URL(proc.url);
  const req = http.request({ hostname, port, path: "/pending", method: "POST", headers: { "transfer-encoding": "chunked" } });
  const answered = new Promise((resolve) => req.on("response", (res) => {
    let b = ""; res.on("data", (d) => (b += d)); res.on("end", () => resolve(b));
  }));
  req.on("error", () => {});
  req.write("z".repeat(1000));
  assert.equal(await answered, "answered");
  await new Promise((r) => setTimeout(r, 200));
  req.destroy();
  assert.equal(await (await fetch(new URL("/late", proc.url))).text(),
               "TypeError: The request body can no longer be read: its response was sent.");
  assert.equal(await (await fetch(proc.url)).text(), "ok");
});
