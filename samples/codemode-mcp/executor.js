// The `execute` tool's core: agent code (an async arrow function) runs in a fresh dynamic worker
// with no network of its own (globalOutbound: null), only the http_api binding in its env, the
// API client (client.js) under the deployment's name, CPU and subrequest limits, and its console
// captured. The result is formatted by format.js; failures come back as `Error: <message>`.
import { formatResult } from "./format.js";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"];

// The sandbox's main module. Agent code sits alone in code.js (`export default (<code>);`), so
// line numbers in syntax errors (reported when the worker loads) are the agent's own lines.
function mainModule(clientName, baseUrl) {
  return `import { makeClient } from "./client.js";
import fn from "./code.js";
const logs = [];
const show = (v) => typeof v === "string" ? v : (() => { try { return JSON.stringify(v); } catch { return String(v); } })();
for (const level of ${JSON.stringify(CONSOLE_METHODS)}) {
  console[level] = (...args) => { if (logs.length < 200) logs.push((level === "log" ? "" : "[" + level + "] ") + args.map(show).join(" ")); };
}
export default {
  async fetch(request, env) {
    const ${clientName} = makeClient(env.API, ${JSON.stringify(baseUrl)});
    globalThis.${clientName} = ${clientName};
    try {
      if (typeof fn !== "function") throw new TypeError("The code must be an async arrow function, e.g. async () => { ... }.");
      const result = await fn();
      return Response.json({ ok: true, result: result === undefined ? { undefined: true } : { value: result }, logs });
    } catch (e) {
      const message = e instanceof Error ? e.name + ": " + e.message : String(e);
      return Response.json({ ok: false, error: message, logs });
    }
  },
};`;
}

// -> { text, isError, logs, note? }; `note` says what a cut left out (text itself stays JSON).
export async function execute({ loader, api, code, clientName = "api", baseUrl, clientSource,
                                cpuMs = 10000, subrequests = 100, wallMs = 30000, maxChars }) {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(clientName)) throw new TypeError(`bad client name ${clientName}`);
  let answer;
  try {
    const worker = loader.load({
      compatibilityDate: "2025-06-01",
      mainModule: "main.js",
      modules: { "main.js": mainModule(clientName, baseUrl), "client.js": clientSource,
                 "code.js": `export default (${code}\n);` },
      env: { API: api },
      globalOutbound: null,
      limits: { cpuMs, subRequests: subrequests, wallMs },
    });
    const response = await worker.getEntrypoint().fetch("http://sandbox/");
    answer = await response.json();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The agent's code did not compile: say so as the search tool does, with its position.
    const syntax = /^Failed to start Worker:\nUncaught (\w*Error): (.*)\n\s+at (code\.js:\d+:\d+)$/.exec(message);
    if (syntax) return { text: `${syntax[1]}: ${syntax[2]} at ${syntax[3]}`, isError: true, logs: [] };
    return { text: `Error: ${message}`, isError: true, logs: [] };
  }
  const logs = answer.logs ?? [];
  // "<Type>: <message>", so a plain Error reads "Error: <message>" as upstream's does.
  if (!answer.ok) return { text: answer.error, isError: true, logs };
  const value = "undefined" in answer.result ? undefined : answer.result.value;
  const { text, note } = formatResult(value, { maxChars });
  return note === undefined ? { text, isError: false, logs } : { text, isError: false, logs, note };
}
