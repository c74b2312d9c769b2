// A dynamic worker's compatibility comes from its own WorkerCode, not its parent's (the parent
// here has nodejs_compat): node:* modules need nodejs_compat in the child's flags; dates imply
// flags; a date in the future is refused. One item per request (probed on workerd).
const run = async (env, code, compatibilityDate, compatibilityFlags) => {
  try {
    const ep = env.LOADER.load({ compatibilityDate, compatibilityFlags, mainModule: "m.js",
                                 modules: { "m.js": `export default { f(x) { ${code} } }` } }).getEntrypoint();
    return `ok ${JSON.stringify(await ep.f(1))}`;
  } catch (e) {
    return `err ${e.name}: ${e.message}`;
  }
};
const importing = (specifier) => `return import(${JSON.stringify(specifier)}).then((m) => typeof m.default, (e) => e.message);`;

const ITEMS = {
  parentHasBuffer: () => typeof Buffer,
  childNoFlagBuffer: (env) => run(env, "return typeof Buffer;", "2025-06-01", []),
  childNoFlagImport: (env) => run(env, importing("node:buffer"), "2025-06-01", []),
  childFlagImport: (env) => run(env, importing("node:buffer"), "2025-06-01", ["nodejs_compat"]),
  childFlagBuffer: (env) => run(env, "return typeof Buffer;", "2025-06-01", ["nodejs_compat"]),
  childStaticImportNoFlag: async (env) => {
    try {
      const ep = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js",
        modules: { "m.js": `import { Buffer } from "node:buffer"; export default { f() { return typeof Buffer; } }` } }).getEntrypoint();
      return `ok ${await ep.f(1)}`;
    } catch (e) { return `err ${e.name}: ${e.message}`; }
  },
  processOld: (env) => run(env, "return typeof process;", "2023-01-01", ["nodejs_compat"]),
  processNew: (env) => run(env, "return typeof process;", "2025-06-01", ["nodejs_compat"]),
  cacheOptionOld: (env) => run(env, "try { new Request('https://x/', { cache: 'no-store' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2023-01-01", []),
  cacheOptionNew: (env) => run(env, "try { new Request('https://x/', { cache: 'no-store' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2025-06-01", []),
  bufferOld: (env) => run(env, "return typeof Buffer;", "2023-01-01", ["nodejs_compat"]),
  processV2Flag: (env) => run(env, "return typeof process + ' ' + typeof Buffer;", "2023-01-01", ["nodejs_compat", "nodejs_compat_v2"]),
  processBoundaryBefore: (env) => run(env, "return typeof process + ' ' + typeof Buffer;", "2024-09-22", ["nodejs_compat"]),
  processBoundaryAt: (env) => run(env, "return typeof process + ' ' + typeof Buffer;", "2024-09-23", ["nodejs_compat"]),
  importProcessOld: (env) => run(env, "return import('node:process').then((m) => typeof m.default.env, (e) => e.message);", "2023-01-01", ["nodejs_compat"]),
  cacheBoundaryBefore: (env) => run(env, "try { new Request('https://x/', { cache: 'no-store' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2024-11-10", []),
  cacheBoundaryAt: (env) => run(env, "try { new Request('https://x/', { cache: 'no-store' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2024-11-11", []),
  cacheUndefinedOld: (env) => run(env, "try { new Request('https://x/', { cache: undefined }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2023-01-01", []),
  cacheNoCacheNew: (env) => run(env, "try { const r = new Request('https://x/', { cache: 'no-cache' }); return 'accepted ' + r.cache; } catch (e) { return e.name + ': ' + e.message; }", "2025-06-01", []),
  cacheBogusNew: (env) => run(env, "try { new Request('https://x/', { cache: 'bogus' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2025-06-01", []),
  cacheGetterOld: (env) => run(env, "return String(new Request('https://x/').cache);", "2023-01-01", []),
  cacheGetterNew: (env) => run(env, "return String(new Request('https://x/').cache) + ' ' + new Request('https://x/', { cache: 'no-store' }).cache;", "2025-06-01", []),
  cacheFlagOld: (env) => run(env, "try { new Request('https://x/', { cache: 'no-store' }); return 'accepted'; } catch (e) { return e.name + ': ' + e.message; }", "2023-01-01", ["cache_option_enabled"]),
  cacheNoCacheLatest: (env) => run(env, "try { const r = new Request('https://x/', { cache: 'no-cache' }); return 'accepted ' + r.cache; } catch (e) { return e.name + ': ' + e.message; }", "2026-11-01", []),
  cacheNoCacheFlag: (env) => run(env, "try { const r = new Request('https://x/', { cache: 'no-cache' }); return 'accepted ' + r.cache; } catch (e) { return e.name + ': ' + e.message; }", "2025-06-01", ["cache_no_cache_enabled"]),
  cacheFromRequest: (env) => run(env, "const a = new Request('https://x/', { cache: 'no-store' }); return [new Request(a).cache, a.clone().cache, new Request(a, { cache: undefined }).cache].join(',');", "2025-06-01", []),
  cacheFetch: (env) => run(env, "return fetch('https://x/', { cache: 'reload' }).then(() => 'fetched', (e) => e.name + ': ' + e.message);", "2025-06-01", []),
  futureDate: (env) => run(env, "return 1;", "2999-01-01", []),
};

export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
