// Hostile code in dynamic workers fails with its limit error, in bounded time, and the parent
// keeps serving. workerd accepts `limits` but does not enforce them (the probe with cpuMs: 10
// ran normally), so this case is loaderd-only: an intended difference.
const HOSTILE = {
  loop: ["export default { run(x) { while (true) {} } }", 50],
  microtasks: ["export default { run(x) { const f = () => Promise.resolve().then(f); f(); return new Promise(() => {}); } }", 50],
  memory: ["export default { run(x) { const a = []; while (true) a.push(new Array(100000).fill(1.5)); } }", 10000],
  recursion: ["export default { run(x) { const f = (n) => f(n + 1) + 1; return f(0); } }", 1000],
  timers: ["export default { run(x) { return new Promise(() => { const t = () => { for (let i = 0; i < 1000; i++) setTimeout(t, 0); }; t(); }); } }", 50],
  wall: ["export default { run(x) { return new Promise(() => {}); } }", 1000, 300],
  // Outside the V8 heap: ArrayBuffer and WebAssembly.Memory contents (the CPU limit is high so
  // that only the memory limit can end them).
  buffers: ["export default { run(x) { const a = []; for (let i = 0; i < 200; i++) a.push(new Uint8Array(50 << 20).fill(1)); return 'held ' + a.length * 50 + ' MB'; } }", 20000],
  // A refused allocation whose RangeError is caught still ends the worker.
  bufferCaught: ["export default { run(x) { try { new ArrayBuffer(1e9); return 'allocated'; } catch (e) { return 'caught ' + e; } } }", 20000],
  wasmMemory: ["export default { run(x) { const a = []; for (let i = 0; i < 40; i++) { const m = new WebAssembly.Memory({ initial: 1600 }); new Uint8Array(m.buffer).fill(1); a.push(m); } return 'held ' + a.length * 100 + ' MB'; } }", 20000],
  // Pending timers hold native memory: counted as external memory too.
  timerFlood: ["export default { run(x) { for (let i = 0; i < 3e6; i++) setTimeout(() => {}, 1e9); return 'armed'; } }", 20000],
  // Native memory the code keeps alive outside its heap: arguments of calls nobody awaits, and
  // bodies of Responses it keeps.
  inFlightCalls: ["export default { run(out) { const s = 'x'.repeat(30 << 20); for (let i = 0; i < 200; i++) out.take(s); return 'sent'; } }", 20000],
  keptBodies: ["export default { run(x) { const s = 'x'.repeat(30 << 20); const a = []; for (let i = 0; i < 200; i++) a.push(new Response(s)); return 'kept ' + a.length; } }", 20000],
  // Catastrophic backtracking: V8's regexp engine checks for termination as it backtracks.
  regexp: ["export default { run(x) { return /(a+)+$/.test('a'.repeat(40) + 'b'); } }", 50],
  // Native work the watchdog cannot stop inside one call: a PBKDF2 derivation of 255 blocks at
  // 10^8 iterations (hours), a 16384-bit RSA key (a minute or more). Both ask between steps.
  pbkdf2: ["export default { async run(x) { const k = await crypto.subtle.importKey('raw', new Uint8Array(8), 'PBKDF2', false, ['deriveBits']); await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(8), iterations: 1e8 }, k, 255 * 256); return 'derived'; } }", 50],
  rsaKey: ["export default { async run(x) { await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 16384, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign']); return 'generated'; } }", 50],
  subrequests: ["export default { async run(out) { for (let i = 0; i < 10; i++) await out.fetch('https://x/' + i); return 'all sent'; } }", 1000],
};

// limits.memoryMb (loaderd's extension): the same 64 MB of arrays fails under a 32 MB heap and
// fits the default 128 MB one; out-of-range values are refused by load().
const HEAP = "export default { run() { const a = []; for (let i = 0; i < 80; i++) a.push(new Array(100000).fill(1.5)); return a.length; } }";
async function heap(env, memoryMb) {
  try {
    const w = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js", modules: { "m.js": HEAP },
                                limits: memoryMb === undefined ? {} : { memoryMb } });
    return String(await w.getEntrypoint().run(1));
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

