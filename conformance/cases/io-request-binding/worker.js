// I/O objects kept across requests (/keep, then /use), probed on workerd; messages cut to their I/O type.
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";
export class Helper extends WorkerEntrypoint {
  ping() { return "helper pong"; }
  target() { return new (class extends RpcTarget { hi() { return "hi"; } })(); }
  fetch() { return new Response("from helper"); }
  body() { return new Response("rpc body"); }
}
const kept = {};
async function outcome(f) { try { const v = await f(); return typeof v === "object" ? "ok object" : String(v); } catch (e) { return `${e.name}: ${e.message}`.slice(-60); } }
export default {
  async fetch(request, env, ctx) {
    const step = new URL(request.url).pathname;
    if (step === "/keep") {
      kept.loopback = ctx.exports.Helper;
      kept.loopbackProps = ctx.exports.Helper({ props: { a: 1 } });
      kept.selfTarget = await ctx.exports.Helper.target();
      kept.dup = kept.selfTarget.dup();
      kept.pipelined = ctx.exports.Helper.target();
      await kept.pipelined;
      kept.stream = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1)); c.close(); } });
      kept.response = new Response("kept body");
      kept.request = new Request("http://x/", { method: "POST", body: "req body" });
      kept.streamResponse = new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed")); c.close(); } }));
      kept.abort = new AbortController();
      // Bodies that came from I/O: a fetched response, a Response an RPC call returned, and the
      // incoming request.
      kept.fetched = await ctx.exports.Helper.fetch("http://x/");
      kept.rpcBody = await ctx.exports.Helper.body();
      kept.incoming = request;
      return new Response("kept");
    }
    const r = {};
    r.loopback = await outcome(() => kept.loopback.ping());
    r.loopbackProps = await outcome(() => kept.loopbackProps.ping());
    r.selfTarget = await outcome(() => kept.selfTarget.hi());
    r.dup = await outcome(() => kept.dup.hi());
    r.pipelined = await outcome(() => kept.pipelined.hi());
    r.stream = await outcome(async () => (await kept.stream.getReader().read()).value.length);
    r.response = await outcome(() => kept.response.text());
    r.request = await outcome(() => kept.request.text());
    r.streamResponse = await outcome(() => kept.streamResponse.text());
    r.fetched = await outcome(() => kept.fetched.text());
    r.rpcBody = await outcome(() => kept.rpcBody.text());
    r.incoming = await outcome(() => kept.incoming.text());
    r.abort = await outcome(() => { kept.abort.abort(); return kept.abort.signal.aborted; });
    return Response.json(r);
  },
};
