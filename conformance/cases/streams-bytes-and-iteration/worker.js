// Streams: byte streams (BYOB reads, byobRequest, autoAllocateChunkSize, read min/readAtLeast,
// tee), async iteration and ReadableStream.from, TextEncoderStream/TextDecoderStream,
// IdentityTransformStream and FixedLengthStream.
export default { async fetch() {
  const out = {};
  const E = async (k, f) => {
    try { out[k] = ["ok", await f()]; } catch (e) { out[k] = [e?.constructor?.name, e?.message]; }
  };
  const settle = (p) => p.then((v) => ["ok", v === undefined ? "undef" : JSON.stringify(v)], (e) => [e?.constructor?.name, e?.message]);
  const collect = async (rs) => { const chunks = []; for await (const c of rs) chunks.push(typeof c === "string" ? c : [...c]); return chunks; };

  await E("byobRespond", async () => {
    const rs = new ReadableStream({ type: "bytes", pull(c) { const v = c.byobRequest.view; v[0] = 7; v[1] = 8; c.byobRequest.respond(2); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint8Array(4));
    const b = await r.read(new Uint8Array(4));
    return [[...a.value], a.done, a.value.byteLength, b.done, b.value.byteLength, b.value.constructor.name];
  });
  await E("byobFromQueue", async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const res = [];
    for (;;) { const { value, done } = await r.read(new Uint8Array(2)); if (done) break; res.push([...value]); }
    return res;
  });
  await E("byobTypedViews", async () => {
    const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 0, 2, 0, 3])); c.close(); } });
    const r = rs.getReader({ mode: "byob" });
    const a = await r.read(new Uint16Array(4));
    return [a.value.constructor.name, [...a.value]];
  });
  await E("readMin", async () => { const r = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1])); } }).getReader({ mode: "byob" }); const res = await r.read(new Uint8Array(4), { min: 3 }); return [...res.value]; });
  await E("readAtLeast", async () => { const r = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([2])); } }).getReader({ mode: "byob" }); const res = await r.readAtLeast(3, new Uint8Array(4)); return [...res.value]; });
  await E("respondTooMuch", async () => { const r = new ReadableStream({ type: "bytes", pull(c) { c.byobRequest.respond(10); } }).getReader({ mode: "byob" }); return r.read(new Uint8Array(4)); });
  await E("respondZero", async () => { const r = new ReadableStream({ type: "bytes", pull(c) { c.byobRequest.respond(0); } }).getReader({ mode: "byob" }); return r.read(new Uint8Array(4)); });
  await E("autoAllocate", async () => {
    const sizes = [];
    let n = 0;
    const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 8, pull(c) {
      const req = c.byobRequest; sizes.push(req.view.byteLength);
      if (n++ === 2) { c.close(); req.respond(0); return; }
      req.view[0] = n; req.respond(1);
    } });
    const chunks = await collect(rs);
    return [sizes, chunks];
  });
  await E("byteDefaultReader", async () => collect(new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.enqueue(new Uint8Array([3])); c.close(); } })));
  await E("byteTee", async () => {
    const [a, b] = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.enqueue(new Uint8Array([3])); c.close(); } }).tee();
    return [await collect(a), await collect(b)];
  });
  await E("byteTeeByob", async () => {
    const [a, b] = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } }).tee();
    const x = await b.getReader({ mode: "byob" }).read(new Uint8Array(8));
    return [await collect(a), [...x.value]];
  });
  await E("defaultTee", async () => {
    let cancelled;
    const [a, b] = new ReadableStream({ start(c) { c.enqueue("x"); c.enqueue("y"); }, cancel(r) { cancelled = r; } }).tee();
    const ra = a.getReader();
    const first = await ra.read();
    ra.releaseLock();
    await a.cancel("r1");
    await b.cancel("r2");
    return [first.value, cancelled];
  });
  await E("teeError", async () => {
    let ctl; const [a, b] = new ReadableStream({ start(c) { ctl = c; } }).tee();
    const pa = settle(a.getReader().read()); const pb = settle(b.getReader().closed);
    ctl.error(new RangeError("src")); return [await pa, await pb];
  });
  await E("iterateBreakCancels", async () => {
    let cancelled = "no";
    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { cancelled = String(r); } });
    for await (const v of rs) { break; }
    return [cancelled, rs.locked];
  });
  await E("iteratePreventCancel", async () => {
    let cancelled = "no";
    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { cancelled = "yes"; } });
    for await (const v of rs.values({ preventCancel: true })) { break; }
    return [cancelled, rs.locked, (await rs.getReader().read()).value];
  });
  await E("iterateError", async () => {
    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.error(new TypeError("it")); } });
    const seen = []; try { for await (const v of rs) seen.push(v); } catch (e) { seen.push(e.message); }
    return seen;
  });
  await E("iteratorShape", () => { const it = new ReadableStream().values(); const p = Object.getPrototypeOf(it); return [String(p[Symbol.toStringTag]), typeof it.next, typeof it.return, Object.getPrototypeOf(p) === Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}.prototype))]; });
  await E("fromArray", async () => collect(ReadableStream.from(["a", Promise.resolve("b"), "c"])));
  await E("fromAsyncGenerator", async () => collect(ReadableStream.from((async function* () { yield "1"; yield "2"; })())));
  await E("fromCancelReturns", async () => {
    let returned = "no";
    const it = { [Symbol.asyncIterator]() { return { next: async () => ({ value: "v", done: false }), return: async (r) => { returned = r; return { done: true }; } }; } };
    const rs = ReadableStream.from(it); const r = rs.getReader(); await r.read(); await r.cancel("why");
    return returned;
  });
  await E("textEncoderStream", async () => {
    const t = new TextEncoderStream(); const w = t.writable.getWriter();
    w.write("h\u00e9"); w.write("\ud83d"); w.write("\ude00!"); w.write("\ud800"); w.close();
    return [t.encoding, await collect(t.readable)];
  });
  await E("textDecoderStream", async () => {
    const t = new TextDecoderStream(); const w = t.writable.getWriter();
    const bytes = new TextEncoder().encode("\ufeffh\u00e9\ud83d\ude00");
    for (const b of bytes) w.write(new Uint8Array([b]));
    w.close();
    return [t.encoding, t.fatal, t.ignoreBOM, (await collect(t.readable)).join("|")];
  });
  await E("textDecoderFatal", async () => {
    const t = new TextDecoderStream("utf-8", { fatal: true }); const w = t.writable.getWriter();
    w.write(new Uint8Array([0xff])).catch(() => {}); w.close().catch(() => {});
    try { await collect(t.readable); return "no error"; } catch (e) { return e.constructor.name; }
  });
  await E("identityRoundTrip", async () => { const t = new IdentityTransformStream(); const w = t.writable.getWriter(); (async () => { await w.write(new Uint8Array([1, 2])); await w.write(new Uint8Array(0)); await w.write("A"); await w.close(); })(); return collect(t.readable); });
  await E("identityByob", async () => { const t = new IdentityTransformStream(); const w = t.writable.getWriter(); w.write(new Uint8Array([1, 2, 3])); const r = await t.readable.getReader({ mode: "byob" }).read(new Uint8Array(2)); return [...r.value]; });
  await E("fixedLengthOk", async () => { const t = new FixedLengthStream(3); const w = t.writable.getWriter(); (async () => { await w.write(new Uint8Array([1, 2])); await w.write(new Uint8Array([3])); await w.close(); })(); return collect(t.readable); });
  await E("fixedLengthTooMany", async () => { const t = new FixedLengthStream(2); const w = t.writable.getWriter(); const rd = t.readable.getReader(); const rp = settle(rd.read()); w.write(new Uint8Array(3)).catch(() => {}); return await rp; });
  await E("classShapes", () => [Object.getPrototypeOf(TextEncoderStream.prototype) === TransformStream.prototype, Object.getPrototypeOf(FixedLengthStream.prototype) === IdentityTransformStream.prototype, Object.prototype.toString.call(new IdentityTransformStream()), ReadableStream.length, typeof ReadableStream.from]);
  return Response.json(out);
}};
