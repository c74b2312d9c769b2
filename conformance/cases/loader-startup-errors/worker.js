// The "R" rows of spec/worker-loader.md §4 (errors raised when the worker starts, on first use),
// getCode failures, startupException and the cjs-main rule.
const code = (modules, mainModule = "m.js", extra = {}) =>
  ({ compatibilityDate: "2025-01-01", mainModule, modules, ...extra });

const CASES = {
  mainModuleMissing: () => ({ compatibilityDate: "2025-01-01", modules: { "m.js": "export default {}" } }),
  mainNotInModules: () => code({ "m.js": "export default {}" }, "x.js"),
  syntaxError: () => code({ "m.js": "export default {\n  ping() { return 1 +; }\n}" }),
  missingImport: () => code({ "m.js": "import x from 'nope.js';\nexport default {}" }),
  topLevelThrow: () => code({ "m.js": "throw new TypeError('boom at top');" }),
  startupException: () => code({ "m.js": "throw new Error('intentional startup error');\nexport default {}" }),
  badExport: () => code({ "m.js": "export let x = 5;\nexport default { ping() { return 'pong'; } }" }),
  cjsMain: () => code({ "m.js": { cjs: "module.exports = {}" } }),
};

async function attempt(stub) {
  try {
    const r = await stub.getEntrypoint().ping();
    return `ok: ${r}`;
  } catch (e) {
    return `${e.name}: ${e.message}${e.remote ? " (remote)" : ""}`;
  }
}

export default {
  async fetch(request, env) {
    const out = {};
    for (const [name, make] of Object.entries(CASES)) {
      out[name] = await attempt(env.LOADER.load(make()));
    }
    out.getCodeThrows = await attempt(env.LOADER.get("t1", () => { throw new Error("Code loader failed!"); }));
    out.getCodeRejects = await attempt(env.LOADER.get("t2", async () => { throw new RangeError("nope"); }));
    out.getCodeNotObject = await attempt(env.LOADER.get("t3", () => 42));
    out.noSuchEntrypoint = await (async () => {
      try { await env.LOADER.load(code({ "m.js": "export default {}" })).getEntrypoint("missing").ping(); }
      catch (e) { return `${e.name}: ${e.message}${e.remote ? " (remote)" : ""}`; }
    })();
    return Response.json(out);
  },
};
