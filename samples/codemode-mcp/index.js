// The Code Mode MCP service: an OpenAPI-described API for an agent through two tools, `search`
// (agent code queries the processed spec) and `execute` (agent code calls the API through the
// http_api binding, which holds the credential on the host). MCP over Streamable HTTP at
// POST /mcp, JSON responses, stateless.
//
// env: LOADER (worker_loader), API (http_api), SPEC (json_file: the OpenAPI document),
//      SETTINGS (json: { clientName?, baseUrl, bearerToken?, searchCpuMs? } — bearerToken
//      protects /mcp; searchCpuMs is the CPU budget of one search, default 2000).
import { WorkerEntrypoint } from "cloudflare:workers";
import { processSpec } from "./spec-processor.js";
import { makeClient } from "./client.js";
import { execute } from "./executor.js";
import { formatResult } from "./format.js";
import { makeTypeScript } from "./typescript.js";

// Legacy era (initialize handshake) and the stateless 2026-07-28 era, on the same endpoint: a
// request whose _meta names a protocol version (or a server/discover probe) is handled
// statelessly; an initialize gets the legacy handshake.
const PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26"];
const MODERN_VERSIONS = ["2026-07-28"];
const VERSION_META = "io.modelcontextprotocol/protocolVersion";
const SERVER_INFO_META = "io.modelcontextprotocol/serverInfo";
const CACHE_HINTS = { ttlMs: 3600000, cacheScope: "public" };  // tools depend only on config
const SERVER_INFO = { name: "loaderd-codemode", version: "0.1.0" };
const CLIENT_SOURCE = `export ${makeClient.toString()}`;
const INSTRUCTIONS = "Use search to find API operations in the spec, then execute to call them.";

let processed;  // held once per isolate
function spec(env) {
  processed ??= processSpec(env.SPEC);
  return processed;
}

// The processed spec for the search holder (below), copied to it once by structured clone
// (shared schemas stay shared), through a loopback entrypoint (ctx.exports).
export class SpecService extends WorkerEntrypoint {
  get() { return spec(this.env); }
}

// `toTypeScript(method, path)` inside every search context, from typescript.js.
const TYPESCRIPT_PRELUDE = `const toTypeScript = (() => {
  const { operationToTypeScript } = (${makeTypeScript.toString()})();
  return (method, path) => {
    const op = spec.paths[path]?.[String(method).toLowerCase()];
    if (!op) throw new TypeError(\`No operation \${String(method).toUpperCase()} \${path} in the spec.\`);
    return operationToTypeScript(String(method), path, op);
  };
})();`;

// Search runs in a dynamic worker that holds the processed spec once, frozen, and runs each
// call's code in a fresh V8 context over it (loaderd:sandbox): no copy of the spec per call, no
// state from one call to the next, a CPU budget per call, no network (globalOutbound: null).
// If agent code exhausts the holder's memory, the holder is torn down and rebuilt on the next
// call.
const SEARCH_HOLDER = `import { WorkerEntrypoint } from "cloudflare:workers";
import { Sandbox } from "loaderd:sandbox";
import PRELUDE from "./prelude.txt";
let sandbox;
export default class extends WorkerEntrypoint {
  async search(code, cpuMs) {
    sandbox ??= this.env.SPEC.get().then((spec) =>
      new Sandbox({ data: { spec }, scripts: [{ name: "toTypeScript.js", source: PRELUDE }] }));
    let box;
    try {
      box = await sandbox;
    } catch (e) {
      sandbox = undefined;
      throw e;
    }
    try {
      const { result, logs } = await box.run(code, { cpuMs });
      return { ok: true, result, logs };
    } catch (e) {
      const where = e.line === undefined ? "" : " at code.js:" + e.line + ":" + e.column;
      const error = e.thrown ? "Error: " + e.message : e.name + ": " + e.message + where;
      return { ok: false, error, logs: e.logs ?? [] };
    }
  }
}`;

// The search holder is a named dynamic worker: the loader keeps it warm, and getCode runs again
// only after it was torn down (agent code exhausted its memory), so the next search gets a fresh
// holder. Its stub is taken per call: a WorkerStub belongs to the request that made it (on
// Cloudflare and on loaderd, another request using it fails).
let searchWarm = false;
// Builds the search holder (≈1 s on the Cloudflare spec) just after a tools/list has been
// answered, while the model reads the tools, so the first search does not wait for it.
function warmSearch(env, ctx) {
  if (searchWarm) return;
  ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, 10))
    .then(() => search(env, ctx, "async () => 0", 1000)));
}

