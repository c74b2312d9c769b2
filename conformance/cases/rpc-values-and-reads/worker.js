// Values and property reads across JS RPC (spec/worker-loader.md §8.2–8.4): methods read as
// properties (stubs), objects, arrays and functions read through a pipelined result, targets
// inside results and returned by getters, and argument lists of primitives — unicode, numbers
// at the edges of int32 and double, -0, NaN, infinities, none, 300 — which loaderd writes
// without V8's serializer (runtime/serialize.c++) and workerd with it.
const CHILD = `
import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
class Counter extends RpcTarget { #n = 0; inc(by = 1) { this.#n += by; return this.#n; } }
export default class extends WorkerEntrypoint {
  ping() { return "pong"; }
  counter() { return new Counter(); }
  obj() { return { deep: { x: [1, 2] }, fn: () => "fn", counter: new Counter() }; }
  echo(...a) { return a; }
  get counterProp() { return new Counter(); }
}`;
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : typeof v === "function" ? "function:" + String(v) : v; } catch (e) { return `${e?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`; } }
const ITEMS = {
  methodAsProperty: (ep) => ep.ping,
  methodOfResultAsProperty: (ep) => ep.counter().inc,
  deepObject: (ep) => ep.obj().deep,
  deepArrayValue: (ep) => ep.obj().deep.x,
  fnFromObjectAsProperty: (ep) => ep.obj().fn,
  counterInObject: (ep) => ep.obj().counter.inc(4),
  getterReturningTarget: (ep) => ep.counterProp.inc(2),
  echoUnicode: (ep) => ep.echo("é", "€", "😀", "\u0000", "a\u0301", ""),
  echoNumbers: (ep) => ep.echo(0, -1, 1e21, 2 ** 31, -(2 ** 31), 0.1 + 0.2, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE),
  echoSpecial: async (ep) => { const r = await ep.echo(-0, NaN, Infinity, -Infinity); return [Object.is(r[0], -0), Number.isNaN(r[1]), String(r[2]), String(r[3])]; },
  echoMixed: (ep) => ep.echo(true, null, undefined, "s", 1, [1, "two"], { a: 1 }),
  echoNone: (ep) => ep.echo(),
  echoManyArgs: async (ep) => (await ep.echo(...Array.from({ length: 300 }, (_, i) => i))).length,
};
export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](ep)) });
  },
};
