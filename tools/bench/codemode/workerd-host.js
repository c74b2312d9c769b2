// The reference side of the Code Mode benchmark, on workerd (bundled by codemode.mjs):
// - execute: @cloudflare/codemode's DynamicWorkerExecutor, unmodified from npm, with one tool
//   `cloudflare.request` that calls the mock Cloudflare API (samples/mock-cloudflare-api) with
//   the token, as a host would;
// - search: the upstream server's design (a new dynamic worker per call, with the processed spec
//   inlined into its module as `const spec = <json>;`).
import { DynamicWorkerExecutor } from "@cloudflare/codemode";
import mock from "../../../samples/mock-cloudflare-api/index.js";
import SPEC_JSON from "./spec.txt";

const BASE = "https://api.cloudflare.com/client/v4";
const mockEnv = { API_TOKEN: "demo-token" };

async function request({ method, path, query, body }) {
  const url = new URL(BASE + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const response = await mock.fetch(new Request(url, {
    method, headers: { authorization: `Bearer ${mockEnv.API_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  }), mockEnv);
  const json = await response.json();
  if (!json.success) throw new Error(`API error: ${JSON.stringify(json.errors)}`);
  return { ...json, status: response.status };
}

export default {
  async fetch(req, env) {
    const { tool, code } = await req.json();
    if (tool === "execute") {
      const executor = new DynamicWorkerExecutor({ loader: env.LOADER, timeout: 30000 });
      return Response.json(await executor.execute(code, [{ name: "cloudflare", fns: { request } }]));
    }
    const worker = env.LOADER.get(`cloudflare-search-${crypto.randomUUID()}`, () => ({
      compatibilityDate: "2025-06-01", mainModule: "main.js", globalOutbound: null,
      modules: { "main.js": `const spec = ${SPEC_JSON};
export default { async fetch() { const fn = (${code}); return Response.json({ result: await fn() }); } };` },
    }));
    return worker.getEntrypoint().fetch("http://search/");
  },
};
