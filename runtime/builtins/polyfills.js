// ECMAScript library functions newer than V8 10.2, installed only where the engine lacks them,
// with the property attributes, lengths, names, argument order and errors of the ECMAScript
// specification (ES2025). Natives run first: where V8 already has a function, it is kept.
//
// The functions read the intrinsics captured below, never the (user-replaceable) globals.
"use strict";

const {
  defineProperty, getOwnPropertyDescriptor, getPrototypeOf, create: objectCreate,
  prototype: { hasOwnProperty: ObjectHasOwn },
} = Object;
const { apply, construct, ownKeys } = Reflect;
const ArrayCtor = Array;
const ArrayPrototypeSort = Array.prototype.sort;
const MapCtor = Map;
const MapPrototypeGet = Map.prototype.get;
const MapPrototypeSet = Map.prototype.set;
const MapPrototypeHas = Map.prototype.has;
const MapPrototypeForEach = Map.prototype.forEach;
const SetCtor = Set;
const SetPrototype = Set.prototype;
const SetPrototypeHas = SetPrototype.has;
const SetPrototypeAdd = SetPrototype.add;
const SetPrototypeDelete = SetPrototype.delete;
const SetPrototypeValues = SetPrototype.values;
const SetPrototypeSize = getOwnPropertyDescriptor(SetPrototype, "size").get;
const SetIteratorNext = getPrototypeOf(new Set().values()).next;
const PromiseCtor = Promise;
const PromisePrototypeThen = Promise.prototype.then;
const RegExpPrototypeExec = RegExp.prototype.exec;
const StringPrototypeCharCodeAt = String.prototype.charCodeAt;
const StringFromCharCode = String.fromCharCode;
const SymbolCtor = Symbol;
const SymbolIterator = Symbol.iterator;
const SymbolAsyncIterator = Symbol.asyncIterator;
const TypedArray = getPrototypeOf(Uint8Array);
const TypedArrayPrototype = TypedArray.prototype;
const TypedArrayPrototypeSort = TypedArrayPrototype.sort;
const TypedArrayPrototypeSet = TypedArrayPrototype.set;
const TypedArrayPrototypeLength = getOwnPropertyDescriptor(TypedArrayPrototype, "length").get;
const TypedArrayPrototypeTag =
  getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const TypedArrayConstructors = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
};
const NumberIsInteger = Number.isInteger;
const ObjectPrototypeToString = Object.prototype.toString;
const MAX_SAFE_INTEGER = 2 ** 53 - 1;
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

// Installs `methods` (an object literal of method definitions: non-constructors with the right
// names and lengths) on `target` where `target` does not have them yet. Returns the names added.
function install(target, methods) {
  const added = [];
  for (const name of ownKeys(methods)) {
    if (apply(ObjectHasOwn, target, [name])) continue;
    defineProperty(target, name, {
      value: methods[name], writable: true, enumerable: false, configurable: true,
    });
    added.push(name);
  }
  return added;
}

// --- abstract operations ----------------------------------------------------------------------

function isCallable(value) {
  return typeof value === "function";
}

function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isConstructor(value) {
  if (!isCallable(value)) return false;
  try {
    construct(function () {}, [], value);
    return true;
  } catch {
    return false;
  }
}

// The way V8 names a value in its messages ("#<Object>", "[object Array]", "5").
function describe(value) {
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "string") return value;
  if (!isObject(value)) return `${value}`;
  if (ArrayCtor.isArray(value)) return "[object Array]";
  if (isCallable(value)) return "function";
  let name;
  try {
    name = getPrototypeOf(value)?.constructor?.name;
  } catch {}
  return `#<${typeof name === "string" && name ? name : "Object"}>`;
}

function toObject(value) {
  if (value === null || value === undefined) {
    throw new TypeError("Cannot convert undefined or null to object");
  }
  return Object(value);
}

function toIntegerOrInfinity(value) {
  const number = +value;  // ToNumber: throws for Symbol and BigInt
  if (number !== number || number === 0) return 0;
  if (number === Infinity || number === -Infinity) return number;
  return number < 0 ? -Math.floor(-number) : Math.floor(number);
}

function lengthOfArrayLike(object) {
  const length = toIntegerOrInfinity(object.length);
  if (length <= 0) return 0;
  return length < MAX_SAFE_INTEGER ? length : MAX_SAFE_INTEGER;
}

function arrayCreate(length) {
  if (length > MAX_ARRAY_LENGTH) throw new RangeError("Invalid array length");
  return new ArrayCtor(length);
}