async function search(env, ctx, code, cpuMs) {
  let answer;
  try {
    const holder = env.LOADER.get("codemode-search", () => ({
      compatibilityDate: "2025-11-20", mainModule: "main.js",
      modules: { "main.js": SEARCH_HOLDER, "prelude.txt": { text: TYPESCRIPT_PRELUDE } },
      env: { SPEC: ctx.exports.SpecService({ props: {} }) }, globalOutbound: null,
      limits: { cpuMs: 60000, memoryMb: 256 },
    })).getEntrypoint();
    answer = await holder.search(code, cpuMs);
    searchWarm = true;
  } catch (e) {
    searchWarm = false;
    return { text: `Error: ${e instanceof Error ? e.message : String(e)}`, isError: true, logs: [] };
  }
  if (!answer.ok) return { text: answer.error, isError: true, logs: answer.logs };
  return { ...formatResult(answer.result), isError: false, logs: answer.logs };
}

function tools(settings, doc) {
  const name = settings.clientName ?? "api";
  const products = doc.products.slice(0, 40).join(", ");
  return [
    {
      name: "search",
      description: `Search the API's OpenAPI spec. Write an async arrow function; it runs with a read-only global \`spec\` and returns what you need.
declare const spec: { paths: Record<string, Record<"get"|"post"|"put"|"patch"|"delete", { operationId?: string; summary?: string; description?: string; tags?: string[]; parameters?: { name: string; in: "path"|"query"|"header"; required?: boolean; schema?: object }[]; requestBody?: object; responses?: Record<string, object> }>>; products: string[] };
declare function toTypeScript(method: string, path: string): string; // an operation as a TypeScript signature
$refs are resolved. Products: ${products}.
Example: async () => Object.entries(spec.paths).filter(([p]) => p.includes("/dns_records")).flatMap(([p, ops]) => Object.entries(ops).map(([m, o]) => \`\${m.toUpperCase()} \${p} — \${o.summary}\`))`,
      inputSchema: { type: "object", properties: { code: { type: "string", description: "async () => { ... } using spec" } }, required: ["code"] },
    },
    {
      name: "execute",
      description: `Call the API. Write an async arrow function; it runs in a sandbox with no network except:
declare const ${name}: { request(options: { method: "GET"|"POST"|"PUT"|"PATCH"|"DELETE"; path: string; query?: Record<string, string|number|boolean|undefined>; body?: unknown; contentType?: string; rawBody?: boolean }): Promise<{ success: boolean; status: number; result: unknown; errors?: unknown[]; messages?: unknown[]; result_info?: object }> };
\`path\` is relative to the API base with parameters filled in (e.g. \`/zones/\${zoneId}\`). Failed calls throw. Use search first to find operations. console.log output is returned. Chain several calls in one function and return only what you need.
Example: async () => (await ${name}.request({ method: "GET", path: "/zones" })).result.map((z) => z.name)`,
      inputSchema: { type: "object", properties: { code: { type: "string", description: `async () => { ... } using ${name}.request()` } }, required: ["code"] },
    },
  ];
}

function rpcResult(id, result) { return Response.json({ jsonrpc: "2.0", id, result }); }
function rpcError(id, code, message, status = 200) {
  return Response.json({ jsonrpc: "2.0", id: id ?? null, error: { code, message } }, { status });
}

// null for a tool we do not have: the caller answers with a JSON-RPC error (-32602), as the
// spec asks for an unknown tool, whatever its arguments; a bad `code` is a tool execution error.
async function callTool(env, ctx, settings, params) {
  if (params?.name !== "search" && params?.name !== "execute") return null;
  const code = params.arguments?.code;
  if (typeof code !== "string" || code.trim() === "") {
    return { content: [{ type: "text", text: "Error: `code` must be a non-empty string." }], isError: true };
  }
  let out;
  if (params.name === "search") {
    out = await search(env, ctx, code, settings.searchCpuMs ?? 2000);
  } else {
    out = await execute({ loader: env.LOADER, api: env.API, code, clientName: settings.clientName ?? "api",
                          baseUrl: settings.baseUrl, clientSource: CLIENT_SOURCE });
  }
  const content = [{ type: "text", text: out.text }];
  if (out.note) content.push({ type: "text", text: out.note });
  if (out.logs?.length) content.push({ type: "text", text: `console:\n${out.logs.join("\n")}` });
  return { content, isError: out.isError };
}

