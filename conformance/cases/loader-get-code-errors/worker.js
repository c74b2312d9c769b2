// WorkerCode errors through get(): what load() throws synchronously surfaces on the first use of
// a get() stub with the same text (spec §4, timing S); one item per request, probed on workerd.
const M = { "m.js": "export default { f(x) { return 'ran ' + x; } }" };
let n = 0;
const use = async (env, getCode) => {
  try {
    const stub = env.LOADER.get(`w${n++}`, getCode);
    return `ok ${await stub.getEntrypoint().f(1)}`;
  } catch (e) {
    return `err ${e.name}: ${e.message}`;
  }
};
const ITEMS = {
  badDate: (env) => use(env, () => ({ compatibilityDate: "banana", mainModule: "m.js", modules: M })),
  noDate: (env) => use(env, () => ({ mainModule: "m.js", modules: M })),
  badFlag: (env) => use(env, () => ({ compatibilityDate: "2025-06-01", compatibilityFlags: ["bogus"], mainModule: "m.js", modules: M })),
  noModules: (env) => use(env, () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js" })),
  mainMissing: (env) => use(env, () => ({ compatibilityDate: "2025-06-01", mainModule: "x.js", modules: M })),
  badModuleType: (env) => use(env, () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": { bogus: "x" } } })),
  asyncBadDate: (env) => use(env, async () => ({ compatibilityDate: "banana", mainModule: "m.js", modules: M })),
  returnsNull: (env) => use(env, () => null),
  returnsUndefined: (env) => use(env, () => undefined),
  resolvesNull: (env) => use(env, async () => null),
  resolvesString: (env) => use(env, async () => "code"),
  returnsNumber: (env) => use(env, () => 5),
  returnsString: (env) => use(env, () => "code"),
  throws: (env) => use(env, () => { throw new RangeError("no code for you"); }),
  rejects: (env) => use(env, () => Promise.reject(new TypeError("later no"))),
  syntaxError: (env) => use(env, () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": "export default {" } })),
  secondUse: async (env) => {
    const stub = env.LOADER.get("second", () => ({ compatibilityDate: "banana", mainModule: "m.js", modules: M }));
    const a = await stub.getEntrypoint().f(1).then((v) => `ok ${v}`, (e) => `err ${e.message}`);
    const b = await stub.getEntrypoint().f(2).then((v) => `ok ${v}`, (e) => `err ${e.message}`);
    return `${a} | ${b}`;
  },
  fetchUse: async (env) => {
    const stub = env.LOADER.get("fetchuse", () => ({ compatibilityDate: "banana", mainModule: "m.js", modules: M }));
    try { const r = await stub.getEntrypoint().fetch("https://x/"); return `status ${r.status}`; }
    catch (e) { return `err ${e.name}: ${e.message}`; }
  },
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
