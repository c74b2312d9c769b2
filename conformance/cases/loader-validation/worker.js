// Every synchronous ("S") row of spec/worker-loader.md §4: thrown from load() itself.
import { RpcTarget } from "cloudflare:workers";

const JS = "export default { ping() { return 'pong'; } }";
const base = () => ({ compatibilityDate: "2025-01-01", mainModule: "m.js", modules: { "m.js": JS } });
class Foo {}
class Target extends RpcTarget {}

const CASES = {
  modulesMissing: () => ({ compatibilityDate: "2025-01-01", mainModule: "m.js" }),
  modulesEmpty: () => ({ ...base(), modules: {} }),
  twoKeys: () => ({ ...base(), modules: { "a.js": { js: JS, text: "x" } } }),
  zeroKeys: () => ({ ...base(), modules: { "a.js": {} } }),
  unknownKeys: () => ({ ...base(), modules: { "a.js": { nope: 1 } } }),
  mjsName: () => ({ ...base(), modules: { "m.js": JS, "a.mjs": "export {}" } }),
  tsName: () => ({ ...base(), modules: { "m.js": JS, "a.ts": "export {}" } }),
  pythonWithJsMain: () => ({ ...base(), modules: { "m.js": JS, "foo.py": "x = 1" } }),
  dateMissing: () => ({ ...base(), compatibilityDate: undefined }),
  dateBanana: () => ({ ...base(), compatibilityDate: "banana" }),
  dateBeyondBinary: () => ({ ...base(), compatibilityDate: "2099-01-01" }),
  unknownFlag: () => ({ ...base(), compatibilityFlags: ["no_such_flag"] }),
  duplicateFlag: () => ({ ...base(), compatibilityFlags: ["nodejs_compat", "nodejs_compat"] }),
  contradictoryFlags: () => ({ ...base(), compatibilityFlags: ["nodejs_compat", "no_nodejs_compat"] }),
  allowExperimental: () => ({ ...base(), allowExperimental: true }),
  experimentalFlag: () => ({ ...base(), compatibilityFlags: ["experimental"] }),
  streamingTails: () => ({ ...base(), streamingTails: [] }),
  envNumber: () => ({ ...base(), env: 5 }),
  envFunction: () => ({ ...base(), env: { f() {} } }),
  envRpcTarget: () => ({ ...base(), env: { t: new Target() } }),
  envClassInstance: () => ({ ...base(), env: { x: new Foo() } }),
  envSymbol: () => ({ ...base(), env: { s: Symbol("x") } }),
  envTooBig: () => ({ ...base(), env: { big: "x".repeat(2 * 1024 * 1024) } }),
  outboundObject: () => ({ ...base(), globalOutbound: {} }),
  outboundString: () => ({ ...base(), globalOutbound: "https://example.com" }),
  tailsObject: () => ({ ...base(), tails: [{}] }),
  codeTooBig: () => ({ ...base(), modules: { "m.js": JS, "big.js": "// " + "x".repeat(64 * 1024 * 1024) } }),
};

export default {
  async fetch(request, env) {
    const out = {};
    for (const [name, make] of Object.entries(CASES)) {
      try {
        env.LOADER.load(make());
        out[name] = "no error";
      } catch (e) {
        // Sizes differ by runtime (estimated vs. exact); the shape of the message must not.
        const message = String(e.message).replace(/\(\d+ bytes\)/, "(N bytes)");
        out[name] = `${e.name}: ${message}${e.code ? ` [${e.code}]` : ""}`;
      }
    }
    try {
      env.LOADER.get("x", undefined);
    } catch (e) {
      out.getWithoutCallback = `${e.name}: ${e.message}`;
    }
    return Response.json(out);
  },
};
