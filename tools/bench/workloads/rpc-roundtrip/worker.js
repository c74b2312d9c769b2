// 100 sequential JS RPC round trips from the parent to a warm dynamic worker per request:
// requests/second x 100 = round trips/second.
import { WorkerEntrypoint } from "cloudflare:workers";
const CODE = `import { WorkerEntrypoint } from "cloudflare:workers";
export default class extends WorkerEntrypoint { add(a, b) { return a + b; } }`;
export default {
  async fetch(request, env) {
    const ep = env.LOADER.get("rpc", () => ({ compatibilityDate: "2025-06-01", mainModule: "m.js", modules: { "m.js": CODE } })).getEntrypoint();
    let sum = 0;
    for (let i = 0; i < 100; i++) sum = await ep.add(sum, 1);
    return new Response(String(sum));
  },
};
