// Atomics.wait would block the worker's thread (using no CPU, so no CPU limit would stop it):
// it throws, as on workerd. Atomics.notify and the other operations work.
export default {
  async fetch() {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    let wait;
    try {
      wait = Atomics.wait(cell, 0, 0, 10);
    } catch (e) {
      wait = [e.name, e.message];
    }
    Atomics.store(cell, 0, 5);
    return Response.json({ wait, add: Atomics.add(cell, 0, 2), value: Atomics.load(cell, 0),
                           notify: Atomics.notify(cell, 0, 1) });
  },
};
