// Event and CustomEvent: construction, init dictionaries, flags, constants, shapes and errors.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.message]; }
}
function accessors(C) {
  return Object.getOwnPropertyNames(C.prototype).filter((k) => {
    const d = Object.getOwnPropertyDescriptor(C.prototype, k);
    return d.get && d.enumerable;
  }).sort();
}
function methods(C) {
  return Object.getOwnPropertyNames(C.prototype).filter((k) => {
    const d = Object.getOwnPropertyDescriptor(C.prototype, k);
    return typeof d.value === "function" && d.enumerable && k !== "constructor";
  }).sort();
}
export default {
  fetch() {
    const out = {};
    const e = new Event("foo");
    out.defaults = {
      type: e.type, bubbles: e.bubbles, cancelable: e.cancelable, composed: e.composed,
      defaultPrevented: e.defaultPrevented, returnValue: e.returnValue, cancelBubble: e.cancelBubble,
      isTrusted: e.isTrusted, eventPhase: e.eventPhase, target: String(e.target),
      currentTarget: String(e.currentTarget), srcElement: String(e.srcElement), timeStampType: typeof e.timeStamp, composedPath: e.composedPath(),
    };
    out.noOwnProperties = Object.getOwnPropertyNames(e);
    const init = new Event("c", { cancelable: true, bubbles: 1, composed: "yes" });
    init.preventDefault();
    out.init = [init.bubbles, init.cancelable, init.composed, init.defaultPrevented, init.returnValue];
    const notCancelable = new Event("n");
    notCancelable.preventDefault();
    out.notCancelable = [notCancelable.defaultPrevented, notCancelable.returnValue];
    const stop = new Event("s");
    stop.cancelBubble = true;
    const stay = new Event("s");
    stay.cancelBubble = false;
    const stop2 = new Event("s");
    stop2.stopPropagation();
    out.cancelBubble = [stop.cancelBubble, stay.cancelBubble, stop2.cancelBubble];
    out.typeCoercion = [new Event(undefined).type, new Event(null).type, new Event(5).type,
                        new Event({ toString() { return "obj"; } }).type];
    const order = [];
    new Event("x", { get composed() { order.push("composed"); }, get cancelable() { order.push("cancelable"); }, get bubbles() { order.push("bubbles"); } });
    out.initReadOrder = order;
    out.nullInit = new Event("x", null).bubbles;
    out.constants = [Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, e.AT_TARGET, e.BUBBLING_PHASE];
    out.accessors = accessors(Event);
    out.methods = methods(Event);
    out.tag = [Object.prototype.toString.call(e), String(e)];
    out.errors = [
      error(() => new Event()),
      error(() => Event("x")),
      error(() => new Event("x", 5)),
      error(() => new Event(Symbol())),
      error(() => Object.getOwnPropertyDescriptor(Event.prototype, "type").get.call({}))[0],
      error(() => Event.prototype.preventDefault.call({}))[0],
    ];
    class MyEvent extends Event {
      constructor() { super("mine", { cancelable: true }); this.extra = 1; }
    }
    const mine = new MyEvent();
    mine.preventDefault();
    out.subclass = [mine.type, mine.extra, mine.defaultPrevented, mine instanceof Event, Object.prototype.toString.call(mine)];

    const ce = new CustomEvent("cust", { detail: { a: 1 }, bubbles: true });
    out.custom = [ce.type, ce.detail, ce.bubbles, new CustomEvent("x").detail, new CustomEvent("x", { detail: undefined }).detail,
                  new CustomEvent("x", { detail: 0 }).detail, ce instanceof Event];
    out.customAccessors = accessors(CustomEvent);
    out.customErrors = [error(() => new CustomEvent()), error(() => CustomEvent("x")), error(() => new CustomEvent("x", 5))];
    return Response.json(out);
  },
};
