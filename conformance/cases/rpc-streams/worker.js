// ReadableStreams as JS RPC values, in both directions and as Request/Response bodies: byte
// streams cross and are read on the other side (also after the call returned); a stream that was sent is locked on the sender; non-byte chunks and locked streams
// fail as workerd fails them.
const CHILD = `import { WorkerEntrypoint } from "cloudflare:workers";
let text;
export default class extends WorkerEntrypoint {
  async total(stream) { const text = await new Response(stream).text(); return [text.length, text.slice(0, 12)]; }
  async nested(obj) { return [obj.name, await new Response(obj.body).text()]; }
  produce(n) {
    let i = 0;
    return new ReadableStream({ pull(c) { if (i < n) c.enqueue(new TextEncoder().encode("chunk" + i++ + ";")); else c.close(); } });
  }
  words() { return new ReadableStream({ start(c) { c.enqueue("not bytes"); c.close(); } }); }
  failing() { return new ReadableStream({ pull(c) { c.error(new RangeError("source broke")); } }); }
  later(stream) { this.ctx.waitUntil(new Response(stream).text().then((t) => { text = t; })); return "accepted"; }
  laterResult() { return text ?? "not yet"; }
  async req(r) { return [r.method, r.url, r.headers.get("x-a"), await r.text()]; }
  async res(r) { return [r.status, r.headers.get("x-b"), await r.text()]; }
  makeRes() { return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed response")); c.close(); } }), { status: 201, headers: { "x-c": "3" } }); }
}`;

const bytes = (text) => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } });
const settle = async (f) => { try { return ["ok", await f()]; } catch (e) { return [e.name, e.message]; } };

export default {
  async fetch(request, env) {
    const child = env.LOADER.get("streams", () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CHILD } })).getEntrypoint();
    const out = {};
    const big = new ReadableStream({ start(c) { for (let i = 0; i < 100; i++) c.enqueue(new Uint8Array(1000).fill(97)); c.close(); } });
    out.total = await settle(() => child.total(big));
    out.senderLocked = big.locked;
    out.nested = await settle(() => child.nested({ name: "n", body: bytes("inside an object") }));
    out.produced = await settle(async () => await new Response(await child.produce(3)).text());
    out.producedType = await settle(async () => { const s = await child.produce(1); return [s instanceof ReadableStream, s.locked]; });
    out.words = await settle(async () => await new Response(await child.words()).text());
    out.failing = await settle(async () => await new Response(await child.failing()).text());
    const locked = bytes("x");
    locked.getReader();
    out.lockedArg = await settle(() => child.total(locked));
    out.later = await settle(() => child.later(bytes("read after the call returned")));
    await scheduler.wait(100);
    out.laterResult = await settle(() => child.laterResult());
    // Requests and Responses with stream bodies.
    out.req = await settle(() => child.req(new Request("http://x/y", { method: "POST", headers: { "x-a": "1" }, body: bytes("request body") })));
    out.res = await settle(() => child.res(new Response(bytes("response body"), { status: 202, headers: { "x-b": "2" } })));
    out.made = await settle(async () => { const r = await child.makeRes(); return [r.status, r.headers.get("x-c"), await r.text()]; });
    return Response.json(out);
  },
};
