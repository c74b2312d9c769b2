// A socket belongs to the request that made it (probed on workerd): another request reading,
// writing or closing it fails with the cross-request I/O error; one item per request, the
// socket made by the first.
import { connect } from "cloudflare:sockets";

let socket, writer, reader;
const show = (e) => `${e.constructor.name}: ${e.message}`;
async function settle(p) { try { return `ok ${JSON.stringify(await p)}`; } catch (e) { return `err ${show(e)}`; } }
const enc = new TextEncoder();

const ITEMS = {
  make: async (env) => {
    socket = connect(`127.0.0.1:${env.TCP_PORT}`);
    writer = socket.writable.getWriter();
    reader = socket.readable.getReader();
    await writer.write(enc.encode("one"));
    const { value } = await reader.read();
    return new TextDecoder().decode(value);
  },
  write: () => settle(writer.write(enc.encode("two"))),
  read: () => settle(Promise.race([reader.read().then((r) => "read"), new Promise((r) => setTimeout(() => r("pending"), 100))])),
  opened: () => settle(socket.opened.then(() => "opened")),
  close: () => settle(socket.close()),
  connectAgain: async (env) => {
    const s = connect(`127.0.0.1:${env.TCP_PORT}`);
    const w = s.writable.getWriter();
    await w.write(enc.encode("fresh"));
    const { value } = await s.readable.getReader().read();
    await s.close();
    return new TextDecoder().decode(value);
  },
};

export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env) });
  },
};