function createDataProperty(object, key, value) {
  defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function toPropertyKey(value) {
  if (typeof value === "symbol") return value;
  if (isObject(value)) return ownKeys({ [value]: 0 })[0];
  return `${value}`;
}

function checkComparator(comparefn) {
  if (comparefn !== undefined && !isCallable(comparefn)) {
    throw new TypeError(
      `The comparison function must be either a function or undefined: ${describe(comparefn)}`);
  }
}

// --- Array.prototype: change array by copy ------------------------------------------------------

const arrayAdded = install(Array.prototype, {
  toReversed() {
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    const result = arrayCreate(length);
    for (let k = 0; k < length; k++) result[k] = object[length - k - 1];
    return result;
  },
  toSorted(comparefn) {
    checkComparator(comparefn);
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    const result = arrayCreate(length);
    for (let k = 0; k < length; k++) result[k] = object[k];
    return apply(ArrayPrototypeSort, result, [comparefn]);
  },
  toSpliced(start, skipCount, ...items) {
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    const relativeStart = toIntegerOrInfinity(start);
    const actualStart = relativeStart === -Infinity ? 0
      : relativeStart < 0 ? Math.max(length + relativeStart, 0)
      : Math.min(relativeStart, length);
    let actualSkipCount;
    if (arguments.length === 0) {
      actualSkipCount = 0;
    } else if (arguments.length === 1) {
      actualSkipCount = length - actualStart;
    } else {
      const skip = toIntegerOrInfinity(skipCount);
      actualSkipCount = Math.min(Math.max(skip, 0), length - actualStart);
    }
    const newLength = length + items.length - actualSkipCount;
    if (newLength > MAX_SAFE_INTEGER) throw new TypeError("Invalid array length");
    const result = arrayCreate(newLength);
    let i = 0;
    let r = actualStart + actualSkipCount;
    for (; i < actualStart; i++) result[i] = object[i];
    for (const item of items) result[i++] = item;
    for (; i < newLength; i++, r++) result[i] = object[r];
    return result;
  },
  with(index, value) {
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    const relativeIndex = toIntegerOrInfinity(index);
    const actualIndex = relativeIndex >= 0 ? relativeIndex : length + relativeIndex;
    if (actualIndex >= length || actualIndex < 0) {
      throw new RangeError(`Invalid index : ${relativeIndex}`);
    }
    const result = arrayCreate(length);
    for (let k = 0; k < length; k++) result[k] = k === actualIndex ? value : object[k];
    return result;
  },
  findLast(predicate, thisArg = undefined) {
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    if (!isCallable(predicate)) throw new TypeError(`${describe(predicate)} is not a function`);
    for (let k = length - 1; k >= 0; k--) {
      const value = object[k];
      if (apply(predicate, thisArg, [value, k, object])) return value;
    }
    return undefined;
  },
  findLastIndex(predicate, thisArg = undefined) {
    const object = toObject(this);
    const length = lengthOfArrayLike(object);
    if (!isCallable(predicate)) throw new TypeError(`${describe(predicate)} is not a function`);
    for (let k = length - 1; k >= 0; k--) {
      if (apply(predicate, thisArg, [object[k], k, object])) return k;
    }
    return -1;
  },
});

// Like V8, the copying methods are unscopable (`with` is not: it is a keyword).
{
  const unscopables = Array.prototype[Symbol.unscopables];
  for (const name of arrayAdded) {
    if (name !== "with") createDataProperty(unscopables, name, true);
  }
}

// --- %TypedArray%.prototype ---------------------------------------------------------------------

// ValidateTypedArray: returns the constructor of the receiver's kind.
function typedArrayKind(value, method) {
  const tag = isObject(value) ? apply(TypedArrayPrototypeTag, value, []) : undefined;
  if (tag === undefined) {
    throw new TypeError(
      `Method %TypedArray%.prototype.${method} called on incompatible receiver ${describe(value)}`);
  }
  return TypedArrayConstructors[tag];
}

install(TypedArrayPrototype, {
  toReversed() {
    const Kind = typedArrayKind(this, "toReversed");
    const length = apply(TypedArrayPrototypeLength, this, []);
    const result = new Kind(length);
    for (let k = 0; k < length; k++) result[k] = this[length - k - 1];
    return result;
  },
  toSorted(comparefn) {
    checkComparator(comparefn);
    const Kind = typedArrayKind(this, "toSorted");
    const length = apply(TypedArrayPrototypeLength, this, []);
    const result = new Kind(length);
    apply(TypedArrayPrototypeSet, result, [this]);
    return apply(TypedArrayPrototypeSort, result, [comparefn]);
  },
  with(index, value) {
    const Kind = typedArrayKind(this, "with");
    const length = apply(TypedArrayPrototypeLength, this, []);
    const relativeIndex = toIntegerOrInfinity(index);
    const actualIndex = relativeIndex >= 0 ? relativeIndex : length + relativeIndex;
    // ToNumber or ToBigInt by the element type, before the index is checked.
    const scratch = new Kind(1);
    scratch[0] = value;
    if (actualIndex >= apply(TypedArrayPrototypeLength, this, []) || actualIndex < 0) {
      throw new RangeError("Invalid typed array index");
    }
    const result = new Kind(length);
    apply(TypedArrayPrototypeSet, result, [this]);
    result[actualIndex] = scratch[0];
    return result;
  },
  findLast(predicate, thisArg = undefined) {
    typedArrayKind(this, "findLast");
    if (!isCallable(predicate)) throw new TypeError(`${describe(predicate)} is not a function`);
    for (let k = apply(TypedArrayPrototypeLength, this, []) - 1; k >= 0; k--) {
      const value = this[k];
      if (apply(predicate, thisArg, [value, k, this])) return value;
    }
    return undefined;
  },
  findLastIndex(predicate, thisArg = undefined) {
    typedArrayKind(this, "findLastIndex");
    if (!isCallable(predicate)) throw new TypeError(`${describe(predicate)} is not a function`);
    for (let k = apply(TypedArrayPrototypeLength, this, []) - 1; k >= 0; k--) {
      if (apply(predicate, thisArg, [this[k], k, this])) return k;
    }
    return -1;
  },
});

// --- Object.groupBy, Map.groupBy -----------------------------------------------------------------

// GroupBy: calls `add(key, value)` for each element, keys coerced by `coerce`.
function groupBy(items, callback, method, coerce, add) {
  if (items === null || items === undefined) {
    throw new TypeError(`${method} called on null or undefined`);
  }
  if (!isCallable(callback)) throw new TypeError(`${describe(callback)} is not a function`);
  if (!isCallable(items[SymbolIterator])) {
    const type = typeof items;
    const what = type === "number" || type === "boolean" ? `${type} ${items}` : type;
    throw new TypeError(`${what} is not iterable (cannot read property Symbol(Symbol.iterator))`);
  }
  let k = 0;
  for (const value of items) {  // closes the iterator when the callback throws
    add(coerce(callback(value, k)), value);
    k++;
  }
}

install(Object, {
  groupBy(items, callback) {
    const groups = new MapCtor();
    groupBy(items, callback, "Object.groupBy", toPropertyKey, (key, value) => {
      const group = apply(MapPrototypeGet, groups, [key]);
      if (group) group.push(value);
      else apply(MapPrototypeSet, groups, [key, [value]]);
    });
    const result = objectCreate(null);
    apply(MapPrototypeForEach, groups, [(group, key) => createDataProperty(result, key, group)]);
    return result;
  },
});

install(Map, {
  groupBy(items, callback) {
    const result = new MapCtor();
    groupBy(items, callback, "Map.groupBy", (key) => (key === 0 ? 0 : key), (key, value) => {
      if (apply(MapPrototypeHas, result, [key])) apply(MapPrototypeGet, result, [key]).push(value);
      else apply(MapPrototypeSet, result, [key, [value]]);
    });
    return result;
  },
});

// --- Promise.withResolvers ------------------------------------------------------------------------

// NewPromiseCapability(C).
function newPromiseCapability(C) {
  if (!isConstructor(C)) throw new TypeError(`${describe(C)} is not a constructor`);
  let resolve, reject;
  const promise = new C((res, rej) => {
    if (resolve !== undefined || reject !== undefined) {
      throw new TypeError("Promise executor has already been invoked with non-undefined arguments");
    }
    resolve = res;
    reject = rej;
  });
  if (!isCallable(resolve) || !isCallable(reject)) {
    throw new TypeError("Promise resolve or reject function is not callable");
  }
  return { promise, resolve, reject };
}

install(Promise, {
  withResolvers() {
    if (!isObject(this)) throw new TypeError("Promise.withResolvers called on non-object");
    return newPromiseCapability(this);
  },
  try(callback, ...args) {
    if (!isObject(this)) throw new TypeError("Promise.try called on non-object");
    const capability = newPromiseCapability(this);
    try {
      if (!isCallable(callback)) throw new TypeError(`${describe(callback)} is not a function`);
      capability.resolve(apply(callback, undefined, args));
    } catch (error) {
      capability.reject(error);
    }
    return capability.promise;
  },
});

// --- Error.isError, Atomics.pause ---------------------------------------------------------------

// [[ErrorData]] is what makes an error; only the engine can tell (internal.native; the builtins'
// test vm has no natives: there, what Object.prototype.toString calls an Error).
const natives = internal.native;
const nativeIsNativeError = natives?.isNativeError;
const isNativeError = nativeIsNativeError !== undefined
  ? (value) => apply(nativeIsNativeError, natives, [value])
  : (value) => apply(ObjectPrototypeToString, value, []) === "[object Error]";
install(Error, {
  isError(value) {
    return isObject(value) && isNativeError(value);
  },
});

if (typeof Atomics === "object") {
  install(Atomics, {
    pause(N = undefined) {
      if (N !== undefined && (typeof N !== "number" || !NumberIsInteger(N))) {
        throw new TypeError("Atomics.pause argument must be undefined or an integer");
      }
    },
  });
}

// --- Array.fromAsync ----------------------------------------------------------------------------

async function closeAsyncIterator(iterator) {
  try {
    const close = iterator.return;
    if (close !== undefined && close !== null) await apply(close, iterator, []);
  } catch {}  // the original error wins
}

function closeIterator(iterator) {
  try {
    const close = iterator.return;
    if (close !== undefined && close !== null) apply(close, iterator, []);
  } catch {}
}

async function fromAsync(C, asyncItems, mapfn, thisArg) {
  const mapping = mapfn !== undefined;
  if (mapping && !isCallable(mapfn)) throw new TypeError(`${describe(mapfn)} is not a function`);
  let method = asyncItems[SymbolAsyncIterator];
  let isAsync = true;
  if (method === undefined || method === null) {
    method = asyncItems[SymbolIterator];
    isAsync = false;
    if (method === null) method = undefined;
  }
  if (method !== undefined) {
    if (!isCallable(method)) throw new TypeError(`${describe(method)} is not a function`);
    const iterator = apply(method, asyncItems, []);
    if (!isObject(iterator)) {
      const name = isAsync ? "Symbol.asyncIterator" : "Symbol.iterator";
      throw new TypeError(`Result of the ${name} method is not an object`);
    }
    const next = iterator.next;
    const result = isConstructor(C) ? new C() : [];
    for (let k = 0; ; k++) {
      let step = apply(next, iterator, []);
      if (isAsync) step = await step;
      if (!isObject(step)) throw new TypeError(`Iterator result ${describe(step)} is not an object`);
      if (step.done) {
        result.length = k;
        return result;
      }
      let value;
      try {
        value = isAsync ? step.value : await step.value;
        if (mapping) value = await apply(mapfn, thisArg, [value, k]);
        createDataProperty(result, k, value);
      } catch (error) {
        if (isAsync) await closeAsyncIterator(iterator);
        else closeIterator(iterator);
        throw error;
      }
    }
  }
  const arrayLike = toObject(asyncItems);
  const length = lengthOfArrayLike(arrayLike);
  const result = isConstructor(C) ? new C(length) : arrayCreate(length);
  for (let k = 0; k < length; k++) {
    let value = await arrayLike[k];
    if (mapping) value = await apply(mapfn, thisArg, [value, k]);
    createDataProperty(result, k, value);
  }
  result.length = length;
  return result;
}

install(Array, {
  fromAsync(asyncItems, mapfn = undefined, thisArg = undefined) {
    return fromAsync(this, asyncItems, mapfn, thisArg);
  },
});

// --- Set methods ----------------------------------------------------------------------------------

function requireSet(value, method) {
  try {
    apply(SetPrototypeSize, value, []);
  } catch {
    throw new TypeError(
      `Method Set.prototype.${method} called on incompatible receiver ${describe(value)}`);
  }
}

function setSize(set) {
  return apply(SetPrototypeSize, set, []);
}

function setHas(set, value) {
  return apply(SetPrototypeHas, set, [value]);
}

function setAdd(set, value) {
  apply(SetPrototypeAdd, set, [value]);
}

function setDelete(set, value) {
  apply(SetPrototypeDelete, set, [value]);
}

// A live iterator over a Set's values that user code cannot redirect.
function* setValues(set) {
  const iterator = apply(SetPrototypeValues, set, []);
  for (;;) {
    const step = apply(SetIteratorNext, iterator, []);
    if (step.done) return;
    yield step.value;
  }
}

function copySet(set) {
  const copy = new SetCtor();
  for (const value of setValues(set)) setAdd(copy, value);
  return copy;
}

// GetSetRecord(other).
function getSetRecord(other, method) {
  if (!isObject(other)) throw new TypeError(`Set.prototype.${method} argument must be an object`);
  const rawSize = other.size;
  const numSize = +rawSize;
  if (numSize !== numSize) throw new TypeError("The .size property is NaN");
  const size = toIntegerOrInfinity(numSize);
  if (size < 0) throw new RangeError(`'${size}' is an invalid size`);
  const has = other.has;
  if (!isCallable(has)) throw new TypeError('string "has" is not a function');
  const keys = other.keys;
  if (!isCallable(keys)) throw new TypeError('string "keys" is not a function');
  return { set: other, size, has, keys };
}

// IteratorClose after an early exit: errors from `return` and a non-object result are thrown.
function closeIteratorNormally(iterator) {
  const close = iterator.return;
  if (close === undefined || close === null) return;
  const result = apply(close, iterator, []);
  if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
}

// Steps through other's keys (GetIteratorFromMethod + IteratorStepValue), -0 made +0. `body`
// returns true to stop early, which closes the iterator.
function forEachKey(record, body) {
  const iterator = apply(record.keys, record.set, []);
  if (!isObject(iterator)) throw new TypeError("Result of the keys method is not an object");
  const next = iterator.next;
  for (;;) {
    if (!isCallable(next)) throw new TypeError('string "next" is not a function');
    const step = apply(next, iterator, []);
    if (!isObject(step)) throw new TypeError(`Iterator result ${describe(step)} is not an object`);
    if (step.done) return;
    const value = step.value;
    if (body(value === 0 ? 0 : value)) {
      closeIteratorNormally(iterator);
      return;
    }
  }
}

install(SetPrototype, {
  union(other) {
    requireSet(this, "union");
    const record = getSetRecord(other, "union");
    const result = copySet(this);
    forEachKey(record, (value) => { setAdd(result, value); });
    return result;
  },
  intersection(other) {
    requireSet(this, "intersection");
    const record = getSetRecord(other, "intersection");
    const result = new SetCtor();
    if (setSize(this) <= record.size) {
      for (const value of setValues(this)) {
        if (apply(record.has, record.set, [value])) setAdd(result, value);
      }
    } else {
      forEachKey(record, (value) => {
        if (setHas(this, value)) setAdd(result, value);
      });
    }
    return result;
  },
  difference(other) {
    requireSet(this, "difference");
    const record = getSetRecord(other, "difference");
    const result = copySet(this);
    if (setSize(this) <= record.size) {
      for (const value of setValues(copySet(this))) {
        if (apply(record.has, record.set, [value])) setDelete(result, value);
      }
    } else {
      forEachKey(record, (value) => { setDelete(result, value); });
    }
    return result;
  },
  symmetricDifference(other) {
    requireSet(this, "symmetricDifference");
    const record = getSetRecord(other, "symmetricDifference");
    const result = copySet(this);
    forEachKey(record, (value) => {
      if (setHas(this, value)) setDelete(result, value);
      else setAdd(result, value);
    });
    return result;
  },
  isSubsetOf(other) {
    requireSet(this, "isSubsetOf");
    const record = getSetRecord(other, "isSubsetOf");
    if (setSize(this) > record.size) return false;
    for (const value of setValues(this)) {
      if (!apply(record.has, record.set, [value])) return false;
    }
    return true;
  },
  isSupersetOf(other) {
    requireSet(this, "isSupersetOf");
    const record = getSetRecord(other, "isSupersetOf");
    if (setSize(this) < record.size) return false;
    let result = true;
    forEachKey(record, (value) => {
      if (setHas(this, value)) return false;
      result = false;
      return true;
    });
    return result;
  },
  isDisjointFrom(other) {
    requireSet(this, "isDisjointFrom");
    const record = getSetRecord(other, "isDisjointFrom");
    if (setSize(this) <= record.size) {
      for (const value of setValues(this)) {
        if (apply(record.has, record.set, [value])) return false;
      }
      return true;
    }
    let result = true;
    forEachKey(record, (value) => {
      if (!setHas(this, value)) return false;
      result = false;
      return true;
    });
    return result;
  },
});

// --- Uint8Array base64 and hex ------------------------------------------------------------------

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE64_VALUES = new MapCtor();
for (let i = 0; i < 64; i++) apply(MapPrototypeSet, BASE64_VALUES, [BASE64[i], i]);
const BAD_CHARACTER = "Found a character that cannot be part of a valid base64 string.";
const SINGLE_CHARACTER =
  "The base64 input terminates with a single character, excluding padding (=).";
const EXTRA_BITS = "The base64 input terminates with non-zero padding bits.";
const BAD_HEX = "Input string must contain hex characters in even length";
const HEX_DIGITS = "0123456789abcdef";

function thisUint8Array(value, method) {
  if (!isObject(value) || apply(TypedArrayPrototypeTag, value, []) !== "Uint8Array") {
    throw new TypeError(`Method Uint8Array.prototype.${method} called on incompatible receiver ` +
                        `${apply(ObjectPrototypeToString, value, [])}`);
  }
  return value;
}

function optionsObject(options) {
  if (options === undefined) return {};
  if (!isObject(options)) throw new TypeError("invalid_argument");
  return options;
}

function alphabetOption(options) {
  const alphabet = options.alphabet;
  if (alphabet === undefined) return "base64";
  if (alphabet !== "base64" && alphabet !== "base64url") {
    throw new TypeError(`invalid option ${describe(alphabet)}`);
  }
  return alphabet;
}

function lastChunkOption(options) {
  const handling = options.lastChunkHandling;
  if (handling === undefined) return "loose";
  if (handling !== "loose" && handling !== "strict" && handling !== "stop-before-partial") {
    throw new TypeError(`invalid option ${describe(handling)}`);
  }
  return handling;
}

function inputString(value) {
  if (typeof value !== "string") throw new TypeError("input argument must be a string");
  return value;
}

function isAsciiWhitespace(code) {
  return code === 0x09 || code === 0x0A || code === 0x0C || code === 0x0D || code === 0x20;
}

// The chunk's 2, 3 or 4 sextets as 1, 2 or 3 bytes; null when `strict` and the bits a short
// chunk leaves over are not zero.
function decodeChunk(values, strict, bytes) {
  const count = values.length - 1;
  const n = (values[0] << 18) | (values[1] << 12) | ((count > 1 ? values[2] : 0) << 6) |
            (count > 2 ? values[3] : 0);
  if (strict && ((count === 1 && (n & 0xFFFF) !== 0) || (count === 2 && (n & 0xFF) !== 0))) {
    return false;
  }
  bytes[bytes.length] = (n >> 16) & 0xFF;
  if (count > 1) bytes[bytes.length] = (n >> 8) & 0xFF;
  if (count > 2) bytes[bytes.length] = n & 0xFF;
  return true;
}

// ECMAScript's FromBase64: { read, bytes, error } (error a message or null).
function fromBase64(string, alphabet, lastChunkHandling, maxLength) {
  const bytes = [];
  if (maxLength === 0) return { read: 0, bytes, error: null };
  const length = string.length;
  let read = 0, index = 0, chunk = [];
  const skip = (i) => {
    while (i < length && isAsciiWhitespace(apply(StringPrototypeCharCodeAt, string, [i]))) i++;
    return i;
  };
  for (;;) {
    index = skip(index);
    if (index === length) {
      if (chunk.length > 0) {
        if (lastChunkHandling === "stop-before-partial") return { read, bytes, error: null };
        if (lastChunkHandling === "strict" || chunk.length === 1) {
          return { read, bytes, error: SINGLE_CHARACTER };
        }
        decodeChunk(chunk, false, bytes);
      }
      return { read: length, bytes, error: null };
    }
    let char = string[index++];
    if (char === "=") {
      if (chunk.length < 2) return { read, bytes, error: BAD_CHARACTER };
      index = skip(index);
      if (chunk.length === 2) {
        if (index === length) {
          if (lastChunkHandling === "stop-before-partial") return { read, bytes, error: null };
          return { read, bytes, error: BAD_CHARACTER };
        }
        if (string[index] === "=") index = skip(index + 1);
      }
      if (index < length) return { read, bytes, error: BAD_CHARACTER };
      if (!decodeChunk(chunk, lastChunkHandling === "strict", bytes)) {
        return { read, bytes, error: EXTRA_BITS };
      }
      return { read: length, bytes, error: null };
    }
    if (alphabet === "base64url") {
      if (char === "+" || char === "/") return { read, bytes, error: BAD_CHARACTER };
      if (char === "-") char = "+";
      else if (char === "_") char = "/";
    }
    const value = apply(MapPrototypeGet, BASE64_VALUES, [char]);
    if (value === undefined) return { read, bytes, error: BAD_CHARACTER };
    const remaining = maxLength - bytes.length;
    if ((remaining === 1 && chunk.length === 2) || (remaining === 2 && chunk.length === 3)) {
      return { read, bytes, error: null };
    }
    chunk[chunk.length] = value;
    if (chunk.length === 4) {
      decodeChunk(chunk, false, bytes);
      chunk = [];
      read = index;
      if (bytes.length === maxLength) return { read, bytes, error: null };
    }
  }
}

function hexValue(code) {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

// ECMAScript's FromHex: { read, bytes, error }.
function fromHex(string, maxLength) {
  const bytes = [];
  const length = string.length;
  if (length % 2 !== 0) return { read: 0, bytes, error: BAD_HEX };
  let read = 0;
  while (read < length && bytes.length < maxLength) {
    const high = hexValue(apply(StringPrototypeCharCodeAt, string, [read]));
    const low = hexValue(apply(StringPrototypeCharCodeAt, string, [read + 1]));
    if (high < 0 || low < 0) return { read, bytes, error: BAD_HEX };
    read += 2;
    bytes[bytes.length] = (high << 4) | low;
  }
  return { read, bytes, error: null };
}

function bytesToUint8Array(bytes) {
  const result = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) result[i] = bytes[i];
  return result;
}

// setFromBase64/setFromHex: what was decoded is written even when an error follows.
function setFrom(into, result) {
  for (let i = 0; i < result.bytes.length; i++) into[i] = result.bytes[i];
  if (result.error !== null) throw new SyntaxError(result.error);
  return { read: result.read, written: result.bytes.length };
}

install(Uint8Array, {
  fromBase64(string, options = undefined) {
    inputString(string);
    const opts = optionsObject(options);
    const alphabet = alphabetOption(opts);
    const result = fromBase64(string, alphabet, lastChunkOption(opts), MAX_SAFE_INTEGER);
    if (result.error !== null) throw new SyntaxError(result.error);
    return bytesToUint8Array(result.bytes);
  },
  fromHex(string) {
    const result = fromHex(inputString(string), MAX_SAFE_INTEGER);
    if (result.error !== null) throw new SyntaxError(result.error);
    return bytesToUint8Array(result.bytes);
  },
});

install(Uint8Array.prototype, {
  toBase64(options = undefined) {
    const array = thisUint8Array(this, "toBase64");
    const opts = optionsObject(options);
    const table = alphabetOption(opts) === "base64url" ? BASE64URL : BASE64;
    const omitPadding = !!opts.omitPadding;
    const length = apply(TypedArrayPrototypeLength, array, []);
    let out = "";
    for (let i = 0; i < length; i += 3) {
      const rest = length - i;
      const n = (array[i] << 16) | ((rest > 1 ? array[i + 1] : 0) << 8) | (rest > 2 ? array[i + 2] : 0);
      out += table[(n >> 18) & 63] + table[(n >> 12) & 63];
      out += rest > 1 ? table[(n >> 6) & 63] : (omitPadding ? "" : "=");
      out += rest > 2 ? table[n & 63] : (omitPadding ? "" : "=");
    }
    return out;
  },
  toHex() {
    const array = thisUint8Array(this, "toHex");
    const length = apply(TypedArrayPrototypeLength, array, []);
    let out = "";
    for (let i = 0; i < length; i++) out += HEX_DIGITS[array[i] >> 4] + HEX_DIGITS[array[i] & 15];
    return out;
  },
  setFromBase64(string, options = undefined) {
    const into = thisUint8Array(this, "setFromBase64");
    inputString(string);
    const opts = optionsObject(options);
    const alphabet = alphabetOption(opts);
    const handling = lastChunkOption(opts);
    return setFrom(into, fromBase64(string, alphabet, handling,
                                     apply(TypedArrayPrototypeLength, into, [])));
  },
  setFromHex(string) {
    const into = thisUint8Array(this, "setFromHex");
    return setFrom(into, fromHex(inputString(string), apply(TypedArrayPrototypeLength, into, [])));
  },
});

// --- Iterator helpers -------------------------------------------------------------------------

const IteratorPrototype = getPrototypeOf(getPrototypeOf([][SymbolIterator]()));
const WeakMapCtor = WeakMap;
const WeakMapPrototypeGet = WeakMap.prototype.get;
const WeakMapPrototypeSet = WeakMap.prototype.set;

// V8's words for a value that is not callable: "number 5", 'string "x"', "undefined", "#<Object>".
function describeCallee(value) {
  if (value === undefined || value === null) return `${value}`;
  if (typeof value === "string") return `string "${value}"`;
  if (typeof value === "symbol") return `symbol ${value.toString()}`;
  if (!isObject(value)) return `${typeof value} ${value}`;
  return describe(value);
}

function requireCallable(value) {
  if (!isCallable(value)) throw new TypeError(`${describeCallee(value)} is not a function`);
  return value;
}

// IteratorClose for an abrupt completion: the original error wins.
function closeQuietly(iterator) {
  try {
    const close = iterator.return;
    if (close !== undefined && close !== null) apply(close, iterator, []);
  } catch {}
}

// IteratorClose for a normal completion (return() called on a helper): its errors propagate.
function closeNormally(iterator) {
  const close = iterator.return;
  if (close === undefined || close === null) return;
  const result = apply(close, iterator, []);
  if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
}

function thisIterator(value, method) {
  if (!isObject(value)) throw new TypeError(`Iterator.prototype.${method} called on non-object`);
  return value;
}

// GetIteratorDirect: { iterator, next }.
function direct(iterator) {
  return { iterator, next: iterator.next };
}

const DONE = SymbolCtor("done");
function step(record) {
  const result = apply(requireCallable(record.next), record.iterator, []);
  if (!isObject(result)) throw new TypeError(`Iterator result ${describe(result)} is not an object`);
  if (result.done) return DONE;
  return result.value;
}

// A callback's failure closes the iterator it was called for.
function callClosing(record, fn, args) {
  try {
    return apply(fn, undefined, args);
  } catch (error) {
    closeQuietly(record.iterator);
    throw error;
  }
}

// The iterator a callback-taking method runs on: `fn` checked first (a bad one closes it).
function withCallback(self, method, fn) {
  const iterator = thisIterator(self, method);
  checkClosing(iterator, () => requireCallable(fn));
  return direct(iterator);
}

// Calls `predicate` on each value until it answers `wanted` (then the iterator is closed):
// { found, value }.
function scan(record, predicate, wanted) {
  for (let counter = 0; ; counter++) {
    const value = step(record);
    if (value === DONE) return { found: false, value: undefined };
    if (!!callClosing(record, predicate, [value, counter]) === wanted) {
      closeNormally(record.iterator);
      return { found: true, value };
    }
  }
}

// Argument checks close the iterator before throwing (ES2025).
function checkClosing(iterator, check) {
  try {
    return check();
  } catch (error) {
    closeQuietly(iterator);
    throw error;
  }
}

function toLimit(value) {
  const number = +value;
  if (number !== number) throw new RangeError(`${describeLimit(value)} must be positive`);
  const limit = toIntegerOrInfinity(number);
  if (limit < 0) throw new RangeError(`${describeLimit(value)} must be positive`);
  return limit;
}
function describeLimit(value) {
  return typeof value === "symbol" ? value.toString() : `${value}`;
}

// GetIteratorFlattenable: an object's @@iterator result, or the object itself as an iterator.
function flattenable(value, method, iterateStrings) {
  if (!isObject(value) && !(iterateStrings && typeof value === "string")) {
    throw new TypeError(`${method} called on non-object`);
  }
  const method_ = value[SymbolIterator];
  let iterator;
  if (method_ === undefined || method_ === null) {
    iterator = value;
  } else {
    if (!isCallable(method_)) {
      throw new TypeError(`'${describeLimit(method_)}' returned for property 'Symbol(Symbol.iterator)' ` +
                          `of object '${describe(value)}' is not a function`);
    }
    iterator = apply(method_, value, []);
  }
  if (!isObject(iterator)) throw new TypeError(`${method} called on non-object`);
  return direct(iterator);
}

// Iterator helper objects: next() and return() drive a generator over the underlying iterator;
// return() before the first next() closes the underlying iterator itself.
const helpers = new WeakMapCtor();
const IteratorHelperPrototype = objectCreate(IteratorPrototype);
install(IteratorHelperPrototype, {
  next() {
    const state = apply(WeakMapPrototypeGet, helpers, [this]);
    if (state === undefined) throw new TypeError("Iterator.prototype.next called on incompatible receiver");
    state.started = true;
    return state.generator.next();
  },
  return() {
    const state = apply(WeakMapPrototypeGet, helpers, [this]);
    if (state === undefined) throw new TypeError("Iterator.prototype.return called on incompatible receiver");
    if (!state.started) {
      state.started = true;
      state.generator.return();
      if (!state.closed) {
        state.closed = true;
        closeNormally(state.record.iterator);
      }
      return { value: undefined, done: true };
    }
    return state.generator.return();
  },
});
defineProperty(IteratorHelperPrototype, Symbol.toStringTag, {
  value: "Iterator Helper", writable: false, enumerable: false, configurable: true,
});

function makeHelper(record, body) {
  const helper = objectCreate(IteratorHelperPrototype);
  const state = { record, started: false, closed: false, generator: undefined };
  state.generator = body(state);
  apply(WeakMapPrototypeSet, helpers, [helper, state]);
  return helper;
}

// Yields `value`; a return() while suspended there closes the underlying iterator.
function* yieldClosing(state, value) {
  let resumed = false;
  try {
    yield value;
    resumed = true;
  } finally {
    if (!resumed && !state.closed) {
      state.closed = true;
      closeNormally(state.record.iterator);
    }
  }
}

if (!apply(ObjectHasOwn, global, ["Iterator"])) {
  const Iterator = function Iterator() {
    if (new.target === undefined) throw new TypeError("Constructor Iterator requires 'new'");
    if (new.target === Iterator) {
      throw new TypeError("Abstract class Iterator not directly constructable");
    }
  };
  defineProperty(Iterator, "prototype", {
    value: IteratorPrototype, writable: false, enumerable: false, configurable: false,
  });
  defineProperty(IteratorPrototype, "constructor", {
    value: Iterator, writable: true, enumerable: false, configurable: true,
  });
  defineProperty(IteratorPrototype, Symbol.toStringTag, {
    value: "Iterator", writable: true, enumerable: false, configurable: true,
  });

  const WrapForValidIteratorPrototype = objectCreate(IteratorPrototype);
  const wrapped = new WeakMapCtor();
  install(WrapForValidIteratorPrototype, {
    next() {
      const record = apply(WeakMapPrototypeGet, wrapped, [this]);
      if (record === undefined) throw new TypeError("next method called on incompatible receiver");
      return apply(record.next, record.iterator, []);
    },
    return() {
      const record = apply(WeakMapPrototypeGet, wrapped, [this]);
      if (record === undefined) throw new TypeError("return method called on incompatible receiver");
      const close = record.iterator.return;
      if (close === undefined || close === null) return { value: undefined, done: true };
      return apply(close, record.iterator, []);
    },
  });

  install(Iterator, {
    from(O) {
      const record = flattenable(O, "Iterator.from", true);
      let proto = getPrototypeOf(record.iterator);
      while (proto !== null) {
        if (proto === IteratorPrototype) return record.iterator;
        proto = getPrototypeOf(proto);
      }
      const wrapper = objectCreate(WrapForValidIteratorPrototype);
      apply(WeakMapPrototypeSet, wrapped, [wrapper, record]);
      return wrapper;
    },
  });

  install(IteratorPrototype, {
    map(mapper) {
      const record = withCallback(this, "map", mapper);
      return makeHelper(record, function* (state) {
        for (let counter = 0; ; counter++) {
          const value = step(record);
          if (value === DONE) return;
          yield* yieldClosing(state, callClosing(record, mapper, [value, counter]));
        }
      });
    },
    filter(predicate) {
      const record = withCallback(this, "filter", predicate);
      return makeHelper(record, function* (state) {
        for (let counter = 0; ; counter++) {
          const value = step(record);
          if (value === DONE) return;
          if (callClosing(record, predicate, [value, counter])) yield* yieldClosing(state, value);
        }
      });
    },
    take(limit) {
      const iterator = thisIterator(this, "take");
      const remaining = checkClosing(iterator, () => toLimit(limit));
      const record = direct(iterator);
      return makeHelper(record, function* (state) {
        for (let left = remaining; ; left--) {
          if (left === 0) {
            state.closed = true;
            closeNormally(iterator);
            return;
          }
          const value = step(record);
          if (value === DONE) return;
          yield* yieldClosing(state, value);
        }
      });
    },
    drop(limit) {
      const iterator = thisIterator(this, "drop");
      const toDrop = checkClosing(iterator, () => toLimit(limit));
      const record = direct(iterator);
      return makeHelper(record, function* (state) {
        for (let left = toDrop; left > 0; left--) {
          if (step(record) === DONE) return;
        }
        for (;;) {
          const value = step(record);
          if (value === DONE) return;
          yield* yieldClosing(state, value);
        }
      });
    },
    flatMap(mapper) {
      const record = withCallback(this, "flatMap", mapper);
      return makeHelper(record, function* (state) {
        for (let counter = 0; ; counter++) {
          const value = step(record);
          if (value === DONE) return;
          const mapped = callClosing(record, mapper, [value, counter]);
          const inner = checkClosing(record.iterator,
                                     () => flattenable(mapped, "Iterator.prototype.flatMap", false));
          for (;;) {
            const innerValue = checkClosing(record.iterator, () => step(inner));
            if (innerValue === DONE) break;
            let resumed = false;
            try {
              yield innerValue;
              resumed = true;
            } finally {
              if (!resumed && !state.closed) {
                state.closed = true;
                try {
                  closeNormally(inner.iterator);
                } finally {
                  closeNormally(record.iterator);
                }
              }
            }
          }
        }
      });
    },
    reduce(reducer, ...rest) {
      const record = withCallback(this, "reduce", reducer);
      let accumulator, counter = 0;
      if (rest.length === 0) {
        accumulator = step(record);
        if (accumulator === DONE) {
          throw new TypeError("Reduce of a done iterator with no initial value");
        }
        counter = 1;
      } else {
        accumulator = rest[0];
      }
      for (;; counter++) {
        const value = step(record);
        if (value === DONE) return accumulator;
        accumulator = callClosing(record, reducer, [accumulator, value, counter]);
      }
    },
    toArray() {
      const record = direct(thisIterator(this, "toArray"));
      const items = [];
      for (;;) {
        const value = step(record);
        if (value === DONE) return items;
        createDataProperty(items, items.length, value);
      }
    },
    forEach(fn) {
      const record = withCallback(this, "forEach", fn);
      for (let counter = 0; ; counter++) {
        const value = step(record);
        if (value === DONE) return undefined;
        callClosing(record, fn, [value, counter]);
      }
    },
    some(predicate) {
      return scan(withCallback(this, "some", predicate), predicate, true).found;
    },
    every(predicate) {
      return !scan(withCallback(this, "every", predicate), predicate, false).found;
    },
    find(predicate) {
      return scan(withCallback(this, "find", predicate), predicate, true).value;
    },
  });
  defineProperty(global, "Iterator", {
    value: Iterator, writable: true, enumerable: false, configurable: true,
  });
}

// --- String.prototype.isWellFormed, toWellFormed ------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function thisString(value, method) {
  if (value === null || value === undefined) {
    throw new TypeError(`String.prototype.${method} called on null or undefined`);
  }
  return `${value}`;
}

