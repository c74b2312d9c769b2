// GET /load?from=A&to=B loads named dynamic workers A..B-1 (each answers one RPC call and then
// stays cached, idle). Used by tools/bench/memory.mjs.
const CODE = "export default { ping(x) { return 'pong'; } }";
export default {
  async fetch(request, env) {
    const url = request.url;
    const from = Number(url.match(/from=(\d+)/)?.[1] ?? 0);
    const to = Number(url.match(/to=(\d+)/)?.[1] ?? 0);
    for (let i = from; i < to; i++) {
      const w = env.LOADER.get(`w${i}`, () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } }));
      await w.getEntrypoint().ping(1);
    }
    return new Response(`loaded ${to - from}`);
  },
};
