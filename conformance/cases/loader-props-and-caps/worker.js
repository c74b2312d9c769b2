// Ported from workerd's worker-loader-test.js: basics (FancyPropsEntrypoint with loopback
// props), passEnvCaps, overrideGlobalOutbound, inheritGlobalOutbound and the transfer errors,
// with ctx.exports (compatibility date 2025-11-17 or later).
import { WorkerEntrypoint } from "cloudflare:workers";

export class GreeterLoopback extends WorkerEntrypoint {
  greet(name) { return `${this.ctx.props.greeting}, ${name}!`; }
}
export class TestOutbound extends WorkerEntrypoint {
  fetch(request) { return new Response("hello from testOutbound"); }
}

const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
export default {
  async fetch(request, env) {
    if (request.url.endsWith("/caps")) {
      return new Response([await env.greeter.greet("Alice"), await env.greeter2.greet("Bob")].join("\\n"));
    }
    return fetch(request);
  },
};
export class FancyPropsEntrypoint extends WorkerEntrypoint {
  async run() {
    return [await this.ctx.props.greeter.greet("Dave"), await this.ctx.props.greeter2.greet("Eve")].join("\\n");
  }
}`;

const code = (extra) => ({ compatibilityDate: "2025-01-01", mainModule: "foo.js", modules: { "foo.js": CHILD }, ...extra });

async function error(f) {
  try { await f(); return "no error"; } catch (e) { return `${e.name}: ${e.message}`; }
}

export default {
  async fetch(request, env, ctx) {
    const out = {};
    out.ctxExportsType = typeof ctx.exports;
    const greeter = ctx.exports.GreeterLoopback({ props: { greeting: "G'day" } });
    const greeter2 = ctx.exports.GreeterLoopback({ props: { greeting: "Sup" } });
    const w = env.LOADER.load(code());
    out.fancyProps = await w.getEntrypoint("FancyPropsEntrypoint", { props: { greeter, greeter2 } }).run();
    const withCaps = env.LOADER.load(code({ env: {
      greeter: ctx.exports.GreeterLoopback({ props: { greeting: "Hello" } }),
      greeter2: ctx.exports.GreeterLoopback({ props: { greeting: "Welcome" } }),
    } }));
    out.passEnvCaps = await (await withCaps.getEntrypoint().fetch("https://x/caps")).text();
    const overridden = env.LOADER.load(code({ globalOutbound: ctx.exports.TestOutbound }));
    out.overrideGlobalOutbound = await (await overridden.getEntrypoint().fetch("https://x/")).text();
    out.dynamicInProps = await error(() => w.getEntrypoint("FancyPropsEntrypoint", { props: { greeter: w.getEntrypoint() } }));
    out.dynamicInEnv = await error(() => env.LOADER.load(code({ env: { x: w.getEntrypoint() } })));
    out.dynamicAsOutbound = await error(() => env.LOADER.load(code({ globalOutbound: w.getEntrypoint() })));
    out.uninvokedLoopbackInProps = await error(() => w.getEntrypoint("FancyPropsEntrypoint", { props: { greeter: ctx.exports.GreeterLoopback } }));
    return Response.json(out);
  },
};
