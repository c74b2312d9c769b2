// An offline stand-in for the slice of the Cloudflare API that Code Mode's workflows touch:
// accounts, zones, DNS records (CRUD), rulesets (incl. the ddos_l7 phase entrypoint), Workers
// scripts and KV namespaces. State is in memory, per process. Responses use Cloudflare's
// envelope ({ success, errors, messages, result, result_info }) and error codes, and every
// request must carry `Authorization: Bearer <env.API_TOKEN>`.
//
// This worker stands in for the upstream server, so it knows the token it expects; the Code
// Mode service that calls it never holds it in an isolate.

const ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";
const ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";
const DDOS_L7_MANAGED = "4d21379b4f9f4bb088e0729962c8b3cf";

let nextId = 1;
const newId = () => (nextId++).toString(16).padStart(32, "0");
const now = () => new Date(Date.UTC(2026, 10, 24)).toISOString();

const state = {
  accounts: [{ id: ACCOUNT_ID, name: "Example Account", type: "standard", created_on: now() }],
  zones: [
    { id: ZONE_ID, name: "example.com", status: "active", paused: false, type: "full",
      account: { id: ACCOUNT_ID, name: "Example Account" }, name_servers: ["ns1.example.net", "ns2.example.net"],
      created_on: now(), modified_on: now() },
    { id: "9a7806061c88ada191ed06f989cc3dac", name: "example.org", status: "active", paused: false,
      type: "full", account: { id: ACCOUNT_ID, name: "Example Account" },
      name_servers: ["ns1.example.net", "ns2.example.net"], created_on: now(), modified_on: now() },
  ],
  dnsRecords: new Map(),   // zone id -> [records]
  rulesets: new Map(),     // zone id -> { ddos_l7 entrypoint }
  scripts: [
    { id: "hello-world", etag: "ea95132c15732412d22c1476fa83f27a", handlers: ["fetch"],
      created_on: now(), modified_on: now(), usage_model: "standard", compatibility_date: "2025-06-01" },
  ],
  kvNamespaces: [{ id: "0f2ac74b498b48028cb68387c421e279", title: "My Own Namespace", supports_url_encoding: true }],
};
state.dnsRecords.set(ZONE_ID, [
  { id: newId(), zone_id: ZONE_ID, zone_name: "example.com", name: "example.com", type: "A",
    content: "198.51.100.4", proxied: true, ttl: 1, created_on: now(), modified_on: now() },
  { id: newId(), zone_id: ZONE_ID, zone_name: "example.com", name: "www.example.com", type: "CNAME",
    content: "example.com", proxied: true, ttl: 1, created_on: now(), modified_on: now() },
]);

function ddosEntrypoint(zoneId) {
  if (!state.rulesets.has(zoneId)) {
    state.rulesets.set(zoneId, {
      id: newId(), name: "default", description: "", kind: "zone", phase: "ddos_l7", version: "1",
      last_updated: now(),
      rules: [{ id: newId(), version: "1", action: "execute", expression: "true", enabled: true,
                description: "HTTP DDoS attack protection",
                action_parameters: { id: DDOS_L7_MANAGED, overrides: { sensitivity_level: "default" } },
                last_updated: now() }],
    });
  }
  return state.rulesets.get(zoneId);
}

const envelope = (result, status = 200, info) =>
  Response.json({ success: true, errors: [], messages: [], result, ...(info ? { result_info: info } : {}) }, { status });
const failure = (status, code, message) =>
  Response.json({ success: false, errors: [{ code, message }], messages: [], result: null }, { status });

function page(list, url) {
  const perPage = Number(url.searchParams.get("per_page") ?? 20);
  const pageNo = Number(url.searchParams.get("page") ?? 1);
  const slice = list.slice((pageNo - 1) * perPage, pageNo * perPage);
  return envelope(slice, 200, { page: pageNo, per_page: perPage, count: slice.length, total_count: list.length,
                                total_pages: Math.max(1, Math.ceil(list.length / perPage)) });
}

async function body(request) {
  try { return await request.json(); } catch { return undefined; }
}

const DNS_TYPES = ["A", "AAAA", "CNAME", "TXT", "MX", "NS", "SRV", "CAA"];
function validateRecord(input, partial) {
  if (!input || typeof input !== "object") return "Invalid request body";
  if (!partial || input.type !== undefined) {
    if (!DNS_TYPES.includes(input.type)) return "DNS record type is invalid";
  }
  if (!partial || input.name !== undefined) {
    if (typeof input.name !== "string" || input.name === "") return "DNS name is invalid";
  }
  if (!partial || input.content !== undefined) {
    if (typeof input.content !== "string" || input.content === "") return "Content for the record is invalid";
  }
  return null;
}