install(String.prototype, {
  isWellFormed() {
    const string = thisString(this, "isWellFormed");
    return apply(RegExpPrototypeExec, LONE_SURROGATE, [string]) === null;
  },
  toWellFormed() {
    const string = thisString(this, "toWellFormed");
    if (apply(RegExpPrototypeExec, LONE_SURROGATE, [string]) === null) return string;
    let result = "";
    const length = string.length;
    for (let i = 0; i < length; i++) {
      const unit = apply(StringPrototypeCharCodeAt, string, [i]);
      if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < length) {
        const next = apply(StringPrototypeCharCodeAt, string, [i + 1]);
        if (next >= 0xDC00 && next <= 0xDFFF) {
          result += StringFromCharCode(unit, next);
          i++;
          continue;
        }
      }
      result += unit >= 0xD800 && unit <= 0xDFFF ? "\uFFFD" : StringFromCharCode(unit);
    }
    return result;
  },
});

// --- Symbol.dispose, Symbol.asyncDispose --------------------------------------------------------

for (const name of ["dispose", "asyncDispose"]) {
  if (!apply(ObjectHasOwn, SymbolCtor, [name])) {
    defineProperty(SymbolCtor, name, {
      value: SymbolCtor(`Symbol.${name}`), writable: false, enumerable: false, configurable: false,
    });
  }
}
