// A cold load per request: a new anonymous dynamic worker, then one RPC call into it.
const CODE = "export default { ping(x) { return 'pong'; } }";
let n = 0;
export default {
  async fetch(request, env) {
    const w = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js",
                                modules: { "m.js": CODE + "\n// " + (n++) } });
    return new Response(await w.getEntrypoint().ping(1));
  },
};
