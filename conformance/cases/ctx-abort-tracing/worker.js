// ctx.tracing (Tracing, Span), ctx.abort() and ctx.mapVirtualHost() as on workerd (probed there
// item by item); one item per request. Virtual host names are random: shown as H.
import { WorkerEntrypoint } from "cloudflare:workers";
const CHILD = `import { WorkerEntrypoint } from "cloudflare:workers";
const hidden = (h) => String(h).replace(/^[0-9a-f]{32}[.]/, "H.");
export class Ep extends WorkerEntrypoint {
  shape() {
    const t = this.ctx.tracing;
    const proto = t && Object.getPrototypeOf(t);
    const d = (o, k) => { const x = Object.getOwnPropertyDescriptor(o, k); return x ? ("value" in x ? "data:" + typeof x.value : "accessor") : "none"; };
    return { tracingType: typeof t, tag: Object.prototype.toString.call(t), own: t ? Object.getOwnPropertyNames(t) : null,
      proto: proto ? Object.getOwnPropertyNames(proto).map((n) => n + "=" + d(proto, n)) : null,
      protoProto: proto ? Object.getOwnPropertyNames(Object.getPrototypeOf(proto)).slice(0, 5) : null,
      tracingDesc: d(this.ctx, "tracing"),
      abortLen: this.ctx.abort?.length, mvhLen: this.ctx.mapVirtualHost?.length,
      same: this.ctx.tracing === this.ctx.tracing, ctor: t?.constructor?.name };
  }
  async spans() {
    const t = this.ctx.tracing;
    const out = [];
    try { const r = t.enterSpan("s", (span) => { out.push(typeof span, Object.prototype.toString.call(span), span && Object.getOwnPropertyNames(Object.getPrototypeOf(span)).join(",")); span.setAttribute?.("a", 1); return 7; }); out.push("ret=" + r); } catch (e) { out.push("err " + e.constructor.name + ": " + e.message); }
    try { const r = await t.enterSpan("s2", async (span) => 8); out.push("async=" + r); } catch (e) { out.push("err " + e.constructor.name + ": " + e.message); }
    try { t.enterSpan("s3"); out.push("noCb ok"); } catch (e) { out.push("noCb err " + e.constructor.name + ": " + e.message); }
    try { t.enterSpan(); out.push("noArgs ok"); } catch (e) { out.push("noArgs err " + e.constructor.name + ": " + e.message); }
    try { const r = t.enterSpan("s4", (a, b, c) => [a === undefined, b, c].map(String).join("/"), 1, 2); out.push("extra=" + r); } catch (e) { out.push("extra err " + e.constructor.name + ": " + e.message); }
    try { t.enterSpan("s5", () => { throw new RangeError("inner"); }); } catch (e) { out.push("throws " + e.constructor.name + ": " + e.message); }
    return out;
  }
  span2() {
    const out = [];
    this.ctx.tracing.enterSpan("x", (span) => {
      for (const m of ["setAttribute", "end", "isTraced", "addEvent", "setStatus"]) out.push(m + ":" + typeof span[m]);
      out.push("isTraced=" + String(span.isTraced));
      try { span.setAttribute("k", "v"); span.setAttribute("n", 1); span.setAttribute("b", true); span.setAttribute("u", undefined); out.push("set ok"); } catch (e) { out.push("set err " + e.message); }
      try { span.setAttribute("o", {}); out.push("obj ok"); } catch (e) { out.push("obj err " + e.constructor.name + ": " + e.message); }
      try { span.end?.(); out.push("end ok"); } catch (e) { out.push("end err " + e.message); }
    });
    return out;
  }
  abortNow(reason) {
    try { this.ctx.abort(reason); return "returned"; } catch (e) { return "threw " + e?.constructor?.name + ": " + e?.message; }
  }
  mvh() {
    const out = [];
    for (const args of [[], ["a.example"], ["a.example", null], ["a.example", this.env.X]]) {
      try { const r = this.ctx.mapVirtualHost(...args); out.push("ok " + typeof r + " " + String(r) + " " + Object.prototype.toString.call(r)); } catch (e) { out.push("err " + e?.constructor?.name + ": " + e?.message); }
    }
    return out;
  }
  abortTimers() { globalThis.fired = "no"; setTimeout(() => { globalThis.fired = "yes"; }, 20); this.ctx.waitUntil(new Promise((r) => setTimeout(r, 30)).then(() => { globalThis.wu = "yes"; })); this.ctx.abort("t"); }
  timersCheck() { return [String(globalThis.fired), String(globalThis.wu)]; }
  keepCtx() { globalThis.savedCtx = this.ctx; return "kept"; }
  abortOld() { try { globalThis.savedCtx.abort("old"); return "returned " + (1 + 1); } catch (e) { return "threw " + e.constructor.name + ": " + e.message; } }
  async tracing2() {
    const t = this.ctx.tracing, out = [];
    const tryit = (label, f) => { try { const r = f(); out.push(label + " ok " + typeof r + " " + Object.prototype.toString.call(r)); return r; } catch (e) { out.push(label + " err " + e.constructor.name + ": " + e.message); } };
    tryit("getActiveSpan", () => t.getActiveSpan());
    const s = tryit("startSpan", () => t.startSpan("n"));
    tryit("startSpan()", () => t.startSpan());
    tryit("startActiveSpan", () => t.startActiveSpan("n", (sp) => 3));
    tryit("startActiveSpanNoCb", () => t.startActiveSpan("n"));
    tryit("withActiveSpan", () => t.withActiveSpan(s, () => 4));
    tryit("withActiveSpanBad", () => t.withActiveSpan({}, () => 4));
    tryit("newSpan", () => new t.Span());
    tryit("SpanType", () => t.Span);
    if (s) {
      tryit("isTraced", () => s.isTraced);
      tryit("spanContext", () => s.spanContext);
      tryit("spanContextCall", () => typeof s.spanContext === "function" ? s.spanContext() : "prop");
      tryit("setAttributes", () => s.setAttributes({ a: 1 }));
      tryit("recordException", () => s.recordException(new Error("e")));
      tryit("updateName", () => s.updateName("m"));
      tryit("setStatus", () => s.setStatus({ code: 2 }));
      tryit("end", () => s.end());
      tryit("end2", () => s.end());
      tryit("setAttrBadKey", () => s.setAttribute(1, 2));
      tryit("setAttrNoArgs", () => s.setAttribute());
      out.push("lens " + ["setAttribute", "setAttributes", "recordException", "updateName", "setStatus", "end"].map((m) => s[m].length).join(","));
      out.push("enterSpanLen " + t.enterSpan.length + " startSpanLen " + t.startSpan.length + " startActiveLen " + t.startActiveSpan.length + " withActiveLen " + t.withActiveSpan.length);
    }
    tryit("enterSpanNum", () => t.enterSpan(5, () => 1));
    out.push("json " + JSON.stringify(t));
    return out;
  }
  tracing3() {
    const t = this.ctx.tracing, out = [];
    const tryit = (label, f) => { try { const r = f(); out.push(label + " ok " + (typeof r === "object" && r !== null ? Object.prototype.toString.call(r) + " " + JSON.stringify(r) : typeof r + " " + String(r))); return r; } catch (e) { out.push(label + " err " + e.constructor.name + ": " + e.message); } };
    const s = t.startSpan("n");
    tryit("ctx", () => s.spanContext());
    tryit("ctxSame", () => s.spanContext() === s.spanContext());
    tryit("active", () => t.getActiveSpan());
    tryit("activeSame", () => t.getActiveSpan() === t.getActiveSpan());
    tryit("activeCtx", () => t.getActiveSpan().spanContext());
    tryit("inner", () => t.enterSpan("a", (sp) => [sp === t.getActiveSpan(), sp === s, typeof sp.isTraced].join()));
    tryit("with", () => t.withActiveSpan(s, (...a) => [t.getActiveSpan() === s, a.length].join(), 1, 2));
    tryit("startActive", () => t.startActiveSpan("b", (sp, x) => [sp instanceof t.Span, x].join(), 9));
    tryit("statusOk", () => s.setStatus({ code: "ok" }) === s);
    tryit("statusErrMsg", () => s.setStatus({ code: "error", message: "m" }) === s);
    tryit("statusStr", () => s.setStatus("ok"));
    tryit("statusNone", () => s.setStatus());
    tryit("statusNoCode", () => s.setStatus({}));
    tryit("statusBadMsg", () => s.setStatus({ code: "ok", message: 5 }));
    tryit("recStr", () => s.recordException("boom"));
    tryit("recObj", () => s.recordException({ code: 1 }));
    tryit("recEmpty", () => s.recordException({}));
    tryit("recNone", () => s.recordException());
    tryit("recNum", () => s.recordException(5));
    tryit("recErr", () => s.recordException(new TypeError("x")));
    tryit("attrObj", () => s.setAttribute("k", {}) === s);
    tryit("attrNone", () => s.setAttribute("k") === s);
    tryit("attrsNone", () => s.setAttributes());
    tryit("attrsStr", () => s.setAttributes("x"));
    tryit("attrsBad", () => s.setAttributes({ a: {} }));
    tryit("attrsNull", () => s.setAttributes(null));
    tryit("nameNone", () => s.updateName());
    tryit("nameNum", () => s.updateName(5) === s);
    tryit("endArgs", () => s.end(123));
    tryit("afterEnd", () => s.setAttribute("a", 1) === s);
    tryit("isTracedSet", () => { s.isTraced = true; return s.isTraced; });
    tryit("isTracedDesc", () => { const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(s), "isTraced"); return d ? ("get" in d ? "accessor" : "data") + (d.enumerable ? ",enum" : "") + (d.configurable ? ",c" : "") + (d.set ? ",set" : "") : "own:" + JSON.stringify(Object.getOwnPropertyDescriptor(s, "isTraced")); });
    tryit("spanKeys", () => Object.keys(s).join(","));
    tryit("spanJson", () => JSON.stringify(s));
    tryit("spanTag", () => String(s));
    tryit("enterThrowAsync", () => t.enterSpan("c", async () => { throw new Error("async"); }).catch((e) => e.message) && "promise");
    tryit("cbThis", () => t.enterSpan("d", function () { return String(this); }));
    tryit("nameObj", () => t.enterSpan({ toString() { return "z"; } }, () => "ok"));
    tryit("nameSym", () => t.enterSpan(Symbol("q"), () => "ok"));
    tryit("tracingTag", () => Object.prototype.toString.call(t) + " " + (t instanceof Object) + " " + typeof t.constructor);
    tryit("newTracing", () => new t.constructor());
    tryit("SpanProtoTag", () => Object.prototype.toString.call(t.Span.prototype));
    return out;
  }
  abortAfterAwait() { return new Promise((r) => setTimeout(r, 5)).then(() => { this.ctx.abort("after await"); globalThis.afterAwait = "ran"; }); }
  abortAfterAwaitCheck() { return String(globalThis.afterAwait); }
  after() { return "alive " + (++globalThis.n || (globalThis.n = 1)); }
  abortNoArg() { this.ctx.abort(); return "returned"; }
  abortLater() { setTimeout(() => this.ctx.abort(new RangeError("later")), 5); return new Promise((r) => setTimeout(() => r("resolved"), 50)); }
  abortThenWork() { this.ctx.abort("x"); return Promise.resolve().then(() => { globalThis.afterAbort = "ran"; return 1; }); }
  check() { return String(globalThis.afterAbort); }
  abortFinally() { try { this.ctx.abort("f"); } finally { globalThis.fin2 = "ran"; } }
  abortStatement() { this.ctx.abort("s"); globalThis.s2 = "ran"; }
  abortCatch() { try { this.ctx.abort("c"); } catch (e) { return "caught " + e; } }
  checkAfter() { return [String(globalThis.fin2), String(globalThis.s2)]; }
  throwObj() { throw { a: 1 }; }
  throwArr() { throw [1, 2]; }
  throwNum() { throw 42; }
  abortArr() { this.ctx.abort([1, 2]); }
  abortObj() { this.ctx.abort({ a: 1 }); }
  abortNum() { this.ctx.abort(42); }
  abortUndef() { this.ctx.abort(undefined); }
  abortDom() { this.ctx.abort(new DOMException("d", "AbortError")); }
  mvh2() {
    const out = [], names = new Set();
    for (const args of [[this.env.S, 80], [this.env.S, 8080, "x"], [this.env.S, 70000], [this.env.S, -1], [this.env.S, 0], [this.env.S, 80.5]]) {
      try { const r = this.ctx.mapVirtualHost(...args); names.add(r); out.push("ok " + typeof r + " " + hidden(r)); } catch (e) { out.push("err " + e?.constructor?.name + ": " + e?.message); }
    }
    out.push("names " + names.size);
    return out;
  }
}
export default { fetch(req, env, ctx) { ctx.abort(new Error("fetch abort")); return new Response("x"); } };`;
const load = (env, name = "c") => env.LOADER.get(name, () => ({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD }, env: { S: env.SELF } }));
const show = (e) => `${e?.constructor?.name}: ${e?.message} remote=${e?.remote}`;
async function outcome(f) { try { return `ok ${JSON.stringify(await f())}`; } catch (e) { return `err ${show(e)}`; } }
const ITEMS = {
  shape: (env) => outcome(() => load(env).getEntrypoint("Ep").shape()),
  spans: (env) => outcome(() => load(env).getEntrypoint("Ep").spans()),
  span2: (env) => outcome(() => load(env).getEntrypoint("Ep").span2()),
  abortNow: async (env) => [await outcome(() => load(env).getEntrypoint("Ep").abortNow("why")), await outcome(() => load(env).getEntrypoint("Ep").after())],
  abortErr: async (env) => [await outcome(() => load(env).getEntrypoint("Ep").abortNow(new TypeError("boom"))), await outcome(() => load(env).getEntrypoint("Ep").after())],
  mvh: (env) => outcome(() => load(env).getEntrypoint("Ep").mvh()),
  abortSeq: async (env) => { const ep = () => load(env, "seq").getEntrypoint("Ep"); return [await outcome(() => ep().after()), await outcome(() => ep().after()), await outcome(() => ep().abortNow("q")), await outcome(() => ep().after())]; },
  abortNoArg: async (env) => [await outcome(() => load(env, "n1").getEntrypoint("Ep").abortNoArg())],
  abortLater: async (env) => [await outcome(() => load(env, "n2").getEntrypoint("Ep").abortLater())],
  abortThenWork: async (env) => { const ep = () => load(env, "n3").getEntrypoint("Ep"); return [await outcome(() => ep().abortThenWork()), await outcome(() => ep().check())]; },
  abortKinds: async (env) => { const ep = () => load(env, "n4").getEntrypoint("Ep"); return [await outcome(() => ep().abortObj()), await outcome(() => ep().abortNum()), await outcome(() => ep().abortUndef()), await outcome(() => ep().abortDom())]; },
  mvh2: (env) => outcome(() => load(env).getEntrypoint("Ep").mvh2()),
  abortFetch: async (env) => { const w = load(env, "n5"); try { const r = await w.getEntrypoint().fetch("http://x/"); return r.status; } catch (e) { return "err " + show(e); } },
  topMvh: async (env, ctx) => { try { const r = ctx.mapVirtualHost(env.SELF, 81); return typeof r + " " + r.replace(/^[0-9a-f]{32}[.]/, "H.") + " " + /^[0-9a-f]{32}[.]workers[.]alt:81$/.test(r); } catch (e) { return "err " + show(e); } },
  abortTimers: async (env) => { const ep = () => load(env, "t1").getEntrypoint("Ep"); const a = await outcome(() => ep().abortTimers()); await new Promise((r) => setTimeout(r, 80)); return [a, await outcome(() => ep().timersCheck())]; },
  abortOld: async (env) => { const ep = () => load(env, "t2").getEntrypoint("Ep"); return [await outcome(() => ep().keepCtx()), await outcome(() => ep().abortOld()), await outcome(() => ep().after())]; },
  tracing2: (env) => outcome(() => load(env, "t3").getEntrypoint("Ep").tracing2()),
  tracing3: (env) => outcome(() => load(env, "t4").getEntrypoint("Ep").tracing3()),
  topTracing: (env, ctx) => [typeof ctx.tracing.enterSpan, ctx.tracing === ctx.tracing, Object.prototype.toString.call(ctx.tracing.getActiveSpan())],
  globalTracing: () => [typeof globalThis.Tracing, typeof globalThis.Span, typeof globalThis.ExecutionContext],
  throwKinds: async (env) => { const ep = () => load(env, "n9").getEntrypoint("Ep"); const j = async (f) => { try { await f(); } catch (e) { return JSON.stringify({ t: Object.prototype.toString.call(e), c: e?.constructor?.name, m: e?.message, r: e?.remote, v: e }); } }; return [await j(() => ep().throwObj()), await j(() => ep().throwArr()), await j(() => ep().throwNum()), await j(() => ep().abortObj()), await j(() => ep().abortArr())]; },
  mvhZero: async (env) => { const w = env.LOADER.get("z0", () => ({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": `import { WorkerEntrypoint } from "cloudflare:workers"; export class Ep extends WorkerEntrypoint { m() { return [this.ctx.mapVirtualHost(this.env.A, 0), this.ctx.mapVirtualHost(this.env.A, 443)].map((h) => h.replace(/^[0-9a-f]{32}/, "H")); } }` }, env: { A: env.SELF } })); return outcome(() => w.getEntrypoint("Ep").m()); },
  descs: (env, ctx) => { const d = (o, k) => { const x = Object.getOwnPropertyDescriptor(o, k); return k + ":" + (x ? ("get" in x ? "acc" + (x.set ? "+set" : "") : "data" + (x.writable ? ",w" : "")) + (x.enumerable ? ",enum" : "") + (x.configurable ? ",c" : "") : "none"); };
    const span = ctx.tracing.startSpan("x"); const sp = Object.getPrototypeOf(span);
    return [d(sp, "isTraced"), d(sp, "end"), d(Object.getPrototypeOf(ctx.tracing), "Span"), d(Object.getPrototypeOf(ctx), "waitUntil"), d(Headers.prototype, "get"), d(Request.prototype, "url"), d(Response.prototype, "status"), d(URL.prototype, "href"), d(Blob.prototype, "size"), d(AbortSignal.prototype, "aborted"), d(TextDecoder.prototype, "encoding")]; },
  abortAfterAwait: async (env) => { const ep = () => load(env, "aw").getEntrypoint("Ep"); return [await outcome(() => ep().abortAfterAwait()), await outcome(() => ep().abortAfterAwaitCheck()), await outcome(() => ep().after())]; },
  abortStops: async (env) => { const ep = () => load(env, "st").getEntrypoint("Ep"); return [await outcome(() => ep().abortFinally()), await outcome(() => ep().abortStatement()), await outcome(() => ep().abortCatch()), await outcome(() => ep().checkAfter())]; },
  topShape: (env, ctx) => ({ tracing: typeof ctx.tracing, abort: typeof ctx.abort, mvh: typeof ctx.mapVirtualHost, keys: Object.keys(ctx), proto: Object.getOwnPropertyNames(Object.getPrototypeOf(ctx)) }),
  topAbort: (env, ctx) => { try { ctx.abort("top"); return "returned"; } catch (e) { return "threw " + show(e); } },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