const routes = [
  ["GET", /^\/accounts$/, (m, url) => page(state.accounts, url)],
  ["GET", /^\/accounts\/([^/]+)$/, ([, id]) => {
    const a = state.accounts.find((x) => x.id === id);
    return a ? envelope(a) : failure(404, 7003, "Could not route to /accounts/" + id + ", perhaps your object identifier is invalid?");
  }],
  ["GET", /^\/zones$/, (m, url) => {
    let zones = state.zones;
    const name = url.searchParams.get("name");
    const account = url.searchParams.get("account.id");
    if (name) zones = zones.filter((z) => z.name === name);
    if (account) zones = zones.filter((z) => z.account.id === account);
    return page(zones, url);
  }],
  ["GET", /^\/zones\/([^/]+)$/, ([, id]) => {
    const z = state.zones.find((x) => x.id === id);
    return z ? envelope(z) : failure(404, 1001, "Invalid zone identifier");
  }],
  ["GET", /^\/zones\/([^/]+)\/dns_records$/, ([, zone], url) => {
    let records = state.dnsRecords.get(zone) ?? [];
    for (const key of ["type", "name", "content"]) {
      const v = url.searchParams.get(key);
      if (v) records = records.filter((r) => r[key] === v);
    }
    return page(records, url);
  }],
  ["POST", /^\/zones\/([^/]+)\/dns_records$/, async ([, zone], url, request) => {
    const input = await body(request);
    const problem = validateRecord(input, false);
    if (problem) return failure(400, 9005, problem);
    const z = state.zones.find((x) => x.id === zone);
    const record = { id: newId(), zone_id: zone, zone_name: z.name, name: input.name, type: input.type,
                     content: input.content, proxied: !!input.proxied, ttl: input.ttl ?? 1,
                     comment: input.comment ?? null, created_on: now(), modified_on: now() };
    state.dnsRecords.set(zone, [...(state.dnsRecords.get(zone) ?? []), record]);
    return envelope(record);
  }],
  [/^(GET|PATCH|PUT|DELETE)$/, /^\/zones\/([^/]+)\/dns_records\/([^/]+)$/, async ([, zone, id], url, request) => {
    const records = state.dnsRecords.get(zone) ?? [];
    const index = records.findIndex((r) => r.id === id);
    if (index < 0) return failure(404, 81044, "Record does not exist.");
    if (request.method === "GET") return envelope(records[index]);
    if (request.method === "DELETE") {
      records.splice(index, 1);
      return envelope({ id });
    }
    const input = await body(request);
    const problem = validateRecord(input, request.method === "PATCH");
    if (problem) return failure(400, 9005, problem);
    const updated = request.method === "PUT"
      ? { ...records[index], name: input.name, type: input.type, content: input.content,
          proxied: !!input.proxied, ttl: input.ttl ?? 1, comment: input.comment ?? null }
      : { ...records[index], ...input, id, zone_id: zone };
    updated.modified_on = now();
    records[index] = updated;
    return envelope(updated);
  }],
  ["GET", /^\/zones\/([^/]+)\/rulesets$/, ([, zone]) => {
    const r = ddosEntrypoint(zone);
    return envelope([{ id: r.id, name: r.name, description: r.description, kind: r.kind, phase: r.phase,
                       version: r.version, last_updated: r.last_updated }]);
  }],
  ["GET", /^\/zones\/([^/]+)\/rulesets\/phases\/ddos_l7\/entrypoint$/, ([, zone]) => envelope(ddosEntrypoint(zone))],
  ["PUT", /^\/zones\/([^/]+)\/rulesets\/phases\/ddos_l7\/entrypoint$/, async ([, zone], url, request) => {
    const input = await body(request);
    if (!input || !Array.isArray(input.rules)) return failure(400, 20021, "rules must be an array");
    const current = ddosEntrypoint(zone);
    const levels = ["default", "medium", "low", "eoff"];
    for (const rule of input.rules) {
      const level = rule.action_parameters?.overrides?.sensitivity_level;
      if (level !== undefined && !levels.includes(level)) {
        return failure(400, 20021, `'${level}' is not a valid sensitivity level`);
      }
    }
    const updated = {
      ...current, version: String(Number(current.version) + 1), last_updated: now(),
      description: input.description ?? current.description,
      rules: input.rules.map((rule) => ({ id: rule.id ?? newId(), version: "1", enabled: true,
                                          expression: "true", action: "execute", ...rule, last_updated: now() })),
    };
    state.rulesets.set(zone, updated);
    return envelope(updated);
  }],
  ["GET", /^\/accounts\/([^/]+)\/workers\/scripts$/, () => envelope(state.scripts)],
  ["GET", /^\/accounts\/([^/]+)\/storage\/kv\/namespaces$/, (m, url) => page(state.kvNamespaces, url)],
  ["POST", /^\/accounts\/([^/]+)\/storage\/kv\/namespaces$/, async (m, url, request) => {
    const input = await body(request);
    if (!input || typeof input.title !== "string" || input.title === "") return failure(400, 10019, "title is required");
    if (state.kvNamespaces.some((n) => n.title === input.title)) return failure(400, 10014, "A namespace with this account ID and title already exists.");
    const ns = { id: newId(), title: input.title, supports_url_encoding: true };
    state.kvNamespaces.push(ns);
    return envelope(ns);
  }],
];

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const auth = request.headers.get("authorization");
    if (auth === null) return failure(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
    if (auth !== `Bearer ${env.API_TOKEN}`) return failure(403, 10000, "Authentication error");
    const path = url.pathname.replace(/^\/client\/v4/, "").replace(/\/$/, "") || "/";
    let pathMatched = false;
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      const methodOk = typeof method === "string" ? method === request.method : method.test(request.method);
      if (!methodOk) continue;
      if (m[1] !== undefined && path.startsWith("/accounts/") && m[1] !== ACCOUNT_ID) {
        return failure(403, 9109, "Unauthorized to access requested resource");
      }
      if (path.startsWith("/zones/") && !state.zones.some((z) => z.id === m[1])) {
        return failure(404, 1001, "Invalid zone identifier");
      }
      return handler(m, url, request);
    }
    if (pathMatched) return failure(405, 10405, "Method not allowed");
    return failure(404, 7000, "No route for that URI");
  },
};
