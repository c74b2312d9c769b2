// Runs conformance cases on loaderd and on workerd (the reference) in the same run.
//
// A case is a folder under cases/: its modules (worker.js is the main module unless case.json
// names another) and case.json:
//   {
//     "description": "what the case shows",
//     "compatibilityDate": "2025-06-01", "compatibilityFlags": [],
//     "bindings": { "NAME": { "text": "..." } | { "json": <value> }
//                   | { "service": "main" | { "name": "main", "entrypoint": "E" } }
//                   | { "worker_loader": { "id": "shared" } } },
//     (the case's worker is named "main" on both runtimes)
//     "v8Flags": ["--expose-gc"]   (workerd's config v8Flags; loaderd.yaml's v8_flags)
//     "loaderdV8Flags": [...]      (added on loaderd only: features libnode's older V8 has
//                                   behind a flag that workerd's V8 ships, and would refuse)
//     "loaderdOnly": "why (an intended difference; the case runs on loaderd only)",
//     "tcpServer": true            (a TCP server on loopback for cloudflare:sockets, see
//                                   tcpTestServer(); its port is the text binding TCP_PORT, a
//                                   port nothing listens on is CLOSED_PORT, and the worker's
//                                   global outbound may reach loopback on both runtimes)
//     "requests": [{
//       "name": "...", "method": "GET", "path": "/", "headers": {}, "body": "...",
//       "expect": { "status": 200, "body": "exact text", "bodyIncludes": "text",
//                   "json": <deep-equal value>, "headers": { "name": "value" | null } }
//     }]
//   }
// Each request runs on both runtimes; a case that fails on workerd is a broken case.
import { readFileSync, existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { ROOT, freePort, listFiles, scratchDir, startLoaderd, startWorkerd, writeFiles }
  from "../tools/testing/harness.mjs";

export const CASES_DIR = path.join(ROOT, "conformance/cases");

export function loadCases(filter) {
  const names = listFiles(CASES_DIR).filter((f) => f.endsWith("/case.json"))
    .map((f) => path.dirname(f)).sort();
  return names.filter((n) => !filter || n.includes(filter)).map((name) => {
    const dir = path.join(CASES_DIR, name);
    const spec = JSON.parse(readFileSync(path.join(dir, "case.json"), "utf8"));
    const modules = listFiles(dir).filter((f) => f !== "case.json");
    const main = spec.main ?? "worker.js";
    if (!modules.includes(main)) throw new Error(`case ${name}: no main module ${main}`);
    return { name, dir, spec, main, modules: [main, ...modules.filter((m) => m !== main)] };
  });
}

const WORKERD_MODULE_TYPES = [
  [/\.(js|mjs)$/, "esModule"], [/\.cjs$/, "commonJsModule"], [/\.json$/, "json"],
  [/\.(txt|html|md)$/, "text"], [/\.wasm$/, "wasm"], [/\.bin$/, "data"],
];

function workerdConfig(c, port, configDir) {
  const modules = c.modules.map((m) => {
    const type = WORKERD_MODULE_TYPES.find(([re]) => re.test(m))?.[1] ?? "data";
    // capnp's embed takes paths relative to the config file.
    const file = path.relative(configDir, path.join(c.dir, m));
    return `(name = ${JSON.stringify(m)}, ${type} = embed ${JSON.stringify(file)})`;
  });
  const bindings = Object.entries(c.spec.bindings ?? {}).map(([name, b]) => {
    const n = JSON.stringify(name);
    if ("text" in b) return `(name = ${n}, text = ${JSON.stringify(b.text)})`;
    if ("json" in b) return `(name = ${n}, json = ${JSON.stringify(JSON.stringify(b.json))})`;
    if ("service" in b) {
      const s = typeof b.service === "string" ? { name: b.service } : b.service;
      const ep = s.entrypoint ? `, entrypoint = ${JSON.stringify(s.entrypoint)}` : "";
      return `(name = ${n}, service = (name = ${JSON.stringify(s.name)}${ep}))`;
    }
    if ("worker_loader" in b) {
      const id = b.worker_loader?.id ? `id = ${JSON.stringify(b.worker_loader.id)}` : "";
      return `(name = ${n}, workerLoader = (${id}))`;
    }
    throw new Error(`case ${c.name}: binding ${name}: unsupported kind`);
  });
  // Global outbound that may reach loopback (workerd's default "internet" allows public
  // addresses only).
  const internet = c.spec.tcpServer
    ? `, (name = "internet", network = (allow = ["public", "local"]))` : "";
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w)${internet} ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
  v8Flags = ${JSON.stringify(c.spec.v8Flags ?? [])},
);
const w :Workerd.Worker = (
  modules = [ ${modules.join(",\n    ")} ],
  compatibilityDate = ${JSON.stringify(c.spec.compatibilityDate ?? "2025-06-01")},
  compatibilityFlags = ${JSON.stringify(c.spec.compatibilityFlags ?? [])},
  bindings = [ ${bindings.join(", ")} ],
);
`;
}

function loaderdConfig(c) {
  // JSON is YAML.
  return JSON.stringify({
    main: "main",
    ...(c.spec.tcpServer ? { outbound: { allow_private: true } } : {}),
    v8_flags: [...(c.spec.v8Flags ?? []), ...(c.spec.loaderdV8Flags ?? [])],
    workers: {
      main: {
        main: path.join(c.dir, c.main),
        root: c.dir,
        compatibility_date: c.spec.compatibilityDate ?? "2025-06-01",
        compatibility_flags: c.spec.compatibilityFlags ?? [],
        bindings: c.spec.bindings ?? {},
      },
    },
  }, null, 2);
}

// A TCP server on loopback for cases about cloudflare:sockets: it echoes what it receives; a
// chunk containing "END" is echoed and then the server ends its side (the client's readable
// ends); when the client ends its side, the server ends its own. A chunk containing "GREET"
// answers "hello\n" before the echo.
export async function tcpTestServer() {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("data", (data) => {
      const text = data.toString("latin1");
      if (text.includes("GREET")) socket.write("hello\n");
      socket.write(data);
      if (text.includes("END")) socket.end();
    });
    socket.on("end", () => socket.end());
    socket.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port, close: () => server.close() };
}

export async function startRuntime(runtime, c) {
  const dir = scratchDir(`conformance-${runtime}-`);
  let tcp;
  if (c.spec.tcpServer) {
    tcp = await tcpTestServer();
    const closedPort = await freePort();
    c = { ...c, spec: { ...c.spec, bindings: { ...c.spec.bindings,
      TCP_PORT: { text: String(tcp.port) }, CLOSED_PORT: { text: String(closedPort) } } } };
  }
  let proc;
  try {
    if (runtime === "loaderd") {
      writeFiles(dir, { "loaderd.yaml": loaderdConfig(c) });
      proc = await startLoaderd(path.join(dir, "loaderd.yaml"));
    } else {
      const port = await freePort();
      writeFiles(dir, { "config.capnp": workerdConfig(c, port, dir) });
      proc = await startWorkerd(path.join(dir, "config.capnp"), port);
    }
  } catch (e) {
    tcp?.close();  // a runtime that did not start leaves no server keeping the runner alive
    throw e;
  }
  if (tcp) {
    const stop = proc.stop.bind(proc);
    proc.stop = async () => { tcp.close(); return stop(); };
  }
  return proc;
}

// Checks one response against an expectation; returns a list of mismatch descriptions.
export async function check(response, expect) {
  const problems = [];
  const text = await response.text();
  if (expect.status !== undefined && response.status !== expect.status) {
    problems.push(`status ${response.status}, expected ${expect.status} (body: ${text.slice(0, 200)})`);
  }
  if (expect.body !== undefined && text !== expect.body) {
    problems.push(`body ${JSON.stringify(text.slice(0, 500))}, expected ${JSON.stringify(expect.body)}`);
  }
  if (expect.bodyIncludes !== undefined && !text.includes(expect.bodyIncludes)) {
    problems.push(`body ${JSON.stringify(text.slice(0, 500))} lacks ${JSON.stringify(expect.bodyIncludes)}`);
  }
  if (expect.json !== undefined) {
    let value;
    try { value = JSON.parse(text); } catch { problems.push(`body is not JSON: ${text.slice(0, 200)}`); }
    if (value !== undefined && !isDeepStrictEqual(value, expect.json)) {
      problems.push(`json ${JSON.stringify(value)}, expected ${JSON.stringify(expect.json)}`);
    }
  }
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers.get(name);
    if (actual !== value) problems.push(`header ${name}: ${actual}, expected ${value}`);
  }
  return problems;
}

// Runs every request of a case against a started runtime; returns [{name, problems}].
export async function runRequests(proc, c) {
  const results = [];
  for (const [i, r] of (c.spec.requests ?? []).entries()) {
    const name = r.name ?? `request ${i + 1}`;
    try {
      const response = await proc.fetch(r.path ?? "/", {
        method: r.method ?? "GET",
        headers: r.headers ?? {},
        body: r.body,
        redirect: "manual",
      });
      results.push({ name, problems: await check(response, r.expect ?? {}) });
    } catch (e) {
      results.push({ name, problems: [`request failed: ${e.message}`] });
    }
  }
  return results;
}

// CONFORMANCE_RUNTIMES=workerd (or loaderd) restricts a run to one side, e.g. to check a new
// case's expectations against the reference first.
export function runtimesFor(c) {
  const all = c.spec.loaderdOnly ? ["loaderd"] : ["workerd", "loaderd"];
  const only = process.env.CONFORMANCE_RUNTIMES?.split(",");
  return only ? all.filter((r) => only.includes(r)) : all;
}

// Prints the case × runtime table.
export function formatTable(rows) {
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  const lines = [`${"case".padEnd(width)}  workerd  loaderd`];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(width)}  ${(r.workerd ?? "-").padEnd(7)}  ${r.loaderd ?? "-"}`);
  }
  return lines.join("\n");
}

export function caseExists(name) {
  return existsSync(path.join(CASES_DIR, name, "case.json"));
}
