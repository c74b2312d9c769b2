// Code generation from strings (eval, new Function) in a static worker and in dynamic workers,
// at startup and while handling a request, and a few globals agent code reaches for:
// Response.error(), navigator.userAgent, self, reportError, queueMicrotask ordering.
const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.message]; } };
const atStartup = { eval: attempt(() => eval("1 + 1")), fn: attempt(() => new Function("return 2")()) };

const CHILD = `const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.message]; } };
const atStartup = { eval: attempt(() => eval("1 + 1")), fn: attempt(() => new Function("return 2")()) };
export default {
  run(x) {
    return { atStartup, atRequest: { eval: attempt(() => eval("3")), fn: attempt(() => new Function("return 4")()),
             indirect: attempt(() => (0, eval)("5")), wasm: attempt(() => typeof WebAssembly.Module) } };
  },
};`;

export default {
  async fetch(request, env) {
    const child = env.LOADER.load({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CHILD } });
    const order = [];
    queueMicrotask(() => order.push("microtask"));
    await Promise.resolve().then(() => order.push("then"));
    const error = Response.error();
    return Response.json({
      staticAtStartup: atStartup,
      staticAtRequest: { eval: attempt(() => eval("3")), fn: attempt(() => new Function("return 4")()) },
      dynamic: await child.getEntrypoint().run(1),
      responseError: [error.status, error.type, error.ok],
      userAgent: navigator.userAgent,
      self: self === globalThis,
      reportError: typeof reportError,
      order,
    });
  },
};
