// AbortController and AbortSignal: abort reasons, the abort event, onabort, throwIfAborted,
// AbortSignal.abort/timeout/any, and their errors.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.message]; }
}
function describe(e) {
  return e instanceof Error ? [e.constructor.name, e.name, e.message, e.code ?? null] : [typeof e, String(e)];
}
export default {
  async fetch() {
    const out = {};
    const ac = new AbortController();
    out.initial = [ac.signal === ac.signal, ac.signal.aborted, String(ac.signal.reason), ac.signal.onabort,
                   ac.signal instanceof EventTarget];
    const seen = [];
    ac.signal.onabort = (ev) => seen.push(["onabort", ev.type, ev.constructor.name, ev.target === ac.signal,
                                           ev.isTrusted, ev.bubbles, ev.cancelable, ev.eventPhase]);
    ac.signal.addEventListener("abort", () => seen.push(["listener", ac.signal.aborted, describe(ac.signal.reason)]));
    ac.abort();
    ac.abort("again");  // no effect: a signal aborts once
    out.events = seen;
    out.reason = describe(ac.signal.reason);
    out.throwIfAborted = error(() => ac.signal.throwIfAborted());
    out.throwsReasonItself = (() => { try { ac.signal.throwIfAborted(); } catch (e) { return e === ac.signal.reason; } })();
    out.notAborted = error(() => new AbortController().signal.throwIfAborted());
    const custom = new AbortController();
    const reason = new TypeError("custom");
    custom.abort(reason);
    out.customReason = [custom.signal.reason === reason, error(() => custom.signal.throwIfAborted())];
    out.staticAbort = [describe(AbortSignal.abort().reason), describe(AbortSignal.abort(undefined).reason),
                       AbortSignal.abort(null).reason, AbortSignal.abort(42).reason, AbortSignal.abort("s").aborted];
    out.onabortValues = (() => {
      const s = new AbortController().signal;
      const o = { handleEvent() {} };
      const results = [];
      s.onabort = 5; results.push(s.onabort);
      s.onabort = "str"; results.push(s.onabort);
      s.onabort = o; results.push(s.onabort === o);
      s.onabort = null; results.push(s.onabort);
      return results;
    })();
    out.onabortPosition = (() => { const c = new AbortController(); const l = []; c.signal.addEventListener("abort", () => l.push("a")); c.signal.onabort = () => l.push("on1"); c.signal.addEventListener("abort", () => l.push("b")); c.signal.onabort = () => l.push("on2"); c.abort(); return l; })();
    out.onabortReset = (() => { const c = new AbortController(); const l = []; c.signal.onabort = () => l.push("on1"); c.signal.addEventListener("abort", () => l.push("b")); c.signal.onabort = null; c.signal.onabort = () => l.push("on2"); c.abort(); return l; })();
    out.reentrantAbort = (() => { const c = new AbortController(); const l = []; c.signal.onabort = () => { l.push("first"); c.abort("x"); }; c.abort("y"); return [l, c.signal.reason]; })();
    out.manualEvent = (() => { const c = new AbortController(); const r = []; c.signal.onabort = (e) => r.push([c.signal.aborted, e.isTrusted]); c.signal.dispatchEvent(new Event("abort")); return r; })();
    out.listenerAfterAbort = (() => { const s = AbortSignal.abort(); let n = 0; s.addEventListener("abort", () => n++); return n; })();

    const t = AbortSignal.timeout(5);
    const before = t.aborted;
    out.timeout = [before, await new Promise((resolve) => t.addEventListener("abort", () => resolve(describe(t.reason))))];
    out.timeoutLenient = [AbortSignal.timeout(0).aborted, AbortSignal.timeout(1.5).aborted, AbortSignal.timeout(2 ** 40).aborted];
    out.timeoutZero = await new Promise((resolve) => { const s = AbortSignal.timeout(0); s.onabort = () => resolve(s.reason.name); });

    const a1 = new AbortController(), a2 = new AbortController();
    const any = AbortSignal.any([a1.signal, a2.signal]);
    const anyEvents = [];
    any.onabort = () => anyEvents.push(any.reason);
    a2.abort("r2");
    a1.abort("r1");
    out.any = [any.aborted, any.reason, anyEvents];
    out.anyPreAborted = AbortSignal.any([new AbortController().signal, AbortSignal.abort("pre"), AbortSignal.abort("later")]).reason;
    out.anyEmpty = AbortSignal.any([]).aborted;
    out.anyChain = (() => {
      const a = new AbortController();
      const d = AbortSignal.any([a.signal]);
      const d2 = AbortSignal.any([d]);
      const l = [];
      a.signal.onabort = () => l.push(["source", d.aborted, d2.aborted]);
      d.onabort = () => l.push("d");
      d2.onabort = () => l.push("d2");
      a.abort("chain");
      return [l, d2.reason];
    })();
    out.anyTimeout = await new Promise((resolve) => { const s = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(1)]); s.onabort = () => resolve(s.reason.name); });

    const brand = (f) => error(f)[0];
    out.errors = [
      error(() => new AbortSignal()),
      error(() => AbortController()),
      error(() => AbortSignal.timeout()),
      error(() => AbortSignal.any()),
      error(() => AbortSignal.any(5)),
      error(() => AbortSignal.any([1])),
      error(() => AbortSignal.any([AbortSignal.abort(), {}])),
      brand(() => AbortSignal.prototype.aborted),
      brand(() => AbortController.prototype.abort.call({})),
      brand(() => Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason").get.call(new EventTarget())),
      brand(() => AbortSignal.prototype.throwIfAborted.call(new AbortController())),
    ];
    out.shapes = [Object.keys(AbortSignal).sort(), Object.keys(AbortSignal.prototype).sort(), Object.keys(AbortController.prototype).sort(),
                  Object.prototype.toString.call(ac), Object.prototype.toString.call(ac.signal)];
    return Response.json(out);
  },
};
