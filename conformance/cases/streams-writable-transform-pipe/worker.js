// Streams: WritableStream (abort, close, controller.error and signal, desiredSize, strategies),
// TransformStream (flush, terminate, errors both ways, backpressure), pipeTo options and
// AbortSignal, pipeThrough, and a 10 MB body through a TransformStream in 64 KiB chunks.
export default { async fetch() {
  const out = {};
  const E = async (k, f) => {
    try { out[k] = ["ok", await f()]; } catch (e) { out[k] = [e?.constructor?.name, e?.message]; }
  };
  const settle = (p) => p.then((v) => ["ok", v === undefined ? "undef" : v], (e) => [e?.constructor?.name, e?.message ?? String(e)]);

  await E("abortSignal", async () => {
    let ctl; let abortReason;
    const ws = new WritableStream({ start(c) { ctl = c; }, write() { return new Promise(() => {}); }, abort(r) { abortReason = r; } });
    const w = ws.getWriter();
    const p1 = settle(w.write("a")); const p2 = settle(w.write("b"));
    const before = ctl.signal.aborted;
    const ab = settle(w.abort("stop"));
    return [before, ctl.signal.aborted, ctl.signal.reason, await p2, await settle(w.closed), abortReason === undefined ? "not yet" : abortReason];
  });
  await E("abortAfterWrite", async () => {
    const log = [];
    const ws = new WritableStream({ write(c) { log.push("write " + c); }, abort(r) { log.push("abort " + r); } });
    const w = ws.getWriter();
    await w.write(1);
    log.push(JSON.stringify(await settle(w.abort("R"))));
    log.push(JSON.stringify(await settle(w.write(2))));
    log.push(JSON.stringify(await settle(w.closed)));
    return log;
  });
  await E("controllerError", async () => {
    let ctl;
    const ws = new WritableStream({ start(c) { ctl = c; } });
    const w = ws.getWriter();
    ctl.error(new RangeError("sink broke"));
    return [await settle(w.write(1)), await settle(w.closed), w.desiredSize, await settle(w.ready)];
  });
  await E("sinkWriteRejects", async () => {
    const ws = new WritableStream({ write() { throw new TypeError("nope"); } });
    const w = ws.getWriter();
    return [await settle(w.write(1)), await settle(w.write(2)), await settle(w.close())];
  });
  await E("closeWithPendingWrites", async () => {
    const log = [];
    const ws = new WritableStream({ async write(c) { log.push("w" + c); }, close() { log.push("close"); } });
    const w = ws.getWriter();
    w.write(1); w.write(2); await w.close(); log.push("closed, desired " + w.desiredSize);
    return log;
  });
  await E("byteLengthStrategy", async () => {
    const ws = new WritableStream({ write() { return new Promise(() => {}); } }, new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
    const w = ws.getWriter(); const sizes = [w.desiredSize];
    w.write(new Uint8Array(4)); sizes.push(w.desiredSize); w.write(new Uint8Array(8)); sizes.push(w.desiredSize);
    return sizes;
  });
  await E("releaseAndReacquire", async () => {
    const ws = new WritableStream(); const w1 = ws.getWriter(); w1.releaseLock();
    const w2 = ws.getWriter(); await w2.write("x");
    return [await settle(w1.closed), ws.locked];
  });
  await E("transformFlushTerminate", async () => {
    const ts = new TransformStream({
      transform(chunk, c) { if (chunk === "stop") { c.terminate(); return; } c.enqueue(chunk + "!"); },
      flush(c) { c.enqueue("flushed"); },
    });
    const w = ts.writable.getWriter(); const r = ts.readable.getReader();
    const got = [];
    w.write("a");
    got.push((await r.read()).value);
    const stopped = settle(w.write("stop"));
    got.push(await r.read());
    return [got, await stopped, await settle(w.write("after"))];
  });
  await E("transformThrows", async () => {
    const ts = new TransformStream({ transform() { throw new RangeError("bad chunk"); } });
    const w = ts.writable.getWriter(); const r = ts.readable.getReader();
    const rp = settle(r.read());
    return [await settle(w.write(1)), await rp];
  });
  await E("transformFlushAndBackpressure", async () => {
    const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(c); ctl.enqueue(c); } }, undefined, { highWaterMark: 1 });
    const w = ts.writable.getWriter();
    const sizes = [w.desiredSize];
    w.write(1); sizes.push(w.desiredSize);
    await Promise.resolve(); await Promise.resolve();
    sizes.push(w.desiredSize);
    const r = ts.readable.getReader();
    await r.read(); await r.read();
    return sizes;
  });
  await E("transformCancelReadable", async () => {
    const ts = new TransformStream();
    const w = ts.writable.getWriter();
    await ts.readable.cancel(new TypeError("reader gone"));
    return [await settle(w.write(1)), await settle(w.closed)];
  });
  await E("pipeThrough", async () => {
    const rs = ReadableStream.from(["a", "b", "c"]);
    const up = rs.pipeThrough(new TransformStream({ transform(c, ctl) { ctl.enqueue(c.toUpperCase()); } }));
    const got = []; for await (const c of up) got.push(c);
    return got;
  });
  await E("pipePreventClose", async () => {
    const ws = new WritableStream({ close() { throw new Error("closed!"); } });
    await ReadableStream.from([1]).pipeTo(ws, { preventClose: true });
    return ws.locked;
  });
  await E("pipePreventAbort", async () => {
    let aborted = false;
    const ws = new WritableStream({ abort() { aborted = true; } });
    const rs = new ReadableStream({ start(c) { c.error(new Error("src")); } });
    const r = await settle(rs.pipeTo(ws, { preventAbort: true }));
    return [r, aborted, await settle(ws.getWriter().write("still ok"))];
  });
  await E("pipePreventCancel", async () => {
    let cancelled = false;
    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel() { cancelled = true; } });
    const ws = new WritableStream({ start(c) { c.error(new Error("dst")); } });
    const r = await settle(rs.pipeTo(ws, { preventCancel: true }));
    return [r, cancelled, rs.locked];
  });
  await E("pipeSignal", async () => {
    const ac = new AbortController();
    const written = [];
    let cancelReason;
    const rs = new ReadableStream({ pull(c) { c.enqueue(written.length); }, cancel(r) { cancelReason = r; } }, { highWaterMark: 0 });
    const ws = new WritableStream({ write(c) { written.push(c); if (written.length === 3) ac.abort(new RangeError("enough")); } });
    const r = await settle(rs.pipeTo(ws, { signal: ac.signal }));
    return [r, written.length >= 3, cancelReason?.message, ws.locked, rs.locked];
  });
  await E("pipeAlreadyAborted", async () => {
    const ac = new AbortController(); ac.abort();
    const r = await settle(new ReadableStream().pipeTo(new WritableStream(), { signal: ac.signal }));
    return r;
  });
  await E("pipeLocked", async () => {
    const ws = new WritableStream(); ws.getWriter();
    return settle(new ReadableStream().pipeTo(ws));
  });
  await E("tenMegabytes", async () => {
    const CHUNK = 64 * 1024, TOTAL = 10 * 1024 * 1024;
    let produced = 0;
    const rs = new ReadableStream({ pull(c) {
      if (produced >= TOTAL) { c.close(); return; }
      const chunk = new Uint8Array(CHUNK); chunk.fill(produced / CHUNK & 0xff); produced += CHUNK; c.enqueue(chunk);
    } });
    const ts = new TransformStream({ transform(chunk, c) { c.enqueue(chunk); } });
    let total = 0, chunks = 0, sum = 0;
    for await (const chunk of rs.pipeThrough(ts)) { total += chunk.byteLength; chunks++; sum = (sum + chunk[0]) % 65536; }
    return [total, chunks, sum];
  });
  return Response.json(out);
}};
