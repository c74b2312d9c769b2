// The web-platform-tests URL data (urltestdata.json, setters_tests.json, toascii.json; see
// /work/shared/data/wpt/README.md) run inside a real loaderd worker: the test POSTs the data, the
// worker runs every case through URL and answers with per-case results. The same worker runs on
// workerd, when it is installed, for comparison.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { WORKERD, freePort, scratchDir, startLoaderd, startWorkerd, writeFiles }
  from "../../tools/testing/harness.mjs";

const DATA_DIR = process.env.WPT_URL_DATA ?? "/work/shared/data/wpt/url";
const MIN_URLTESTDATA_PASS_RATE = 0.99;

// Expectations in the stored data that upstream WPT has since changed with the standard; a
// failure here is reported with the explanation (and still counts as a failure).
const CHANGED_UPSTREAM = [
  [/\^/, "the stored data predates whatwg/url#846 (2025), which added U+005E (^) to the path " +
    "percent-encode set; loaderd and workerd both encode it now"],
];

function readData() {
  const read = (name) => JSON.parse(readFileSync(path.join(DATA_DIR, name), "utf8"));
  return {
    urltestdata: read("urltestdata.json"),
    setters: read("setters_tests.json"),
    toascii: read("toascii.json"),
  };
}

// Runs in the worker. Each result is {name, ok, reason}.
const WORKER = String.raw`
const PROPERTIES = ["href", "protocol", "username", "password", "host", "hostname", "port",
  "pathname", "search", "hash", "origin"];

function compare(url, expected, keys) {
  for (const key of keys) {
    if (!(key in expected)) continue;
    if (url[key] !== expected[key]) {
      return key + ": got " + JSON.stringify(url[key]) + ", expected " + JSON.stringify(expected[key]);
    }
  }
  if ("searchParams" in expected && String(url.searchParams) !== expected.searchParams) {
    return "searchParams: got " + JSON.stringify(String(url.searchParams));
  }
  return null;
}

function runParsing(cases) {
  const results = [];
  for (const t of cases) {
    if (typeof t === "string") continue;
    const base = t.base ?? undefined;
    const name = JSON.stringify(t.input) + (base === undefined ? "" : " against " + JSON.stringify(base));
    let url = null, error = null;
    try {
      url = base === undefined ? new URL(t.input) : new URL(t.input, base);
    } catch (e) {
      error = e;
    }
    let reason = null;
    const canParse = base === undefined ? URL.canParse(t.input) : URL.canParse(t.input, base);
    if (t.failure) {
      if (url) reason = "parsed as " + JSON.stringify(url.href) + ", expected failure";
      else if (!(error instanceof TypeError)) reason = "threw " + error + ", expected a TypeError";
      else if (canParse) reason = "URL.canParse returned true";
    } else if (error) {
      reason = "threw " + error;
    } else {
      reason = compare(url, t, PROPERTIES);
      if (!reason && !canParse) reason = "URL.canParse returned false";
      if (!reason && JSON.stringify(url) !== JSON.stringify(t.href)) reason = "toJSON differs";
    }
    results.push({ name, ok: reason === null, reason });
  }
  return results;
}

function runSetters(data) {
  const results = [];
  for (const [setter, cases] of Object.entries(data)) {
    if (setter === "comment") continue;
    for (const t of cases) {
      const name = setter + " = " + JSON.stringify(t.new_value) + " on " + JSON.stringify(t.href);
      let reason;
      try {
        const url = new URL(t.href);
        url[setter] = t.new_value;
        reason = compare(url, t.expected, Object.keys(t.expected));
      } catch (e) {
        reason = "threw " + e;
      }
      results.push({ name, ok: reason === null, reason });
    }
  }
  return results;
}

// toascii.json as WPT's toascii.window.js uses it: through the host parser and the host setter.
function runToAscii(cases) {
  const results = [];
  for (const t of cases) {
    if (typeof t === "string") continue;
    const name = "ToASCII " + JSON.stringify(t.input);
    let reason = null;
    try {
      const url = new URL("https://" + t.input + "/x");
      if (t.output === null) reason = "parsed host as " + JSON.stringify(url.host) + ", expected failure";
      else if (url.host !== t.output) reason = "host " + JSON.stringify(url.host);
    } catch (e) {
      if (t.output !== null) reason = "threw " + e;
    }
    if (reason === null) {
      const url = new URL("https://x/x");
      url.host = t.input;
      const expected = t.output ?? "x";
      if (url.host !== expected) reason = "host setter gave " + JSON.stringify(url.host);
    }
    results.push({ name, ok: reason === null, reason });
  }
  return results;
}

export default {
  async fetch(request) {
    const data = await request.json();
    return Response.json({
      urltestdata: runParsing(data.urltestdata),
      setters: runSetters(data.setters),
      toascii: runToAscii(data.toascii),
    });
  },
};
`;

function project() {
  const dir = scratchDir("url-wpt-");
  writeFiles(dir, {
    "worker.js": WORKER,
    "loaderd.yaml": "workers:\n  wpt:\n    main: worker.js\n    compatibility_date: \"2025-06-01\"\n",
  });
  return dir;
}

async function runOn(proc, data) {
  const response = await proc.fetch("/", { method: "POST", body: JSON.stringify(data) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

function summarize(runtime, results) {
  const lines = [];
  const rates = {};
  for (const [suite, list] of Object.entries(results)) {
    const passed = list.filter((r) => r.ok).length;
    rates[suite] = passed / list.length;
    lines.push(`${runtime} ${suite}: ${passed}/${list.length} ` +
      `(${(100 * rates[suite]).toFixed(2)}%)`);
    for (const r of list.filter((r) => !r.ok)) {
      const known = CHANGED_UPSTREAM.find(([re]) => re.test(r.name))?.[1];
      lines.push(`  FAIL ${r.name}: ${r.reason}${known ? ` [${known}]` : ""}`);
    }
  }
  console.log(lines.join("\n"));
  return rates;
}

const haveData = existsSync(path.join(DATA_DIR, "urltestdata.json"));

test("WPT URL data on loaderd", { skip: !haveData && `no WPT data in ${DATA_DIR}` }, async () => {
  const data = readData();
  const proc = await startLoaderd(path.join(project(), "loaderd.yaml"));
  try {
    const results = await runOn(proc, data);
    const parsingCases = data.urltestdata.filter((t) => typeof t === "object").length;
    assert.equal(results.urltestdata.length, parsingCases, "every parsing case ran");
    const rates = summarize("loaderd", results);
    assert.ok(rates.urltestdata >= MIN_URLTESTDATA_PASS_RATE,
      `urltestdata pass rate ${rates.urltestdata} is below ${MIN_URLTESTDATA_PASS_RATE}`);
    assert.ok(rates.setters >= 0.97, `setters pass rate ${rates.setters}`);
    assert.ok(rates.toascii >= 0.9, `toascii pass rate ${rates.toascii}`);
  } finally {
    await proc.stop();
  }
});

// The reference: the same worker on workerd, so both rates can be compared in one run.
test("WPT URL data on workerd (reference)",
  { skip: (!haveData || !existsSync(WORKERD)) && "workerd or WPT data missing" }, async () => {
    const data = readData();
    const dir = project();
    const port = await freePort();
    writeFiles(dir, {
      "config.capnp": `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-06-01",
);
`,
    });
    const proc = await startWorkerd(path.join(dir, "config.capnp"), port);
    try {
      const rates = summarize("workerd", await runOn(proc, data));
      assert.ok(rates.urltestdata > 0.9, "the reference runs the data");
    } finally {
      await proc.stop();
    }
  });

