// Errors across JS RPC with enhanced error serialization (caller's compatibility date
// 2026-04-21 or later): custom name, own properties and cause survive; a thrown plain object
// arrives as itself; remote is set (spec §8.5).
const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
class MyError extends Error { constructor(m) { super(m); this.name = "MyError"; } }
export default class extends WorkerEntrypoint {
  custom() { const e = new MyError("custom err"); e.code = 42; e.details = { a: [1] }; throw e; }
  withCause() { throw new Error("outer", { cause: new TypeError("inner") }); }
  plainObject() { throw { reason: "plain", n: 1 }; }
  typeError() { throw new TypeError("bad type"); }
}`;

export default {
  async fetch(request, env) {
    const childDate = request.url.endsWith("/old-child") ? "2025-06-01" : "2026-05-01";
    const ep = env.LOADER.load({ compatibilityDate: childDate, mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const out = {};
    try { await ep.custom(); } catch (e) {
      out.custom = { name: e.name, message: e.message, code: e.code, details: e.details, remote: e.remote, isError: e instanceof Error, ctor: e.constructor.name };
    }
    try { await ep.withCause(); } catch (e) {
      out.cause = { message: e.message, cause: e.cause instanceof TypeError ? `TypeError: ${e.cause.message}` : String(e.cause), remote: e.remote };
    }
    try { await ep.plainObject(); } catch (e) {
      out.plain = { reason: e.reason, n: e.n, remote: e.remote, isError: e instanceof Error };
    }
    try { await ep.typeError(); } catch (e) {
      out.typeError = { name: e.name, message: e.message, remote: e.remote, isTypeError: e instanceof TypeError };
    }
    return Response.json(out);
  },
};
