// globalOutbound: null refuses fetch(); a Fetcher receives every outbound request unchanged
// (workerd's nullGlobalOutbound and overrideGlobalOutbound, §5).
import { WorkerEntrypoint } from "cloudflare:workers";

export class TestOutbound extends WorkerEntrypoint {
  async fetch(request) {
    const body = request.method === "GET" ? "" : await request.text();
    return new Response(`hello from testOutbound: ${request.method} ${request.url} x-test=${request.headers.get("x-test")} body=${body}`);
  }
}

const CHILD = `export default {
  async fetch(request) {
    return fetch("https://example.com/path?q=1", { method: "PUT", headers: { "x-test": "1" }, body: "payload" });
  },
};`;

export default {
  async fetch(request, env) {
    const out = {};
    const code = (globalOutbound) => ({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD }, globalOutbound });
    try {
      await env.LOADER.load(code(null)).getEntrypoint().fetch("https://parent/");
      out.nullOutbound = "no error";
    } catch (e) {
      out.nullOutbound = `${e.name}: ${e.message}`;
    }
    const r = await env.LOADER.load(code(env.OUTBOUND)).getEntrypoint().fetch("https://parent/");
    out.override = [r.status, await r.text()];
    return Response.json(out);
  },
};
