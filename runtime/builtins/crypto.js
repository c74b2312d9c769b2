// Web Crypto: `crypto.getRandomValues`, `crypto.randomUUID`, `crypto.subtle` and `CryptoKey`.
// This file has the SubtleCrypto methods (argument conversion and the checks workerd makes before
// an algorithm runs, with workerd's messages), CryptoKey, and the symmetric algorithms: SHA
// digests (and MD5), HMAC, AES-GCM, AES-CBC, PBKDF2 and HKDF with raw and JWK keys. The
// asymmetric ones (ECDSA, Ed25519, RSASSA-PKCS1-v1_5, RSA-PSS) are in crypto-asymmetric.js,
// loaded on first use. The two share
//   internal.webCrypto = { domError, makeKey, validateUsages, lookupDigest, hashName, toInteger,
//                          asciiUpper, bufferMember, b64url, toBuffer, HASH_BYTES,
//                          PUBLIC_USAGES, PRIVATE_USAGES }
// and crypto-asymmetric.js adds internal.webCrypto.asymmetric (see there). Every primitive runs
// in C++ through the one OpenSSL wrapper (runtime/crypto.h).
// TODO(conformance): ECDH, X25519, RSA-OAEP, AES-CTR, AES-KW, wrapKey/unwrapKey,
// timingSafeEqual, DigestStream.
"use strict";
const native = internal.native;

function domError(message, name) {
  const Ctor = internal.DOMException ?? global.DOMException;
  return Ctor ? new Ctor(message, name) : Object.assign(new Error(message), { name });
}

// --- Argument conversion, as workerd's bindings do it -------------------------------------

function parameterError(method, index, type) {
  return new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': parameter ${index} is ` +
                       `not of type '${type}'.`);
}

function isBufferSource(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

// A BufferSource argument as a Uint8Array over its bytes (not a copy).
function bufferParam(value, method, index) {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw parameterError(method, index, "BufferSource");
}

// A BufferSource member of an algorithm dictionary.
function bufferMember(value, field, dictionary) {
  if (isBufferSource(value)) return bufferParam(value);
  throw new TypeError(`Incorrect type for the '${field}' field on '${dictionary}': the provided ` +
                      "value is not of type 'BufferSource'.");
}

// The members of the algorithm dictionaries workerd reads (Algorithm and its kinds).
const ALGORITHM_MEMBERS = [
  "hash", "length", "namedCurve", "modulusLength", "publicExponent", "iv", "additionalData",
  "tagLength", "counter", "label", "salt", "iterations", "info", "public", "saltLength",
];

// An AlgorithmIdentifier: a name, or a dictionary whose other members each algorithm converts.
function algorithmParam(value) {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const alg = { name: String(value.name) };
    for (const member of ALGORITHM_MEMBERS) {
      const v = value[member];
      if (v !== undefined) alg[member] = v;
    }
    return alg;
  }
  if (value === null || value === undefined) {
    throw new TypeError("Algorithm must be a string or an object with a \"name\" member.");
  }
  return { name: String(value) };
}

function keyParam(value, method, index) {
  if (!keySlots.has(value)) throw parameterError(method, index, "CryptoKey");
  return keySlots.get(value);
}

function usagesParam(value, method, index) {
  if (!Array.isArray(value)) throw parameterError(method, index, "Array");
  return value.map(String);
}

// WebIDL `long` (without [EnforceRange]), as dictionary members convert.
function toInteger(value) {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? n : 0;
}

// The hash member: a name or a {name} dictionary.
function hashName(hash) {
  return hash !== null && typeof hash === "object" ? String(hash.name) : String(hash);
}

const HASH_BYTES = { "MD5": 16, "SHA-1": 20, "SHA-256": 32, "SHA-384": 48, "SHA-512": 64 };

function asciiUpper(text) {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase());
}

