// structuredClone of DOMExceptions within one isolate (probed on workerd; one item per request).
const show = (v) => v instanceof Error || v instanceof DOMException ? `${Object.prototype.toString.call(v)} ${v.constructor?.name} ${v.name} ${v.message} code=${v.code} dom=${v instanceof DOMException} err=${v instanceof Error} stack=${typeof v.stack} keys=${Object.keys(v).join(",")} own=${Object.getOwnPropertyNames(v).join(",")}` : JSON.stringify(v);
function outcome(f) { try { return "value: " + show(f()); } catch (e) { return "threw: " + show(e); } }
class MyDom extends DOMException { constructor() { super("sub", "AbortError"); this.more = 2; } }
const ITEMS = {
  plain: () => outcome(() => structuredClone(new DOMException("gone", "NotFoundError"))),
  noArgs: () => outcome(() => structuredClone(new DOMException())),
  customName: () => outcome(() => structuredClone(new DOMException("m", "MyOwnError"))),
  nested: () => outcome(() => structuredClone({ e: new DOMException("bad", "DataCloneError") }).e),
  inArray: () => outcome(() => structuredClone([1, new DOMException("x", "TimeoutError")])[1]),
  inMap: () => outcome(() => structuredClone(new Map([["k", new DOMException("y", "SyntaxError")]])).get("k")),
  extraProps: () => outcome(() => { const e = new DOMException("c", "NotFoundError"); e.extra = 1; return structuredClone(e); }),
  subclass: () => outcome(() => structuredClone(new MyDom())),
  identity: () => outcome(() => { const e = new DOMException("i", "AbortError"); const r = structuredClone({ a: e, b: e }); return r.a === r.b; }),
  stackKept: () => outcome(() => { const e = new DOMException("s", "AbortError"); return structuredClone(e).stack === e.stack; }),
  stackChanged: () => outcome(() => { const e = new DOMException("s", "AbortError"); Object.defineProperty(e, "stack", { value: "custom stack" }); return structuredClone(e).stack; }),
  asCause: () => outcome(() => { const c = structuredClone(new Error("outer", { cause: new DOMException("inner", "AbortError") })); return c.cause; }),
  errorOwnCause: () => outcome(() => { const c = structuredClone(new Error("outer", { cause: new DOMException("inner", "AbortError") })); return Object.prototype.toString.call(c) + " " + c.message; }),
  nameChanged: () => outcome(() => { const e = new DOMException("n", "AbortError"); Object.defineProperty(e, "name", { value: "NotFoundError" }); return structuredClone(e); }),
  messageChanged: () => outcome(() => { const e = new DOMException("n", "AbortError"); Object.defineProperty(e, "message", { value: "changed" }); return structuredClone(e); }),
  protoChanged: () => outcome(() => { const e = new DOMException("p", "AbortError"); Object.setPrototypeOf(e, Error.prototype); return structuredClone(e); }),
  fakeDom: () => outcome(() => structuredClone(Object.create(DOMException.prototype))),
  cloneTwice: () => outcome(() => structuredClone(structuredClone(new DOMException("t", "QuotaExceededError")))),
  notCloned: () => outcome(() => { const e = new DOMException("nc", "AbortError"); return structuredClone(e) !== e; }),
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
