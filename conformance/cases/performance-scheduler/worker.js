// performance (workerd: timeOrigin 0, now() on the wall clock) and scheduler.wait.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.message]; }
}
async function rejection(p) {
  try { return ["resolved", await p]; } catch (e) { return [e.constructor.name, e.name, e.message]; }
}
export default {
  async fetch() {
    const out = {};
    const before = Date.now();
    const now = performance.now();
    const after = Date.now();
    out.performance = {
      timeOrigin: performance.timeOrigin,
      nowIsWallClock: now >= before && now <= after,
      nowType: typeof now,
      tag: Object.prototype.toString.call(performance),
      constructorName: performance.constructor.name,
      protoKeys: Object.keys(Object.getPrototypeOf(performance)).filter((k) => k !== "toJSON").sort(),
      ownKeys: Object.keys(performance),
      noGlobalClass: typeof globalThis.Performance,
    };
    out.performanceErrors = [error(() => new performance.constructor()), error(() => performance.now.call({}))[0]];
    // The clock advances while JavaScript runs (workerd serve does not freeze it either).
    const start = performance.now();
    const until = Date.now() + 5;
    while (Date.now() < until);
    out.advances = performance.now() - start >= 5;

    out.scheduler = {
      tag: Object.prototype.toString.call(scheduler),
      protoKeys: Object.keys(Object.getPrototypeOf(scheduler)).sort(),
      noGlobalClass: typeof globalThis.Scheduler,
      constructorError: error(() => new scheduler.constructor()),
      brand: error(() => scheduler.wait.call({}, 1))[0],
    };
    const waitStart = Date.now();
    out.waitResult = await scheduler.wait(20);
    out.waited = Date.now() - waitStart >= 15;
    out.waitValues = [];
    for (const args of [["5"], [-1], [NaN], [1, null], [1, undefined], [1, {}], [1, { signal: undefined }], [1, { signal: new AbortController().signal }]]) {
      out.waitValues.push(await rejection(scheduler.wait(...args)));
    }
    const isPromise = scheduler.wait() instanceof Promise;
    out.waitErrors = [
      isPromise,
      await rejection(scheduler.wait()),
      await rejection(scheduler.wait(undefined)),
      await rejection(scheduler.wait(1, 5)),
      await rejection(scheduler.wait(1, { signal: 5 })),
      await rejection(scheduler.wait(1, { signal: null })),
    ];
    const ac = new AbortController();
    const pending = scheduler.wait(10000, { signal: ac.signal });
    ac.abort();
    out.aborted = await rejection(pending);
    out.abortReasons = [];
    for (const reason of ["why", 42, new TypeError("te"), new DOMException("m", "NotFoundError"), new RangeError("re")]) {
      out.abortReasons.push(await rejection(scheduler.wait(10, { signal: AbortSignal.abort(reason) })));
    }
    out.abortDuring = await rejection(scheduler.wait(10000, { signal: AbortSignal.timeout(5) }));
    return Response.json(out);
  },
};
