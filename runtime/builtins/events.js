// DOMException, Event, CustomEvent, EventTarget, AbortController, AbortSignal, `performance`
// and `scheduler`, per WebIDL, the DOM Standard and HR-Time, with workerd's observable choices
// (error messages, no capturing listeners, performance.now() on the wall clock).
//
// Shared with later builtins:
//   internal.DOMException                      the global DOMException
//   internal.webidlInterface(Impl, options)   makes a WebIDL-looking constructor (see below)
//   internal.illegalInvocation()              the brand-check TypeError
//   internal.events.{isEvent, isEventTarget, createEvent, dispatch, getHandler, setHandler}
//   internal.abort.{isSignal, createSignal, signalAbort, addAlgorithm, aborted, reason}
"use strict";
const { native } = internal;
const {
  defineProperty, getOwnPropertyNames, getOwnPropertyDescriptor, setPrototypeOf, getPrototypeOf,
} = Object;
const { apply, construct } = Reflect;
const ErrorCtor = Error;
const PromiseCtor = Promise;
const MapCtor = Map;
const SetCtor = Set;
const captureStackTrace = Error.captureStackTrace;
const DateNow = Date.now;
const setTimer = global.setTimeout;
const clearTimer = global.clearTimeout;
const nativeReportError = native.reportError;
function reportError(error) {
  apply(nativeReportError, native, [error]);
}

// Calls `callback` once at least `ms` milliseconds of wall-clock time have passed; returns a
// function that cancels it. Timers may fire early when the event loop's clock is stale (it is read
// when the loop polls, not when JavaScript arms the timer), so an early wake-up re-arms.
function afterDelay(ms, callback) {
  const deadline = DateNow() + ms;
  let timer;
  const fire = () => {
    const left = deadline - DateNow();
    if (left > 0) timer = apply(setTimer, global, [fire, left]);
    else callback();
  };
  timer = apply(setTimer, global, [fire, ms]);
  return () => apply(clearTimer, global, [timer]);
}

const ILLEGAL_INVOCATION = "Illegal invocation: function called with incorrect `this` reference. " +
  "See https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors " +
  "for details.";
function illegalInvocation() {
  return new TypeError(ILLEGAL_INVOCATION);
}
internal.illegalInvocation = illegalInvocation;

function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

