// The global scope as an event target and unhandled promise rejections, as on workerd (probed
// there item by item); one item per request.
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
const t = (f) => { try { const v = f(); return typeof v === "object" && v !== null ? Object.prototype.toString.call(v) : typeof v + " " + String(v); } catch (e) { return "err " + show(e); } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ITEMS = {
  // (workerd's addEventListener and friends live on the global's prototype, loaderd's on the
  // global itself, where its builtins define every global: left out, with toString().)
  shape: () => [t(() => typeof addEventListener), t(() => addEventListener.length), t(() => removeEventListener.length), t(() => dispatchEvent.length), t(() => origin), t(() => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(globalThis), "origin") ? "proto accessor" : "none"), t(() => typeof onunhandledrejection), t(() => globalThis instanceof ServiceWorkerGlobalScope), t(() => new ServiceWorkerGlobalScope()), t(() => ServiceWorkerGlobalScope.name), t(() => addEventListener.call(undefined, "x", () => {})), t(() => addEventListener.call({}, "x", () => {}))],
  custom: () => {
    const seen = [];
    const f = (e) => seen.push([e.type, e.target === globalThis, e.currentTarget === globalThis, e.eventPhase, this === undefined].join("/"));
    addEventListener("custom", f);
    const r1 = dispatchEvent(new Event("custom"));
    addEventListener("custom", f);  // once only
    dispatchEvent(new Event("custom"));
    removeEventListener("custom", f);
    dispatchEvent(new Event("custom"));
    addEventListener("c2", { handleEvent(e) { seen.push("obj " + e.type); } }, { once: true });
    dispatchEvent(new CustomEvent("c2")); dispatchEvent(new CustomEvent("c2"));
    addEventListener("c3", (e) => e.preventDefault());
    const r3 = dispatchEvent(new Event("c3", { cancelable: true }));
    return [seen.join("|"), r1, r3, t(() => dispatchEvent("x")), t(() => addEventListener("x"))];
  },
  rejection: async () => {
    const seen = [];
    const h = (e) => seen.push([e.type, Object.prototype.toString.call(e), e.reason?.message ?? String(e.reason), e.promise instanceof Promise, e.cancelable, e.isTrusted].join("/"));
    addEventListener("unhandledrejection", h);
    addEventListener("rejectionhandled", h);
    const p = Promise.reject(new Error("nobody"));
    await sleep(10);
    seen.push("after10");
    p.catch(() => {});
    await sleep(10);
    Promise.reject(42);
    await sleep(10);
    removeEventListener("unhandledrejection", h);
    removeEventListener("rejectionhandled", h);
    return seen;
  },
  handledSameTurn: async () => {
    const seen = [];
    const h = (e) => seen.push(e.type);
    addEventListener("unhandledrejection", h);
    const p = Promise.reject(new Error("x"));
    await null;
    p.catch(() => {});
    await sleep(10);
    removeEventListener("unhandledrejection", h);
    return seen;
  },
  prevented: async () => {
    const h = (e) => e.preventDefault();
    addEventListener("unhandledrejection", h);
    Promise.reject(new Error("prevented one"));
    await sleep(10);
    removeEventListener("unhandledrejection", h);
    return "ok";
  },
  unlistened: async () => { Promise.reject(new TypeError("nobody listens")); await sleep(10); return "ok"; },
  listenerThrows: async () => {
    const h = () => { throw new Error("from listener"); };
    addEventListener("unhandledrejection", h);
    Promise.reject(new Error("r"));
    await sleep(10);
    removeEventListener("unhandledrejection", h);
    return "ok";
  },
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
