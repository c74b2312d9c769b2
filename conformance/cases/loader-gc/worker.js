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

// Also ours: a returned RpcTarget reached through its stub and through the call's pipeline,
// both disposed and collected, has its [Symbol.dispose]() run at most once (loaderd ran it once
// per capability).
const ONCE = {
  compatibilityDate: "2025-01-01",
  mainModule: "main.js",
  modules: {
    "main.js": `
      import { WorkerEntrypoint, RpcTarget } from "cloudflare:workers";
      let disposals = 0;
      class Counter extends RpcTarget { #n = 0; inc() { return ++this.#n; } [Symbol.dispose]() { disposals++; } }
      export default class extends WorkerEntrypoint {
        makeCounter() { return new Counter(); }
        disposals() { return disposals; }
      }
    `,
  },
};

async function disposedOnce(env) {
  const ep = env.LOADER.get("once", () => ONCE).getEntrypoint();
  let made = ep.makeCounter();
  let counter = await made;
  const calls = [await counter.inc(), await made.inc()];
  counter[Symbol.dispose]();
  made[Symbol.dispose]();
  counter = made = null;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  await scheduler.wait(50);
  return { calls, atMostOnce: (await ep.disposals()) <= 1 };
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const result = pathname === "/anonymous" ? await anonymous(env)
      : pathname === "/targets" ? await targets(env)
      : pathname === "/disposed-once" ? await disposedOnce(env) : await unnamed(env);
    return Response.json(result);
  },
};