// The canonical name of a digest (names are case-insensitive).
function lookupDigest(name) {
  const upper = asciiUpper(name);
  if (Object.hasOwn(HASH_BYTES, upper)) return upper;
  throw domError("Unrecognized or unimplemented digest algorithm requested.", "NotSupportedError");
}

// A JsonWebKey dictionary: strings converted, `ext` a boolean, `key_ops` an array.
const JWK_STRINGS = ["use", "alg", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"];
function jwkParam(value) {
  const jwk = { kty: String(value.kty) };
  for (const field of JWK_STRINGS) {
    if (value[field] !== undefined) jwk[field] = String(value[field]);
  }
  if (value.ext !== undefined) jwk.ext = Boolean(value.ext);
  for (const field of ["key_ops", "oth"]) {
    const member = value[field];
    if (member === undefined) continue;
    if (!Array.isArray(member)) {
      throw new TypeError(`Incorrect type for the '${field}' field on 'JsonWebKey': the provided ` +
                          "value is not of type 'Array'.");
    }
    jwk[field] = field === "key_ops" ? member.map(String) : [...member];
  }
  return jwk;
}

const b64url = {
  encode(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
  // Bytes, or null when `text` is not base64 (url-safe or standard, padded or not).
  decode(text) {
    if (typeof text !== "string") return null;
    const plain = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
    if (!/^[A-Za-z0-9+/]*$/.test(plain) || plain.length % 4 === 1) return null;
    const s = atob(plain + "===".slice((plain.length + 3) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  },
};

function toBuffer(bytes) {
  // Natives return ArrayBuffers already.
  return bytes instanceof ArrayBuffer ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

// --- CryptoKey ----------------------------------------------------------------------------

// CryptoKey -> its state: { name (canonical algorithm name), type, extractable, usages,
// and the algorithm's own: bytes (secret keys), handle (asymmetric), hash, curve, ... }.
// The user-visible `algorithm` and `usages` are copies: changing them changes nothing here.
const keySlots = new WeakMap();
let constructing = false;

class CryptoKey {
  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor");
  }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: "CryptoKey", configurable: true });

// A CryptoKey for `state`; `algorithm` is what the key's `algorithm` property shows. As on
// workerd, the properties are the key's own, read-only and enumerable (JSON.stringify shows
// them), and `algorithm` and `usages` are the same objects on every read.
function makeKey(state, algorithm) {
  constructing = true;
  let key;
  try { key = new CryptoKey(); } finally { constructing = false; }
  const usages = [...state.usages];
  state.usages = Object.freeze([...usages]);
  state.extractable = !!state.extractable;
  keySlots.set(key, state);
  const readonly = (value) => ({ value, writable: false, enumerable: true, configurable: true });
  Object.defineProperties(key, {
    usages: readonly(usages),
    algorithm: readonly(algorithm),
    extractable: readonly(state.extractable),
    type: readonly(state.type),
  });
  return key;
}

const USAGE_ORDER = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
const PUBLIC_USAGES = ["encrypt", "verify", "wrapKey"];
const PRIVATE_USAGES = ["decrypt", "sign", "unwrapKey", "deriveKey", "deriveBits"];

// The usages a key gets: `requested` checked against `allowed`, without repeats, in the order
// WebCrypto lists usages. `context`: "generate", "import secret", "import public" or
// "import private".
function validateUsages(name, context, requested, allowed) {
  const set = new Set();
  for (const usage of requested) {
    if (!allowed.includes(usage)) {
      throw domError(`Attempt to ${context} ${name} key with invalid usage "${usage}".`, "SyntaxError");
    }
    set.add(usage);
  }
  return USAGE_ORDER.filter((u) => set.has(u));
}

// The key's state, once `requestedName` is its algorithm (in any case) and it allows `usage`.
function validateOperation(key, requestedName, usage) {
  const state = keySlots.get(key);
  if (asciiUpper(requestedName) !== asciiUpper(state.name)) {
    throw domError(`Requested algorithm "${requestedName}" does not match this CryptoKey's ` +
                   `algorithm "${state.name}".`, "InvalidAccessError");
  }
  if (!state.usages.includes(usage)) {
    throw domError(`Requested key usage "${usage}" does not match any usage listed in this ` +
                   "CryptoKey.", "InvalidAccessError");
  }
  return state;
}

// --- Symmetric algorithms -----------------------------------------------------------------

// The bytes of a secret key in `format` ("raw" or "jwk" with kty "oct").
function secretBytes(format, data) {
  if (format === "raw") return data;
  if (format === "jwk") {
    const bytes = data.kty === "oct" ? b64url.decode(data.k) : null;
    if (bytes === null) throw domError("JWK must be of kty \"oct\" with a \"k\".", "DataError");
    return bytes;
  }
  throw domError(`Unrecognized key import format "${format}".`, "NotSupportedError");
}

function secretKey(name, bytes, algorithm, extractable, usages) {
  return makeKey({ name, type: "secret", bytes, extractable, usages }, algorithm);
}

const AES_USAGES = ["encrypt", "decrypt", "wrapKey", "unwrapKey"];

const hmac = {
  importKey(name, format, data, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "import secret", usages, ["sign", "verify"]);
    return hmac.make(name, () => secretBytes(format, data), alg, extractable, keyUsages);
  },
  generateKey(name, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "generate", usages, ["sign", "verify"]);
    return hmac.make(name, (hash) => {
      // The hash's block size, as WebCrypto specifies for HMAC keys.
      const length = alg.length === undefined ? (hash === "SHA-384" || hash === "SHA-512" ? 1024 : 512) : toInteger(alg.length);
      if (length <= 0) throw domError("HMAC key length must be a non-zero unsigned long integer.", "OperationError");
      return native.getRandomValues(new Uint8Array(Math.ceil(length / 8)));
    }, alg, extractable, keyUsages);
  },
  make(name, bytesFor, alg, extractable, keyUsages) {
    if (alg.hash === undefined) throw new TypeError("Missing field \"hash\" in \"algorithm\".");
    const hash = lookupDigest(hashName(alg.hash));
    const bytes = bytesFor(hash);
    const length = alg.length === undefined ? bytes.length * 8 : toInteger(alg.length);
    const key = secretKey(name, bytes, { name, hash: { name: hash }, length }, extractable, keyUsages);
    keySlots.get(key).hash = hash;
    return key;
  },
  exportJwk(state) {
    return { alg: `HS${state.hash.slice(4)}` };
  },
  sign(state, alg, data) {
    return toBuffer(native.cryptoHmac(state.hash, state.bytes, data));
  },
  verify(state, alg, signature, data) {
    return native.cryptoEqual(new Uint8Array(native.cryptoHmac(state.hash, state.bytes, data)), signature);
  },
};

const aes = {
  importKey(name, format, data, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "import secret", usages, AES_USAGES);
    return aes.make(name, secretBytes(format, data), extractable, keyUsages);
  },
  generateKey(name, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "generate", usages, AES_USAGES);
    if (alg.length === undefined) throw new TypeError("Missing field \"length\" in \"algorithm\".");
    const length = toInteger(alg.length);
    if (![128, 192, 256].includes(length)) {
      throw domError(`Generated AES key length must be 128, 192, or 256 bits but requested ${length}.`, "OperationError");
    }
    return aes.make(name, native.getRandomValues(new Uint8Array(length / 8)), extractable, keyUsages);
  },
  make(name, bytes, extractable, keyUsages) {
    if (![16, 24, 32].includes(bytes.length)) {
      throw domError(`Imported AES key length must be 128, 192, or 256 bits but provided ${bytes.length * 8}.`, "DataError");
    }
    return secretKey(name, bytes, { name, length: bytes.length * 8 }, extractable, keyUsages);
  },
  exportJwk(state) {
    return { alg: `A${state.bytes.length * 8}${state.name.slice(4)}` };
  },
  crypt(encrypt, state, alg, data) {
    if (alg.iv === undefined) throw new TypeError("Missing field \"iv\" in \"algorithm\".");
    const iv = bufferMember(alg.iv, "iv", "EncryptAlgorithm");
    const aad = alg.additionalData === undefined ? new Uint8Array(0) : bufferMember(alg.additionalData, "additionalData", "EncryptAlgorithm");
    const tagLength = alg.tagLength === undefined ? 128 : toInteger(alg.tagLength);
    return toBuffer(native.cryptoAes(state.name === "AES-GCM" ? "GCM" : "CBC", encrypt, state.bytes, iv, data, aad, tagLength));
  },
};

