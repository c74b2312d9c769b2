// DisposableStack, AsyncDisposableStack and SuppressedError (explicit resource management's
// library part), which V8 10.2 lacks, with the behaviour and messages of workerd's V8. A lazy
// builtin: it runs when a worker first touches one of its globals.
"use strict";
const { apply } = Reflect;
const { defineProperty, getPrototypeOf } = Object;
const ErrorCtor = Error;
const PromiseCtor = Promise;
const captureStackTrace = Error.captureStackTrace;
const SymbolDispose = Symbol.dispose;
const SymbolAsyncDispose = Symbol.asyncDispose;
const SUPPRESSED = "An error was suppressed during disposal";

// --- SuppressedError --------------------------------------------------------------------------

function SuppressedError(error, suppressed, message) {
  const self = new.target === undefined ? new SuppressedError(error, suppressed, message) : this;
  if (new.target === undefined) return self;
  if (message !== undefined) {
    defineProperty(self, "message", { value: `${message}`, writable: true, enumerable: false, configurable: true });
  }
  defineProperty(self, "error", { value: error, writable: true, enumerable: false, configurable: true });
  defineProperty(self, "suppressed", { value: suppressed, writable: true, enumerable: false, configurable: true });
  captureStackTrace(self, SuppressedError);
  return self;
}
Object.setPrototypeOf(SuppressedError, ErrorCtor);
SuppressedError.prototype = Object.create(ErrorCtor.prototype, {
  constructor: { value: SuppressedError, writable: true, enumerable: false, configurable: true },
  name: { value: "SuppressedError", writable: true, enumerable: false, configurable: true },
  message: { value: "", writable: true, enumerable: false, configurable: true },
});
defineProperty(SuppressedError, "prototype", { writable: false, enumerable: false, configurable: false });

const isObject = (value) => (typeof value === "object" && value !== null) || typeof value === "function";
const notFunction = (value) => new TypeError(`${typeof value === "symbol" ? value.toString() : String(value)} is not a function`);

// The disposal of a resource with `hint` "sync-dispose" or "async-dispose": the method to call.
function disposeMethod(value, async) {
  if (!isObject(value)) throw new TypeError("An object is expected with `using` declarations");
  let method;
  if (async) {
    method = value[SymbolAsyncDispose];
    if (method === undefined || method === null) {
      const sync = value[SymbolDispose];
      if (typeof sync !== "function") throw new TypeError("Symbol(Symbol.asyncDispose) is not a function");
      method = function () { apply(sync, this, []); };
    }
  } else {
    method = value[SymbolDispose];
  }
  if (typeof method !== "function") {
    throw new TypeError(`${async ? "Symbol(Symbol.asyncDispose)" : "Symbol(Symbol.dispose)"} is not a function`);
  }
  return method;
}

// A later disposal error suppresses what was thrown before it.
function suppress(completion, error) {
  return completion.threw
    ? { threw: true, error: new SuppressedError(error, completion.error, SUPPRESSED) }
    : { threw: true, error };
}

// --- DisposableStack --------------------------------------------------------------------------

class DisposableStack {
  #resources = [];  // { value, method }, in order of addition; disposed in reverse
  #disposed = false;

  static #check(self, method) {
    if (!isObject(self) || !(#resources in self)) {
      throw new TypeError(`Method DisposableStack.prototype.${method} called on incompatible ` +
                          `receiver ${describe(self)}`);
    }
    return self;
  }
  #live(method) {
    if (this.#disposed) {
      throw new ReferenceError(`Cannot call DisposableStack.prototype.${method} on an ` +
                               "already-disposed DisposableStack");
    }
  }

  use(value) {
    DisposableStack.#check(this, "use").#live("use");
    if (value === null || value === undefined) return value;
    const method = disposeMethod(value, false);
    this.#resources.push({ value, method });
    return value;
  }
  dispose() {
    DisposableStack.#check(this, "dispose");
    if (this.#disposed) return undefined;
    this.#disposed = true;
    const resources = this.#resources;
    this.#resources = [];
    let completion = { threw: false, error: undefined };
    for (let i = resources.length - 1; i >= 0; i--) {
      try {
        apply(resources[i].method, resources[i].value, []);
      } catch (error) {
        completion = suppress(completion, error);
      }
    }
    if (completion.threw) throw completion.error;
    return undefined;
  }
  adopt(value, onDispose) {
    DisposableStack.#check(this, "adopt").#live("adopt");
    if (typeof onDispose !== "function") throw notFunction(onDispose);
    this.#resources.push({ value: undefined, method: () => apply(onDispose, undefined, [value]) });
    return value;
  }
  defer(onDispose) {
    DisposableStack.#check(this, "defer").#live("defer");
    if (typeof onDispose !== "function") throw notFunction(onDispose);
    this.#resources.push({ value: undefined, method: () => apply(onDispose, undefined, []) });
    return undefined;
  }
  move() {
    DisposableStack.#check(this, "move").#live("move");
    const moved = new DisposableStack();
    moved.#resources = this.#resources;
    this.#resources = [];
    this.#disposed = true;
    return moved;
  }
  get disposed() {
    return DisposableStack.#check(this, "disposed").#disposed;
  }
}

