// Isolation (workerd's isolateUniqueness and namespace sharing by id): every load() is a fresh
// isolate; bindings with the same id share named workers; a binding without an id has its own
// namespace; globals changed by a child never reach the parent or another child.
const CODE = `
let counter = 0;
export default {
  bump(x) { return ++counter; },
  setGlobal(x) { globalThis.leaked = x; Array.prototype.evil = () => "evil"; return typeof globalThis.leaked; },
  readGlobal(x) { return [typeof globalThis.leaked, typeof [].evil]; },
};`;
const code = () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } });

export default {
  async fetch(request, env) {
    const out = {};
    const a = env.SHARED1.load(code()).getEntrypoint();
    const b = env.SHARED1.load(code()).getEntrypoint();
    out.loadsAreSeparate = [await a.bump(0), await a.bump(0), await b.bump(0)];
    const name = "named-" + Math.random();
    out.sharedById = [await env.SHARED1.get(name, code).getEntrypoint().bump(0),
                      await env.SHARED2.get(name, code).getEntrypoint().bump(0)];
    out.privateNamespace = await env.PRIVATE.get(name, code).getEntrypoint().bump(0);
    out.setGlobal = await a.setGlobal("x");
    out.otherChild = await b.readGlobal(0);
    out.parent = [typeof globalThis.leaked, typeof [].evil];
    return Response.json(out);
  },
};
