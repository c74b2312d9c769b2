// connect() from cloudflare:sockets in a dynamic worker follows its globalOutbound (§5): null
// refuses synchronously, a Fetcher without a connect handler fails when awaited, an omitted one
// inherits the parent's (here the internet, allowed to reach the runner's TCP server).
import { WorkerEntrypoint } from "cloudflare:workers";

export class TestOutbound extends WorkerEntrypoint {
  async fetch(request) { return new Response("outbound fetch"); }
}
// A parent that sees (and answers) its sandbox's TCP: the child's connect() lands here.
export class TcpOutbound extends WorkerEntrypoint {
  async connect(socket) {
    const { localAddress } = await socket.opened;
    const reader = socket.readable.getReader();
    const { value } = await reader.read();
    const writer = socket.writable.getWriter();
    await writer.write(new TextEncoder().encode(`parent saw ${localAddress}: ${new TextDecoder().decode(value)}`));
    await writer.close();
  }
}

const CHILD = `import { connect } from "cloudflare:sockets";
let topLevel;
try { connect("example.com:80"); topLevel = "no error"; } catch (e) { topLevel = e.name + ": " + e.message; }
const show = (e) => e.constructor.name + ": " + e.message;
export default {
  topLevel() { return topLevel; },
  sync(address) {
    try { const s = connect(address); s.opened.catch(() => {}); return "socket " + Object.prototype.toString.call(s); }
    catch (e) { return "threw " + show(e); }
  },
  async opened(address) {
    try { const s = connect(address); await s.opened; await s.close(); return "opened"; }
    catch (e) { return "rejected " + show(e); }
  },
  async echoTo(address) {
    const s = connect(address);
    const w = s.writable.getWriter();
    await w.write(new TextEncoder().encode("from child"));
    const { value } = await s.readable.getReader().read();
    await s.close();
    return new TextDecoder().decode(value);
  },
  async echo(port) {
    const s = connect("127.0.0.1:" + port);
    const w = s.writable.getWriter();
    await w.write(new TextEncoder().encode("from child"));
    const { value } = await s.readable.getReader().read();
    await s.close();
    return new TextDecoder().decode(value);
  },
};`;

const load = (env, globalOutbound) => env.LOADER.load({
  compatibilityDate: "2026-05-01", mainModule: "c.js", modules: { "c.js": CHILD },
  ...(globalOutbound === "inherit" ? {} : { globalOutbound }),
}).getEntrypoint();

const ITEMS = {
  nullTopLevel: (env) => load(env, null).topLevel(1),
  nullSync: (env) => load(env, null).sync("example.com:80"),
  nullBadAddress: (env) => load(env, null).sync("nohostport"),
  nullOpened: (env) => load(env, null).opened("example.com:443"),
  fetcherSync: (env) => load(env, env.OUTBOUND).sync("example.com:80"),
  fetcherOpened: (env) => load(env, env.OUTBOUND).opened("example.com:5432"),
  fetcherOpenedHttps: (env) => load(env, env.OUTBOUND).opened("example.com:443"),
  outboundHandler: (env, ctx) => load(env, ctx.exports.TcpOutbound).echoTo("db.internal:5432"),
  inheritedEcho: (env) => load(env, "inherit").echo(env.TCP_PORT),
  inheritedRefused: (env) => load(env, "inherit").opened(`127.0.0.1:${env.CLOSED_PORT}`),
};

export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