// PBKDF2 and HKDF keys: raw, never extractable, for deriveBits and deriveKey.
const kdf = {
  importKey(name, format, data, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "import secret", usages, ["deriveKey", "deriveBits"]);
    if (extractable) throw domError(`${name} key cannot be extractable.`, "SyntaxError");
    if (format !== "raw") {
      throw domError(`${name} key must be imported in "raw" format (requested "${format}")${name === "PBKDF2" ? "." : ""}`,
                     "NotSupportedError");
    }
    return secretKey(name, data, { name }, extractable, keyUsages);
  },
  deriveBits(state, alg, length) {
    if (alg.hash === undefined) throw new TypeError("Missing field \"hash\" in \"algorithm\".");
    const hash = lookupDigest(hashName(alg.hash));
    if (alg.salt === undefined) throw new TypeError("Missing field \"salt\" in \"algorithm\".");
    const salt = bufferMember(alg.salt, "salt", "DeriveKeyAlgorithm");
    if (length === null) throw domError(`${state.name} cannot derive a key with null length.`, "OperationError");
    if (state.name === "PBKDF2") {
      if (alg.iterations === undefined) throw new TypeError("Missing field \"iterations\" in \"algorithm\".");
      return native.cryptoPbkdf2(hash, state.bytes, salt, toInteger(alg.iterations), length, false);
    }
    if (alg.info === undefined) throw new TypeError("Missing field \"info\" in \"algorithm\".");
    return native.cryptoHkdf(hash, state.bytes, salt, bufferMember(alg.info, "info", "DeriveKeyAlgorithm"), length);
  },
};

