// clone() of Requests and Responses whose bodies are streams: both copies read the whole body;
// a cloned Request keeps following its signal; a clone after the body was read is a TypeError.
function streamOf(...chunks) {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
}

export default {
  async fetch() {
    const out = {};
    const res = new Response(streamOf("hello ", "stream"), { status: 201, headers: { "x-a": "1" } });
    const resCopy = res.clone();
    out.response = [await res.text(), await resCopy.text(), resCopy.status, resCopy.headers.get("x-a")];

    const controller = new AbortController();
    const req = new Request("https://a.example/p", { method: "POST", body: streamOf("req ", "body"), signal: controller.signal });
    const reqCopy = req.clone();
    controller.abort();
    out.request = [await reqCopy.text(), await req.text(), reqCopy.method, reqCopy.url, reqCopy.signal.aborted];

    // Converted bodies keep the rest of the RequestInit (method, headers).
    const form = new Request("https://a.example/f", { method: "PUT", headers: { "x-h": "1" }, body: new URLSearchParams({ a: "1 2" }) });
    out.formRequest = [form.method, form.headers.get("x-h"), form.headers.get("content-type"), await form.clone().text()];

    const bytes = new Response("plain");
    out.plain = [await bytes.clone().text(), await bytes.text()];

    const used = new Response(streamOf("x"));
    await used.text();
    try { used.clone(); out.cloneUsed = "cloned"; } catch (e) { out.cloneUsed = e.name; }
    return Response.json(out);
  },
};
