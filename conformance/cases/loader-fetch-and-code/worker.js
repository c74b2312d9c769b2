// The Worker Loader's stubs and entrypoints as a caller sees them (spec/worker-loader.md §§2–4,
// 8): WorkerStub shape, fetch() with a URL, a URL object, a Request and a relative URL, status
// text and headers back, named entrypoints with and without props, a missing entrypoint, env
// values and keys, getCode called once per name, and getCode throwing, rejecting or returning
// the wrong type.
import { WorkerEntrypoint } from "cloudflare:workers";
const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
export class Named extends WorkerEntrypoint { who() { return "named:" + JSON.stringify(this.ctx.props ?? null); } }
export default class extends WorkerEntrypoint {
  async fetch(request) {
    const body = request.body ? await request.text() : null;
    return new Response(JSON.stringify({ method: request.method, url: request.url, body, ct: request.headers.get("content-type") }),
      { status: 201, statusText: "Made", headers: { "x-a": "1", "Set-Cookie": "a=1" } });
  }
  envKeys() { return Object.keys(this.env).sort(); }
  envTypes() { return Object.fromEntries(Object.entries(this.env).map(([k, v]) => [k, typeof v])); }
  ping() { return "pong"; }
}`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const code = (extra = {}) => ({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD }, ...extra });
const ITEMS = {
  stubShape: (env) => { const w = env.LOADER.load(code()); return [typeof w, Object.prototype.toString.call(w), typeof w.getEntrypoint]; },
  fetchPost: async (env) => { const r = await env.LOADER.load(code()).getEntrypoint().fetch("http://example.com/p?q=1", { method: "POST", body: "hi", headers: { "content-type": "text/plain" } });
    return [r.status, r.statusText, r.headers.get("x-a"), await r.json()]; },
  fetchUrlObject: async (env) => { const r = await env.LOADER.load(code()).getEntrypoint().fetch(new URL("http://example.com/u")); return (await r.json()).url; },
  fetchRequest: async (env) => { const r = await env.LOADER.load(code()).getEntrypoint().fetch(new Request("http://example.com/r", { method: "PUT", body: "x" })); return await r.json(); },
  fetchRelative: async (env) => { const r = await env.LOADER.load(code()).getEntrypoint().fetch("/relative"); return await r.text(); },
  namedWithProps: (env) => env.LOADER.load(code()).getEntrypoint("Named", { props: { a: 1 } }).who(),
  namedNoProps: (env) => env.LOADER.load(code()).getEntrypoint("Named").who(),
  missingEntrypoint: (env) => env.LOADER.load(code()).getEntrypoint("Nope").ping(),
  envValues: (env) => env.LOADER.load(code({ env: { n: 1, s: "x", o: { a: [1] }, b: false, u: undefined, nul: null } })).getEntrypoint().envTypes(),
  envKeys: (env) => env.LOADER.load(code({ env: { z: 1, a: 2 } })).getEntrypoint().envKeys(),
  noEnv: (env) => env.LOADER.load(code()).getEntrypoint().envKeys(),
  getSameName: async (env) => { let calls = 0; const f = () => { calls++; return code(); };
    const a = env.LOADER.get("same", f); const b = env.LOADER.get("same", f);
    await a.getEntrypoint().ping(); await b.getEntrypoint().ping(); return calls; },
  getCodeThrows: (env) => env.LOADER.get("throws", () => { throw new RangeError("no code"); }).getEntrypoint().ping(),
  getCodeRejects: (env) => env.LOADER.get("rejects", async () => { throw new TypeError("later"); }).getEntrypoint().ping(),
  getCodeBad: (env) => env.LOADER.get("bad", () => 42).getEntrypoint().ping(),
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](env)) });
  },
};