async function handleModern(request, env, ctx, settings, message) {
  const { id, method, params } = message;
  const version = params?._meta?.[VERSION_META];
  const header = (name) => request.headers.get(name);
  if (version !== undefined && !MODERN_VERSIONS.includes(version)) {
    return Response.json({ jsonrpc: "2.0", id, error: { code: -32022,
      message: `Unsupported protocol version: ${version}`,
      data: { supported: [...MODERN_VERSIONS, ...PROTOCOL_VERSIONS], requested: version } } }, { status: 400 });
  }
  const mismatch = (what) => rpcError(id, -32020, `HeaderMismatch: ${what}`, 400);
  if (version !== undefined && header("mcp-protocol-version") !== version) {
    return mismatch(`MCP-Protocol-Version header ${header("mcp-protocol-version")} does not match _meta ${version}.`);
  }
  if (header("mcp-method") !== method) return mismatch(`Mcp-Method header ${header("mcp-method")} does not match method ${method}.`);
  if (method === "tools/call" && header("mcp-name") !== params?.name) {
    return mismatch(`Mcp-Name header ${header("mcp-name")} does not match tool ${params?.name}.`);
  }
  if (id === undefined) return new Response(null, { status: 202 });
  const done = (result) => rpcResult(id, { ...result, resultType: "complete", _meta: { [SERVER_INFO_META]: SERVER_INFO } });
  switch (method) {
    case "server/discover":
      return done({ supportedVersions: [...MODERN_VERSIONS, ...PROTOCOL_VERSIONS],
                    capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS, ...CACHE_HINTS });
    case "tools/list":
      warmSearch(env, ctx);
      return done({ tools: tools(settings, spec(env)), ...CACHE_HINTS });
    case "tools/call": {
      const result = await callTool(env, ctx, settings, params);
      if (result === null) return rpcError(id, -32602, `Unknown tool: ${params?.name}`);
      return done(result);
    }
    default: return rpcError(id, -32601, `Method not found: ${method}`, 404);
  }
}

function originAllowed(origin) {
  if (origin === null) return true;
  try {
    const host = new URL(origin).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname !== "/mcp") return new Response("Not found. The MCP endpoint is /mcp.\n", { status: 404 });
    if (!originAllowed(request.headers.get("origin"))) return new Response("Forbidden origin\n", { status: 403 });
    const settings = env.SETTINGS ?? {};
    if (settings.bearerToken && request.headers.get("authorization") !== `Bearer ${settings.bearerToken}`) {
      return new Response("Unauthorized\n", { status: 401, headers: { "www-authenticate": "Bearer" } });
    }
    if (request.method !== "POST") {
      return new Response("Method Not Allowed\n", { status: 405, headers: { allow: "POST" } });
    }
    const version = request.headers.get("mcp-protocol-version");
    if (version !== null && !PROTOCOL_VERSIONS.includes(version) && !MODERN_VERSIONS.includes(version)) {
      return rpcError(null, -32600, `Unsupported MCP-Protocol-Version: ${version}. Supported: ${PROTOCOL_VERSIONS.join(", ")}.`, 400);
    }
    let message;
    try {
      message = await request.json();
    } catch {
      return rpcError(null, -32700, "Parse error: the body is not JSON.", 400);
    }
    if (message === null || typeof message !== "object" || Array.isArray(message) || message.jsonrpc !== "2.0") {
      return rpcError(null, -32600, "Invalid Request: expected one JSON-RPC 2.0 message.", 400);
    }
    const { id, method, params } = message;
    if (params?._meta?.[VERSION_META] !== undefined || method === "server/discover") {
      return handleModern(request, env, ctx, settings, message);
    }
    if (id === undefined) return new Response(null, { status: 202 });  // notification or response
    switch (method) {
      case "initialize": {
        const asked = params?.protocolVersion;
        return rpcResult(id, {
          protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: SERVER_INFO,
          instructions: INSTRUCTIONS,
        });
      }
      case "ping": return rpcResult(id, {});
      case "tools/list":
        warmSearch(env, ctx);
        return rpcResult(id, { tools: tools(settings, spec(env)) });
      case "tools/call": {
        const result = await callTool(env, ctx, settings, params);
        if (result === null) return rpcError(id, -32602, `Unknown tool: ${params?.name}`);
        return rpcResult(id, result);
      }
      default: return rpcError(id, -32601, `Method not found: ${method}`);
    }
  },
};
