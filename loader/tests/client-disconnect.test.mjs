// A client that goes away before its response is written (a closed tab, a cancelled curl, a
// benchmark stopping mid-request) is not an error: the server drops that connection without a
// word in its log and goes on serving everyone else.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { serveWorker } from "../../tools/testing/harness.mjs";

const WORKER = `
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/") return new Response("still serving");
    await new Promise((r) => setTimeout(r, 100));
    if (path === "/fixed") return new Response(new Uint8Array(4 << 20).fill(120));
    let sent = 0;
    return new Response(new ReadableStream({
      pull(c) { if (sent >= 4 << 20) return c.close(); c.enqueue(new Uint8Array(65536).fill(121)); sent += 65536; },
    }));
  },
};`;

let proc;
before(async () => {
  proc = await serveWorker(WORKER);
});
after(() => proc?.stop());

// Sends a request and closes the connection before the (delayed) response arrives.
function requestAndLeave(url, path) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
      setTimeout(() => { socket.destroy(); resolve(); }, 20);
    });
    socket.on("error", reject);
  });
}

test("clients leaving mid-request leave nothing in the log and the server serving", async () => {
  for (const path of ["/fixed", "/stream"]) {
    await Promise.all([1, 2, 3, 4].map(() => requestAndLeave(proc.url, path)));
  }
  // Long enough for every delayed response to be written into a closed connection.
  await new Promise((r) => setTimeout(r, 600));
  const response = await fetch(proc.url);
  assert.equal(await response.text(), "still serving");
  assert.doesNotMatch(proc.stderr, /error|exception|failed/i, proc.stderr);
  // A client that stays gets the whole delayed body.
  const whole = await fetch(new URL("/fixed", proc.url));
  assert.equal((await whole.arrayBuffer()).byteLength, 4 << 20);
});
