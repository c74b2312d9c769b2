// Named workers in a loader's cache (spec/worker-loader.md §2), as workerd keeps them: a failed
// start (getCode throwing, the startup throwing, a syntax error) stays cached under its name and
// the next get() gets the same error without calling getCode again; a cached name ignores new
// code; a slow getCode; null, empty and non-string names.
const code = (v) => ({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": `export default { ping(x) { return ${JSON.stringify(v)}; } }` } });
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
let calls = 0;
const ITEMS = {
  failThenRetry: async (env) => {
    const first = await outcome(env.LOADER.get("ft", () => { calls++; throw new Error("first fails"); }).getEntrypoint().ping(1));
    const second = await outcome(env.LOADER.get("ft", () => { calls++; return code("second"); }).getEntrypoint().ping(1));
    return [first, second, calls];
  },
  sameNameDifferentCode: async (env) => [await env.LOADER.get("sn", () => code("one")).getEntrypoint().ping(1),
                                         await env.LOADER.get("sn", () => code("two")).getEntrypoint().ping(1)],
  startupErrorThenRetry: async (env) => {
    const bad = { compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": "throw new Error('boom at startup')" } };
    const a = await outcome(env.LOADER.get("se", () => bad).getEntrypoint().ping(1));
    const b = await outcome(env.LOADER.get("se", () => code("fixed")).getEntrypoint().ping(1));
    return [a, b];
  },
  syntaxErrorThenRetry: async (env) => {
    const bad = { compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": "export default {" } };
    const a = await outcome(env.LOADER.get("sx", () => bad).getEntrypoint().ping(1));
    const b = await outcome(env.LOADER.get("sx", () => code("fixed")).getEntrypoint().ping(1));
    return [a.split("\n")[0], b];
  },
  getCodeAsyncSlow: async (env) => env.LOADER.get("slow", () => new Promise((r) => setTimeout(() => r(code("slow")), 30))).getEntrypoint().ping(1),
  getNullName: async (env) => await outcome(env.LOADER.get(null, () => code("anon")).getEntrypoint().ping(1)),
  getEmptyName: async (env) => await outcome(env.LOADER.get("", () => code("empty")).getEntrypoint().ping(1)),
  getNumberName: async (env) => await outcome(env.LOADER.get(5, () => code("five")).getEntrypoint().ping(1)),
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](env)) });
  },
};
