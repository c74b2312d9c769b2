// What a handler sees of the incoming request.
export default {
  async fetch(request) {
    const path = request.url.slice(request.url.indexOf("/", 8));
    const out = {
      method: request.method,
      path,
      urlIsAbsolute: request.url.startsWith("http://"),
      xTest: request.headers.get("X-Test"),
      missing: request.headers.get("x-missing"),
      hasXTest: request.headers.has("x-TEST"),
      bodyUsedBefore: request.bodyUsed,
      isRequest: request instanceof Request,
      tag: Object.prototype.toString.call(request),
    };
    if (request.method === "POST") {
      const type = request.headers.get("content-type");
      out.body = type === "application/json" ? await request.json() : await request.text();
      out.bodyUsedAfter = request.bodyUsed;
      try {
        await request.text();
        out.secondRead = "allowed";
      } catch (e) {
        out.secondRead = e.constructor.name;
      }
    }
    let immutable;
    try {
      request.headers.set("x-new", "1");
      immutable = "mutable";
    } catch (e) {
      immutable = `${e.constructor.name}: ${e.message}`;
    }
    out.immutable = immutable;
    return Response.json(out);
  },
};
