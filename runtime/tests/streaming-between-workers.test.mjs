// Bodies between workers stream too: a request body sent through a service binding reaches the
// callee as it is produced, and the callee's stream response reaches the caller (and through it
// the HTTP client) chunk by chunk.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { scratchDir, startLoaderd, writeFiles } from "../../tools/testing/harness.mjs";

const PARENT = `
const drip = (parts, gapMs) => {
  let n = 0;
  return new ReadableStream({ async pull(c) {
    if (n > 0) await new Promise((r) => setTimeout(r, gapMs));
    if (n === parts.length) return c.close();
    c.enqueue(new TextEncoder().encode(parts[n++]));
  } });
};
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/upload") {
      const r = await env.CHILD.fetch("http://child/upload", { method: "POST", body: drip(["one;", "two"], 500) });
      return new Response(await r.text());
    }
    // The child's streamed response, passed through to the client.
    return env.CHILD.fetch("http://child/events");
  },
};`;
const CHILD = `
export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/upload") {
      const started = Date.now();
      const reader = request.body.getReader();
      const arrivals = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arrivals.push([new TextDecoder().decode(value), Date.now() - started]);
      }
      return Response.json(arrivals);
    }
    let n = 0;
    return new Response(new ReadableStream({ async pull(c) {
      if (n > 0) await new Promise((r) => setTimeout(r, 500));
      if (n === 2) return c.close();
      c.enqueue(new TextEncoder().encode("event " + n++ + ";"));
    } }));
  },
};`;

let proc;
before(async () => {
  const dir = scratchDir();
  writeFiles(dir, {
    "parent.js": PARENT, "child.js": CHILD,
    "loaderd.yaml": "main: parent\nworkers:\n  parent:\n    main: parent.js\n    compatibility_date: 2025-06-01\n    bindings:\n      CHILD: { service: child }\n  child:\n    main: child.js\n    compatibility_date: 2025-06-01\n",
  });
  proc = await startLoaderd(dir);
});
after(() => proc?.stop());

test("a request body reaches the callee worker as it is produced", async () => {
  const arrivals = JSON.parse(await (await proc.fetch("/upload")).text());
  assert.equal(arrivals.map(([d]) => d).join(""), "one;two");
  assert.ok(arrivals.length >= 2 && arrivals.at(-1)[1] - arrivals[0][1] >= 400, JSON.stringify(arrivals));
});

test("a callee's stream response reaches the client through the caller chunk by chunk", async () => {
  const started = Date.now();
  const response = await proc.fetch("/events");
  const reader = response.body.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "event 0;");
  assert.ok(Date.now() - started < 400, `first chunk after ${Date.now() - started} ms`);
  let rest = "";
  for (;;) { const { value, done } = await reader.read(); if (done) break; rest += new TextDecoder().decode(value); }
  assert.equal(rest, "event 1;");
});