const SYMMETRIC = { "HMAC": hmac, "AES-GCM": aes, "AES-CBC": aes, "PBKDF2": kdf, "HKDF": kdf };

// --- Algorithm lookup ---------------------------------------------------------------------

const ASYMMETRIC_NAMES = ["RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA", "NODE-ED25519", "Ed25519"];
const ALGORITHM_NAMES = [...Object.keys(SYMMETRIC), ...ASYMMETRIC_NAMES];

function asymmetric() {
  if (internal.webCrypto.asymmetric === undefined) native.loadBuiltin("crypto-asymmetric.js");
  return internal.webCrypto.asymmetric;
}

// The canonical name (names are case-insensitive) and implementation of an algorithm.
function lookupAlgorithm(name) {
  const upper = asciiUpper(name);
  const canonical = ALGORITHM_NAMES.find((n) => asciiUpper(n) === upper);
  if (canonical === undefined) return undefined;
  return { name: canonical, impl: SYMMETRIC[canonical] ?? asymmetric().algorithms[canonical] };
}

function implOf(state) {
  return SYMMETRIC[state.name] ?? asymmetric().algorithms[state.name];
}

// --- SubtleCrypto -------------------------------------------------------------------------

async function digest(algorithm, data) {
  const alg = algorithmParam(algorithm);
  const bytes = bufferParam(data, "digest", 2);
  return toBuffer(native.cryptoDigest(lookupDigest(alg.name), bytes));
}

const BUFFER_FORMATS = ["raw", "spki", "pkcs8"];

