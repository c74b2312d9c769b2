// AbortSignal on fetch(): Request.signal follows init.signal; a fetch through a Fetcher (here a
// dynamic worker's entrypoint) or the global fetch() rejects with the signal's reason when it
// aborts before the response, at once when it is already aborted.
const CHILD = `export default {
  async fetch(request) {
    const ms = Number(new URL(request.url).searchParams.get("ms"));
    await scheduler.wait(ms);
    return new Response("done after " + ms);
  },
};`;

const describe = (e) => `${e?.constructor?.name}/${e?.name}`;

export default {
  async fetch(request, env) {
    const ep = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "c.js", modules: { "c.js": CHILD } }).getEntrypoint();
    const out = {};
    out.incomingSignal = [request.signal instanceof AbortSignal, request.signal.aborted];

    const c1 = new AbortController();
    const r1 = new Request("https://a.example/", { signal: c1.signal });
    out.requestSignal = [r1.signal instanceof AbortSignal, r1.signal.aborted];
    c1.abort();
    out.requestSignalAfterAbort = [r1.signal.aborted, describe(r1.signal.reason)];
    out.noSignal = new Request("https://a.example/").signal.aborted;
    out.copiedFromRequest = new Request(r1).signal.aborted;
    try { new Request("https://a.example/", { signal: {} }); out.badSignal = "accepted"; }
    catch (e) { out.badSignal = e.name; }

    const pre = new AbortController();
    pre.abort();
    try { await ep.fetch("http://child/?ms=0", { signal: pre.signal }); out.preAborted = "resolved"; }
    catch (e) { out.preAborted = describe(e); }

    try { await ep.fetch("http://child/?ms=2000", { signal: AbortSignal.timeout(30) }); out.timeout = "resolved"; }
    catch (e) { out.timeout = describe(e); }

    const c2 = new AbortController();
    const reason = new RangeError("stop");
    setTimeout(() => c2.abort(reason), 20);
    try { await ep.fetch("http://child/?ms=2000", { signal: c2.signal }); out.customReason = "resolved"; }
    // Not compared: identity. workerd rejects with a copy of the reason (it crossed to the callee
    // and back); loaderd rejects with the reason object itself, as the Fetch Standard says.
    catch (e) { out.customReason = [describe(e), e.message]; }

    const c3 = new AbortController();
    const ok = await ep.fetch("http://child/?ms=5", { signal: c3.signal });
    out.completes = await ok.text();
    c3.abort();  // after the body is read: nothing left to cancel

    try { await fetch("http://192.0.2.1/", { signal: pre.signal }); out.globalPreAborted = "resolved"; }
    catch (e) { out.globalPreAborted = describe(e); }
    return Response.json(out);
  },
};
