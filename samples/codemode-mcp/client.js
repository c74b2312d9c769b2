// The API client agent code gets inside the `execute` sandbox, as `<name>.request(...)`. It
// runs in the sandbox and holds no secret: `api` is the http_api binding (a Fetcher whose host
// side checks the operation against the spec, pins the base URL and adds the credential).
//
//   request({ method, path, query?, body?, contentType?, rawBody? })
//
// `path` is relative to the base URL, starts with "/" and has its parameters filled in by the
// caller (`/zones/${zoneId}/dns_records`). `query` values that are undefined are skipped; others
// are set as strings. A truthy `body` is sent as JSON unless `rawBody` (sent as is). JSON results
// come back as the API's envelope plus `status`; `success: false` envelopes throw
// `API error: <code>: <message>, ...`; non-JSON answers come back as `{ success, status, result:
// <text> }` and throw `API error: <status> <text>` when not ok.

// Self-contained (no module-level names), so a host can ship it into a sandbox as
// `export ${makeClient.toString()}`.
export function makeClient(api, baseUrl) {
  const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  async function request(options) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("request() takes an object: { method, path, query?, body?, contentType?, rawBody? }.");
    }
    const { path, query, body, contentType, rawBody } = options;
    const method = String(options.method ?? "GET").toUpperCase();
    if (!METHODS.has(method)) {
      throw new TypeError(`request(): method must be one of ${[...METHODS].join(", ")}; got ${options.method}.`);
    }
    if (typeof path !== "string" || !path.startsWith("/")) {
      throw new TypeError(`request(): path must be a string starting with "/"; got ${JSON.stringify(path)}.`);
    }
    if (basePath !== "" && (path === basePath || path.startsWith(basePath + "/"))) {
      throw new TypeError(`request(): path is relative to ${base.origin}${basePath}; drop the leading ${basePath}.`);
    }
    const url = new URL(base.origin + basePath + path);
    if (query !== undefined && query !== null) {
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
    }
    const headers = {};
    let payload;
    if (rawBody) {
      payload = body;
      if (contentType) headers["content-type"] = contentType;
    } else if (body) {
      payload = JSON.stringify(body);
      headers["content-type"] = contentType ?? "application/json";
    }
    const response = await api.fetch(url.href, { method, headers, body: payload });
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("application/json")) {
      const text = await response.text();
      if (!response.ok) throw new Error(`API error: ${response.status} ${text}`);
      return { success: true, status: response.status, result: text };
    }
    const envelope = await response.json();
    if (envelope && typeof envelope === "object" && envelope.success === false) {
      const errors = Array.isArray(envelope.errors) ? envelope.errors : [];
      const detail = errors.map((e) => `${e.code}: ${e.message}`).join(", ");
      throw new Error(`API error: ${detail || response.status}`);
    }
    // An API without Cloudflare's envelope: its JSON becomes `result`, and a failure throws.
    if (envelope === null || typeof envelope !== "object" || Array.isArray(envelope) ||
        !("success" in envelope)) {
      if (!response.ok) throw new Error(`API error: ${response.status} ${JSON.stringify(envelope).slice(0, 500)}`);
      return { success: true, status: response.status, result: envelope };
    }
    return { ...envelope, status: response.status };
  }
  return Object.freeze({ request });
}
