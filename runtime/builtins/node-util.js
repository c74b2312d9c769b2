// Node.js compatibility (nodejs_compat), part 1 of 3: Node's error helpers, util.inspect,
// util.format, deep equality and the node:util module. Runs before node-buffer.js and node.js
// (which load it; see node.js for the whole picture) and shares through `internal.nodeImpl`:
//   nodeError, invalidArgType, outOfRange, validateFunction, validateString, validateInteger,
//   inspect, formatPrimitive, isDeepEqual, utilModule, HEX, compareBytes
// and reads `internal.nodeImpl.Buffer` and `.process` (set by the later parts) when called.
"use strict";
const native = internal.native;
const impl = internal.nodeImpl = {};
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// --- errors -----------------------------------------------------------------------------------

function nodeError(Ctor, code, message) {
  const error = new Ctor(message);
  Object.defineProperty(error, "code", { value: code, writable: true, enumerable: true, configurable: true });
  return error;
}

function addSeparators(text) {
  let result = "";
  let i = text.length;
  const end = text[0] === "-" ? 1 : 0;
  for (; i >= end + 4; i -= 3) result = `_${text.slice(i - 3, i)}${result}`;
  return `${text.slice(0, i)}${result}`;
}

// Node's "Received ..." suffix of ERR_INVALID_ARG_TYPE.
function received(value) {
  if (value == null) return ` Received ${value}`;
  if (typeof value === "function") return ` Received function ${value.name}`;
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? ` Received an instance of ${name}` : ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function invalidArgType(name, expected, value) {
  const what = name.includes(" ") ? name : `"${name}" argument`;
  const prefix = name.startsWith("The ") ? name : `The ${what}`;
  return nodeError(TypeError, "ERR_INVALID_ARG_TYPE", `${prefix} must be ${expected}.${received(value)}`);
}

function outOfRange(name, range, value) {
  let shown;
  if (typeof value === "bigint") {
    shown = `${value > 2n ** 32n || value < -(2n ** 32n) ? addSeparators(String(value)) : value}n`;
  } else if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) > 2 ** 32) {
    shown = addSeparators(String(value));
  } else {
    shown = inspect(value);
  }
  return nodeError(RangeError, "ERR_OUT_OF_RANGE",
                   `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
}

function validateFunction(value, name) {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

function validateString(value, name) {
  if (typeof value !== "string") throw invalidArgType(name, "of type string", value);
}

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  if (typeof value !== "number") throw invalidArgType(name, "of type number", value);
  if (!Number.isInteger(value)) throw outOfRange(name, "an integer", value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

// --- node:util: inspect ----------------------------------------------------------------------

const customInspect = Symbol.for("nodejs.util.inspect.custom");
const inspectDefaults = {
  showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
  maxArrayLength: 100, maxStringLength: 10000, breakLength: 128, compact: 3, sorted: false,
  getters: false, numericSeparator: false,
};
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const objectToString = (v) => Object.prototype.toString.call(v);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;

function inspect(value, options) {
  const ctx = { ...inspectDefaults, seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0 };
  if (typeof options === "boolean") ctx.showHidden = options;  // legacy (value, showHidden, depth)
  else if (options !== null && typeof options === "object") {
    for (const key of Object.keys(options)) if (key in inspectDefaults || key === "stylize") ctx[key] = options[key];
  }
  if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
  if (ctx.depth === null) ctx.depth = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspect;
inspect.defaultOptions = inspectDefaults;

function quoteString(text) {
  let quote = "'";
  if (text.includes("'")) {
    if (!text.includes('"')) quote = '"';
    else if (!text.includes("`") && !text.includes("${")) quote = "`";
  }
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\v") out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case "string": {
      let trailer = "";
      if (value.length > ctx.maxStringLength) {
        trailer = `... ${value.length - ctx.maxStringLength} more character${value.length - ctx.maxStringLength > 1 ? "s" : ""}`;
        value = value.slice(0, ctx.maxStringLength);
      }
      return quoteString(value) + trailer;
    }
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "bigint": return `${value}n`;
    case "symbol": return value.toString();
    default: return String(value);
  }
}

function formatKey(key, hidden) {
  let text;
  if (typeof key === "symbol") text = key.toString();
  else if (IDENTIFIER.test(key)) text = key;
  else text = quoteString(key);
  return hidden ? `[${text}]` : text;
}

function constructorName(obj) {
  let proto = obj;
  while (proto !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (descriptor !== undefined && typeof descriptor.value === "function" && descriptor.value.name !== "") {
      return descriptor.value.name;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return null;
}

function prefix(name, tag, fallback, size = "") {
  if (name === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== "" && name !== tag) return `${name}${size} [${tag}] `;
  return `${name}${size} `;
}

function functionBase(value, name, tag) {
  const source = Function.prototype.toString.call(value);
  if (source.startsWith("class") && /^class\b/.test(source)) {
    let base = `[class ${value.name || "(anonymous)"}`;
    const superclass = Object.getPrototypeOf(value);
    if (superclass && superclass !== Function.prototype && superclass.name) base += ` extends ${superclass.name}`;
    return `${base}]`;
  }
  let type = "Function";
  const kind = objectToString(value).slice(8, -1);
  if (kind === "AsyncFunction" || kind === "GeneratorFunction" || kind === "AsyncGeneratorFunction") type = kind;
  let base = `[${type}`;
  if (name === null) base += " (null prototype)";
  base += value.name === "" ? " (anonymous)" : `: ${value.name}`;
  base += "]";
  if (tag !== "" && tag !== name && tag !== type) base += ` [${tag}]`;
  return base;
}

function errorBase(err) {
  const stack = typeof err.stack === "string" && err.stack !== "" ? err.stack : null;
  if (stack !== null) return stack;
  return `[${Error.prototype.toString.call(err)}]`;
}

function ownKeys(ctx, value, filterIndices) {
  let keys;
  if (ctx.showHidden) {
    keys = Object.getOwnPropertyNames(value).concat(Object.getOwnPropertySymbols(value));
  } else {
    keys = Object.keys(value);
    for (const s of Object.getOwnPropertySymbols(value)) {
      if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
    }
  }
  if (filterIndices) keys = keys.filter((k) => typeof k === "symbol" || !/^(0|[1-9][0-9]*)$/.test(k) || +k >= 2 ** 32 - 1);
  if (ctx.sorted) keys.sort(typeof ctx.sorted === "function" ? ctx.sorted : undefined);
  return keys;
}

function formatProperty(ctx, value, depth, key, arrayLike) {
  const descriptor = Object.getOwnPropertyDescriptor(value, key) ?? { value: value[key], enumerable: true };
  let shown;
  if (descriptor.value !== undefined || !("get" in descriptor)) {
    ctx.indentationLvl += 2;
    shown = formatValue(ctx, descriptor.value, depth + 1);
    ctx.indentationLvl -= 2;
  } else if (descriptor.get !== undefined) {
    shown = descriptor.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else {
    shown = descriptor.set !== undefined ? "[Setter]" : "undefined";
  }
  if (arrayLike) return shown;
  return `${formatKey(key, !descriptor.enumerable)}: ${shown}`;
}

function formatValue(ctx, value, depth) {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  if (ctx.customInspect) {
    let custom;
    try { custom = value[customInspect]; } catch { custom = undefined; }
    if (typeof custom === "function" && custom !== inspect) {
      const options = { ...ctx, depth: ctx.depth - depth, stylize: (s) => s };
      const result = custom.call(value, ctx.depth - depth, options, inspect);
      if (result !== value) {
        if (typeof result !== "string") return formatValue(ctx, result, depth);
        return result.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = ctx.circular.get(value);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(value, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, depth);
}

function formatRaw(ctx, value, depth) {
  const name = constructorName(value);
  let tag = "";
  try { tag = value[Symbol.toStringTag]; } catch {}
  if (typeof tag !== "string") tag = "";
  let keys = [];
  let braces;
  let base = "";
  let formatter = () => [];
  let extrasType = "object";

  if (Array.isArray(value)) {
    const size = name !== "Array" || tag !== "" ? prefix(name, tag, "Array", `(${value.length})`) : "";
    keys = ownKeys(ctx, value, true);
    braces = [`${size}[`, "]"];
    extrasType = "array";
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatArray;
  } else if (typeof value === "function") {
    base = functionBase(value, name, tag);
    keys = ownKeys(ctx, value, false).filter((k) => !(ctx.showHidden && (k === "length" || k === "name" || k === "prototype" || k === "arguments" || k === "caller")));
    if (keys.length === 0) return base;
    braces = ["{", "}"];
  } else if (value instanceof Map || objectToString(value) === "[object Map]") {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag, "Map", `(${value.size})`)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = formatMap;
  } else if (value instanceof Set || objectToString(value) === "[object Set]") {
    keys = ownKeys(ctx, value, false);
    braces = [`${prefix(name, tag, "Set", `(${value.size})`)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = formatSet;
  } else if (ArrayBuffer.isView(value) && typedArrayTag.call(value) !== undefined) {
    const type = typedArrayTag.call(value);
    keys = ownKeys(ctx, value, true);
    braces = [`${prefix(name, tag === type ? "" : tag, type, `(${value.length})`)}[`, "]"];
    extrasType = "array";
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatTypedArray;
  } else {
    keys = ownKeys(ctx, value, false);
    braces = ["{", "}"];
    if (value instanceof Error || objectToString(value) === "[object Error]") {
      base = errorBase(value);
      keys = keys.filter((k) => k !== "stack" && k !== "message");
      if (keys.length === 0) return base;
      if (ctx.indentationLvl > 0) base = base.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
    } else if (value instanceof Date) {
      base = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      if (keys.length === 0) return base;
    } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
      const type = value instanceof ArrayBuffer ? "ArrayBuffer" : "SharedArrayBuffer";
      braces[0] = `${prefix(name, tag === type ? "" : tag, type)}{`;
      formatter = () => {
        const bytes = new Uint8Array(value, 0, Math.min(ctx.maxArrayLength, value.byteLength));
        let hex = Array.from(bytes, (b) => HEX[b]).join(" ");
        if (value.byteLength > bytes.length) hex += ` ... ${value.byteLength - bytes.length} more byte${value.byteLength - bytes.length > 1 ? "s" : ""}`;
        return [`[Uint8Contents]: <${hex}>`, `byteLength: ${formatValue(ctx, value.byteLength, depth)}`];
      };
    } else if (value instanceof Promise) {
      braces[0] = `${prefix(name, tag === "Promise" ? "" : tag, "Promise")}{`;
      formatter = () => {
        const state = native.promiseState?.(value);
        if (state === undefined) return ["<unknown>"];
        if (state[0] === "pending") return ["<pending>"];
        ctx.indentationLvl += 2;
        const shown = formatValue(ctx, state[1], depth + 1);
        ctx.indentationLvl -= 2;
        return [state[0] === "rejected" ? `<rejected> ${shown}` : shown];
      };
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      braces[0] = `${prefix(name, "", value instanceof WeakMap ? "WeakMap" : "WeakSet")}{`;
      formatter = () => ["<items unknown>"];
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean ||
               value instanceof BigInt || value instanceof Symbol) {
      const prim = value.valueOf();
      const type = typeof prim === "string" ? "String" : typeof prim === "number" ? "Number"
        : typeof prim === "boolean" ? "Boolean" : typeof prim === "bigint" ? "BigInt" : "Symbol";
      base = `[${type}${type !== name && name !== null ? ` (${name})` : ""}: ${formatPrimitive(ctx, prim)}]`;
      if (typeof prim === "string") keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
      if (keys.length === 0) return base;
    } else {
      if (name === "Object" && tag === "") {
        if (keys.length === 0) return "{}";
      } else {
        braces[0] = `${prefix(name, tag, "Object")}{`;
        if (keys.length === 0) return `${braces[0]}}`;
      }
    }
  }

  if (depth > ctx.depth) {
    return Array.isArray(value) ? "[Array]" : `[${name ?? "Object: null prototype"}]`;
  }
  ctx.seen.push(value);
  ctx.currentDepth = depth;
  let output;
  try {
    output = formatter(ctx, value, depth);
    for (const key of keys) output.push(formatProperty(ctx, value, depth, key, false));
  } finally {
    ctx.seen.pop();
  }
  const index = ctx.circular.get(value);
  if (index !== undefined) {
    const reference = `<ref *${index}>`;
    base = base === "" ? reference : `${reference} ${base}`;
  }
  return reduceToSingleString(ctx, output, base, braces, extrasType, depth, value);
}

function formatArray(ctx, value, depth) {
  const output = [];
  const limit = Math.min(ctx.maxArrayLength, value.length);
  let holes = 0;
  const flushHoles = () => {
    if (holes > 0) output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    holes = 0;
  };
  let i = 0;
  for (; i < value.length && output.length < limit; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) { holes++; continue; }
    flushHoles();
    output.push(formatProperty(ctx, value, depth, String(i), true));
  }
  flushHoles();
  if (i < value.length) output.push(`... ${value.length - i} more item${value.length - i > 1 ? "s" : ""}`);
  return output;
}

function formatTypedArray(ctx, value) {
  const limit = Math.min(ctx.maxArrayLength, value.length);
  const output = [];
  for (let i = 0; i < limit; i++) output.push(formatPrimitive(ctx, value[i]));
  if (value.length > limit) output.push(`... ${value.length - limit} more item${value.length - limit > 1 ? "s" : ""}`);
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    for (const key of ["BYTES_PER_ELEMENT", "length", "byteLength", "byteOffset", "buffer"]) {
      output.push(`[${key}]: ${formatValue(ctx, value[key], ctx.currentDepth + 1)}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

function formatSet(ctx, value, depth) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const v of value) output.push(formatValue(ctx, v, depth + 1));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, value, depth) {
  const output = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) output.push(`${formatValue(ctx, k, depth + 1)} => ${formatValue(ctx, v, depth + 1)}`);
  ctx.indentationLvl -= 2;
  return output;
}

// Arrays of more than six short entries are laid out in aligned columns, about as many as make
// the block roughly square (characters being ~2.5 times taller than wide), at most 15 and at
// most 4 * compact, within breakLength.
function groupArrayElements(ctx, output, value) {
  let count = output.length;
  if (ctx.maxArrayLength < output.length) count--;  // the "... more items" entry stands alone
  const lengths = output.slice(0, count).map((s) => s.length);
  const total = lengths.reduce((a, n) => a + n + 2, 0);
  const longest = Math.max(0, ...lengths);
  const cell = longest + 2;
  if (!(cell * 3 + ctx.indentationLvl < ctx.breakLength && (total / cell > 5 || longest <= 6))) return output;
  const bias = Math.sqrt(cell - total / output.length);
  const biased = Math.max(cell - 3 - bias, 1);
  const columns = Math.min(Math.round(Math.sqrt(2.5 * biased * count) / biased),
                           Math.floor((ctx.breakLength - ctx.indentationLvl) / cell), ctx.compact * 4, 15);
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let width = 0;
    for (let j = c; j < output.length; j += columns) width = Math.max(width, lengths[j] ?? 0);
    widths.push(width + 2);
  }
  let numeric = value !== undefined;
  for (let i = 0; numeric && i < output.length; i++) {
    if (typeof value[i] !== "number" && typeof value[i] !== "bigint") numeric = false;
  }
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const last = Math.min(i + columns, count) - 1;
    let row = "";
    for (let j = i; j < last; j++) {
      const cellText = `${output[j]}, `;
      row += numeric ? cellText.padStart(widths[j - i]) : cellText.padEnd(widths[j - i]);
    }
    row += numeric ? output[last].padStart(widths[last - i] - 2) : output[last];
    rows.push(row);
  }
  if (count < output.length) rows.push(output[count]);
  return rows;
}

function reduceToSingleString(ctx, output, base, braces, extrasType, depth, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === "number" && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === "array" && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        let total = output.length + start;
        const fits = total + output.length <= ctx.breakLength &&
          output.every((s) => (total += s.length) <= ctx.breakLength) && !base.includes("\n");
        if (fits) {
          const joined = output.join(", ");
          if (!joined.includes("\n")) {
            return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }
  const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
  const total = output.reduce((n, s) => n + s.length, output.length);
  if (total + start <= ctx.breakLength) {
    return `${base ? `${base} ` : ""}${braces[0]} ${output.join(", ")} ${braces[1]}`;
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

// --- node:util: format, deep equality, the rest --------------------------------------------

function hasOwnToString(value) {
  // Objects with a user-defined toString are %s-formatted through it; plain ones are inspected.
  let proto = value;
  while (proto !== null && proto !== Object.prototype && proto !== Error.prototype) {
    if (Object.prototype.hasOwnProperty.call(proto, "toString")) {
      const builtins = [Array.prototype, Date.prototype, RegExp.prototype, Function.prototype, Map.prototype, Set.prototype];
      return !builtins.includes(proto) && !(proto instanceof Object && Object.getPrototypeOf(proto) === null);
    }
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

function formatWithOptions(options, ...args) {
  const first = args[0];
  let out = "";
  let next = 0;
  if (typeof first === "string") {
    if (args.length === 1) return first;
    next = 1;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;  // '%'
      const c = first[i + 1];
      if (c === "%") {
        out += first.slice(last, i) + "%";
        last = i + 2;
        i++;
        continue;
      }
      if (next >= args.length || !"sdifjoOc".includes(c)) continue;
      const arg = args[next];
      let piece;
      switch (c) {
        case "s":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "number") piece = formatPrimitive({ ...inspectDefaults }, arg);
          else if (typeof arg === "object" && arg !== null && !hasOwnToString(arg)) {
            piece = inspect(arg, { ...options, depth: 0, colors: false, compact: 3 });
          } else piece = String(arg);
          break;
        case "d":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "symbol") piece = "NaN";
          else piece = formatPrimitive({ ...inspectDefaults }, typeof arg === "object" && arg !== null ? Number(arg) : Number(arg));
          break;
        case "i":
          if (typeof arg === "bigint") piece = `${arg}n`;
          else if (typeof arg === "symbol") piece = "NaN";
          else piece = formatPrimitive({ ...inspectDefaults }, parseInt(arg));
          break;
        case "f":
          piece = typeof arg === "symbol" ? "NaN" : formatPrimitive({ ...inspectDefaults }, parseFloat(arg));
          break;
        case "j":
          try { piece = JSON.stringify(arg); } catch (e) {
            if (e instanceof TypeError && /circular/i.test(e.message)) piece = "[Circular]"; else throw e;
          }
          break;
        case "o": piece = inspect(arg, { ...options, showHidden: true, showProxy: true, depth: 4 }); break;
        case "O": piece = inspect(arg, options); break;
        case "c": piece = ""; break;
      }
      out += first.slice(last, i) + piece;
      last = i + 2;
      i++;
      next++;
    }
    out += first.slice(last);
  }
  for (; next < args.length; next++) {
    const arg = args[next];
    out += (out === "" && next === 0 ? "" : " ") + (typeof arg === "string" ? arg : inspect(arg, options));
  }
  return out;
}

function format(...args) { return formatWithOptions(undefined, ...args); }

const tagOf = (v) => objectToString(v).slice(8, -1);

function isDeepEqual(a, b, memo = new Map()) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;  // functions are compared by identity only
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = objectToString(a);
  if (tag !== objectToString(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  let seen = memo.get(a);
  if (seen?.has(b)) return true;
  if (seen === undefined) memo.set(a, seen = new Set());
  seen.add(b);
  if (a instanceof Date) {
    if (!Object.is(a.getTime(), b.getTime())) return false;
  } else if (a instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    if (typedArrayTag.call(a) !== typedArrayTag.call(b)) return false;
    if (typedArrayTag.call(a) === "Float32Array" || typedArrayTag.call(a) === "Float64Array") {
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    } else if (compareBytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
                            new Uint8Array(b.buffer, b.byteOffset, b.byteLength)) !== 0) return false;
  } else if (a instanceof ArrayBuffer) {
    if (compareBytes(new Uint8Array(a), new Uint8Array(b)) !== 0) return false;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt || a instanceof Symbol) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  } else if (a instanceof WeakMap || a instanceof WeakSet || a instanceof Promise) {
    return false;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    const pending = [];
    for (const [key, value] of a) {
      if (typeof key !== "object" || key === null) {
        if (!b.has(key) || !isDeepEqual(value, b.get(key), memo)) return false;
      } else pending.push([key, value]);
    }
    const candidates = [...b].filter(([k]) => typeof k === "object" && k !== null);
    for (const [key, value] of pending) {
      const i = candidates.findIndex(([k, v]) => isDeepEqual(key, k, memo) && isDeepEqual(value, v, memo));
      if (i < 0) return false;
      candidates.splice(i, 1);
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    const candidates = [...b].filter((k) => typeof k === "object" && k !== null);
    for (const value of a) {
      if (typeof value !== "object" || value === null) {
        if (!b.has(value)) return false;
        continue;
      }
      const i = candidates.findIndex((v) => isDeepEqual(value, v, memo));
      if (i < 0) return false;
      candidates.splice(i, 1);
    }
  }
  const keysA = ownKeys({ showHidden: false }, a, ArrayBuffer.isView(a));
  const keysB = ownKeys({ showHidden: false }, b, ArrayBuffer.isView(b));
  if (keysA.length !== keysB.length) return false;
  if (Array.isArray(a) && a.length !== b.length) return false;
  for (const key of keysA) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!isDeepEqual(a[key], b[key], memo)) return false;
  }
  return true;
}

const kCustomPromisify = Symbol.for("nodejs.util.promisify.custom");
function promisify(original) {
  validateFunction(original, "original");
  if (original[kCustomPromisify]) {
    const fn = original[kCustomPromisify];
    validateFunction(fn, "util.promisify.custom");
    return Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  }
  function fn(...args) {
    return new Promise((resolve, reject) => {
      Reflect.apply(original, this, [...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      }]);
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kCustomPromisify, { value: fn, enumerable: false, writable: false, configurable: true });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kCustomPromisify;

function callbackify(original) {
  validateFunction(original, "original");
  function callbackified(...args) {
    const callback = args.pop();
    validateFunction(callback, "last argument");
    Reflect.apply(original, this, args).then(
      (value) => impl.process.nextTick(callback, null, value),
      (reason) => {
        if (!reason) {
          const wrapped = nodeError(Error, "ERR_FALSY_VALUE_REJECTION", "Promise was rejected with falsy value");
          wrapped.reason = reason;
          reason = wrapped;
        }
        impl.process.nextTick(callback, reason);
      });
  }
  Object.setPrototypeOf(callbackified, Object.getPrototypeOf(original));
  Object.defineProperties(callbackified, Object.getOwnPropertyDescriptors(original));
  return callbackified;
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw invalidArgType("ctor", "of type function", ctor);
  if (superCtor === undefined || superCtor === null) throw invalidArgType("superCtor", "of type function", superCtor);
  if (superCtor.prototype === undefined) throw invalidArgType("superCtor.prototype", "of type object", superCtor.prototype);
  Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warnedCodes = new Set();
function deprecate(fn, message, code) {
  validateFunction(fn, "fn");
  let warned = false;
  function deprecated(...args) {
    if (!warned && !(code !== undefined && warnedCodes.has(code))) {
      warned = true;
      if (code !== undefined) warnedCodes.add(code);
      impl.process.emitWarning(message, "DeprecationWarning", code);
    }
    return new.target ? Reflect.construct(fn, args, new.target) : Reflect.apply(fn, this, args);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function brand(method) {
  return (value) => {
    try { method(value); return true; } catch { return false; }
  };
}
const typedTag = (name) => (v) => ArrayBuffer.isView(v) && typedArrayTag.call(v) === name;
const types = {
  isPromise: (v) => v instanceof Promise || tagOf(v) === "Promise",
  isDate: brand((v) => Date.prototype.getTime.call(v)),
  isRegExp: (v) => typeof v === "object" && v !== null && v !== RegExp.prototype && brand((x) => Object.getOwnPropertyDescriptor(RegExp.prototype, "flags").get && RegExp.prototype.exec.call(x, ""))(v),
  isMap: brand((v) => Map.prototype.has.call(v)),
  isSet: brand((v) => Set.prototype.has.call(v)),
  isWeakMap: brand((v) => WeakMap.prototype.has.call(v, {})),
  isWeakSet: brand((v) => WeakSet.prototype.has.call(v, {})),
  isArrayBuffer: brand((v) => Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get.call(v)),
  isSharedArrayBuffer: (v) => typeof SharedArrayBuffer !== "undefined" && brand((x) => Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get.call(x))(v),
  isAnyArrayBuffer: (v) => types.isArrayBuffer(v) || types.isSharedArrayBuffer(v),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray: (v) => ArrayBuffer.isView(v) && typedArrayTag.call(v) !== undefined,
  isDataView: brand((v) => Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get.call(v)),
  isUint8Array: typedTag("Uint8Array"), isUint8ClampedArray: typedTag("Uint8ClampedArray"),
  isUint16Array: typedTag("Uint16Array"), isUint32Array: typedTag("Uint32Array"),
  isInt8Array: typedTag("Int8Array"), isInt16Array: typedTag("Int16Array"), isInt32Array: typedTag("Int32Array"),
  isFloat32Array: typedTag("Float32Array"), isFloat64Array: typedTag("Float64Array"),
  isBigInt64Array: typedTag("BigInt64Array"), isBigUint64Array: typedTag("BigUint64Array"),
  isAsyncFunction: (v) => typeof v === "function" && (tagOf(v) === "AsyncFunction" || tagOf(v) === "AsyncGeneratorFunction"),
  isGeneratorFunction: (v) => typeof v === "function" && (tagOf(v) === "GeneratorFunction" || tagOf(v) === "AsyncGeneratorFunction"),
  isGeneratorObject: (v) => tagOf(v) === "Generator" || tagOf(v) === "AsyncGenerator",
  isNumberObject: brand((v) => typeof v === "object" && Number.prototype.valueOf.call(v)),
  isStringObject: (v) => typeof v === "object" && brand((x) => String.prototype.valueOf.call(x))(v),
  isBooleanObject: (v) => typeof v === "object" && brand((x) => Boolean.prototype.valueOf.call(x))(v),
  isBigIntObject: (v) => typeof v === "object" && brand((x) => BigInt.prototype.valueOf.call(x))(v),
  isSymbolObject: (v) => typeof v === "object" && brand((x) => Symbol.prototype.valueOf.call(x))(v),
  isBoxedPrimitive: (v) => types.isNumberObject(v) || types.isStringObject(v) || types.isBooleanObject(v) ||
    types.isBigIntObject(v) || types.isSymbolObject(v),
  isNativeError: (v) => v instanceof Error || tagOf(v) === "Error",
  isMapIterator: (v) => tagOf(v) === "Map Iterator",
  isSetIterator: (v) => tagOf(v) === "Set Iterator",
  isArgumentsObject: (v) => tagOf(v) === "Arguments",
  isModuleNamespaceObject: (v) => typeof v === "object" && v !== null && Object.getPrototypeOf(v) === null && v[Symbol.toStringTag] === "Module",
  isProxy: () => false,  // not observable from JavaScript
  isExternal: () => false,
  isWeakRef: (v) => typeof WeakRef !== "undefined" && v instanceof WeakRef,
  isCryptoKey: (v) => typeof CryptoKey !== "undefined" && v instanceof CryptoKey,
  isKeyObject: () => false,
};
// Numbers: the brand check passes for 0 too.
types.isNumberObject = (v) => typeof v === "object" && v !== null && brand((x) => Number.prototype.valueOf.call(x))(v);
types.isRegExp = (v) => {
  if (typeof v !== "object" || v === null) return false;
  try { Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get.call(v); } catch { return false; }
  return v !== RegExp.prototype;
};

const utilModule = {
  inspect, format, formatWithOptions, promisify, callbackify, inherits, deprecate, types,
  isDeepStrictEqual: (a, b) => isDeepEqual(a, b),
  TextEncoder: global.TextEncoder,
  TextDecoder: global.TextDecoder,
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === "boolean",
  isBuffer: (v) => v instanceof impl.Buffer,
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === "number",
  isString: (v) => typeof v === "string",
  isSymbol: (v) => typeof v === "symbol",
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === "object",
  isDate: types.isDate,
  isError: (v) => types.isNativeError(v),
  isFunction: (v) => typeof v === "function",
  isPrimitive: (v) => v === null || (typeof v !== "object" && typeof v !== "function"),
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  debug: () => Object.assign(() => {}, { enabled: false }),
  toUSVString: (text) => String(text).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"),
  stripVTControlCharacters(text) {
    validateString(text, "str");
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u001B\u009B][[\]()#;?]*(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007|(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~])/g, "");
  },
  _extend(target, source) {
    if (source === null || typeof source !== "object") return target;
    for (const key of Object.keys(source)) target[key] = source[key];
    return target;
  },
  aborted(signal, resource) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve(); else signal.addEventListener("abort", () => resolve(), { once: true });
    });
  },
};


Object.assign(impl, {
  nodeError, invalidArgType, outOfRange, validateFunction, validateString, validateInteger,
  inspect, formatPrimitive, isDeepEqual, utilModule, HEX, compareBytes,
});