async function importKey(format, keyData, algorithm, extractable, keyUsages) {
  format = String(format);
  let data;
  if (isBufferSource(keyData)) {
    data = bufferParam(keyData).slice();
  } else if (keyData !== null && typeof keyData === "object") {
    data = jwkParam(keyData);
  } else {
    throw parameterError("importKey", 2, "BufferSource or JsonWebKey");
  }
  const alg = algorithmParam(algorithm);
  const usages = usagesParam(keyUsages, "importKey", 5);
  return importKeySync(format, data, alg, !!extractable, usages);
}

function importKeySync(format, data, alg, extractable, usages) {
  if (BUFFER_FORMATS.includes(format)) {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError("Import data provided for buffer-based import formats must be a buffer source.");
    }
  } else if (format === "jwk") {
    if (data instanceof Uint8Array) {
      throw new TypeError("Import data provided for \"jwk\" import format must be a JsonWebKey.");
    }
    if (data.ext === false && extractable) {
      throw domError(`JWK ext field for "${alg.name}" is set to false but extractable is true`, "DataError");
    }
  } else {
    throw domError(`Unrecognized key import format "${format}".`, "NotSupportedError");
  }
  const found = lookupAlgorithm(alg.name);
  if (found === undefined) {
    throw domError(`Unrecognized key import algorithm "${alg.name}" requested.`, "NotSupportedError");
  }
  const key = found.impl.importKey(found.name, format, data, alg, extractable, usages);
  const state = keySlots.get(key);
  if (state.usages.length === 0 && state.type !== "public") {
    throw domError("Secret/private CryptoKeys must have at least one usage.", "SyntaxError");
  }
  return key;
}

async function exportKey(format, key) {
  format = String(format);
  const state = keyParam(key, "exportKey", 2);
  if (!state.extractable) {
    throw domError(`Attempt to export non-extractable ${state.name} key.`, "InvalidAccessError");
  }
  if (state.type !== "secret") return asymmetric().exportKey(format, state);
  if (format === "raw") return toBuffer(state.bytes.slice());
  if (format === "jwk") {
    return { kty: "oct", key_ops: [...state.usages], ...implOf(state).exportJwk(state), ext: true, k: b64url.encode(state.bytes) };
  }
  throw domError(`Unimplemented key export format "${format}".`, "NotSupportedError");
}

async function generateKey(algorithm, extractable, keyUsages) {
  const alg = algorithmParam(algorithm);
  const usages = usagesParam(keyUsages, "generateKey", 3);
  const found = lookupAlgorithm(alg.name);
  if (found === undefined || found.impl.generateKey === undefined) {
    throw domError(`Unrecognized key generation algorithm "${alg.name}" requested.`, "NotSupportedError");
  }
  const result = found.impl.generateKey(found.name, alg, !!extractable, usages);
  if (result instanceof CryptoKey) {
    if (keySlots.get(result).usages.length === 0) {
      throw domError("Secret/private CryptoKeys must have at least one usage.", "SyntaxError");
    }
  } else if (keySlots.get(result.privateKey).usages.length === 0) {
    throw domError("Attempt to generate asymmetric keys with no valid private key usages.", "SyntaxError");
  }
  return result;
}

async function sign(algorithm, key, data) {
  const alg = algorithmParam(algorithm);
  keyParam(key, "sign", 2);
  const bytes = bufferParam(data, "sign", 3);
  const state = validateOperation(key, alg.name, "sign");
  return implOf(state).sign(state, alg, bytes);
}

async function verify(algorithm, key, signature, data) {
  const alg = algorithmParam(algorithm);
  keyParam(key, "verify", 2);
  const sig = bufferParam(signature, "verify", 3);
  const bytes = bufferParam(data, "verify", 4);
  const state = validateOperation(key, alg.name, "verify");
  return implOf(state).verify(state, alg, sig, bytes);
}

