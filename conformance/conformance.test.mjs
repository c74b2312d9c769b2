// node --test conformance/: every case on workerd and on loaderd, in the same run.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { loadCases, runRequests, runtimesFor, startRuntime, formatTable } from "./runner.mjs";

const rows = [];
const cases = loadCases(process.env.CONFORMANCE_FILTER);

for (const c of cases) {
  const row = { name: c.name };
  rows.push(row);
  for (const runtime of runtimesFor(c)) {
    test(`${c.name} [${runtime}]`, async () => {
      row[runtime] = "FAIL";
      const proc = await startRuntime(runtime, c);
      try {
        const results = await runRequests(proc, c);
        const failures = results.filter((r) => r.problems.length > 0)
          .map((r) => `${r.name}: ${r.problems.join("; ")}`);
        assert.deepEqual(failures, [], `${runtime} log:\n${proc.stderr.slice(-2000)}`);
        row[runtime] = "pass";
      } finally {
        await proc.stop();
      }
    });
  }
}

after(() => {
  console.log(`\nconformance (${cases.length} cases; "-" = loaderd-only case)\n${formatTable(rows)}`);
});
