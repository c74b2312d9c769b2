// Ported from workerd's worker-loader-gc-test.js and worker-loader-unnamed-gc-test.js: the
// runtime must survive garbage collection of worker stubs at awkward moments. After each, a new
// worker is loaded and called, so a runtime that only limped on would fail too.
const FETCH_OK = {
  compatibilityDate: "2025-01-01",
  mainModule: "main.js",
  modules: { "main.js": "export default { fetch() { return new Response('ok'); } }" },
};
const PING = {
  compatibilityDate: "2025-01-01",
  mainModule: "main.js",
  modules: {
    "main.js": `
      import { WorkerEntrypoint } from "cloudflare:workers";
      export default class extends WorkerEntrypoint { ping() { return "pong"; } }
    `,
  },
};

async function anonymous(env) {
  // The stub is the only owner of its anonymous worker.
  let stub = env.LOADER.load(FETCH_OK);
  const first = await (await stub.getEntrypoint().fetch("http://x/")).text();
  stub = null;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const after = await (await env.LOADER.load(FETCH_OK).getEntrypoint().fetch("http://x/")).text();
  return { first, gcIsAFunction: typeof gc === "function", after };
}

async function unnamed(env) {
  let getCodeCalled = false;
  let stub = env.LOADER.get(null, async () => {
    getCodeCalled = true;
    // Drop the only reference to the stub whose code is being fetched, and collect.
    stub = null;
    gc();
    gc();
    return PING;
  });
  await scheduler.wait(100);
  const after = await env.LOADER.get(null, () => PING).getEntrypoint().ping();
  return { getCodeCalled, after, stubDropped: stub === null };
}

// Beyond workerd's tests: a child's RpcTarget (with a disposer) and the child itself dropped
// together and collected; loaderd segfaulted here once (the disposal ran in a task of the child
// that held the child's last reference).
const TARGET = {
  compatibilityDate: "2025-01-01",
  mainModule: "main.js",
  modules: {
    "main.js": `
      import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
      class Counter extends RpcTarget { hi() { return 1; } [Symbol.dispose]() {} }
      export default class extends WorkerEntrypoint { target() { return new Counter(); } }
    `,
  },
};

async function targets(env) {
  let sum = 0;
  for (let i = 0; i < 5; i++) {
    let target = await env.LOADER.load(TARGET).getEntrypoint().target();
    sum += await target.hi();
    target = null;
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { sum };
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const result = pathname === "/anonymous" ? await anonymous(env)
      : pathname === "/targets" ? await targets(env) : await unnamed(env);
    return Response.json(result);
  },
};
