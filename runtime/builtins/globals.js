// Small globals: self-describing values workerd exposes on every worker.
"use strict";
const { native } = internal;

function define(name, value) {
  Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
}
internal.define = define;

const ArrayFrom = Array.from;
const SetCtor = Set;
define("structuredClone", function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  }
  let transfer;
  if (options !== undefined && options !== null) {
    if (typeof options !== "object" && typeof options !== "function") {
      throw new TypeError("Failed to execute 'structuredClone' on 'ServiceWorkerGlobalScope': " +
                          "parameter 2 is not of type 'StructuredCloneOptions'.");
    }
    const list = options.transfer;
    if (list !== undefined) {
      if (typeof list !== "object" || list === null) {
        throw new TypeError("Incorrect type for the 'transfer' field on 'StructuredCloneOptions': " +
                            "the provided value is not of type 'Array'.");
      }
      transfer = ArrayFrom(new SetCtor(ArrayFrom(list)));  // each buffer once
    }
  }
  return native.structuredClone(value, transfer, false);
});

define("origin", "null");  // workerd's: a worker has no origin

define("reportError", function reportError(error) {
  native.reportError(error);
});

class Navigator {
  get userAgent() { return "Cloudflare-Workers"; }
  get hardwareConcurrency() { return 1; }
  get language() { return "en"; }
  get languages() { return ["en"]; }
}
Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: "Navigator" });
define("Navigator", Navigator);
define("navigator", new Navigator());
