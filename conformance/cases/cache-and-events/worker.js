// The Cache API and the Event subclasses a worker sees as on workerd without a cache service (probed there item by item); one item per request.
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
async function outcome(f) { try { const v = await f(); return "ok " + (typeof v === "object" && v !== null ? Object.prototype.toString.call(v) + " " + JSON.stringify(v) : typeof v + " " + String(v)); } catch (e) { return "err " + show(e); } }
const protoNames = (o) => Object.getOwnPropertyNames(o).join(",");
const ITEMS = {
  cachesShape: async () => [typeof caches, Object.prototype.toString.call(caches), protoNames(Object.getPrototypeOf(caches)), typeof caches.default, Object.prototype.toString.call(caches.default), protoNames(Object.getPrototypeOf(caches.default)), caches.default === caches.default, typeof Cache, typeof CacheStorage],
  cacheOps: async () => {
    const c = caches.default;
    return [
      await outcome(() => c.match("https://example.com/a")),
      await outcome(() => c.put("https://example.com/a", new Response("x"))),
      await outcome(() => c.match("https://example.com/a")),
      await outcome(() => c.delete("https://example.com/a")),
      await outcome(() => c.match(new Request("https://example.com/a"))),
      await outcome(() => c.put("https://example.com/b", new Response("x", { headers: { "cache-control": "max-age=60" } }))),
      await outcome(() => c.match("https://example.com/b")),
      await outcome(() => c.put(new Request("https://example.com/c", { method: "POST" }), new Response("x"))),
      await outcome(() => c.put("https://example.com/d", new Response("x", { status: 206 }))),
      await outcome(() => c.put("https://example.com/e", new Response("x", { headers: { vary: "*" } }))),
      await outcome(() => c.match("ftp://example.com/a")),
      await outcome(() => c.put("not a url", new Response("x"))),
      await outcome(() => c.match()),
      await outcome(() => c.put("https://example.com/f")),
      await outcome(() => c.put("https://example.com/f", "str")),
    ];
  },
  cachesOpen: async () => [
    await outcome(async () => { const c = await caches.open("mine"); return [Object.prototype.toString.call(c), c === caches.default, await c.match("https://x.example/")].map(String); }),
    await outcome(() => caches.open()),
    await outcome(() => caches.open("")),
    await outcome(() => caches.has?.("x")),
    await outcome(() => caches.keys?.()),
    await outcome(() => caches.default.keys?.()),
    await outcome(() => caches.default.add?.("https://example.com/")),
    await outcome(() => new Cache()),
    await outcome(() => new CacheStorage()),
  ],
  more: async () => [
    await outcome(() => caches.delete("x")),
    await outcome(() => caches.match("https://example.com/")),
    await outcome(async () => (await caches.open("")) === caches.default),
    await outcome(() => caches.default.matchAll()),
    await outcome(() => caches.default.match(new URL("https://example.com/u"))),
    await outcome(() => caches.default.match(5)),
    await outcome(() => caches.default.match(null)),
    await outcome(() => caches.default.put("https://example.com/g", new Response("x", { headers: { "set-cookie": "a=b" } }))),
    await outcome(() => caches.default.put("https://example.com/h", new Response("x", { status: 500 }))),
    await outcome(() => { const r = new Response("x"); r.body.getReader(); return caches.default.put("https://example.com/i", r); }),
    await outcome(() => caches.default.match("https://example.com/", { ignoreMethod: true })),
    await outcome(() => caches.default.delete(new Request("https://example.com/", { method: "POST" }))),
    await outcome(() => caches.default.match(new Request("https://example.com/", { method: "POST" }))),
    typeof caches.open("zz").then, Object.prototype.toString.call(caches.default.match("https://example.com/").catch(() => {})),
    (() => { try { caches.has("x"); return "no throw"; } catch (e) { return "sync " + show(e); } })(),
    (() => { try { caches.default.match(); return "no throw"; } catch (e) { return "sync " + show(e); } })(),
    (() => { try { caches.default.put("https://e.com/", new Response("x", { status: 206 })).catch(() => {}); return "no throw"; } catch (e) { return "sync " + show(e); } })(),
  ],
  events: () => {
    const out = {};
    for (const n of ["MessageEvent", "CloseEvent", "ErrorEvent", "PromiseRejectionEvent", "ExtendableEvent", "FetchEvent", "ScheduledEvent", "CustomEvent"]) {
      const C = globalThis[n];
      if (typeof C !== "function") { out[n] = typeof C; continue; }
      let inst;
      try { inst = new C("x"); } catch (e) { out[n] = "ctor err " + show(e); continue; }
      out[n] = [Object.getPrototypeOf(C.prototype) === Event.prototype, protoNames(C.prototype), inst.type, C.length].join(" | ");
    }
    return out;
  },
  eventInits: () => {
    const r = [];
    const t = (f) => { try { r.push(f()); } catch (e) { r.push("err " + show(e)); } };
    t(() => { const e = new MessageEvent("message", { data: { a: 1 } }); return [e.data?.a, e.origin, e.lastEventId, e.source, String(e.ports)].join("/"); });
    t(() => { const e = new MessageEvent("message"); return [e.data, e.origin, e.lastEventId, e.source, String(e.ports)].map(String).join("/"); });
    t(() => { const e = new CloseEvent("close", { code: 1000, reason: "bye", wasClean: true }); return [e.code, e.reason, e.wasClean].join("/"); });
    t(() => { const e = new CloseEvent("close"); return [e.code, e.reason, e.wasClean].join("/"); });
    t(() => { const e = new ErrorEvent("error", { message: "m", filename: "f", lineno: 3, colno: 4, error: 5 }); return [e.message, e.filename, e.lineno, e.colno, e.error].join("/"); });
    t(() => { const e = new ErrorEvent("error"); return [e.message, e.filename, e.lineno, e.colno, e.error].map(String).join("/"); });
    t(() => { const p = Promise.reject(1); p.catch(() => {}); const e = new PromiseRejectionEvent("unhandledrejection", { promise: p, reason: 2 }); return [e.promise === p, e.reason].join("/"); });
    t(() => { const e = new PromiseRejectionEvent("unhandledrejection"); return String(e.reason); });
    t(() => { const e = new ExtendableEvent("x"); return typeof e.waitUntil; });
    t(() => String(new MessageEvent()));
    t(() => MessageEvent("x"));
    return r;
  },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
