// Stubs received as call parameters belong to that call: the stub itself is disposed when the
// call completes, and a dup() kept past it fails as I/O on behalf of a different request
// (workerd's message), while a dup used during the call works.
import { RpcTarget } from "cloudflare:workers";

const CHILD = `import { WorkerEntrypoint } from "cloudflare:workers";
let kept, keptDup;
export default class extends WorkerEntrypoint {
  async keep(cb) { kept = cb; keptDup = cb.dup(); return [await cb.hello("during"), await keptDup.hello("dup during")]; }
  async useKept() {
    const out = {};
    try { out.original = await kept.hello("later"); } catch (e) { out.original = e.name + ": " + e.message; }
    try { out.dup = await keptDup.hello("later"); } catch (e) { out.dup = e.name + ": " + e.message; }
    return out;
  }
}`;

class Greeter extends RpcTarget {
  hello(who) { return "hello " + who; }
}

export default {
  async fetch(request, env) {
    const child = env.LOADER.get("binding", () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CHILD } })).getEntrypoint();
    const during = await child.keep(new Greeter());
    const later = await child.useKept();
    return Response.json({ during, later });
  },
};
