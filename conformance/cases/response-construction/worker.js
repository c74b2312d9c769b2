// Response constructors, status handling and Response.json.
export default {
  async fetch(request) {
    const path = request.url.slice(request.url.indexOf("/", 8));
    switch (path) {
      case "/status":
        return new Response("made", { status: 201, statusText: "Made It", headers: { "x-a": "1" } });
      case "/not-found":
        return new Response(null, { status: 404 });
      case "/json":
        return Response.json({ ok: true, list: [1, "two"] }, { status: 202, headers: { "x-b": "2" } });
      case "/json-type":
        return Response.json([1], { headers: { "content-type": "application/vnd.api+json" } });
      case "/bytes":
        return new Response(new Uint8Array([104, 105]));
      case "/buffer":
        return new Response(new TextEncoderLike().encode("buf"));
      case "/inspect": {
        const r = new Response("abc", { status: 299 });
        const e = new Response();
        const results = {
          status: r.status, ok: r.ok, statusText: r.statusText, type: r.type,
          redirected: r.redirected, bodyUsed: r.bodyUsed, text: await r.text(),
          bodyUsedAfter: r.bodyUsed, emptyText: await e.text(), emptyStatus: e.status,
          emptyOk: e.ok, defaultStatusText: new Response("x", { status: 404 }).statusText,
        };
        const errors = [];
        for (const status of [199, 600, 1000]) {
          try { new Response("x", { status }); errors.push("none"); }
          catch (err) { errors.push(err.constructor.name); }
        }
        try { new Response("body", { status: 204 }); errors.push("none"); }
        catch (err) { errors.push(err.constructor.name); }
        results.errors = errors;
        const cloned = new Response("clone me").clone();
        results.cloned = await cloned.text();
        results.jsonCt = Response.json({}).headers.get("content-type");
        results.arrayBufferBytes = new Uint8Array(await new Response("AB").arrayBuffer()).join(",");
        return Response.json(results);
      }
    }
    return new Response("unknown", { status: 500 });
  },
};

// Minimal UTF-8 encoder for ASCII (TextEncoder comes with the Web APIs).
class TextEncoderLike {
  encode(s) { return new Uint8Array([...s].map((c) => c.charCodeAt(0))).buffer; }
}
