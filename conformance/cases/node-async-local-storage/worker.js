// node:async_hooks AsyncLocalStorage: run/getStore/exit synchronously and in nested runs, in
// then() callbacks and timers scheduled inside run(), independent instances, bind/snapshot and
// AsyncResource. (An `await` that suspends inside run() is not covered: see runtime/builtins/node.js.)
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";

const als = new AsyncLocalStorage();
const other = new AsyncLocalStorage();

export default {
  async fetch() {
    const seen = [];
    seen.push(["outside", als.getStore() ?? null]);
    const returned = als.run({ id: 1 }, (a, b) => {
      seen.push(["inside", als.getStore(), a + b]);
      als.run("nested", () => seen.push(["nested", als.getStore(), other.getStore() ?? null]));
      other.run("o", () => seen.push(["other", als.getStore(), other.getStore()]));
      als.exit(() => seen.push(["exited", als.getStore() ?? null]));
      seen.push(["restored", als.getStore()]);
      return "result";
    }, 2, 3);
    seen.push(["after", als.getStore() ?? null]);

    const fromThen = await als.run("then-store", () => Promise.resolve(1).then(() => als.getStore()));
    const fromCatch = await als.run("catch-store", () => Promise.reject(new Error("x")).catch(() => als.getStore()));
    const fromTimer = await new Promise((resolve) => als.run("timer-store", () => setTimeout(() => resolve(als.getStore()), 1)));
    const fromMicrotask = await new Promise((resolve) => als.run("micro-store", () => queueMicrotask(() => resolve(als.getStore()))));
    const fromThrow = (() => { try { als.run("x", () => { throw new Error("thrown"); }); } catch (e) { return [e.message, als.getStore() ?? null]; } })();

    const bound = als.run("bound-store", () => AsyncLocalStorage.bind(() => als.getStore()));
    const snapshot = als.run("snap-store", () => AsyncLocalStorage.snapshot());
    const resource = als.run("resource-store", () => new AsyncResource("test"));
    const resourceBound = als.run("rb-store", () => AsyncResource.bind(() => als.getStore()));
    return Response.json({
      seen, returned, fromThen, fromCatch, fromTimer, fromMicrotask, fromThrow,
      bound: bound(), snapshot: snapshot(() => als.getStore()), resource: resource.runInAsyncScope(() => als.getStore()),
      resourceBound: resourceBound(), afterAll: als.getStore() ?? null,
      types: [typeof resource.asyncId(), typeof resource.bind(() => 1)],
    });
  },
};
