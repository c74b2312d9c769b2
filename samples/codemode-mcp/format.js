// Tool results as text for the model. A string goes through as is; anything else becomes
// pretty JSON (undefined → "undefined", BigInt → "123n", cycles → "[Circular]"). Over the budget
// (default 6,000 tokens ≈ 24,000 characters), JSON is cut *structurally* so that the text stays
// valid JSON: long arrays keep their first items and end with a "[… N more items]" marker, long
// strings end with "…[+N chars]", objects with many keys keep the first ones and a "…" key
// saying how many were left out, and deep values become "[Object: N keys]" / "[Array: N items]".
// `note` says that and how much was cut. (Upstream cuts the text mid-JSON.)

export const DEFAULT_MAX_CHARS = 24000;

function plain(value, seen = new Set()) {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
  if (typeof value === "symbol") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  if (typeof value.toJSON === "function") return plain(value.toJSON(), seen);
  seen.add(value);
  let out;
  if (Array.isArray(value)) {
    out = value.map((v) => (v === undefined ? null : plain(v, seen)));
  } else {
    out = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined && typeof v !== "function" && typeof v !== "symbol") out[k] = plain(v, seen);
    }
  }
  seen.delete(value);
  return out;
}

// A copy with arrays at most `items` long, objects at most `keys` keys, strings at most `chars`
// characters and nothing deeper than `depth`.
function prune(value, { items, keys, chars, depth }, level = 0) {
  if (typeof value === "string") {
    return value.length > chars ? `${value.slice(0, chars)}…[+${value.length - chars} chars]` : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    if (level >= depth) return `[Array: ${value.length} items]`;
    const out = value.slice(0, items).map((v) => prune(v, { items, keys, chars, depth }, level + 1));
    if (value.length > items) out.push(`[… ${value.length - items} more items]`);
    return out;
  }
  const entries = Object.entries(value);
  if (level >= depth) return `[Object: ${entries.length} keys]`;
  const out = {};
  for (const [k, v] of entries.slice(0, keys)) out[k] = prune(v, { items, keys, chars, depth }, level + 1);
  if (entries.length > keys) out["…"] = `${entries.length - keys} more keys`;
  return out;
}

const STEPS = [];
for (const depth of [Infinity, 8, 6, 4, 3, 2, 1]) {
  for (const [items, keys, chars] of [[100, 200, 2000], [50, 100, 1000], [20, 50, 400], [10, 30, 200],
                                      [5, 20, 100], [3, 10, 60], [1, 5, 40]]) {
    STEPS.push({ items, keys, chars, depth });
  }
}

// -> { text, truncated, note? }
export function formatResult(value, { maxChars = DEFAULT_MAX_CHARS } = {}) {
  if (typeof value === "string") {
    if (value.length <= maxChars) return { text: value, truncated: false };
    return {
      text: value.slice(0, maxChars), truncated: true,
      note: `Result cut to ${maxChars.toLocaleString("en-US")} of ${value.length.toLocaleString("en-US")} characters (~${Math.ceil(value.length / 4).toLocaleString("en-US")} tokens). Return less, e.g. filter or slice in your code.`,
    };
  }
  if (value === undefined) return { text: "undefined", truncated: false };
  const data = plain(value);
  const full = JSON.stringify(data, null, 2);
  if (full.length <= maxChars) return { text: full, truncated: false };
  for (const step of STEPS) {
    const text = JSON.stringify(prune(data, step), null, 2);
    if (text.length <= maxChars) {
      return {
        text, truncated: true,
        note: `Result was ~${Math.ceil(full.length / 4).toLocaleString("en-US")} tokens; shortened to fit ${maxChars.toLocaleString("en-US")} characters (markers show what was left out). Return less, e.g. filter or map in your code.`,
      };
    }
  }
  const text = JSON.stringify(`[${Array.isArray(data) ? `Array: ${data.length} items` : "Object"}: too large to show]`);
  return { text, truncated: true, note: `Result was ~${Math.ceil(full.length / 4).toLocaleString("en-US")} tokens and could not be shortened to ${maxChars.toLocaleString("en-US")} characters.` };
}
