// DOMExceptions as JS RPC values (probed on workerd; one item per request).
const load = (env, src) => env.LOADER.load({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": src } }).getEntrypoint();
const show = (v) => v instanceof Error || v instanceof DOMException ? `${Object.prototype.toString.call(v)} ${v.constructor?.name} ${v.name} ${v.message} code=${v.code} dom=${v instanceof DOMException} err=${v instanceof Error} stack=${typeof v.stack} keys=${Object.keys(v).join(",")}` : JSON.stringify(v);
async function outcome(p) { try { return "value: " + show(await p); } catch (e) { return "threw: " + show(e); } }
const ITEMS = {
  returned: (env) => outcome(load(env, "export default { f(x) { return new DOMException('gone', 'NotFoundError'); } }").f(1)),
  nested: (env) => outcome(load(env, "export default { f(x) { return { e: new DOMException('bad', 'DataCloneError') }; } }").f(1).then((o) => o.e)),
  thrown: (env) => outcome(load(env, "export default { f(x) { throw new DOMException('nope', 'InvalidStateError'); } }").f(1)),
  argument: (env) => outcome(load(env, "export default { f(e) { return String(e instanceof DOMException) + ' ' + e.name + ' ' + e.code; } }").f(new DOMException('arg', 'AbortError'))),
  protoChanged: (env) => outcome(load(env, "export default { f(x) { const e = new DOMException('p', 'AbortError'); Object.setPrototypeOf(e, Error.prototype); return e; } }").f(1)),
  nameChanged: (env) => outcome(load(env, "export default { f(x) { const e = new DOMException('n', 'AbortError'); Object.defineProperty(e, 'name', { value: 'NotFoundError' }); Object.defineProperty(e, 'message', { value: 'changed' }); return e; } }").f(1)),
  stackChanged: (env) => outcome(load(env, "export default { f(x) { const e = new DOMException('s', 'AbortError'); e.stack = 'custom stack'; return e.stack === 'custom stack' ? e : 'not set'; } }").f(1).then((e) => e.stack)),
  subclassArgument: (env) => outcome(load(env, "export default { f(e) { return Object.prototype.toString.call(e) + ' ' + e.constructor.name + ' ' + e.name + ' ' + e.more; } }").f(new (class extends DOMException { constructor() { super('sub', 'AbortError'); this.more = 2; } })())),
  fakeDom: (env) => outcome(load(env, "export default { f(x) { return Object.create(DOMException.prototype); } }").f(1)),
  identity: (env) => outcome(load(env, "export default { f(x) { const e = new DOMException('i', 'AbortError'); return { a: e, b: e }; } }").f(1).then((o) => o.a === o.b)),
  custom: (env) => outcome(load(env, "export default { f(x) { const e = new DOMException('c', 'NotFoundError'); e.extra = 1; return e; } }").f(1)),
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