export default {
  async fetch(request, env) {
    const which = request.url.slice(request.url.lastIndexOf("/") + 1);
    if (which === "named-restart") {
      // A named worker torn down for a limit is started afresh by the next get() of its name.
      let starts = 0;
      const code = () => ({ compatibilityDate: "2025-01-01", mainModule: "m.js", limits: { cpuMs: 50 },
        modules: { "m.js": `let calls = 0; export default { spin(x) { while (true) {} }, count(x) { return ++calls; } }` },
        start: ++starts });
      const first = env.LOADER.get("restartable", code);
      const out = { before: await first.getEntrypoint().count(1) };
      try { await first.getEntrypoint().spin(1); } catch (e) { out.spin = e.message; }
      try { await first.getEntrypoint().count(1); } catch (e) { out.oldStub = e.message; }
      out.after = await env.LOADER.get("restartable", code).getEntrypoint().count(1);
      out.starts = starts;
      return Response.json(out);
    }
    if (which === "named-startup-limit") {
      // A named worker whose startup hit a limit is retried by the next get() (other failed
      // starts stay cached, as on workerd: loader-named-cache).
      let starts = 0;
      const code = () => ({ compatibilityDate: "2025-01-01", mainModule: "m.js", limits: { cpuMs: 50 },
        modules: { "m.js": ++starts === 1 ? "while (true) {} export default {}" : "export default { ok(x) { return 'started'; } }" } });
      const out = {};
      try { await env.LOADER.get("startup-spin", code).getEntrypoint().ok(1); } catch (e) { out.first = e.message; }
      out.second = await env.LOADER.get("startup-spin", code).getEntrypoint().ok(1);
      out.starts = starts;
      // Startup has its own budget, 1 s of CPU (Cloudflare's startup limit), whatever the cpuMs.
      const started = Date.now();
      try {
        await env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js", limits: { cpuMs: 20000 },
                                modules: { "m.js": "while (true) {} export default {}" } }).getEntrypoint().ok(1);
      } catch (e) { out.highCpuMs = e.message; }
      out.withinStartupLimit = Date.now() - started < 4000;
      return Response.json(out);
    }
    if (which === "entrypoint-limits") {
      // getEntrypoint(name, { limits }): the lower of those and the WorkerCode's apply.
      const load = (limits) => env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js", limits,
        modules: { "m.js": "import { RpcTarget } from 'cloudflare:workers'; class Spinner extends RpcTarget { spin() { while (true) {} } } export default { later(x) { setTimeout(() => { while (true) {} }, 1); return 'scheduled'; }, spin(x) { while (true) {} }, async send(out) { for (let i = 0; i < 10; i++) await out.fetch('https://x/' + i); return 'all sent'; }, spinner(x) { return new Spinner(); } }" } });
      const outcome = async (f) => { const t = Date.now(); try { await f(); return ["returned", true]; } catch (e) { return [e.message, Date.now() - t < 5000]; } };
      return Response.json({
        entrypointCpu: await outcome(() => load({ cpuMs: 20000 }).getEntrypoint(null, { limits: { cpuMs: 50 } }).spin(1)),
        workerCpuLower: await outcome(() => load({ cpuMs: 50 }).getEntrypoint(null, { limits: { cpuMs: 20000 } }).spin(1)),
        entrypointSubrequests: await outcome(() => load({}).getEntrypoint(null, { limits: { subRequests: 2 } }).send(env.SELF)),
        // An RpcTarget returned from a capped invocation is capped the same way when called
        // after that invocation ended. (One passed out as an argument is bound to its call:
        // kept past it, it fails with "Cannot perform I/O on behalf of a different request".)
        // Work a capped invocation left behind (a timer) is capped too.
        leftBehind: await outcome(async () => {
          const ep = load({ cpuMs: 20000 }).getEntrypoint(null, { limits: { cpuMs: 50 } });
          await ep.later(1);
          await scheduler.wait(300);
          await ep.later(1);
        }),
        returnedTarget: await outcome(async () => {
          const spinner = await load({ cpuMs: 20000 }).getEntrypoint(null, { limits: { cpuMs: 50 } }).spinner(1);
          await spinner.spin();
        }),
      });
    }
    if (which === "heap") {
      return Response.json({ small: await heap(env, 32), default: await heap(env), invalid: await heap(env, 1) });
    }
    if (which === "buffers-within") {
      // 64 MB of ArrayBuffers fits the default 128 MB limit.
      const w = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js",
        modules: { "m.js": "export default { run(x) { const a = []; for (let i = 0; i < 8; i++) a.push(new Uint8Array(8 << 20).fill(i)); return a.reduce((n, b) => n + b.length, 0) >> 20; } }" } });
      return Response.json({ mb: await w.getEntrypoint().run(1) });
    }
    if (which === "buffers-churn") {
      // 600 MB of 50 MB buffers, each garbage once filled: never more than the limit held. (When
      // the limit was checked before each collection, garbage buffers counted and this failed.)
      const w = env.LOADER.load({ compatibilityDate: "2025-01-01", mainModule: "m.js",
        modules: { "m.js": "export default { run(x) { let n = 0; for (let i = 0; i < 12; i++) n += new Uint8Array(50 << 20).fill(1).length; return n >> 20; } }" } });
      return Response.json({ mb: await w.getEntrypoint().run(1) });
    }
    if (!HOSTILE[which]) return new Response("still serving");
    const [source, cpuMs, wallMs] = HOSTILE[which];
    const started = Date.now();
    const w = env.LOADER.load({
      compatibilityDate: "2025-01-01", mainModule: "m.js", modules: { "m.js": source },
      limits: { cpuMs, subRequests: 3, ...(wallMs ? { wallMs } : {}) },
    });
    const out = {};
    try { out.first = await w.getEntrypoint().run(env.SELF); } catch (e) { out.first = `${e.name}: ${e.message}`; }
    try { out.again = await w.getEntrypoint().run(env.SELF); } catch (e) { out.again = `${e.name}: ${e.message}`; }
    out.bounded = Date.now() - started < 5000;
    return Response.json(out);
  },
};