// --- AsyncDisposableStack ---------------------------------------------------------------------

class AsyncDisposableStack {
  #resources = [];
  #disposed = false;

  static #check(self, method) {
    if (!isObject(self) || !(#resources in self)) {
      throw new TypeError(`Method AsyncDisposableStack.prototype.${method} called on incompatible ` +
                          `receiver ${describe(self)}`);
    }
    return self;
  }
  #live(method) {
    if (this.#disposed) {
      throw new ReferenceError(`Cannot call AsyncDisposableStack.prototype.${method} on an ` +
                               "already-disposed AsyncDisposableStack");
    }
  }

  use(value) {
    AsyncDisposableStack.#check(this, "use").#live("use");
    if (value === null || value === undefined) return value;
    const method = disposeMethod(value, true);
    this.#resources.push({ value, method });
    return value;
  }
  disposeAsync() {
    if (!isObject(this) || !(#resources in this)) {
      return PromiseCtor.reject(new TypeError("Receiver is not an AsyncDisposableStack"));
    }
    if (this.#disposed) return PromiseCtor.resolve(undefined);
    this.#disposed = true;
    const resources = this.#resources;
    this.#resources = [];
    // The first disposal starts before this returns (as in V8); each is awaited in turn.
    return (async () => {
      let completion = { threw: false, error: undefined };
      for (let i = resources.length - 1; i >= 0; i--) {
        try {
          await apply(resources[i].method, resources[i].value, []);
        } catch (error) {
          completion = suppress(completion, error);
        }
      }
      if (completion.threw) throw completion.error;
      return undefined;
    })();
  }
  adopt(value, onDisposeAsync) {
    AsyncDisposableStack.#check(this, "adopt").#live("adopt");
    if (typeof onDisposeAsync !== "function") throw notFunction(onDisposeAsync);
    this.#resources.push({ value: undefined, method: () => apply(onDisposeAsync, undefined, [value]) });
    return value;
  }
  defer(onDisposeAsync) {
    AsyncDisposableStack.#check(this, "defer").#live("defer");
    if (typeof onDisposeAsync !== "function") throw notFunction(onDisposeAsync);
    this.#resources.push({ value: undefined, method: () => apply(onDisposeAsync, undefined, []) });
    return undefined;
  }
  move() {
    AsyncDisposableStack.#check(this, "move").#live("move");
    const moved = new AsyncDisposableStack();
    moved.#resources = this.#resources;
    this.#resources = [];
    this.#disposed = true;
    return moved;
  }
  get disposed() {
    return AsyncDisposableStack.#check(this, "disposed").#disposed;
  }
}

function describe(value) {
  if (!isObject(value)) return typeof value === "symbol" ? value.toString() : String(value);
  const name = getPrototypeOf(value)?.constructor?.name;
  return `#<${typeof name === "string" && name ? name : "Object"}>`;
}

for (const [Class, tag, disposeName, symbol] of [
  [DisposableStack, "DisposableStack", "dispose", SymbolDispose],
  [AsyncDisposableStack, "AsyncDisposableStack", "disposeAsync", SymbolAsyncDispose],
]) {
  const proto = Class.prototype;
  // Enumerable as V8's are not; the order V8 lists them in: constructor, use, dispose, adopt...
  const dispose = Object.getOwnPropertyDescriptor(proto, disposeName);
  const rest = ["adopt", "defer", "move", "disposed"].map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)]);
  for (const [k] of rest) delete proto[k];
  delete proto[disposeName];
  defineProperty(proto, disposeName, dispose);
  for (const [k, d] of rest) defineProperty(proto, k, d);
  defineProperty(proto, symbol, { value: proto[disposeName], writable: true, enumerable: false, configurable: true });
  defineProperty(proto, Symbol.toStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}

// The constructors as V8's: called without `new`, "Constructor X requires 'new'".
function requiringNew(Impl, name) {
  const Interface = {
    [name]: function (...args) {
      if (new.target === undefined) throw new TypeError(`Constructor ${name} requires 'new'`);
      return Reflect.construct(Impl, args, new.target);
    },
  }[name];
  defineProperty(Interface, "length", { value: 0 });
  defineProperty(Interface, "prototype", { value: Impl.prototype, writable: false });
  defineProperty(Impl.prototype, "constructor", { value: Interface });
  return Interface;
}
if (typeof global.DisposableStack !== "function") {
  internal.define("DisposableStack", requiringNew(DisposableStack, "DisposableStack"));
}
if (typeof global.AsyncDisposableStack !== "function") {
  internal.define("AsyncDisposableStack", requiringNew(AsyncDisposableStack, "AsyncDisposableStack"));
}
if (typeof global.SuppressedError !== "function") internal.define("SuppressedError", SuppressedError);
