// A dynamic entrypoint's `ctx`, and what WorkerCode.env and getEntrypoint() props refuse
// (spec §3, §6), probed on workerd; one item per request.
import { RpcTarget, WorkerEntrypoint } from "cloudflare:workers";

const CHILD = `import { WorkerEntrypoint } from "cloudflare:workers";
export class Ep extends WorkerEntrypoint {
  keys() {
    const ctx = this.ctx;
    const proto = Object.getPrototypeOf(ctx);
    return { own: Object.keys(ctx), protoNames: Object.getOwnPropertyNames(proto),
             tag: Object.prototype.toString.call(ctx), exportsType: typeof ctx.exports,
             props: ctx.props };
  }
  envKeys() { return Object.keys(this.env).sort(); }
  ctxValues() {
    const ctx = this.ctx;
    const d = (k) => { const x = Object.getOwnPropertyDescriptor(ctx, k); return x ? (("value" in x ? "data:" + typeof x.value : "accessor") + (x.enumerable ? ",enum" : "") + (x.writable ? ",w" : "") + (x.configurable ? ",c" : "")) : "none"; };
    return { access: typeof ctx.access, cache: typeof ctx.cache,
             descs: ["access", "cache", "exports", "props"].map((k) => k + "=" + d(k)).join(" "),
             json: JSON.stringify({ ...ctx, tracing: undefined }) };
  }
}
export default { f(x) { return Object.keys(this).length; } };`;
const load = (env, extra = {}) => env.LOADER.load({ compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD }, ...extra });
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
async function outcome(f) { try { return `ok ${JSON.stringify(await f())}`; } catch (e) { return `err ${show(e)}`; } }
class T extends RpcTarget { m() { return 1; } }

export class Helper extends WorkerEntrypoint { ping() { return "pong"; } }

const ITEMS = {
  ctxKeys: (env) => outcome(() => load(env).getEntrypoint("Ep").keys()),
  ctxKeysProps: (env) => outcome(() => load(env).getEntrypoint("Ep", { props: { a: 1 } }).keys()),
  ctxValues: (env) => outcome(() => load(env).getEntrypoint("Ep").ctxValues()),
  // (typeof env.SELF.toJSON: workerd's is a method stub, which JSON.stringify does not see;
  // loaderd's is undefined, so that no RPC call named toJSON is made: left out.)
  fetcherJson: (env) => `${JSON.stringify(env.SELF)} then=${typeof env.SELF.then} valueOf=${typeof env.SELF.valueOf} x=${typeof env.SELF.x} json2=${JSON.stringify({ s: env.SELF })}`,
  jsonShapes: async (env) => {
    const ep = load(env).getEntrypoint("Ep");
    const p = ep.keys();
    const r = [JSON.stringify(ep), JSON.stringify({ ep }), JSON.stringify(p), JSON.stringify(new (class extends RpcTarget {})())];
    await p;
    return r.map(String).join(" | ");
  },
  ctxOrder: async (env) => {
    const CODE = `import { WorkerEntrypoint } from "cloudflare:workers"; export class Ep extends WorkerEntrypoint { k() { return Object.keys(this.ctx).join(","); } }`;
    const at = (date) => env.LOADER.load({ compatibilityDate: date, mainModule: "c.js", modules: { "c.js": CODE } }).getEntrypoint("Ep").k();
    return `${await at("2026-05-01")} | ${await at("2025-01-01")}`;
  },
  envFunction: (env) => outcome(() => load(env, { env: { f: () => 1 } }).getEntrypoint("Ep").envKeys()),
  envTarget: (env) => outcome(() => load(env, { env: { t: new T() } }).getEntrypoint("Ep").envKeys()),
  envLoopback: (env, ctx) => outcome(() => load(env, { env: { l: ctx.exports.Helper } }).getEntrypoint("Ep").envKeys()),
  envLoopbackProps: (env, ctx) => outcome(() => load(env, { env: { l: ctx.exports.Helper({ props: {} }) } }).getEntrypoint("Ep").envKeys()),
  envService: (env) => outcome(() => load(env, { env: { s: env.SELF } }).getEntrypoint("Ep").envKeys()),
  propsFunction: (env) => outcome(() => load(env).getEntrypoint("Ep", { props: { f: () => 1 } }).keys()),
  propsTarget: (env) => outcome(() => load(env).getEntrypoint("Ep", { props: { t: new T() } }).keys()),
  propsLoopback: (env, ctx) => outcome(() => load(env).getEntrypoint("Ep", { props: { l: ctx.exports.Helper } }).keys()),
  propsService: (env) => outcome(() => load(env).getEntrypoint("Ep", { props: { s: env.SELF } }).keys()),
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
