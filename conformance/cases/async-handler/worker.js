// Async handlers: awaited promises, microtasks, timers and queueMicrotask.
export default {
  async fetch(request) {
    const order = [];
    queueMicrotask(() => order.push("microtask"));
    await Promise.resolve();
    order.push("after-await");
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push("after-timeout");
    const cleared = setTimeout(() => order.push("never"), 1);
    clearTimeout(cleared);
    let ticks = 0;
    await new Promise((resolve) => {
      const id = setInterval(() => {
        if (++ticks === 3) { clearInterval(id); resolve(); }
      }, 1);
    });
    order.push(`interval-${ticks}`);
    const args = await new Promise((resolve) => setTimeout((a, b) => resolve([a, b]), 0, "x", 2));
    order.push(`args-${args.join(",")}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Response(order.join(" "));
  },
};
