// node:events: EventEmitter ordering, once/prepend/off, 'error' semantics, listener bookkeeping,
// newListener/removeListener events, and events.once().
import EventEmitter, { once, errorMonitor } from "node:events";
import * as events from "node:events";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };

export default {
  async fetch() {
    const log = [];
    const e = new EventEmitter();
    const a = (x) => log.push(`a${x}`);
    const b = (x) => log.push(`b${x}`);
    e.on("x", a);
    e.prependListener("x", b);
    e.once("x", (x) => log.push(`once${x}`));
    e.prependOnceListener("x", (x) => log.push(`ponce${x}`));
    const emitted = [e.emit("x", 1), e.emit("x", 2), e.emit("nobody")];
    const counts = [e.listenerCount("x"), e.listeners("x").length, e.rawListeners("x").length, e.eventNames()];
    e.off("x", a);
    const afterOff = e.listenerCount("x");
    e.removeAllListeners("x");
    const afterAll = [e.listenerCount("x"), e.eventNames()];

    const meta = [];
    const m = new EventEmitter();
    m.on("newListener", (name) => meta.push(`new:${String(name)}`));
    m.on("removeListener", (name) => meta.push(`remove:${String(name)}`));
    const f = () => {};
    m.on("y", f);
    m.once("z", f);
    m.emit("z");
    m.removeListener("y", f);

    const thisValues = [];
    const t = new EventEmitter();
    t.on("e", function () { thisValues.push(this === t); });
    t.emit("e");

    const removalDuringEmit = [];
    const r = new EventEmitter();
    const first = () => { removalDuringEmit.push("first"); r.off("go", second); };
    const second = () => removalDuringEmit.push("second");
    r.on("go", first);
    r.on("go", second);
    r.emit("go");
    r.emit("go");

    const monitored = [];
    const em = new EventEmitter();
    em.on(errorMonitor, (err) => monitored.push(err.message));

    class Sub extends EventEmitter {}
    const sub = new Sub();
    const max = [sub.getMaxListeners(), EventEmitter.defaultMaxListeners, sub.setMaxListeners(1) === sub, sub.getMaxListeners()];

    const later = new EventEmitter();
    const waited = once(later, "ready");
    later.emit("ready", 1, 2);
    const failing = new EventEmitter();
    const failed = once(failing, "ready").catch((err) => err.message);
    failing.emit("error", new Error("broke"));

    return Response.json({
      log, emitted, counts, afterOff, afterAll, meta, thisValues, removalDuringEmit,
      errors: [
        attempt(() => new EventEmitter().emit("error", new Error("bad"))),
        attempt(() => new EventEmitter().emit("error", "str")),
        attempt(() => new EventEmitter().emit("error")),
        attempt(() => new EventEmitter().on("x", 5)),
        attempt(() => em.emit("error", new Error("watched"))),
        attempt(() => { const h = new EventEmitter(); h.on("error", (x) => log.push(x)); return h.emit("error", "handled"); }),
      ],
      monitored, max,
      once: [await waited, await failed],
      exports: [events.default === EventEmitter, events.EventEmitter === EventEmitter, EventEmitter.EventEmitter === EventEmitter,
                typeof events.once, typeof events.on, typeof events.errorMonitor, sub instanceof EventEmitter,
                typeof EventEmitter.listenerCount, EventEmitter.prototype.on === EventEmitter.prototype.addListener],
    });
  },
};
