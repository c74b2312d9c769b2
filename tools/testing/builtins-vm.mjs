// Loads runtime/builtins/*.js (in ORDER) into a fresh Node `vm` context, with `internal.native`
// implemented in Node, for fast iteration on the JavaScript builtins without a C++ build.
// The real check is always loaderd itself (conformance cases and tests that start the binary):
// Node's V8 is newer than libnode's 10.2, so pass `remove` to delete what 10.2 lacks before
// the builtins run.
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { serialize, deserialize } from "node:v8";
import path from "node:path";
import { ROOT } from "./harness.mjs";

const DIR = path.join(ROOT, "runtime/builtins");

export function builtinOrder() {
  return readFileSync(path.join(DIR, "ORDER"), "utf8").split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

// Returns the vm context's global object. `remove`: dotted paths deleted before the builtins run,
// e.g. ["Array.prototype.toSorted", "Object.groupBy"].
export function loadBuiltins(options = {}) {
  return loadBuiltinsWithInternal(options).global;
}

// The same, handing back `internal` too ({ global, internal }): for tests of what the builtins
// share with C++ (internal.streams, internal.formData), which user code cannot reach.
export function loadBuiltinsWithInternal({ remove = [], logs = [] } = {}) {
  const context = vm.createContext({});
  const global = vm.runInContext("globalThis", context);
  for (const dotted of remove) {
    vm.runInContext(`delete ${dotted}`, context);
  }
  // V8's own console is absent in vm contexts; tests read `logs`.
  const native = {
    getRandomValues: (view) => webcrypto.getRandomValues(view),
    structuredClone: (value) => vm.runInContext("(v) => v", context)(deserialize(serialize(value))),
    utf8Encode: (text) => new global.Uint8Array(Buffer.from(String(text), "utf8")),
    utf8Decode: (bytes, fatal) => {
      try { return new TextDecoder("utf-8", { fatal, ignoreBOM: true }).decode(bytes); }
      catch { return null; }
    },
    monotonicNow: () => performance.now(),
    reportError: (e) => logs.push(["reportError", e]),
    loadBuiltin: () => {},  // every builtin runs up front here
    zlibCreate: () => { throw new Error("zlib is native-only"); },
    // DOMExceptions are host objects in loaderd (runtime/serialize.h); here, Errors.
    newDomException: (name, message, code, prototype) =>
      Object.setPrototypeOf(new global.Error(), prototype ?? global.DOMException.prototype),
    setDomExceptionPrototype: () => {},
  };
  const internal = vm.runInContext("({})", context);
  internal.native = native;
  for (const name of builtinOrder()) {
    const source = readFileSync(path.join(DIR, name), "utf8");
    const fn = vm.compileFunction(source, ["global", "internal"], {
      parsingContext: context, filename: `loaderd:builtins/${name}`,
    });
    fn(global, internal);
  }
  return { global, internal };
}