async function crypt(encrypt, algorithm, key, data) {
  const method = encrypt ? "encrypt" : "decrypt";
  const alg = algorithmParam(algorithm);
  keyParam(key, method, 2);
  const bytes = bufferParam(data, method, 3);
  const state = validateOperation(key, alg.name, method);
  return aes.crypt(encrypt, state, alg, bytes);
}

async function deriveBits(algorithm, baseKey, length) {
  const alg = algorithmParam(algorithm);
  keyParam(baseKey, "deriveBits", 2);
  const bits = length === undefined || length === null ? null : toInteger(length);
  const state = validateOperation(baseKey, alg.name, "deriveBits");
  return toBuffer(kdf.deriveBits(state, alg, bits));
}

async function deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
  const alg = algorithmParam(algorithm);
  keyParam(baseKey, "deriveKey", 2);
  const target = algorithmParam(derivedKeyAlgorithm);
  const usages = usagesParam(keyUsages, "deriveKey", 5);
  const state = validateOperation(baseKey, alg.name, "deriveKey");
  const found = lookupAlgorithm(target.name);
  let length;
  if (found?.name === "HMAC") {
    if (target.length !== undefined) {
      length = toInteger(target.length);
    } else {
      if (target.hash === undefined) throw new TypeError("Missing field \"hash\" in \"derivedKeyParams\".");
      length = ["SHA-384", "SHA-512"].includes(lookupDigest(hashName(target.hash))) ? 1024 : 512;
    }
  } else if (found?.name === "AES-GCM" || found?.name === "AES-CBC") {
    if (target.length === undefined) throw new TypeError("Missing field \"length\" in \"derivedKeyParams\".");
    length = toInteger(target.length);
    if (![128, 192, 256].includes(length)) {
      throw domError(`Derived AES key must be 128, 192, or 256 bits in length but provided ${length}.`, "OperationError");
    }
  } else {
    throw domError(`Unrecognized derived key type "${target.name}" requested.`, "NotSupportedError");
  }
  const bits = kdf.deriveBits(state, alg, length);
  return importKeySync("raw", new Uint8Array(bits), target, !!extractable, usages);
}

class SubtleCrypto {
  constructor() { throw new TypeError("Illegal constructor"); }
}
const subtleMethods = {
  digest, importKey, exportKey, generateKey, sign, verify, deriveBits, deriveKey,
  encrypt: (algorithm, key, data) => crypt(true, algorithm, key, data),
  decrypt: (algorithm, key, data) => crypt(false, algorithm, key, data),
};
for (const [name, fn] of Object.entries(subtleMethods)) {
  Object.defineProperty(SubtleCrypto.prototype, name, {
    value: { [name](...args) { return fn(...args); } }[name], writable: true, configurable: true, enumerable: true,
  });
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: "SubtleCrypto" });
const subtle = Object.create(SubtleCrypto.prototype);

class Crypto {
  constructor() { throw new TypeError("Illegal constructor"); }
}
Object.defineProperties(Crypto.prototype, {
  getRandomValues: { value: function getRandomValues(array) { return native.getRandomValues(array); }, writable: true, configurable: true, enumerable: true },
  randomUUID: { value: function randomUUID() {
    const b = native.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }, writable: true, configurable: true, enumerable: true },
  subtle: { get() { return subtle; }, configurable: true, enumerable: true },
  [Symbol.toStringTag]: { value: "Crypto" },
});

internal.webCrypto = {
  domError, makeKey, validateUsages, lookupDigest, hashName, toInteger, asciiUpper, bufferMember,
  b64url, toBuffer, HASH_BYTES, PUBLIC_USAGES, PRIVATE_USAGES,
};
internal.define("Crypto", Crypto);
internal.define("CryptoKey", CryptoKey);
internal.define("SubtleCrypto", SubtleCrypto);
internal.define("crypto", Object.create(Crypto.prototype));
