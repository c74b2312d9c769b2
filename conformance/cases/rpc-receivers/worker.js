// What a dynamic worker's entrypoints and targets answer over RPC (spec/worker-loader.md §§3,
// 8.4), as workerd does: plain-object handlers (arity rules, nested objects, values, fetch),
// private, static and getter members of an entrypoint class, an entrypoint or a generator
// returned (DataCloneErrors), a function with properties, own fields and static methods of an
// RpcTarget, toString and fetch called over RPC, and a default export with no RPC methods.
const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class T extends RpcTarget { static s() { return "static"; } own = () => "own field"; proto() { return "proto"; } }
export const obj = { hello(arg, env, ctx) { return "hello " + arg; }, two(a, b) { return "two"; }, none() { return "none"; }, nested: { deep() { return "deep"; } }, value: 5 };
export class Ent extends WorkerEntrypoint {
  #secret() { return "secret"; }
  callsSecret() { return this.#secret(); }
  static st() { return "static"; }
  get g() { return "getter"; }
  returnsThis() { return this; }
  returnsFnWithProps() { const f = () => 1; f.extra = 2; return f; }
  returnsTarget() { return new T(); }
  async *gen() { yield 1; }
  callGen() { return this.gen(); }
  toString() { return "custom"; }
  fetch() { return new Response("ent fetch"); }
}
export default { async fetch() { return new Response("default"); } };`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : typeof v === "function" ? "function" : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const ITEMS = {
  handlerOneArg: (ep) => ep("obj").hello("x"),
  handlerTwoArgs: (ep) => ep("obj").hello("x", "y"),
  handlerNoArgs: (ep) => ep("obj").none(),
  handlerWrongArity: (ep) => ep("obj").two(1),
  handlerNested: (ep) => ep("obj").nested.deep(1),
  handlerValue: (ep) => ep("obj").value,
  handlerFetch: async (ep) => (await ep("obj").fetch("http://x/")).status,
  privateMethod: (ep) => ep("Ent").callsSecret(),
  staticMethod: (ep) => ep("Ent").st(),
  getter: (ep) => ep("Ent").g,
  returnsThis: (ep) => ep("Ent").returnsThis(),
  fnWithProps: async (ep) => { const f = await ep("Ent").returnsFnWithProps(); return [typeof f, await outcome(f()), await outcome(f.extra)]; },
  targetStatic: (ep) => ep("Ent").returnsTarget().s(),
  targetOwnField: (ep) => ep("Ent").returnsTarget().own(),
  targetProto: (ep) => ep("Ent").returnsTarget().proto(),
  generator: (ep) => ep("Ent").callGen(),
  entToString: (ep) => ep("Ent").toString(),
  entFetchViaRpc: async (ep) => (await (await ep("Ent").fetch("http://x/")).text()),
  defaultNoRpc: (ep) => ep().anything(),
};
export default {
  async fetch(request, env) {
    const w = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } });
    const ep = (name) => w.getEntrypoint(name);
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](ep)) });
  },
};
