// Host values crossing JS RPC (spec §8.3), probed on workerd; one item per request. The child
// echoes what it received, described.
const CHILD = `export default {
  async echo(v) {
    const tag = Object.prototype.toString.call(v);
    let detail = "";
    if (v instanceof Blob) detail = (v instanceof File ? "file " + v.name + " " : "") + v.type + " " + v.size + " " + await v.text();
    else if (v instanceof AbortSignal) detail = "aborted=" + v.aborted + " reason=" + v.reason;
    else if (v instanceof WritableStream) { const w = v.getWriter(); await w.write(new TextEncoder().encode("to writable")); await w.close(); detail = "written"; }
    else if (typeof v === "object" && v !== null) detail = JSON.stringify(v) + " " + typeof v.valueOf();
    return tag + " " + detail;
  },
  make(kind) {
    if (kind === "blob") return new Blob(["blob body"], { type: "text/plain" });
    if (kind === "file") return new File(["file body"], "f.txt", { type: "text/x", lastModified: 5 });
    if (kind === "signal") { const c = new AbortController(); c.abort("why"); return c.signal; }
    if (kind === "boxed") return [new Number(1), new String("s"), new Boolean(false), Object(5n)];
    if (kind === "formData") { const f = new FormData(); f.append("a", "1"); return f; }
    if (kind === "urlSearchParams") return new URLSearchParams("a=1");
    if (kind === "url") return new URL("https://x/y");
    if (kind === "textEncoder") return new TextEncoder();
    if (kind === "event") return new Event("x");
    if (kind === "eventTarget") return new EventTarget();
    if (kind === "weakMap") return new WeakMap();
    if (kind === "bigint") return 10n ** 20n;
    if (kind === "errorCause") return new Error("outer", { cause: new TypeError("inner") });
    if (kind === "sharedArray") return new SharedArrayBuffer(4);
    return null;
  },
};`;
const child = (env) => env.LOADER.get("c", () => ({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD } })).getEntrypoint();
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
async function outcome(p) { try { const v = await p; return `ok ${typeof v === "string" ? v : Object.prototype.toString.call(v) + " " + (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v))}`; } catch (e) { return `err ${show(e)}`; } }

const ITEMS = {
  sendBlob: (env) => outcome(child(env).echo(new Blob(["hello"], { type: "text/plain" }))),
  sendFile: (env) => outcome(child(env).echo(new File(["hi"], "a.txt", { type: "text/x" }))),
  sendSignal: (env) => { const c = new AbortController(); c.abort("stop"); return outcome(child(env).echo(c.signal)); },
  sendLiveSignal: (env) => outcome(child(env).echo(new AbortController().signal)),
  sendWritable: async (env) => {
    const { readable, writable } = new TransformStream();
    const reading = new Response(readable).text();
    const r = await outcome(child(env).echo(writable));
    return `${r} | ${await reading}`;
  },
  sendBoxed: (env) => outcome(child(env).echo([new Number(1), new String("s"), new Boolean(false)])),
  receiveBlob: async (env) => { try { const b = await child(env).make("blob"); return `${Object.prototype.toString.call(b)} ${b.type} ${await b.text()}`; } catch (e) { return `err ${show(e)}`; } },
  receiveFile: async (env) => { try { const b = await child(env).make("file"); return `${Object.prototype.toString.call(b)} ${b.name} ${b.lastModified} ${await b.text()}`; } catch (e) { return `err ${show(e)}`; } },
  receiveSignal: async (env) => { try { const s = await child(env).make("signal"); return `${Object.prototype.toString.call(s)} ${s.aborted} ${s.reason}`; } catch (e) { return `err ${show(e)}`; } },
  // (The size reported differs by a few bytes of framing between the runtimes.)
  sendBigBlob: async (env) => (await outcome(child(env).echo(new Blob([new Uint8Array(33 * 1024 * 1024)])))).replace(/: \d+ bytes/, ": N bytes"),
  sendNavigator: (env) => outcome(child(env).echo(navigator)),
  receiveBoxed: async (env) => { try { const v = await child(env).make("boxed"); return v.map((x) => `${Object.prototype.toString.call(x)}:${x.valueOf()}`).join(","); } catch (e) { return `err ${show(e)}`; } },
  receiveFormData: (env) => outcome(child(env).make("formData")),
  receiveUrlSearchParams: (env) => outcome(child(env).make("urlSearchParams")),
  receiveUrl: (env) => outcome(child(env).make("url")),
  receiveTextEncoder: (env) => outcome(child(env).make("textEncoder")),
  receiveEvent: (env) => outcome(child(env).make("event")),
  receiveEventTarget: (env) => outcome(child(env).make("eventTarget")),
  receiveWeakMap: (env) => outcome(child(env).make("weakMap")),
  receiveBigint: (env) => outcome(child(env).make("bigint")),
  receiveErrorCause: async (env) => { try { const e = await child(env).make("errorCause"); return `${show(e)} cause=${show(e.cause)}`; } catch (e) { return `err ${show(e)}`; } },
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
