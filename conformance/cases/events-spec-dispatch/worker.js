// Dispatch details where loaderd follows the DOM Standard and workerd does not.
export default {
  fetch() {
    const out = {};
    const t = new EventTarget();
    const log = [];
    t.addEventListener("x", () => { log.push(1); throw new Error("listener failure"); });
    t.addEventListener("x", function () { log.push(["this is the target", this === t]); });
    t.addEventListener("x", () => log.push(3), { once: true });
    const event = new Event("x", { cancelable: true });
    let threw = false;
    try { out.returned = t.dispatchEvent(event); } catch { threw = true; }
    out.threw = threw;
    out.log = log;
    out.afterDispatch = [event.currentTarget, event.eventPhase, event.target === t];
    // A stop-propagation flag set before dispatch skips the listeners and is then cleared.
    let calls = 0;
    const t2 = new EventTarget();
    t2.addEventListener("y", () => calls++);
    const stopped = new Event("y");
    stopped.stopPropagation();
    t2.dispatchEvent(stopped);
    out.stoppedBeforeDispatch = [calls, stopped.cancelBubble];
    // stopImmediatePropagation also sets the stop-propagation flag.
    const immediate = new Event("z");
    immediate.stopImmediatePropagation();
    out.immediateSetsCancelBubble = immediate.cancelBubble;
    // preventDefault on a non-cancelable event leaves dispatchEvent's result true.
    const t3 = new EventTarget();
    t3.addEventListener("p", (e) => e.preventDefault());
    out.nonCancelableResult = t3.dispatchEvent(new Event("p"));
    // handleEvent is looked up at dispatch time.
    const t4 = new EventTarget();
    const seen = [];
    const handlerObject = { handleEvent() { seen.push("old"); } };
    t4.addEventListener("h", handlerObject);
    handlerObject.handleEvent = function () { seen.push(["new", this === handlerObject]); };
    t4.dispatchEvent(new Event("h"));
    out.handleEventLookup = seen;
    // onabort handlers are called with the signal as `this`.
    const ac = new AbortController();
    ac.signal.onabort = function () { out.onabortThis = this === ac.signal; };
    ac.abort();
    out.constructorChain = [Object.getPrototypeOf(AbortSignal) === EventTarget, Object.getPrototypeOf(CustomEvent) === Event];
    out.performanceToJSON = JSON.stringify(performance);
    return Response.json(out);
  },
};
