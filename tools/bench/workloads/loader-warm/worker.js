// A warm dynamic worker: the same named worker (cached) answers fetch() per request.
const CODE = "export default { fetch(request) { return new Response('warm hello'); } }";
export default {
  async fetch(request, env) {
    const w = env.LOADER.get("warm", () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } }));
    return w.getEntrypoint().fetch(request);
  },
};
