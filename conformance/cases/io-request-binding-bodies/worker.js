// Bodies of another request through their stream and clone() (probed on workerd): the body getter
// works, reading the stream and cloning fail (the body is used after the failed clone); headers
// stay readable.
import { WorkerEntrypoint } from "cloudflare:workers";
export class Helper extends WorkerEntrypoint { fetch() { return new Response("from helper"); } }
const kept = {};
async function outcome(f) { try { const v = await f(); return typeof v === "object" ? "ok " + Object.prototype.toString.call(v) : String(v); } catch (e) { return `${e.name}: ${e.message}`.slice(-40); } }
export default {
  async fetch(request, env, ctx) {
    const step = new URL(request.url).pathname;
    if (step === "/keep") {
      kept.a = await ctx.exports.Helper.fetch("http://x/");
      kept.b = await ctx.exports.Helper.fetch("http://x/");
      kept.c = new Response("buffered");
      kept.d = await ctx.exports.Helper.fetch("http://x/");
      return new Response("kept");
    }
    const r = {};
    r.bodyGetter = await outcome(() => kept.a.body);
    r.bodyRead = await outcome(async () => (await kept.b.body.getReader().read()).value?.length);
    r.bufferedRead = await outcome(async () => (await kept.c.body.getReader().read()).value?.length);
    r.clone = await outcome(() => kept.d.clone());
    r.bodyUsedAfterClone = kept.d.bodyUsed;
    r.headers = await outcome(() => kept.d.headers.get("content-type"));
    return Response.json(r);
  },
};
