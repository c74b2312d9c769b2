// Top-level await in a dynamic worker's main module (spec/worker-loader.md §4): settled at once,
// rejected, and never settled (startup cannot wait: workerd's "unsettled" error).
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}`.slice(0, 200); } }
const load = (env, src) => env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": src } }).getEntrypoint();
const ITEMS = {
  tlaNever: (env) => Promise.race([outcome(load(env, "await new Promise(() => {}); export default { ping(x) { return 'pong'; } }").ping(1)), new Promise((r) => setTimeout(() => r("still pending after 2 s"), 2000))]),
  tlaResolved: (env) => outcome(load(env, "await Promise.resolve(); export default { ping(x) { return 'pong'; } }").ping(1)),
  // A timer awaited at the top level: refused there ("Disallowed operation called within global
  // scope…", case globals-top-level-ops), so the start fails with that.
  tlaTimer: (env) => outcome(load(env, "await new Promise((r) => setTimeout(r, 1)); export default { ping(x) { return 'pong'; } }").ping(1)),
  tlaRejects: (env) => outcome(load(env, "await Promise.reject(new Error('tla failed')); export default { ping(x) { return 'pong'; } }").ping(1)),
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
