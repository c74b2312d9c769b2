// OpenAPI (3.0 and 3.1) preprocessing for Code Mode's `search` tool: every `$ref` resolved
// (3.1's sibling keywords next to a $ref kept, path items by $ref followed), each operation
// reduced to what an agent needs, and the products listed: for Cloudflare-style paths the first
// segment after /accounts/{…}/ or /zones/{…}/, otherwise the operations' tags, otherwise the first
// path segment. Plain JavaScript with no Workers APIs, so it runs anywhere.
//
// Unlike the upstream server, which turns the second use of any $ref within a field into
// {"$circular": ref} (8,202 markers on the 2024-08 Cloudflare spec), only real cycles become
// markers here: a $ref is circular when it is already being resolved on the current path.
// Resolved schemas are shared, not copied: the result is a DAG held once in memory (structured
// clone keeps the sharing; JSON.stringify would expand it).

const METHODS = ["get", "post", "put", "patch", "delete"];

// Follows a local JSON pointer ("#/components/schemas/x"), with ~0/~1 unescaping.
function lookup(doc, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

export function createResolver(doc) {
  const done = new Map();      // ref -> resolved value (shared)
  const active = new Set();    // refs being resolved on the current path
  let circular = 0;

  function resolve(node) {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map(resolve);
    if (typeof node.$ref === "string") {
      const ref = node.$ref;
      let value;
      if (done.has(ref)) {
        value = done.get(ref);
      } else if (active.has(ref)) {
        circular++;
        return { $circular: ref };
      } else {
        const target = lookup(doc, ref);
        if (target === undefined) return { $unresolved: ref };
        active.add(ref);
        value = resolve(target);
        active.delete(ref);
        done.set(ref, value);
      }
      // OpenAPI 3.1: keywords beside a $ref (summary, description, ...) apply on top of it.
      const siblings = Object.keys(node).filter((k) => k !== "$ref");
      if (siblings.length === 0 || value === null || typeof value !== "object" || Array.isArray(value)) {
        return value;
      }
      const merged = { ...value };
      for (const k of siblings) merged[k] = resolve(node[k]);
      return merged;
    }
    const out = {};
    for (const key of Object.keys(node)) out[key] = resolve(node[key]);
    return out;
  }
  return { resolve, stats: () => ({ circular, sharedRefs: done.size }) };
}

export function productOf(path) {
  const m = /^\/(?:accounts|zones)\/\{[^}]+\}\/([^/]+)/.exec(path);
  return m ? m[1] : undefined;
}

// -> { paths: { [path]: { [method]: OperationInfo } }, products: string[], operations: number,
//      stats: { circular, sharedRefs } }
export function processSpec(doc) {
  if (!doc || typeof doc !== "object" || typeof doc.paths !== "object") {
    throw new TypeError("Not an OpenAPI document: it has no `paths` object.");
  }
  const { resolve, stats } = createResolver(doc);
  const paths = {};
  const productCounts = new Map();
  let operations = 0;
  const tagCounts = new Map(), segmentCounts = new Map();
  const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const path of Object.keys(doc.paths).sort()) {
    const raw = doc.paths[path] ?? {};
    const item = typeof raw.$ref === "string" ? (lookup(doc, raw.$ref) ?? {}) : raw;
    const product = productOf(path);
    if (product !== undefined) count(productCounts, product);
    const segment = /^\/([^/{}]+)/.exec(path)?.[1];
    if (segment !== undefined) count(segmentCounts, segment);
    const out = {};
    const shared = Array.isArray(item.parameters) ? resolve(item.parameters) : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      operations++;
      const tags = Array.isArray(op.tags) ? [...op.tags] : [];
      for (const tag of tags) count(tagCounts, String(tag));
      if (product !== undefined && !tags.some((t) => String(t).toLowerCase() === product.toLowerCase())) {
        tags.unshift(product);
      }
      // Path-level parameters apply to every operation unless the operation overrides them.
      const own = Array.isArray(op.parameters) ? resolve(op.parameters) : [];
      const params = [...shared.filter((p) => !own.some((q) => q?.name === p?.name && q?.in === p?.in)),
                      ...own];
      out[method] = {
        operationId: op.operationId,
        summary: op.summary,
        description: op.description,
        tags,
        parameters: params.length ? params : undefined,
        requestBody: op.requestBody ? resolve(op.requestBody) : undefined,
        responses: op.responses ? resolve(op.responses) : undefined,
      };
    }
    paths[path] = out;
  }
  const byCount = (map) => [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name]) => name);
  const products = byCount(productCounts.size ? productCounts : tagCounts.size ? tagCounts : segmentCounts);
  return { paths, products, operations, stats: stats() };
}
