// WorkerCode.tails (workerd's loader test "tails"): the dynamic worker's console output, its
// event and outcome reach the tail worker's tail() handler, which sees its own props.
import { WorkerEntrypoint } from "cloudflare:workers";

const received = [];
export class TestTail extends WorkerEntrypoint {
  tail(events) {
    received.push({ props: this.ctx.props, events });
  }
}

const CHILD = `export default {
  fetch(request) { console.log("hello, tail"); console.warn({ n: 1 }, 2); return new Response("OK"); },
};`;
const THROWER = `export default { fetch(request) { throw new RangeError("child failed"); } };`;

async function waitFor(n) {
  for (let i = 0; i < 100 && received.length < n; i++) await scheduler.wait(10);
}

export default {
  async fetch(request, env, ctx) {
    received.length = 0;
    const tails = [ctx.exports.TestTail({ props: { foo: 123 } })];
    const child = env.LOADER.load({ compatibilityDate: "2025-11-20", mainModule: "m.js", modules: { "m.js": CHILD }, tails });
    const text = await (await child.getEntrypoint().fetch("http://child/path?q=1")).text();
    await waitFor(1);
    const first = received[0];
    const event = first?.events?.[0];
    const thrower = env.LOADER.load({ compatibilityDate: "2025-11-20", mainModule: "m.js", modules: { "m.js": THROWER }, tails });
    let status;
    try { status = (await thrower.getEntrypoint().fetch("http://child/")).status; } catch (e) { status = e.name + ": " + e.message; }
    await waitFor(2);
    const second = received[1]?.events?.[0];
    return Response.json({
      text,
      props: first?.props,
      count: first?.events?.length,
      logs: event?.logs?.map((l) => [l.message, l.level, typeof l.timestamp]),
      url: event?.event?.request?.url,
      method: event?.event?.request?.method,
      outcome: event?.outcome,
      timestamp: typeof event?.eventTimestamp,
      thrower: status,
      throwerOutcome: second?.outcome,
      throwerExceptions: second?.exceptions?.map((x) => [x.name, x.message]),
    });
  },
};
