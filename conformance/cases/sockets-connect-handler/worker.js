// connect() handlers: a Fetcher's connect() reaches the target's connect(socket, env, ctx), as on
// workerd (probed there); one item per request.
import { WorkerEntrypoint } from "cloudflare:workers";
const enc = new TextEncoder(), dec = new TextDecoder();
const log = [];

export class Echo extends WorkerEntrypoint {
  async connect(socket) {
    const info = await socket.opened;
    log.push(`class opened ${JSON.stringify(info)} props=${JSON.stringify(this.ctx.props)} env=${typeof this.env}`);
    const reader = socket.readable.getReader();
    const writer = socket.writable.getWriter();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      await writer.write(enc.encode("echo:" + dec.decode(value)));
    }
    await writer.close();
  }
}
export class Greeter extends WorkerEntrypoint {
  connect(socket) {
    const writer = socket.writable.getWriter();
    writer.write(enc.encode("hello from greeter\n"));
    writer.close();
  }
}
export class Thrower extends WorkerEntrypoint {
  connect(socket) { throw new Error("no connections today"); }
}
export class NoConnect extends WorkerEntrypoint { m() { return 1; } }
const objectHandler = {
  async connect(socket, env, ctx) {
    log.push(`object args env=${typeof env} ctx=${typeof ctx?.waitUntil}`);
    const text = await readAll(socket.readable);
    const w = socket.writable.getWriter();
    await w.write(enc.encode(text.toUpperCase()));
    await w.close();
  },
};
export { objectHandler as ObjectHandler };
export class Shape extends WorkerEntrypoint {
  async connect(socket) {
    log.push(`shape ${Object.prototype.toString.call(socket)} ${socket.secureTransport} upgraded=${socket.upgraded} ${typeof socket.close} ${typeof socket.startTls}`);
    await socket.close();
  }
}

async function readAll(readable) {
  const reader = readable.getReader();
  let text = "";
  for (;;) { const { value, done } = await reader.read(); if (done) break; text += dec.decode(value, { stream: true }); }
  return text;
}
const show = (e) => `${e?.constructor?.name}: ${e?.message}`;
async function settle(p) { try { return `ok ${JSON.stringify(await p)}`; } catch (e) { return `err ${show(e)}`; } }

const ITEMS = {
  echo: async (env) => {
    const s = env.ECHO.connect("example.com:1234");
    const opened = await settle(s.opened);
    const writer = s.writable.getWriter();
    await writer.write(enc.encode("hi"));
    const reader = s.readable.getReader();
    const { value } = await reader.read();
    await writer.close();
    reader.releaseLock();
    const rest = await readAll(s.readable);
    return `${opened} | ${dec.decode(value)} | rest=${JSON.stringify(rest)} | closed=${await settle(s.closed)} | ${log.splice(0).join(";")}`;
  },
  greeter: async (env) => {
    const s = env.GREETER.connect("h:5");
    return `${await settle(s.opened)} | ${JSON.stringify(await readAll(s.readable))} | ${await settle(s.closed)}`;
  },
  thrower: async (env) => {
    // (Read to the end first: workerd resolves `closed` when the connection goes away even
    // unread; loaderd notices the end when it is read.)
    const s = env.THROWER.connect("h:5");
    return `${await settle(s.opened)} | ${JSON.stringify(await readAll(s.readable))} | ${await settle(s.closed)}`;
  },
  objectHandler: async (env) => {
    const s = env.OBJECT.connect("o:7");
    const w = s.writable.getWriter();
    await w.write(enc.encode("abc"));
    await w.close();
    return `${await settle(s.opened)} | ${JSON.stringify(await readAll(s.readable))} | ${await settle(s.closed)} | ${log.splice(0).join(";")}`;
  },
  noHandler: async (env) => {
    const s = env.NONE.connect("n:80");
    return `${await settle(s.opened)} | ${await settle(s.closed)}`;
  },
  shape: async (env) => {
    const s = env.SHAPE.connect("h:5");
    const r = `${await settle(s.opened)} | ${JSON.stringify(await readAll(s.readable))}`;
    await new Promise((r) => setTimeout(r, 20));
    return `${r} | ${log.splice(0).join(";")}`;
  },
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
