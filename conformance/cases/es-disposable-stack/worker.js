// DisposableStack, AsyncDisposableStack and SuppressedError (ES2026 explicit resource
// management, library part), which V8 10.2 lacks, compared with workerd's V8 item by item.
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
const t = (f) => { try { const v = f(); return typeof v === "object" && v !== null ? Object.prototype.toString.call(v) + " " + JSON.stringify(v) : typeof v + " " + String(v); } catch (e) { return "err " + show(e); } };
const ta = async (f) => { try { const v = await f(); return typeof v === "object" && v !== null ? Object.prototype.toString.call(v) + " " + JSON.stringify(v) : typeof v + " " + String(v); } catch (e) { return "err " + show(e) + (e instanceof SuppressedError ? ` [error=${show(e.error)} suppressed=${show(e.suppressed)}]` : ""); } };
const ITEMS = {
  shape: () => [t(() => [DisposableStack.length, AsyncDisposableStack.length, SuppressedError.length].join()), t(() => Object.getOwnPropertyNames(DisposableStack.prototype).join()), t(() => Object.getOwnPropertyNames(AsyncDisposableStack.prototype).join()),
    t(() => DisposableStack.prototype[Symbol.dispose] === DisposableStack.prototype.dispose), t(() => AsyncDisposableStack.prototype[Symbol.asyncDispose] === AsyncDisposableStack.prototype.disposeAsync), t(() => String(new DisposableStack())), t(() => String(new AsyncDisposableStack())),
    t(() => DisposableStack()), t(() => ["use", "adopt", "defer", "move", "dispose"].map((m) => m + "/" + DisposableStack.prototype[m].length).join()), t(() => ["use", "adopt", "defer", "move", "disposeAsync"].map((m) => m + "/" + AsyncDisposableStack.prototype[m].length).join()),
    t(() => { const e = new SuppressedError(1, 2, "m"); return [e.error, e.suppressed, e.message, e.name, Object.keys(e).join("|"), e instanceof Error, Object.getPrototypeOf(SuppressedError) === Error].join(); }), t(() => { const e = new SuppressedError(1, 2); return [Object.hasOwn(e, "message"), e.message].join(); }), t(() => SuppressedError(1, 2).constructor.name), t(() => SuppressedError.prototype.name + "/" + SuppressedError.prototype.message)],
  order: () => {
    const log = [];
    const s = new DisposableStack();
    s.use({ [Symbol.dispose]() { log.push("use1"); } });
    s.defer(() => log.push("defer"));
    s.adopt("v", (v) => log.push("adopt " + v));
    s.use(null); s.use(undefined);
    const r = s.use({ [Symbol.dispose]() { log.push("use2"); } });
    log.push("disposed? " + s.disposed);
    s.dispose();
    log.push("disposed? " + s.disposed);
    s.dispose();
    return [log.join(","), typeof r];
  },
  errors: () => [t(() => new DisposableStack().use(5)), t(() => new DisposableStack().use({})), t(() => new DisposableStack().defer(5)), t(() => new DisposableStack().adopt(1, 5)),
    t(() => { const s = new DisposableStack(); s.dispose(); s.use(null); }), t(() => { const s = new DisposableStack(); s.dispose(); return s.move(); }),
    t(() => { const s = new DisposableStack(); s.defer(() => { throw new Error("a"); }); s.defer(() => { throw new Error("b"); }); s.dispose(); }),
    t(() => { const s = new DisposableStack(); s.defer(() => { throw new Error("a"); }); s.defer(() => { throw new Error("b"); }); try { s.dispose(); } catch (e) { return [e.constructor.name, e.error.message, e.suppressed.message].join(); } }),
    t(() => { const s = new DisposableStack(); s.defer(() => { throw new Error("only"); }); try { s.dispose(); } catch (e) { return show(e); } }),
    t(() => DisposableStack.prototype.dispose.call({})), t(() => new DisposableStack().use({ [Symbol.dispose]: 5 }))],
  move: () => { const log = []; const a = new DisposableStack(); a.defer(() => log.push("x")); const b = a.move(); log.push(a.disposed, b.disposed); a.dispose(); log.push("a done"); b.dispose(); return [log.join(","), Object.prototype.toString.call(b)]; },
  async: async () => {
    const log = [];
    const s = new AsyncDisposableStack();
    s.use({ async [Symbol.asyncDispose]() { log.push("async1"); } });
    s.use({ [Symbol.dispose]() { log.push("syncFallback"); } });
    s.defer(async () => { await null; log.push("defer"); });
    s.adopt(7, async (v) => log.push("adopt " + v));
    const p = s.disposeAsync();
    log.push("returned " + Object.prototype.toString.call(p));
    await p;
    log.push("after " + s.disposed);
    return [log.join(","), await ta(() => s.disposeAsync()), await ta(async () => { const x = new AsyncDisposableStack(); x.defer(() => { throw new Error("a"); }); x.defer(async () => { throw new Error("b"); }); await x.disposeAsync(); }), await ta(() => new AsyncDisposableStack().use(5)), await ta(() => AsyncDisposableStack.prototype.disposeAsync.call({}))];
  },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
