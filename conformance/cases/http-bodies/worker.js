// Request and Response bodies from streams, Blob, FormData and URLSearchParams; the body
// stream; formData() and blob(); a streamed response reaching the client.
export default {
  async fetch(request) {
    const path = request.url.slice(request.url.indexOf("/", 8));
    if (path === "/streamed") {
      const chunks = ["streamed ", "response ", "body"];
      return new Response(new ReadableStream({
        pull(controller) {
          if (chunks.length === 0) controller.close();
          else controller.enqueue(new TextEncoder().encode(chunks.shift()));
        },
      }), { headers: { "content-type": "text/plain" } });
    }
    if (path === "/echo-form") {
      const form = await request.formData();
      return Response.json({ a: form.get("a"), file: await form.get("f").text(), name: form.get("f").name });
    }
    const out = {};
    const fromStream = new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([104, 105])); c.close(); } }));
    out.streamText = await fromStream.text();
    out.streamUsed = fromStream.bodyUsed;
    const blobResponse = new Response(new Blob(["blob body"], { type: "text/x-blob" }));
    out.blobType = blobResponse.headers.get("content-type");
    out.blobText = await blobResponse.text();
    const params = new Response(new URLSearchParams({ q: "a b", r: "1" }));
    out.paramsType = params.headers.get("content-type");
    out.paramsText = await params.text();
    const form = new FormData();
    form.append("a", "1");
    form.append("f", new Blob(["file contents"]), "f.txt");
    const formResponse = new Response(form);
    out.formTypeStartsWith = formResponse.headers.get("content-type").startsWith("multipart/form-data; boundary=");
    const parsed = await formResponse.formData();
    out.formRoundTrip = [parsed.get("a"), await parsed.get("f").text(), parsed.get("f").name];
    const urlencoded = new Request("https://x/", { method: "POST", body: "x=1&y=two", headers: { "content-type": "application/x-www-form-urlencoded" } });
    out.urlencoded = [...(await urlencoded.formData())];
    const b = await new Response("as blob", { headers: { "content-type": "text/custom" } }).blob();
    out.blob = [b.size, b.type, await b.text()];
    const withBody = new Response("read through body");
    const reader = withBody.body.getReader();
    let text = "";
    for (;;) { const { value, done } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); }
    out.bodyStream = text;
    out.nullBody = new Response(null).body;
    out.requestStreamBody = await new Request("https://x/", { method: "POST", body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("req")); c.close(); } }) }).text();
    return Response.json(out);
  },
};
