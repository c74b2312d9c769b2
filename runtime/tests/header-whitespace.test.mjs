// Incoming header values lose leading and trailing whitespace (RFC 9110 §5.5), as on workerd.
// Sent over a raw socket: Node's fetch would trim them before they reach the wire.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { scratchDir, writeFiles } from "../../tools/testing/harness.mjs";
import { startRuntime } from "../../conformance/runner.mjs";

const procs = [];
after(async () => { for (const p of procs) await p.stop(); });

function rawGet(url, headerLines) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines.join("\r\n")}\r\n\r\n`);
    });
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("end", () => resolve(data.slice(data.indexOf("\r\n\r\n") + 4)));
    socket.on("error", reject);
  });
}

for (const runtime of ["workerd", "loaderd"]) {
  test(`[${runtime}] header values are trimmed`, async () => {
    const dir = scratchDir("header-ws-");
    writeFiles(dir, { "worker.js": `export default { fetch(r) { return Response.json([r.headers.get("x-pad"), r.headers.get("x-inner")]); } };` });
    const proc = await startRuntime(runtime, { name: "header-ws", dir, main: "worker.js", modules: ["worker.js"], spec: {} });
    procs.push(proc);
    const body = await rawGet(proc.url, ["X-Pad: \t value  \t", "X-Inner: a  b"]);
    assert.deepEqual(JSON.parse(body.trim().split("\r\n").find((l) => l.startsWith("[")) ?? body), ["value", "a  b"]);
  });
}
