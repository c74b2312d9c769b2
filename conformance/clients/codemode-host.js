// A host worker running agent code through @cloudflare/codemode's DynamicWorkerExecutor,
// bundled unmodified from npm by the test (codemode.test.mjs).
import { DynamicWorkerExecutor } from "@cloudflare/codemode";

const calls = [];
const tools = {
  add: async ({ a, b }) => a + b,
  lookup: async ({ key }) => ({ key, value: `value-of-${key}`, nested: { list: [1, 2, 3] } }),
  fail: async () => { throw new Error("tool failed on purpose"); },
  record: async (x) => { calls.push(x); return calls.length; },
};

export default {
  async fetch(request, env) {
    const { code, timeout } = await request.json();
    const executor = new DynamicWorkerExecutor({ loader: env.LOADER, timeout });
    const started = Date.now();
    const result = await executor.execute(code, [{ name: "codemode", fns: tools }]);
    return Response.json({ ...result, elapsedMs: Date.now() - started });
  },
};
