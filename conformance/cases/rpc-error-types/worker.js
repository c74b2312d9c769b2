// Errors across JS RPC by type (spec/worker-loader.md §8.5), with the legacy and the enhanced
// (2026-04-21) serialization: DOMException, AggregateError, EvalError, URIError, SyntaxError,
// ReferenceError thrown; a rejection with undefined; non-Error throws; empty and long messages;
// a cause; an error returned as a value; a throwing getter. (A DOMException *returned* as a
// value arrives as a DOMException on workerd and as an Error on loaderd; left out.)
const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint {
  domEx() { throw new DOMException("dom msg", "NotFoundError"); }
  aggregate() { throw new AggregateError([new Error("a")], "agg msg"); }
  evalErr() { throw new EvalError("eval msg"); }
  uriErr() { throw new URIError("uri msg"); }
  syntaxErr() { throw new SyntaxError("syn msg"); }
  refErr() { return undefinedVariable; }
  rejectUndefined() { return Promise.reject(undefined); }
  throwNumber() { throw 42; }
  emptyMessage() { throw new Error(""); }
  longMessage() { throw new Error("x".repeat(5000)); }
  errWithCause() { throw new Error("outer", { cause: new Error("inner") }); }
  returnsError() { return new TypeError("returned"); }
  get throwingGetter() { throw new Error("from getter"); }
}`;
async function outcome(p) {
  try { const v = await p; if (v instanceof Error || v instanceof DOMException) return ["value", v.name, v.message, v.constructor.name]; return v === undefined ? "undefined" : v; }
  catch (e) { return ["threw", e?.name, typeof e?.message === "string" ? e.message.slice(0, 80) : String(e), e?.remote ?? null, e?.constructor?.name ?? null, "cause" in Object(e) ? String(e.cause) : null, typeof e?.stack]; }
}
const ITEMS = Object.fromEntries(["domEx", "aggregate", "evalErr", "uriErr", "syntaxErr", "refErr", "rejectUndefined", "throwNumber", "emptyMessage", "longMessage", "errWithCause", "returnsError"].map((m) => [m, (ep) => ep[m]()]));
ITEMS.throwingGetter = (ep) => ep.throwingGetter;
export default {
  async fetch(request, env) {
    const date = new URL(request.url).searchParams.get("date") ?? "2025-01-01";
    const ep = env.LOADER.load({ compatibilityDate: date, mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await outcome(ITEMS[item](ep)) });
  },
};
