// A Request built in JavaScript (a URL with a query, so it goes through the URL Standard parser,
// and an AbortSignal) sent through a warm dynamic worker's Fetcher: the cost of Request
// construction, URL normalisation and abortable fetch on top of loader-warm.
const CODE = "export default { fetch(request) { return new Response(new URL(request.url).search); } }";
export default {
  async fetch(request, env) {
    const w = env.LOADER.get("warm", () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } }));
    const controller = new AbortController();
    const outgoing = new Request("https://child.example/items/../list?page=2&q=a/b", { signal: controller.signal });
    return w.getEntrypoint().fetch(outgoing);
  },
};
