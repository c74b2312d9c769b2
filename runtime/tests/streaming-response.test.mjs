// A Response whose body is a ReadableStream reaches the HTTP client as it is produced (chunked),
// not after the whole body is buffered: server-sent events and long downloads work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveWorker } from "../../tools/testing/harness.mjs";

const WORKER = `
const enc = new TextEncoder();
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/events") {
      let n = 0;
      return new Response(new ReadableStream({
        async pull(c) {
          if (n > 0) await new Promise((r) => setTimeout(r, 300));
          if (n === 3) return c.close();
          c.enqueue(enc.encode("data: event " + n++ + "\\n\\n"));
        },
      }), { headers: { "content-type": "text/event-stream" } });
    }
    if (path === "/big") {
      let sent = 0;
      return new Response(new ReadableStream({
        pull(c) { if (sent >= 10 << 20) return c.close(); c.enqueue(new Uint8Array(65536).fill(120)); sent += 65536; },
      }));
    }
    if (path === "/words") {
      return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode("ok ")); c.enqueue("not bytes"); c.close(); } }));
    }
    if (path === "/broken") {
      return new Response(new ReadableStream({ start(c) { c.enqueue(enc.encode("partial")); }, pull(c) { c.error(new Error("source failed")); } }));
    }
    return new Response("still serving");
  },
};`;

let proc;
before(async () => {
  proc = await serveWorker(WORKER);
});
after(() => proc?.stop());

test("chunks reach the client as they are produced", async () => {
  const started = Date.now();
  const response = await fetch(new URL("/events", proc.url));
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  assert.equal(response.headers.get("transfer-encoding"), "chunked");
  const reader = response.body.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  const firstAt = Date.now() - started;
  assert.equal(first, "data: event 0\n\n");
  assert.ok(firstAt < 250, `first chunk after ${firstAt} ms`);
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += new TextDecoder().decode(value);
  }
  assert.equal(rest, "data: event 1\n\ndata: event 2\n\n");
  assert.ok(Date.now() - started >= 550);
});

test("a 10 MB stream arrives whole", async () => {
  const body = await (await fetch(new URL("/big", proc.url))).arrayBuffer();
  assert.equal(body.byteLength, 10 << 20);
});

// KJ 0.9.2's chunked writer always ends the body cleanly when dropped, so a failed stream ends
// the response early (workerd resets the connection); the failure is logged.
test("a stream that fails or yields non-bytes ends the response early; the server keeps serving", async () => {
  for (const [path, partial] of [["/words", "ok "], ["/broken", "partial"]]) {
    const response = await fetch(new URL(path, proc.url));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), partial);
  }
  assert.equal(await (await fetch(proc.url)).text(), "still serving");
  assert.match(proc.stderr, /This ReadableStream did not return bytes\./);
  assert.match(proc.stderr, /source failed/);
});
