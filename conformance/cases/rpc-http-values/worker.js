// Request, Response and Headers cross JS RPC by value (spec §8.3), with their bodies.
const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  async describe(request) {
    return { method: request.method, url: request.url, h: request.headers.get("x-h"),
             body: await request.text(), isRequest: request instanceof Request };
  }
  makeResponse(text) {
    return new Response(text, { status: 201, statusText: "Made", headers: { "x-from": "child" } });
  }
  headers() { const h = new Headers({ a: "1" }); h.append("b", "2"); return h; }
  echoHeaders(h) { return [...h]; }
}`;

export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const out = {};
    out.request = await ep.describe(new Request("https://example.com/p?q=1", { method: "POST", headers: { "x-h": "v" }, body: "request body" }));
    const r = await ep.makeResponse("hello response");
    out.response = { status: r.status, statusText: r.statusText, from: r.headers.get("x-from"), text: await r.text(), isResponse: r instanceof Response };
    const h = await ep.headers();
    out.headers = { entries: [...h], isHeaders: h instanceof Headers };
    out.echoHeaders = await ep.echoHeaders(new Headers({ z: "26", y: "25" }));
    return Response.json(out);
  },
};
