import { WorkerEntrypoint, env as topEnv } from "cloudflare:workers";
// What a module may do while it is evaluated (its top level: workerd's "global scope"): timers,
// I/O (fetch, RPC, bodies, native streams) and random values are refused with workerd's
// "Disallowed operation called within global scope…", and the clocks read 0. Probed item by item
// on workerd; each item loads a dynamic worker whose top level tries one operation.
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : v; } catch (e) { return `${e?.name}: ${e?.message}`.slice(0, 400); } }
const load = (env, src, flags = []) => env.LOADER.load({ compatibilityDate: "2025-01-01", compatibilityFlags: flags, mainModule: "c.js", modules: { "c.js": src } }).getEntrypoint();
const probe = (expr) => `let r; try { const v = await (${expr}); r = 'ok ' + typeof v; } catch (e) { r = e.name + ': ' + e.message; } export default { ping() { return r; } }`;
const OPS = {
  setTimeout: "setTimeout(() => {}, 1)",
  setInterval: "setInterval(() => {}, 1000)",
  clearTimeout: "clearTimeout(1)",
  queueMicrotask: "queueMicrotask(() => {})",
  getRandomValues: "crypto.getRandomValues(new Uint8Array(4))",
  randomUUID: "crypto.randomUUID()",
  mathRandom: "Math.random()",
  digest: "crypto.subtle.digest('SHA-256', new Uint8Array(4))",
  generateKey: "crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])",
  importKey: "crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])",
  fetch: "fetch('http://127.0.0.1:9/')",
  abortController: "new AbortController()",
  abortSignalTimeout: "AbortSignal.timeout(10)",
  abortSignalAbort: "AbortSignal.abort()",
  schedulerWait: "scheduler.wait(1)",
  responseText: "new Response('x').text()",
  requestText: "new Request('http://x/', { method: 'POST', body: 'x' }).text()",
  readStream: "new ReadableStream({ start(c) { c.enqueue(1); c.close(); } }).getReader().read()",
  blobText: "new Blob(['x']).text()",
  dateNow: "Date.now() === 0 ? 'zero' : 'nonzero'",
  performanceNow: "performance.now()",
  structuredClone: "structuredClone({ a: 1 })",
  compression: "new Response(new Blob(['x']).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()",
  transformStream: "new TransformStream()",
  textEncoder: "new TextEncoder().encode('x')",
  requestWithBody: "new Request('http://x/', { method: 'POST', body: 'x' })",
  responseStreamText: "new Response(new ReadableStream({ start(c) { c.close(); } })).text()",
  abortSignalTimeoutLater: "(() => { const c = new AbortController(); c.abort(); return c.signal.aborted; })()",
  compressionStream: "new CompressionStream('gzip')",
  responseCtor: "new Response('x')",
  responseBody: "new Response('x').body",
  responseBodyRead: "new Response('x').body.getReader().read()",
  responseClone: "new Response('x').clone()",
  responseJson: "Response.json({ a: 1 }).json()",
  requestFormData: "new Request('http://x/', { method: 'POST', body: new URLSearchParams('a=1') }).formData()",
  headers: "new Headers({ a: '1' })",
  hmacSign: "crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']).then((k) => crypto.subtle.sign('HMAC', k, new Uint8Array(1)))",
  aesEncrypt: "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, new Uint8Array(1)))",
  textDecoderStream: "new TextDecoderStream()",
  identityTransform: "new IdentityTransformStream()",
  fixedLength: "new FixedLengthStream(1)",
  abortSignalAny: "AbortSignal.any([])",
  eventTarget: "new EventTarget().dispatchEvent(new Event('x'))",
  timerAfterAwait: "Promise.resolve().then(() => setTimeout(() => {}, 1))",
  dynamicImport: "import('data:text/javascript,export default 1')",
  dynamicImportMissing: "import('./missing.js')",
  dynamicImportBare: "import('missing')",
  responseNoBody: "new Response()",
  responseNull: "new Response(null, { status: 204 })",
  responseEmptyString: "new Response('')",
  responseStream: "new Response(new ReadableStream())",
  responseError: "Response.error()",
  responseRedirect: "Response.redirect('http://x/', 302)",
  responseJsonCtor: "Response.json({ a: 1 })",
  requestNoBody: "new Request('http://x/')",
  requestNoBodyClone: "new Request('http://x/').clone()",
  requestGetBody: "new Request('http://x/').body",
  blobStream: "new Blob(['x']).stream()",
  blobArrayBuffer: "new Blob(['x']).arrayBuffer()",
  formDataCtor: "new FormData()",
  setTimeoutBadArgs: "setTimeout()",
  clearInterval: "clearInterval()",
  randomTypeError: "crypto.getRandomValues(1)",
  decompression: "new DecompressionStream('gzip')",
  subtleDeriveBits: "crypto.subtle.importKey('raw', new Uint8Array(16), 'PBKDF2', false, ['deriveBits']).then((k) => crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(4), iterations: 2 }, k, 256))",
  ecdsaGenerate: "crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])",
  performanceNowValue: "performance.now() === 0 ? 'zero' : 'nonzero'",
};
// This (static) worker's own top level.
let staticTimer;
try { setTimeout(() => {}, 1); staticTimer = "allowed"; } catch (e) { staticTimer = e.message.slice(0, 48); }
const staticClock = Date.now();
// Starting a dynamic worker is refused there too.
const staticLoader = [];
for (const f of [() => topEnv.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js", modules: { "m.js": "export default {}" } }),
                 () => topEnv.LOADER.get("n", () => { throw new Error("not called"); })]) {
  try { f(); staticLoader.push("allowed"); } catch (e) { staticLoader.push(e.message.slice(0, 48)); }
}
const ITEMS = {};
ITEMS.staticTopLevel = () => `${staticTimer} | ${staticClock} | ${Date.now() > 0} | ${staticLoader.join(" | ")}`;
const envProbe = (expr) => `import { env } from "cloudflare:workers"; ${probe(expr)}`;
const withEnv = (ctx, src) => ctx.exports && ({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": src }, env: { H: ctx.exports.Helper({ props: {} }) } });
for (const [name, expr] of Object.entries({ envRpc: "env.H.ping()", envFetch: "env.H.fetch('http://x/')", envStubType: "typeof env.H" })) {
  ITEMS[name] = (env, ctx) => outcome(env.LOADER.load(withEnv(ctx, envProbe(expr))).getEntrypoint().ping(1));
}
for (const [name, expr] of Object.entries(OPS)) ITEMS[name] = (env) => outcome(load(env, probe(expr)).ping(1));
ITEMS.dateNowValue = (env) => outcome(load(env, "const t = Date.now(); export default { ping() { return String(t === 0) + ' ' + String(Date.now() - t > 1e9); } }").ping(1));
ITEMS.nodeRandomBytes = (env) => outcome(load(env, "import c from 'node:crypto'; let r; try { c.randomBytes(4); r = 'ok'; } catch (e) { r = e.name + ': ' + e.message; } export default { ping() { return r; } }", ["nodejs_compat"]).ping(1));
ITEMS.importedModuleTimerInHandler = (env) => outcome(env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "c.js", modules: { "c.js": "export default { async ping(x) { return (await import('./m.js')).default; } }", "m.js": "let r; try { setTimeout(() => {}, 1); r = 'ok'; } catch (e) { r = e.message.slice(0, 40); } export default r;" } }).getEntrypoint().ping(1));
ITEMS.performanceValues = (env) => outcome(load(env, "const t = performance.now(); const o = performance.timeOrigin; export default { ping() { return [t, o === 0, performance.now() > 0].join(' '); } }").ping(1));
ITEMS.clearInHandler = () => { const r = []; for (const f of [() => clearTimeout(), () => clearInterval(undefined), () => clearTimeout(null), () => clearTimeout("x"), () => clearTimeout({})]) { try { f(); r.push("ok"); } catch (e) { r.push(e.message); } } return r.join(" | "); };
ITEMS.randomInHandler = () => { const r = []; for (const v of [1, new Float32Array(1), new DataView(new ArrayBuffer(1)), null]) { try { crypto.getRandomValues(v); r.push("ok"); } catch (e) { r.push(`${e.name}: ${e.message}`); } } return r.join(" | "); };
ITEMS.globalName = () => `${globalThis.constructor.name} ${Object.prototype.toString.call(globalThis)}`;
ITEMS.uncaughtTimer = (env) => outcome(load(env, "setTimeout(() => {}, 1); export default { ping() { return 'pong'; } }").ping(1));
ITEMS.timerInFunctionCalledLater = (env) => outcome(load(env, "function f() { return new Promise((r) => setTimeout(() => r('late'), 1)); } export default { ping() { return f(); } }").ping(1));
export class Helper extends WorkerEntrypoint {
  ping() { return "helper"; }
  fetch() { return new Response("helper fetch"); }
}
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
