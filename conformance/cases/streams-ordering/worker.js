// Observable ordering of promise resolutions in streams.
const tick = async (n = 10) => { for (let i = 0; i < n; i++) await null; };
export default { async fetch() {
  const out = {};
  {
    const log = [];
    let ctrl;
    const rs = new ReadableStream({
      start(c) { ctrl = c; log.push("start"); },
      pull(c) { log.push("pull:" + c.desiredSize); },
    }, { highWaterMark: 2 });
    log.push("constructed");
    const reader = rs.getReader();
    reader.closed.then(() => log.push("closed"));
    reader.read().then((r) => log.push("read1:" + r.value));
    ctrl.enqueue("a");
    log.push("enqueued");
    Promise.resolve().then(() => log.push("micro1")).then(() => log.push("micro2"));
    reader.read().then((r) => log.push("read2:" + r.done));
    ctrl.close();
    await tick();
    out.readable = log;
  }
  {
    const log = [];
    const ws = new WritableStream({
      start() { log.push("start"); },
      write(chunk) { log.push("write:" + chunk); return new Promise((r) => setTimeout(r, 1)); },
      close() { log.push("close"); },
    }, { highWaterMark: 2 });
    const w = ws.getWriter();
    log.push("desired:" + w.desiredSize);
    w.write("a").then(() => log.push("wrote a"));
    log.push("desired:" + w.desiredSize);
    w.write("b").then(() => log.push("wrote b"));
    w.write("c").then(() => log.push("wrote c"));
    log.push("desired:" + w.desiredSize);
    w.close().then(() => log.push("closed()"));
    w.closed.then(() => log.push("closed"));
    await new Promise((r) => setTimeout(r, 50));
    out.writable = log;
  }
  {
    const log = [];
    const ts = new TransformStream({
      start() { log.push("start"); },
      transform(chunk, c) { log.push("transform:" + chunk); c.enqueue(chunk * 2); },
      flush() { log.push("flush"); },
    });
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    w.write(1).then(() => log.push("wrote 1"));
    w.write(2).then(() => log.push("wrote 2"));
    w.close().then(() => log.push("closed"));
    for (;;) { const { value, done } = await r.read(); log.push(done ? "done" : "read:" + value); if (done) break; }
    await tick();
    out.transform = log;
  }
  {
    const log = [];
    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
    const sinkLog = [];
    const ws = new WritableStream({ write(ch) { log.push("sink:" + ch); }, close() { log.push("sink close"); } });
    await rs.pipeTo(ws).then(() => log.push("piped"));
    out.pipe = log;
  }
  {
    const log = [];
    const rs = new ReadableStream({ start(c) { c.error(new TypeError("bad")); } });
    const ws = new WritableStream({ abort(r) { log.push("abort:" + r.message); } });
    await rs.pipeTo(ws).catch((e) => log.push("pipe rejected:" + e.message));
    log.push("ws locked:" + ws.locked + " rs locked:" + rs.locked);
    out.pipeError = log;
  }
  {
    const log = [];
    const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { log.push("cancel:" + r.message); } });
    const ws = new WritableStream({ start(c) { c.error(new RangeError("sink")); } });
    await rs.pipeTo(ws).catch((e) => log.push("pipe rejected:" + e.constructor.name + ":" + e.message));
    out.pipeDestError = log;
  }
  {
    const log = []; const rs = new ReadableStream({ start(c) { c.enqueue(1); } }); const r = rs.getReader();
    r.read().then(() => log.push("read"));
    Promise.resolve().then(() => log.push("m1")).then(() => log.push("m2")).then(() => log.push("m3"));
    await tick(); out.readQueued = log;
  }
  {
    const log = []; const rs = new ReadableStream({ start(c) { c.close(); } }); const r = rs.getReader();
    r.closed.then(() => log.push("closed")); r.read().then(() => log.push("read"));
    Promise.resolve().then(() => log.push("m1")).then(() => log.push("m2")).then(() => log.push("m3"));
    await tick(); out.closedOrder = log;
  }
  {
    const log = []; let c; const rs = new ReadableStream({ start(x) { c = x; } }); const r = rs.getReader();
    r.read().then(() => log.push("read")); r.closed.then(() => log.push("closed")); c.close();
    Promise.resolve().then(() => log.push("m1")).then(() => log.push("m2")).then(() => log.push("m3"));
    await tick(); out.closeWhilePending = log;
  }
  {
    const log = []; const rs = new ReadableStream({ start() {}, pull() { log.push("pull"); } }, { highWaterMark: 0 });
    log.push("ctor"); rs.getReader().read(); log.push("read"); await tick(); out.pullOnRead = log;
  }
  {
    const log = []; const rs = new ReadableStream({ start() { return new Promise(() => {}); }, pull() { log.push("pull"); } }, { highWaterMark: 0 });
    log.push("ctor"); rs.getReader().read(); log.push("read"); await tick(); out.pullBeforeStartSettles = log;
  }
  {
    const log = []; new ReadableStream({ start() { log.push("start"); }, pull(c) { log.push("pull:" + c.desiredSize); c.enqueue(1); } }, { highWaterMark: 2 });
    log.push("ctor"); await tick(); out.fillToHighWaterMark = log;
  }
  {
    const log = []; const ws = new WritableStream({ write() { log.push("write"); } }); const w = ws.getWriter();
    w.write(1); log.push("wrote");
    Promise.resolve().then(() => log.push("m1")).then(() => log.push("m2")); await tick(); out.writeAfterStart = log;
  }
  {
    const log = []; new ReadableStream({ pull() { log.push("pull"); } }); log.push("ctor");
    await tick(); out.noStartPullsAtOnce = log;
  }
  {
    const log = []; const ws = new WritableStream({ start() {}, write() { log.push("write"); } });
    ws.getWriter().write(1); log.push("wrote"); await tick(); out.startDelaysWrite = log;
  }
  for (const [key, transformer] of [["transformNoStart", {}], ["transformStart", { start() {} }]]) {
    const log = [];
    const ts = new TransformStream({ ...transformer, transform(c, ctl) { log.push("transform"); ctl.enqueue(c); } });
    const w = ts.writable.getWriter();
    ts.readable.getReader().read().then(() => log.push("read"));
    w.write(1); log.push("wrote");
    Promise.resolve().then(() => log.push("m1")).then(() => log.push("m2")).then(() => log.push("m3")).then(() => log.push("m4"));
    await tick(); out[key] = log;
  }
  return Response.json(out);
}};