// Makes the constructor JavaScript sees for the class `Impl`: a function that, like a WebIDL
// interface object, throws the WebIDL TypeError when called without `new` (or always when the
// interface has no constructor) and otherwise constructs `Impl` with new.target, so subclasses
// work and instances carry Impl's private fields. Impl's prototype becomes the interface
// prototype, its methods and accessors enumerable.
//   options: length (of the constructor), parent (the parent interface object), constructible,
//            constants ({NAME: value} on both the constructor and the prototype),
//            statics ({name: function} static operations)
function webidlInterface(Impl, options = {}) {
  const name = options.name ?? Impl.name.replace(/Impl$/, "");
  const Interface = options.constructible === false
    ? { [name]: function () { throw new TypeError("Illegal constructor"); } }[name]
    : {
      [name]: function (...args) {
        if (new.target === undefined) {
          throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this ` +
                              "object constructor cannot be called as a function.");
        }
        return construct(Impl, args, new.target);
      },
    }[name];
  const prototype = Impl.prototype;
  for (const key of getOwnPropertyNames(prototype)) {
    if (key !== "constructor") defineProperty(prototype, key, { enumerable: true });
  }
  defineProperty(Interface, "length", { value: options.length ?? 0 });
  defineProperty(Interface, "prototype", { value: prototype, writable: false });
  delete prototype.constructor;  // re-added last, where workerd's prototypes have it
  defineProperty(prototype, "constructor", {
    value: Interface, writable: true, enumerable: false, configurable: true,
  });
  defineProperty(prototype, Symbol.toStringTag, { value: name, configurable: true });
  if (options.parent) setPrototypeOf(Interface, options.parent);
  for (const [key, value] of Object.entries(options.constants ?? {})) {
    const constant = { value, writable: false, enumerable: true, configurable: false };
    defineProperty(Interface, key, constant);
    defineProperty(prototype, key, constant);
  }
  for (const [key, value] of Object.entries(options.statics ?? {})) {
    defineProperty(Interface, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return Interface;
}
internal.webidlInterface = webidlInterface;

// --- DOMException -------------------------------------------------------------------------------

// The names with a legacy code, in code order (INDEX_SIZE_ERR = 1 ... DATA_CLONE_ERR = 25).
const LEGACY_CODES = [
  ["IndexSizeError", "INDEX_SIZE_ERR"], ["DOMStringSizeError", "DOMSTRING_SIZE_ERR"],
  ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR"], ["WrongDocumentError", "WRONG_DOCUMENT_ERR"],
  ["InvalidCharacterError", "INVALID_CHARACTER_ERR"], ["NoDataAllowedError", "NO_DATA_ALLOWED_ERR"],
  ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR"], ["NotFoundError", "NOT_FOUND_ERR"],
  ["NotSupportedError", "NOT_SUPPORTED_ERR"], ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR"],
  ["InvalidStateError", "INVALID_STATE_ERR"], ["SyntaxError", "SYNTAX_ERR"],
  ["InvalidModificationError", "INVALID_MODIFICATION_ERR"], ["NamespaceError", "NAMESPACE_ERR"],
  ["InvalidAccessError", "INVALID_ACCESS_ERR"], ["ValidationError", "VALIDATION_ERR"],
  ["TypeMismatchError", "TYPE_MISMATCH_ERR"], ["SecurityError", "SECURITY_ERR"],
  ["NetworkError", "NETWORK_ERR"], ["AbortError", "ABORT_ERR"],
  ["URLMismatchError", "URL_MISMATCH_ERR"], ["QuotaExceededError", "QUOTA_EXCEEDED_ERR"],
  ["TimeoutError", "TIMEOUT_ERR"], ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR"],
  ["DataCloneError", "DATA_CLONE_ERR"],
];
const codeByName = new MapCtor(LEGACY_CODES.map(([name], i) => [name, i + 1]));

// Instances are host objects, as on workerd (runtime/serialize.h: the structured clone algorithm
// copies them as DOMExceptions, with the name and message they were made with), inheriting from
// Error.prototype, with a captured `stack` (V8 formats and reports them as errors) and the own
// properties workerd gives them, in workerd's order: code, name, message, stack (all
// enumerable, so JSON.stringify shows them as on workerd). There are no accessors on the
// prototype: DOMException.prototype.name is Error.prototype.name, as on workerd.
const newDomException = native.newDomException;
function DOMException(message = undefined, name = undefined) {
  if (new.target === undefined) {
    throw new TypeError("Failed to construct 'DOMException': Please use the 'new' operator, " +
                        "this object constructor cannot be called as a function.");
  }
  const messageString = message === undefined ? "" : `${message}`;
  const nameString = name === undefined ? "Error" : `${name}`;
  const code = codeByName.get(nameString) ?? 0;
  const prototype = new.target.prototype;
  const self = apply(newDomException, native, [nameString, messageString, code,
    typeof prototype === "object" && prototype !== null || typeof prototype === "function"
      ? prototype : undefined]);
  const readOnly = { writable: false, enumerable: true, configurable: true };
  defineProperty(self, "code", { value: code, ...readOnly });
  defineProperty(self, "name", { value: nameString, ...readOnly });
  defineProperty(self, "message", { value: messageString, ...readOnly });
  captureStackTrace(self, DOMException);
  const stack = getOwnPropertyDescriptor(self, "stack");
  if (stack?.configurable) defineProperty(self, "stack", { enumerable: true });
  return self;
}
{
  const prototype = Object.create(ErrorCtor.prototype);
  defineProperty(prototype, "constructor", {
    value: DOMException, writable: true, enumerable: false, configurable: true,
  });
  defineProperty(prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
  defineProperty(DOMException, "prototype", { value: prototype, writable: false });
  LEGACY_CODES.forEach(([, constant], i) => {
    const descriptor = { value: i + 1, writable: false, enumerable: true, configurable: false };
    defineProperty(DOMException, constant, descriptor);
    defineProperty(prototype, constant, descriptor);
  });
}
native.setDomExceptionPrototype(DOMException.prototype);
internal.define("DOMException", DOMException);
internal.DOMException = DOMException;

// --- Event, CustomEvent --------------------------------------------------------------------------

const NONE = 0, AT_TARGET = 2;
const PHASES = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };

// Reads an EventInit-like dictionary: undefined and null give the defaults.
function eventInit(init, interfaceName, dictionaryName) {
  if (init === undefined || init === null) return { bubbles: false, cancelable: false, composed: false };
  if (!isObject(init)) {
    throw new TypeError(`Failed to construct '${interfaceName}': constructor parameter 2 is not ` +
                        `of type '${dictionaryName}'.`);
  }
  return { bubbles: !!init.bubbles, cancelable: !!init.cancelable, composed: !!init.composed };
}

function requireType(args, interfaceName) {
  if (args.length === 0) {
    throw new TypeError(`Failed to construct '${interfaceName}': constructor parameter 1 is not ` +
                        "of type 'string'.");
  }
}

let EventInternals;  // set by EventImpl's static block

class EventImpl {
  #type;
  #bubbles;
  #cancelable;
  #composed;
  #timeStamp = DateNow();
  #trusted = false;
  #target = null;
  #currentTarget = null;
  #phase = NONE;
  #canceled = false;
  #stopPropagation = false;
  #stopImmediatePropagation = false;
  #dispatching = false;
  #inPassiveListener = false;

  constructor(type, eventInitDict = undefined) {
    requireType(arguments, "Event");
    this.#type = `${type}`;
    const init = eventInit(eventInitDict, "Event", "Init");
    this.#bubbles = init.bubbles;
    this.#cancelable = init.cancelable;
    this.#composed = init.composed;
  }

  static #check(self) {
    if (!isObject(self) || !(#type in self)) throw illegalInvocation();
    return self;
  }

  get type() { return EventImpl.#check(this).#type; }
  get eventPhase() { return EventImpl.#check(this).#phase; }
  get composed() { return EventImpl.#check(this).#composed; }
  get bubbles() { return EventImpl.#check(this).#bubbles; }
  get cancelable() { return EventImpl.#check(this).#cancelable; }
  get defaultPrevented() { return EventImpl.#check(this).#canceled; }
  get returnValue() { return !EventImpl.#check(this).#canceled; }
  set returnValue(value) {
    if (!value) EventImpl.#check(this).#cancel();
  }
  // undefined (not null) outside dispatch, as on workerd
  get currentTarget() { return EventImpl.#check(this).#currentTarget ?? undefined; }
  get target() { return EventImpl.#check(this).#target ?? undefined; }
  get srcElement() { return EventImpl.#check(this).#target ?? undefined; }
  get timeStamp() { return EventImpl.#check(this).#timeStamp; }
  get isTrusted() { return EventImpl.#check(this).#trusted; }
  get cancelBubble() { return EventImpl.#check(this).#stopPropagation; }
  set cancelBubble(value) {
    if (value) EventImpl.#check(this).#stopPropagation = true;
  }
  stopImmediatePropagation() {
    EventImpl.#check(this);
    this.#stopPropagation = true;
    this.#stopImmediatePropagation = true;
  }
  preventDefault() {
    EventImpl.#check(this).#cancel();
  }
  stopPropagation() {
    EventImpl.#check(this).#stopPropagation = true;
  }
  composedPath() {
    const target = EventImpl.#check(this).#currentTarget;
    return target === null ? [] : [target];
  }

  #cancel() {
    if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
  }

  static {
    EventInternals = {
      isEvent: (value) => isObject(value) && #type in value,
      isDispatching: (event) => event.#dispatching,
      setTrusted(event, trusted) {
        event.#trusted = trusted;
      },
      begin(event, target) {
        event.#dispatching = true;
        event.#target = target;
        event.#currentTarget = target;
        event.#phase = AT_TARGET;
      },
      stopped: (event) => event.#stopPropagation,
      stoppedImmediately: (event) => event.#stopImmediatePropagation,
      setPassive(event, passive) {
        event.#inPassiveListener = passive;
      },
      // Returns false when the event was canceled.
      end(event) {
        event.#dispatching = false;
        event.#currentTarget = null;
        event.#phase = NONE;
        event.#stopPropagation = false;
        event.#stopImmediatePropagation = false;
        return !event.#canceled;
      },
    };
  }
}
const Event = webidlInterface(EventImpl, { length: 1, constants: PHASES });
internal.define("Event", Event);

class CustomEventImpl extends EventImpl {
  #detail;
  constructor(type, eventInitDict = undefined) {
    requireType(arguments, "CustomEvent");
    eventInit(eventInitDict, "CustomEvent", "CustomEventInit");
    super(type, eventInitDict);
    const detail = isObject(eventInitDict) ? eventInitDict.detail : undefined;
    this.#detail = detail === undefined ? null : detail;
  }
  get detail() {
    if (!isObject(this) || !(#detail in this)) throw illegalInvocation();
    return this.#detail;
  }
}
const CustomEvent = webidlInterface(CustomEventImpl, { parent: Event });
internal.define("CustomEvent", CustomEvent);

// MessageEvent and CloseEvent carry their fields as own properties, ErrorEvent as getters, as
// workerd's do. The events only the runtime makes are there as types (Illegal constructor).
const ownFields = (event, fields) => {
  for (const [key, value] of fields) {
    defineProperty(event, key, { value, writable: false, enumerable: true, configurable: false });
  }
};
const initOf = (init) => (isObject(init) ? init : {});

class MessageEventImpl extends EventImpl {
  constructor(type, eventInitDict = undefined) {
    requireType(arguments, "MessageEvent");
    super(type, eventInitDict);
    const init = initOf(eventInitDict);
    ownFields(this, [["data", init.data === undefined ? null : init.data],
                     ["origin", init.origin === undefined ? "" : `${init.origin}`],
                     ["lastEventId", init.lastEventId === undefined ? "" : `${init.lastEventId}`],
                     ["source", init.source === undefined ? null : init.source],
                     ["ports", init.ports === undefined ? [] : [...init.ports]]]);
  }
}
internal.define("MessageEvent", webidlInterface(MessageEventImpl, { parent: Event }));

class CloseEventImpl extends EventImpl {
  constructor(type, eventInitDict = undefined) {
    requireType(arguments, "CloseEvent");
    super(type, eventInitDict);
    const init = initOf(eventInitDict);
    ownFields(this, [["code", init.code === undefined ? 0 : +init.code],
                     ["reason", init.reason === undefined ? "" : `${init.reason}`],
                     ["wasClean", !!init.wasClean]]);
  }
}
internal.define("CloseEvent", webidlInterface(CloseEventImpl, { parent: Event }));

class ErrorEventImpl extends EventImpl {
  #fields;
  constructor(type, eventInitDict = undefined) {
    requireType(arguments, "ErrorEvent");
    super(type, eventInitDict);
    const init = initOf(eventInitDict);
    this.#fields = {
      filename: init.filename === undefined ? "" : `${init.filename}`,
      message: init.message === undefined ? "" : `${init.message}`,
      lineno: init.lineno === undefined ? 0 : init.lineno >>> 0,
      colno: init.colno === undefined ? 0 : init.colno >>> 0,
      error: init.error,
    };
  }
  static #get(self) {
    if (!isObject(self) || !(#fields in self)) throw illegalInvocation();
    return self.#fields;
  }
  get filename() { return ErrorEventImpl.#get(this).filename; }
  get message() { return ErrorEventImpl.#get(this).message; }
  get lineno() { return ErrorEventImpl.#get(this).lineno; }
  get colno() { return ErrorEventImpl.#get(this).colno; }
  get error() { return ErrorEventImpl.#get(this).error; }
}
internal.define("ErrorEvent", webidlInterface(ErrorEventImpl, { parent: Event }));

const ExtendableEvent = webidlInterface(class ExtendableEventImpl {}, { constructible: false, parent: Event });
setPrototypeOf(ExtendableEvent.prototype, Event.prototype);
internal.define("ExtendableEvent", ExtendableEvent);
// PromiseRejectionEvent: made only by the runtime (unhandledrejection, rejectionhandled).
const REJECTION_TOKEN = Symbol("rejection");
class PromiseRejectionEventImpl extends EventImpl {
  #promise;
  #reason;
  constructor(token, type, promise, reason) {
    if (token !== REJECTION_TOKEN) throw new TypeError("Illegal constructor");
    super(type);
    this.#promise = promise;
    this.#reason = reason;
  }
  static #get(self) {
    if (!isObject(self) || !(#promise in self)) throw illegalInvocation();
    return self;
  }
  get promise() { return PromiseRejectionEventImpl.#get(this).#promise; }
  get reason() { return PromiseRejectionEventImpl.#get(this).#reason; }
}
internal.define("PromiseRejectionEvent",
                webidlInterface(PromiseRejectionEventImpl, { constructible: false, parent: Event }));
for (const [name, parent] of [["FetchEvent", ExtendableEvent], ["ScheduledEvent", ExtendableEvent]]) {
  const Interface = webidlInterface({ [`${name}Impl`]: class {} }[`${name}Impl`], { constructible: false, parent });
  setPrototypeOf(Interface.prototype, parent.prototype);
  internal.define(name, Interface);
}

// --- EventTarget -----------------------------------------------------------------------------------

// Reads the options of add/removeEventListener. As on workerd, capturing listeners are refused
// (a worker has no event tree to capture through).
function listenerOptions(options, method, isAdd) {
  const result = { capture: false, once: false, passive: false, signal: undefined };
  if (options === undefined || options === null) return result;
  if (!isObject(options)) {
    if (options) throw new TypeError(`${method}(): useCapture must be false.`);
    return result;
  }
  result.capture = !!options.capture;
  if (isAdd) {
    result.once = !!options.once;
    result.passive = !!options.passive;
    result.signal = options.signal;
    if (result.signal !== undefined && !isAbortSignal(result.signal)) {
      throw new TypeError("Incorrect type for the 'signal' field on 'AddEventListenerOptions': " +
                          "the provided value is not of type 'AbortSignal'.");
    }
  }
  if (result.capture) throw new TypeError(`${method}(): options.capture must be false.`);
  return result;
}

function checkCallback(callback, args, method, expected) {
  if (args.length < 2 || (callback !== undefined && callback !== null && !isObject(callback))) {
    throw new TypeError(`Failed to execute '${method}' on 'EventTarget': parameter 2 is not of ` +
                        `type '${expected}'.`);
  }
}

let EventTargetInternals;  // set by EventTargetImpl's static block

class EventTargetImpl {
  // type -> [{callback, once, passive, removed}], in registration order
  #listeners = new MapCtor();
  // type -> {value, listener}: the event handler attributes (`onabort`)
  #handlers = undefined;

  static #check(self) {
    if (!isObject(self) || !(#listeners in self)) throw illegalInvocation();
    return self;
  }

  addEventListener(type, callback, options = undefined) {
    EventTargetImpl.#check(this);
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': parameter 1 is " +
                          "not of type 'string'.");
    }
    type = `${type}`;
    checkCallback(callback, arguments, "addEventListener", "function or HandlerObject");
    if (isObject(callback) && typeof callback !== "function" &&
        typeof callback.handleEvent !== "function") {
      throw new TypeError("Incorrect type for the 'handleEvent' field on 'HandlerObject': the " +
                          "provided value is not of type 'function'.");
    }
    const { once, passive, signal } = listenerOptions(options, "addEventListener", true);
    if (callback === undefined || callback === null) return;
    if (signal !== undefined && abortedSignal(signal)) return;
    let list = this.#listeners.get(type);
    if (list === undefined) this.#listeners.set(type, (list = []));
    for (const listener of list) {
      if (listener.callback === callback && !listener.handler) return;
    }
    const listener = { callback, once, passive, removed: false, handler: false };
    list.push(listener);
    if (signal !== undefined) {
      addAbortAlgorithm(signal, () => this.#remove(type, listener));
    }
  }

  removeEventListener(type, callback, options = undefined) {
    EventTargetImpl.#check(this);
    if (arguments.length === 0) {
      throw new TypeError("Failed to execute 'removeEventListener' on 'EventTarget': parameter 1 " +
                          "is not of type 'string'.");
    }
    type = `${type}`;
    checkCallback(callback, arguments, "removeEventListener", "Object");
    listenerOptions(options, "removeEventListener", false);
    const list = this.#listeners.get(type);
    if (list === undefined) return;
    for (const listener of list) {
      if (listener.callback === callback && !listener.handler) {
        this.#remove(type, listener);
        return;
      }
    }
  }

  dispatchEvent(event) {
    return EventTargetImpl.#checkedDispatch(EventTargetImpl.#check(this), event, this);
  }

  // dispatchEvent() of the global scope: this hidden target's listeners, with the global object
  // as the event's target and the listeners' `this`.
  static dispatchAsGlobal(target, event) {
    return EventTargetImpl.#checkedDispatch(target, event, global);
  }

  static #checkedDispatch(target, event, reported) {
    if (!EventInternals.isEvent(event)) {
      throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not " +
                          "of type 'Event'.");
    }
    if (EventInternals.isDispatching(event)) {
      throw new DOMException("The event is already being dispatched.", "InvalidStateError");
    }
    EventInternals.setTrusted(event, false);
    return target.#dispatch(event, reported);
  }

  #remove(type, listener) {
    listener.removed = true;
    const list = this.#listeners.get(type);
    const index = list === undefined ? -1 : list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  // The DOM's dispatch for a target without parents; listener errors are reported, and the
  // remaining listeners still run.
  #dispatch(event, reported = this) {
    EventInternals.begin(event, reported);
    const type = event.type;
    const list = this.#listeners.get(type);
    if (list !== undefined && !EventInternals.stopped(event)) {
      for (const listener of list.slice()) {
        if (listener.removed) continue;
        if (listener.once) this.#remove(type, listener);
        if (listener.passive) EventInternals.setPassive(event, true);
        try {
          const callback = listener.callback;
          if (typeof callback === "function") {
            apply(callback, reported, [event]);
          } else {
            const handleEvent = callback.handleEvent;
            if (typeof handleEvent !== "function") {
              throw new TypeError("'handleEvent' is not a function");
            }
            apply(handleEvent, callback, [event]);
          }
        } catch (error) {
          reportError(error);
        }
        EventInternals.setPassive(event, false);
        if (EventInternals.stoppedImmediately(event)) break;
      }
    }
    return EventInternals.end(event);
  }

  // Event handler IDL attributes (HTML "event handlers"): the listener keeps the position of
  // the first non-null assignment; null removes it.
  #getHandler(type) {
    return this.#handlers?.get(type)?.value ?? null;
  }
  #setHandler(type, value) {
    if (!isObject(value)) value = null;
    this.#handlers ??= new MapCtor();
    const entry = this.#handlers.get(type);
    if (value === null) {
      if (entry !== undefined) {
        this.#remove(type, entry.listener);
        this.#handlers.delete(type);
      }
      return;
    }
    if (entry !== undefined) {
      entry.value = value;
      return;
    }
    const newEntry = { value, listener: undefined };
    const callback = function (event) {
      const handler = newEntry.value;
      if (typeof handler !== "function") return;
      if (apply(handler, this, [event]) === false) event.preventDefault();
    };
    newEntry.listener = { callback, once: false, passive: false, removed: false, handler: true };
    this.#handlers.set(type, newEntry);
    let list = this.#listeners.get(type);
    if (list === undefined) this.#listeners.set(type, (list = []));
    list.push(newEntry.listener);
  }

  static {
    EventTargetInternals = {
      isEventTarget: (value) => isObject(value) && #listeners in value,
      dispatch: (target, event, reported = target) => target.#dispatch(event, reported),
      hasListeners: (target, type) => (target.#listeners.get(type)?.length ?? 0) > 0,
      getHandler: (target, type) => target.#getHandler(type),
      setHandler: (target, type, value) => target.#setHandler(type, value),
    };
  }
}
const EventTarget = webidlInterface(EventTargetImpl);
internal.define("EventTarget", EventTarget);

// The global scope is an event target, as workerd's ServiceWorkerGlobalScope is: its listeners
// live on a hidden EventTarget, and events report the global object as their target. Called
// with another `this` than the global (or undefined), they are illegal invocations.
const globalTarget = new EventTargetImpl();
const { addEventListener: addListener, removeEventListener: removeListener } = EventTargetImpl.prototype;
const dispatchAsGlobal = EventTargetImpl.dispatchAsGlobal;
delete EventTargetImpl.dispatchAsGlobal;
const checkGlobalThis = (self) => {
  if (self !== undefined && self !== global) throw illegalInvocation();
};
internal.define("addEventListener", function addEventListener(...args) {
  checkGlobalThis(this);
  return apply(addListener, globalTarget, args);
});
internal.define("removeEventListener", function removeEventListener(...args) {
  checkGlobalThis(this);
  return apply(removeListener, globalTarget, args);
});
internal.define("dispatchEvent", function dispatchEvent(...args) {
  checkGlobalThis(this);
  return dispatchAsGlobal(globalTarget, args[0]);
});
// For workers.js: the unhandledrejection and rejectionhandled events (not cancelable, as on
// workerd); true when the global scope had listeners for it (the worker handles its
// rejections: nothing is logged).
internal.globalEvents = {
  dispatchRejection(type, promise, reason) {
    if (!EventTargetInternals.hasListeners(globalTarget, type)) return false;
    const event = new PromiseRejectionEventImpl(REJECTION_TOKEN, type, promise, reason);
    EventInternals.setTrusted(event, true);
    EventTargetInternals.dispatch(globalTarget, event, global);
    return true;
  },
};

// Creates an event from builtin code; `trusted` events are those the runtime fires itself.
function createEvent(type, init = undefined, { trusted = true } = {}) {
  const event = new EventImpl(type, init);
  EventInternals.setTrusted(event, trusted);
  return event;
}

internal.events = {
  isEvent: EventInternals.isEvent,
  isEventTarget: EventTargetInternals.isEventTarget,
  createEvent,
  // Dispatches without the checks and isTrusted reset of dispatchEvent().
  dispatch: EventTargetInternals.dispatch,
  getHandler: EventTargetInternals.getHandler,
  setHandler: EventTargetInternals.setHandler,
  EventImpl,
  EventTargetImpl,
};

// --- AbortSignal, AbortController --------------------------------------------------------------

const CONSTRUCT_KEY = Symbol("internal constructor");
let SignalInternals;  // set by AbortSignalImpl's static block

class AbortSignalImpl extends EventTargetImpl {
  #aborted = false;
  #reason = undefined;
  #algorithms = new SetCtor();
  #dependent = false;
  #sources = [];             // for dependent signals: the non-dependent signals they follow
  #dependents = new SetCtor(); // for sources: the dependent signals following them

  constructor(key) {
    if (key !== CONSTRUCT_KEY) throw new TypeError("Illegal constructor");
    super();
  }

  static #check(self) {
    if (!isObject(self) || !(#aborted in self)) throw illegalInvocation();
    return self;
  }

  get aborted() { return AbortSignalImpl.#check(this).#aborted; }
  get reason() { return AbortSignalImpl.#check(this).#reason; }
  throwIfAborted() {
    AbortSignalImpl.#check(this);
    if (this.#aborted) throw this.#reason;
  }
  get onabort() { return EventTargetInternals.getHandler(AbortSignalImpl.#check(this), "abort"); }
  set onabort(value) { EventTargetInternals.setHandler(AbortSignalImpl.#check(this), "abort", value); }

  // "signal abort"
  static #signalAbort(signal, reason) {
    if (signal.#aborted) return;
    signal.#aborted = true;
    signal.#reason = reason === undefined
      ? new DOMException("The operation was aborted", "AbortError") : reason;
    const dependents = [];
    for (const dependent of signal.#dependents) {
      if (dependent.#aborted) continue;
      dependent.#aborted = true;
      dependent.#reason = signal.#reason;
      dependents.push(dependent);
    }
    AbortSignalImpl.#runAbortSteps(signal);
    for (const dependent of dependents) AbortSignalImpl.#runAbortSteps(dependent);
  }

  static #runAbortSteps(signal) {
    const algorithms = [...signal.#algorithms];
    signal.#algorithms.clear();
    for (const algorithm of algorithms) {
      try {
        algorithm();
      } catch (error) {
        reportError(error);
      }
    }
    // An aborted signal no longer follows or leads anything.
    for (const source of signal.#sources) source.#dependents.delete(signal);
    signal.#sources = [];
    signal.#dependents.clear();
    EventTargetInternals.dispatch(signal, createEvent("abort"));
  }

  // "create a dependent abort signal"
  static #any(signals) {
    const result = new AbortSignalImpl(CONSTRUCT_KEY);
    for (const signal of signals) {
      if (signal.#aborted) {
        result.#aborted = true;
        result.#reason = signal.#reason;
        return result;
      }
    }
    result.#dependent = true;
    for (const signal of signals) {
      for (const source of signal.#dependent ? signal.#sources : [signal]) {
        if (result.#sources.includes(source)) continue;
        result.#sources.push(source);
        source.#dependents.add(result);
      }
    }
    return result;
  }

  static {
    SignalInternals = {
      isSignal: (value) => isObject(value) && #aborted in value,
      createSignal: () => new AbortSignalImpl(CONSTRUCT_KEY),
      signalAbort: (signal, reason) => AbortSignalImpl.#signalAbort(signal, reason),
      aborted: (signal) => signal.#aborted,
      reason: (signal) => signal.#reason,
      any: (signals) => AbortSignalImpl.#any(signals),
      // Runs `algorithm` once when `signal` aborts; returns a function that unregisters it.
      addAlgorithm(signal, algorithm) {
        if (signal.#aborted) return () => {};
        signal.#algorithms.add(algorithm);
        return () => signal.#algorithms.delete(algorithm);
      },
    };
  }
}

function isAbortSignal(value) { return SignalInternals.isSignal(value); }
function abortedSignal(signal) { return SignalInternals.aborted(signal); }
function addAbortAlgorithm(signal, algorithm) { return SignalInternals.addAlgorithm(signal, algorithm); }

const AbortSignal = webidlInterface(AbortSignalImpl, {
  parent: EventTarget,
  constructible: false,
  statics: {
    abort(reason = undefined) {
      const signal = SignalInternals.createSignal();
      SignalInternals.signalAbort(signal, reason);
      return signal;
    },
    timeout(milliseconds) {
      if (milliseconds === undefined) {
        throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': parameter 1 is not of " +
                            "type 'number'.");
      }
      let ms = +milliseconds;
      if (!(ms > 0)) ms = 0;
      const signal = SignalInternals.createSignal();
      afterDelay(ms, () => {
        SignalInternals.signalAbort(
          signal, new DOMException("The operation was aborted due to timeout", "TimeoutError"));
      });
      return signal;
    },
    any(signals) {
      if (!isObject(signals) || typeof signals[Symbol.iterator] !== "function") {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': parameter 1 is not of " +
                            "type 'Array'.");
      }
      const list = [];
      for (const signal of signals) {
        if (!isAbortSignal(signal)) {
          throw new TypeError(`Incorrect type for array element ${list.length}: the provided ` +
                              "value is not of type 'AbortSignal'.");
        }
        list.push(signal);
      }
      return SignalInternals.any(list);
    },
  },
});
internal.define("AbortSignal", AbortSignal);

class AbortControllerImpl {
  #signal = SignalInternals.createSignal();
  static #check(self) {
    if (!isObject(self) || !(#signal in self)) throw illegalInvocation();
    return self;
  }
  get signal() { return AbortControllerImpl.#check(this).#signal; }
  abort(reason = undefined) {
    SignalInternals.signalAbort(AbortControllerImpl.#check(this).#signal, reason);
  }
}
const AbortController = webidlInterface(AbortControllerImpl);
internal.define("AbortController", AbortController);

internal.abort = {
  isSignal: SignalInternals.isSignal,
  createSignal: SignalInternals.createSignal,
  signalAbort: SignalInternals.signalAbort,
  addAlgorithm: SignalInternals.addAlgorithm,
  aborted: SignalInternals.aborted,
  reason: SignalInternals.reason,
};

// --- performance -------------------------------------------------------------------------------

// As on workerd, performance.now() is the wall clock in milliseconds (Date.now()) and timeOrigin
// is 0, so performance.now() - t0 measures what Date.now() - t0 would. workerd (in production)
// freezes both clocks while JavaScript runs, advancing them only at I/O; loaderd does not freeze
// them: both advance during execution, as they do in workerd's local `workerd serve`.
class PerformanceImpl {
  #brand;
  constructor(key) {
    if (key !== CONSTRUCT_KEY) throw new TypeError("Illegal constructor");
  }
  static #check(self) {
    if (!isObject(self) || !(#brand in self)) throw illegalInvocation();
    return self;
  }
  get timeOrigin() {
    PerformanceImpl.#check(this);
    return 0;
  }
  now() {
    PerformanceImpl.#check(this);
    return DateNow();
  }
  // HR-Time's default toJSON (workerd has none: JSON.stringify(performance) is "{}" there).
  toJSON() {
    PerformanceImpl.#check(this);
    return { timeOrigin: 0 };
  }
}
webidlInterface(PerformanceImpl, { name: "Performance", constructible: false });
internal.define("performance", new PerformanceImpl(CONSTRUCT_KEY));

// --- scheduler ---------------------------------------------------------------------------------

// workerd rejects scheduler.wait() with a copy of the abort reason made through C++: Errors keep
// their type and message, other values become an Error of their string form.
function waitAbortError(reason) {
  if (reason instanceof ErrorCtor) return reason;
  let text;
  if (isObject(reason)) {
    let name;
    try { name = getPrototypeOf(reason)?.constructor?.name; } catch {}
    text = `#<${typeof name === "string" && name ? name : "Object"}>`;
  } else {
    text = typeof reason === "symbol" ? reason.toString() : `${reason}`;
  }
  return new ErrorCtor(text);
}

class SchedulerImpl {
  #brand;
  constructor(key) {
    if (key !== CONSTRUCT_KEY) throw new TypeError("Illegal constructor");
  }
  // Resolves with undefined after `delay` ms; rejects when options.signal aborts first.
  wait(delay, options = undefined) {
    if (!isObject(this) || !(#brand in this)) throw illegalInvocation();
    const args = arguments.length;
    return new PromiseCtor((resolve, reject) => {
      if (args === 0) {
        throw new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 1 is not of type " +
                            "'number'.");
      }
      let ms = +delay;  // workerd is lenient: undefined, NaN and negative delays wait 0 ms
      if (!(ms > 0)) ms = 0;
      let signal;
      if (options !== undefined && options !== null) {
        if (!isObject(options)) {
          throw new TypeError("Failed to execute 'wait' on 'Scheduler': parameter 2 is not of " +
                              "type 'WaitOptions'.");
        }
        signal = options.signal;
        if (signal !== undefined && !isAbortSignal(signal)) {
          throw new TypeError("Incorrect type for the 'signal' field on 'WaitOptions': the " +
                              "provided value is not of type 'AbortSignal'.");
        }
      }
      if (signal !== undefined && abortedSignal(signal)) {
        reject(waitAbortError(SignalInternals.reason(signal)));
        return;
      }
      let unregister;
      const cancel = afterDelay(ms, () => {
        unregister?.();
        resolve(undefined);
      });
      if (signal !== undefined) {
        unregister = addAbortAlgorithm(signal, () => {
          cancel();
          reject(waitAbortError(SignalInternals.reason(signal)));
        });
      }
    });
  }
}
webidlInterface(SchedulerImpl, { name: "Scheduler", constructible: false, length: 0 });
internal.define("scheduler", new SchedulerImpl(CONSTRUCT_KEY));
