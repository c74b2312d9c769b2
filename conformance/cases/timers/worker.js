// setTimeout/setInterval/clearTimeout/clearInterval: ordering by delay, arguments, clearing
// (also from inside a callback), ids, and structuredClone of common values.
export default {
  async fetch() {
    const order = [];
    await new Promise((done) => {
      setTimeout((a, b) => order.push(`t40:${a}${b}`), 40, "x", "y");
      setTimeout(() => order.push("t0"), 0);
      setTimeout(() => order.push("t10"), 10);
      const cleared = setTimeout(() => order.push("cleared"), 5);
      clearTimeout(cleared);
      let ticks = 0;
      const interval = setInterval(() => {
        order.push(`i${++ticks}`);
        if (ticks === 3) clearInterval(interval);
      }, 25);
      setTimeout(done, 130);
    });
    const id = setTimeout(() => {}, 1000);
    clearTimeout(id);
    clearTimeout(undefined);
    clearInterval(12345);
    const clone = structuredClone({ d: new Date(0), m: new Map([[1, { s: new Set([2]) }]]), r: /a/gi, b: new Uint8Array([1, 2]) });
    return Response.json({
      order,
      idType: typeof id,
      idPositive: id > 0,
      clone: [clone.d.toISOString(), [...clone.m.get(1).s], clone.r.flags, [...clone.b]],
      setTimeoutLength: setTimeout.length,
    });
  },
};
