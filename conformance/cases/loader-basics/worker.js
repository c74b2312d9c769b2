// Ported from workerd's worker-loader-test.js: basics, justLoad, passEnv, getCode timing and
// caching (spec/worker-loader.md §1.4, §7.1).
import { WorkerEntrypoint } from "cloudflare:workers";

const CHILD = `
import { WorkerEntrypoint } from "cloudflare:workers";
let counter = 0;
export default {
  greet(name) { return "Hello, " + name; },
  fetch(request, env) { return new Response("env.hello = " + env.hello); },
};
export let alternate = {
  greet(name, env, ctx) { return \`\${ctx.props.greeting}, \${name}\`; },
};
export class Counter extends WorkerEntrypoint {
  bump() { return ++counter; }
  get propval() { return "propval"; }
  propsSeen() { return this.ctx.props; }
  envSeen() { return this.env.hello; }
}
`;

function code(extra = {}) {
  return { compatibilityDate: "2025-01-01", mainModule: "foo.js", modules: { "foo.js": CHILD }, ...extra };
}

let loads = 0;
export default {
  async fetch(request, env) {
    const out = {};
    // load(): anonymous, validated synchronously.
    const w = env.LOADER.load(code({ env: { hello: 123 } }));
    out.greet = await w.getEntrypoint().greet("Alice");
    out.alternate = await w.getEntrypoint("alternate", { props: { greeting: "Welcome" } }).greet("Bob");
    out.howdy = await w.getEntrypoint("alternate", { props: { greeting: "Howdy" } }).greet("Carol");
    out.defaultByName = await w.getEntrypoint("default").greet("Dave");
    out.passEnv = await (await w.getEntrypoint().fetch("https://example.com")).text();
    out.propval = await w.getEntrypoint("Counter").propval;
    out.propsDefault = await w.getEntrypoint("Counter").propsSeen();
    out.envInClass = await w.getEntrypoint("Counter").envSeen();
    out.stubTypes = [typeof w, String(w), typeof w.getEntrypoint(), String(w.getEntrypoint()),
                     typeof w.getEntrypoint().anything];

    // get(): getCode runs later, once per name; module state persists while cached.
    let calledSync = false, calls = 0;
    const name = "named-" + Math.random();
    const g1 = env.LOADER.get(name, () => { calls++; calledSync = true; return code(); });
    out.calledSyncDuringGet = calledSync && calls > 0 ? "sync" : "later";
    out.bump1 = await g1.getEntrypoint("Counter").bump();
    const g2 = env.LOADER.get(name, () => { calls++; return code(); });
    out.bump2 = await g2.getEntrypoint("Counter").bump();
    out.getCodeCalls = calls;
    out.asyncGetCode = await env.LOADER.get("async-" + Math.random(), async () => {
      await new Promise((r) => setTimeout(r, 1));
      return code();
    }).getEntrypoint().greet("Erin");
    // Anonymous get() is never cached.
    out.anonymous = [await env.LOADER.get(null, () => code()).getEntrypoint("Counter").bump(),
                     await env.LOADER.get(undefined, () => code()).getEntrypoint("Counter").bump()];
    return Response.json(out);
  },
};
