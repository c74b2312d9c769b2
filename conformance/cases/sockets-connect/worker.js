// cloudflare:sockets against a TCP server on loopback (the runner's tcpServer: it echoes, ends
// its side after a chunk holding "END" or when the client ends, answers "hello\n" to "GREET").
// One item per request; probed on workerd.
import { connect } from "cloudflare:sockets";

let topLevel;
try { connect("127.0.0.1:1"); topLevel = "no error"; } catch (e) { topLevel = `${e.name}: ${e.message}`; }

const enc = new TextEncoder(), dec = new TextDecoder();
const show = (e) => `${e?.constructor?.name} ${e?.message}`;
// The server's port differs between runs: shown as PORT.
const portless = (text) => text.replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT");
async function settle(p) { try { return portless(`ok ${JSON.stringify(await p)}`); } catch (e) { return `err ${show(e)}`; } }
function sync(f) { try { f(); return "no error"; } catch (e) { return `${e.name}: ${e.message}`; } }
async function readAll(readable) {
  const reader = readable.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}
async function readSome(reader, wanted) {
  let text = "";
  while (text.length < wanted) {
    const { value, done } = await reader.read();
    if (done) return text + "<eof>";
    text += dec.decode(value, { stream: true });
  }
  return text;
}
const local = (env) => `127.0.0.1:${env.TCP_PORT}`;
const tick = (ms) => new Promise((r) => setTimeout(r, ms));
async function state(p) { return Promise.race([p.then(() => "resolved", (e) => `rejected ${show(e)}`), tick(50).then(() => "pending")]); }

const ITEMS = {
  topLevel: () => topLevel,
  echo: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    await writer.write(enc.encode("ping"));
    const reader = s.readable.getReader();
    const got = await readSome(reader, 4);
    const closeResult = await s.close();
    return `${got} close=${JSON.stringify(closeResult)} closed=${await state(s.closed)}`;
  },
  opened: async (env) => {
    const s = connect(local(env));
    const info = await s.opened;
    const r = `${portless(JSON.stringify(info))} keys=${Object.keys(info)} proto=${Object.getPrototypeOf(info) === Object.prototype}`;
    await s.close();
    return r;
  },
  shape: async (env) => {
    const s = connect(local(env));
    const proto = Object.getPrototypeOf(s);
    const r = [typeof s, Object.prototype.toString.call(s), s.constructor.name, Object.keys(s).join(","),
      Object.getOwnPropertyNames(proto).sort().join(","), s.secureTransport, s.upgraded,
      s.readable instanceof ReadableStream, s.writable instanceof WritableStream,
      sync(() => new s.constructor())].join(" | ");
    await s.close();
    return r;
  },
  objectAddress: async (env) => {
    const s = connect({ hostname: "127.0.0.1", port: Number(env.TCP_PORT) });
    const info = await settle(s.opened);
    await s.close();
    return info;
  },
  endFromServer: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    await writer.write(enc.encode("END"));
    const got = await readAll(s.readable);
    return `${got} closed=${await state(s.closed)} writerClosed=${await state(writer.closed)}`;
  },
  endFromServerHalfOpen: async (env) => {
    const s = connect(local(env), { allowHalfOpen: true });
    const writer = s.writable.getWriter();
    await writer.write(enc.encode("END"));
    const got = await readAll(s.readable);
    const before = `closed=${await state(s.closed)} writerClosed=${await state(writer.closed)}`;
    await writer.write(enc.encode("more"));
    await writer.close();
    return `${got} ${before} after=${await state(s.closed)}`;
  },
  endFromClient: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    await writer.write(enc.encode("abc"));
    await writer.close();
    const got = await readAll(s.readable);
    return `${got} closed=${await state(s.closed)}`;
  },
  greet: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    writer.write(enc.encode("GREET"));
    const reader = s.readable.getReader();
    const got = await readSome(reader, 11);
    await s.close();
    return JSON.stringify(got);
  },
  writeBeforeOpen: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    const w = writer.write(enc.encode("early"));
    const got = await readSome(s.readable.getReader(), 5);
    await w;
    await s.close();
    return got;
  },
  writeString: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    const w = await settle(writer.write("text"));
    await s.close();
    return w;
  },
  writeNumber: async (env) => {
    const s = connect(local(env));
    const writer = s.writable.getWriter();
    const w = await settle(writer.write(42));
    await s.close().catch(() => {});
    return w;
  },
  refused: async (env) => {
    const s = connect(`127.0.0.1:${env.CLOSED_PORT}`);
    const opened = await settle(s.opened);
    const closed = await settle(s.closed);
    const read = await settle(s.readable.getReader().read());
    const write = await settle(s.writable.getWriter().write(enc.encode("x")));
    return [opened, closed, read, write].join(" | ");
  },
  refusedPort80: async () => {
    const s = connect("127.0.0.1:80");
    return settle(s.opened);
  },
  closeTwice: async (env) => {
    const s = connect(local(env));
    const a = s.close(), b = s.close();
    return `same=${a === b} closedSame=${a === s.closed} ${await settle(a)} ${await settle(s.opened)}`;
  },
  afterClose: async (env) => {
    const s = connect(local(env));
    await s.opened;
    const writer = s.writable.getWriter();
    const reader = s.readable.getReader();
    await s.close();
    return `${await settle(reader.read())} | ${await settle(writer.write(enc.encode("x")))} | ${await state(writer.closed)}`;
  },
  addresses: () => ["", "nohostport", "host:", ":80", "a b:80", "x".repeat(300) + ":1", "[::1]:1x", "h:99999", 42, null, undefined]
    .map((a) => `${JSON.stringify(a)} -> ${sync(() => connect(a))}`).join("\n"),
  objectAddresses: () => [{ hostname: "h", port: 1.5 }, { hostname: "h", port: -1 }, { hostname: "h", port: 70000 },
    { hostname: "h" }, { port: 80 }, { hostname: "h", port: "80" }, { hostname: "", port: 80 }]
    .map((a) => `${JSON.stringify(a)} -> ${sync(() => connect(a))}`).join("\n"),
  options: (env) => [{ secureTransport: "maybe" }, { secureTransport: "OFF" }, { allowHalfOpen: "yes" }, { secureTransport: undefined }]
    .map((o) => `${JSON.stringify(o)} -> ${sync(() => connect(local(env), o).close())}`).join("\n"),
  startTls: (env) => ["off", "on"].map((t) => {
    const s = connect(local(env), { secureTransport: t });
    const r = `${t}: ${sync(() => s.startTls())}`;
    s.close().catch(() => {});
    return r;
  }).join("\n"),
  startTlsUpgrade: async (env) => {
    // (The upgraded socket's `opened` is left out: workerd's local network cannot start TLS at
    // all here; runtime/tests/sockets.test.mjs upgrades for real on loaderd.)
    const s = connect(local(env), { secureTransport: "starttls" });
    await s.opened;
    const before = `upgraded=${s.upgraded} st=${s.secureTransport}`;
    const t = s.startTls();
    const again = sync(() => s.startTls());
    t.opened.catch(() => {});
    const r = `${before} | ${again} | upgraded=${s.upgraded} st=${t.secureTransport} proto=${Object.getPrototypeOf(t) === Object.getPrototypeOf(s)} oldClosed=${await state(s.closed)} oldUpgraded=${s.upgraded}`;
    return r;
  },
  fetcherConnect: async (env) => {
    const s = env.SELF.connect("example.com:80");
    return `${await settle(s.opened)} | ${await settle(s.closed)}`;
  },
};

export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    if (item === null) return new Response("hello");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
