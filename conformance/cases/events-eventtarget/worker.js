// EventTarget: listener registration (dedup, null, handleEvent objects, once, passive, signal),
// dispatch order and flags, removal during dispatch, re-dispatch, subclasses, errors.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.message, e.name]; }
}
export default {
  fetch() {
    const out = {};
    const t = new EventTarget();
    const log = [];
    const h1 = (ev) => log.push(["h1", ev.eventPhase, ev.target === t, ev.currentTarget === t, ev.isTrusted, ev.composedPath().length]);
    t.addEventListener("x", h1);
    t.addEventListener("x", h1);  // a duplicate is ignored
    const handler = { handleEvent(ev) { log.push(["object", ev.type]); } };
    t.addEventListener("x", handler);
    t.addEventListener("x", () => log.push("once"), { once: true });
    t.addEventListener("x", null);
    t.addEventListener("x", undefined);
    t.addEventListener("other", () => log.push("other type"));
    const ev = new Event("x", { cancelable: true });
    out.dispatch1 = t.dispatchEvent(ev);
    out.log1 = log.splice(0);
    out.afterDispatch = [ev.eventPhase, ev.target === t, ev.composedPath()];
    t.dispatchEvent(new Event("x"));
    out.log2 = log.splice(0);
    t.removeEventListener("x", h1);
    t.removeEventListener("x", handler);
    t.dispatchEvent(new Event("x"));
    out.log3 = log.splice(0);

    out.redispatch = (() => { const tt = new EventTarget(); let n = 0; tt.addEventListener("y", () => n++); const e = new Event("y"); tt.dispatchEvent(e); tt.dispatchEvent(e); return n; })();
    out.redispatchInside = (() => { const tt = new EventTarget(); let r; const e = new Event("z"); tt.addEventListener("z", () => { r = error(() => tt.dispatchEvent(e)); }); tt.dispatchEvent(e); return r; })();
    out.prevented = (() => { const tt = new EventTarget(); tt.addEventListener("p", (e) => e.preventDefault()); const e = new Event("p", { cancelable: true }); return [tt.dispatchEvent(e), e.defaultPrevented]; })();
    out.notPrevented = (() => { const tt = new EventTarget(); tt.addEventListener("p", () => {}); return tt.dispatchEvent(new Event("p", { cancelable: true })); })();
    out.passive = (() => { const tt = new EventTarget(); let r; tt.addEventListener("p", (e) => { e.preventDefault(); r = e.defaultPrevented; }, { passive: true }); tt.dispatchEvent(new Event("p", { cancelable: true })); return r; })();
    out.stopImmediate = (() => { const tt = new EventTarget(); const l = []; tt.addEventListener("s", (e) => { l.push(1); e.stopImmediatePropagation(); }); tt.addEventListener("s", () => l.push(2)); tt.dispatchEvent(new Event("s")); return l; })();
    out.stopPropagation = (() => { const tt = new EventTarget(); const l = []; tt.addEventListener("s", (e) => { l.push(1); e.stopPropagation(); l.push(e.cancelBubble); }); tt.addEventListener("s", () => l.push(2)); tt.dispatchEvent(new Event("s")); return l; })();
    out.removeDuring = (() => { const tt = new EventTarget(); const l = []; const b = () => l.push("b"); tt.addEventListener("r", () => { l.push("a"); tt.removeEventListener("r", b); }); tt.addEventListener("r", b); tt.addEventListener("r", () => { l.push("c"); tt.addEventListener("r", () => l.push("added")); }); tt.dispatchEvent(new Event("r")); tt.dispatchEvent(new Event("r")); return l; })();
    out.signalOption = (() => { const tt = new EventTarget(); const l = []; const ac = new AbortController(); tt.addEventListener("q", () => l.push(1), { signal: ac.signal }); tt.dispatchEvent(new Event("q")); ac.abort(); tt.dispatchEvent(new Event("q")); tt.addEventListener("q", () => l.push(2), { signal: AbortSignal.abort() }); tt.dispatchEvent(new Event("q")); return l; })();
    out.onceReentrant = (() => { const tt = new EventTarget(); const l = []; tt.addEventListener("o", () => { l.push("once"); tt.dispatchEvent(new Event("o2")); }, { once: true }); tt.addEventListener("o2", () => tt.dispatchEvent(new Event("o"))); tt.dispatchEvent(new Event("o")); return l; })();
    out.falseOptions = (() => { const tt = new EventTarget(); const l = []; const f = () => l.push(1); tt.addEventListener("f", f, false); tt.addEventListener("f", f, { capture: false }); tt.addEventListener("f", f, null); tt.dispatchEvent(new Event("f")); tt.removeEventListener("f", f, false); tt.dispatchEvent(new Event("f")); return l; })();
    out.typeCoercion = (() => { const tt = new EventTarget(); let n = 0; tt.addEventListener(5, () => n++); tt.addEventListener(undefined, () => n++); tt.dispatchEvent(new Event("5")); tt.dispatchEvent(new Event("undefined")); return n; })();
    out.subclass = (() => { class My extends EventTarget { constructor() { super(); this.x = 1; } } const m = new My(); let got; m.addEventListener("a", (e) => { got = [e.target === m, m.x]; }); m.dispatchEvent(new Event("a")); return [got, m instanceof EventTarget, Object.prototype.toString.call(m)]; })();
    out.customEvent = (() => { const tt = new EventTarget(); let d; tt.addEventListener("c", (e) => { d = e.detail; }); tt.dispatchEvent(new CustomEvent("c", { detail: [1, 2] })); return d; })();
    out.methods = Object.keys(EventTarget.prototype).sort();
    const removeNone = new EventTarget();
    out.harmless = [removeNone.removeEventListener("x", () => {}), removeNone.removeEventListener("x", null),
                    removeNone.removeEventListener("x", undefined), removeNone.removeEventListener("x", {})];
    out.errors = [
      error(() => t.addEventListener()),
      error(() => t.addEventListener("x")),
      error(() => t.addEventListener("x", 5)),
      error(() => t.addEventListener("x", {})),
      error(() => t.addEventListener("x", { handleEvent: 5 })),
      error(() => t.addEventListener("x", () => {}, true)),
      error(() => t.addEventListener("x", () => {}, 5)),
      error(() => t.addEventListener("x", () => {}, { capture: true })),
      error(() => t.addEventListener("x", () => {}, { signal: 5 })),
      error(() => t.addEventListener("x", () => {}, { signal: null })),
      error(() => t.removeEventListener()),
      error(() => t.removeEventListener("x")),
      error(() => t.removeEventListener("x", 5)),
      error(() => t.removeEventListener("x", () => {}, true)),
      error(() => t.removeEventListener("x", () => {}, { capture: true })),
      error(() => t.dispatchEvent()),
      error(() => t.dispatchEvent({ type: "x" })),
      error(() => EventTarget.prototype.addEventListener.call({}, "x", () => {}))[0],
      error(() => EventTarget.prototype.dispatchEvent.call(5, new Event("x")))[0],
      error(() => EventTarget()),
    ];
    return Response.json(out);
  },
};
