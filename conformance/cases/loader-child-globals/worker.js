// A dynamic worker has the same Web API globals as its parent.
const NAMES = ["DOMException", "Event", "EventTarget", "AbortController", "AbortSignal",
  "TextEncoder", "TextDecoder", "atob", "btoa", "URL", "URLSearchParams", "ReadableStream",
  "WritableStream", "TransformStream", "Blob", "File", "FormData", "crypto", "Crypto",
  "CompressionStream", "DecompressionStream", "structuredClone", "fetch", "Request", "Response",
  "Headers", "setTimeout", "queueMicrotask", "navigator", "performance", "scheduler"];
const CHILD = `export default { globals(names) {
  return names.map((n) => [n, typeof globalThis[n]]);
}, use(x) {
  return [new TextDecoder().decode(new TextEncoder().encode("ok")), new URL("https://a/b?c=1").searchParams.get("c"),
          btoa("hi"), typeof crypto.randomUUID()];
} };`;
export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const child = await ep.globals(NAMES);
    const parent = NAMES.map((n) => [n, typeof globalThis[n]]);
    return Response.json({ same: JSON.stringify(child) === JSON.stringify(parent), child, use: await ep.use(0) });
  },
};
