// Web Crypto: `crypto.getRandomValues`, `crypto.randomUUID`, and `crypto.subtle` for SHA
// digests, HMAC, AES-GCM, AES-CBC, PBKDF2 and HKDF, with raw and JWK key formats. Every
// primitive runs in C++ through the one OpenSSL wrapper (runtime/crypto.h).
// TODO(conformance): ECDSA P-256, Ed25519, RSASSA-PKCS1-v1_5 / RSA-PSS verify, spki/pkcs8.
"use strict";
const native = internal.native;
const DOMExceptionCtor = () => global.DOMException;

function domError(message, name) {
  const Ctor = DOMExceptionCtor();
  return Ctor ? new Ctor(message, name) : Object.assign(new Error(message), { name });
}

const HASHES = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
// digest() also takes MD5, as workerd's does (legacy interoperability, never for keys).
const DIGESTS = ["MD5", ...HASHES];

function bytesOf(data, what = "data") {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`Failed to execute: ${what} is not of type 'ArrayBuffer or ArrayBufferView'.`);
}

function toBuffer(bytes) {
  // Natives return ArrayBuffers already.
  return bytes instanceof ArrayBuffer ? bytes : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function normalize(algorithm) {
  const alg = typeof algorithm === "string" ? { name: algorithm } : { ...algorithm };
  if (typeof alg.name !== "string") throw new TypeError("Algorithm name must be a string.");
  const upper = alg.name.toUpperCase();
  const known = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512", "HMAC", "AES-GCM", "AES-CBC", "PBKDF2", "HKDF"];
  const name = known.find((k) => k === upper);
  if (name === undefined) throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  alg.name = name;
  if (alg.hash !== undefined) alg.hash = normalize(alg.hash).name;
  return alg;
}

function hashName(alg) {
  if (alg.hash === undefined || !HASHES.includes(alg.hash)) {
    throw new TypeError(`Missing or invalid "hash" for ${alg.name}.`);
  }
  return alg.hash;
}

// --- CryptoKey ----------------------------------------------------------------------------

const keyData = new WeakMap();  // CryptoKey -> { bytes, algorithm, type, extractable, usages }
let constructing = false;

class CryptoKey {
  constructor() {
    if (!constructing) throw new TypeError("Illegal constructor");
  }
  get type() { return slot(this).type; }
  get extractable() { return slot(this).extractable; }
  get algorithm() { return { ...slot(this).algorithm }; }
  get usages() { return [...slot(this).usages]; }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: "CryptoKey" });

function slot(key) {
  const data = keyData.get(key);
  if (data === undefined) throw new TypeError("Illegal invocation");
  return data;
}

function makeKey(bytes, algorithm, extractable, usages, type = "secret") {
  constructing = true;
  let key;
  try { key = new CryptoKey(); } finally { constructing = false; }
  keyData.set(key, { bytes, algorithm, type, extractable: !!extractable, usages: [...usages] });
  return key;
}

function checkUsage(key, usage, alg) {
  const data = slot(key);
  if (data.algorithm.name !== alg.name) {
    throw domError(`CryptoKey is a ${data.algorithm.name} key, not ${alg.name}.`, "InvalidAccessError");
  }
  if (!data.usages.includes(usage)) {
    throw domError(`CryptoKey doesn't support ${usage}.`, "InvalidAccessError");
  }
  return data;
}

const USAGES = {
  HMAC: ["sign", "verify"],
  "AES-GCM": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
  "AES-CBC": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
  PBKDF2: ["deriveBits", "deriveKey"],
  HKDF: ["deriveBits", "deriveKey"],
};

function checkUsages(alg, usages) {
  for (const u of usages) {
    if (!USAGES[alg.name]?.includes(u)) {
      throw domError(`Unsupported key usage for a ${alg.name} key: ${u}`, "SyntaxError");
    }
  }
}

const b64url = {
  encode(bytes) {
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
  decode(text) {
    const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  },
};

function jwkAlg(alg, bytes) {
  if (alg.name === "HMAC") return `HS${alg.hash.slice(4)}`;
  const size = bytes.length * 8;
  return `A${size}${alg.name === "AES-GCM" ? "GCM" : "CBC"}`;
}

// --- SubtleCrypto -------------------------------------------------------------------------

async function digest(algorithm, data) {
  const alg = normalize(algorithm);
  if (!DIGESTS.includes(alg.name)) throw domError(`Unrecognized or unimplemented digest algorithm: ${alg.name}`, "NotSupportedError");
  return toBuffer(native.cryptoDigest(alg.name, bytesOf(data)));
}

async function importKey(format, keyDataIn, algorithm, extractable, usages) {
  const alg = normalize(algorithm);
  if (!USAGES[alg.name]) throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  checkUsages(alg, usages);
  let bytes;
  if (format === "raw") {
    bytes = bytesOf(keyDataIn, "keyData").slice();
  } else if (format === "jwk") {
    if (alg.name === "PBKDF2" || alg.name === "HKDF") throw domError(`${alg.name} keys cannot be imported as JWK.`, "NotSupportedError");
    if (keyDataIn?.kty !== "oct" || typeof keyDataIn.k !== "string") throw domError("JWK must be of kty \"oct\" with a \"k\".", "DataError");
    bytes = b64url.decode(keyDataIn.k);
  } else {
    throw domError(`Unrecognized or unimplemented key format: ${format}`, "NotSupportedError");
  }
  const algorithmOut = { name: alg.name };
  if (alg.name === "HMAC") {
    algorithmOut.hash = { name: hashName(alg) };
    algorithmOut.length = alg.length ?? bytes.length * 8;
  } else if (alg.name === "AES-GCM" || alg.name === "AES-CBC") {
    if (![16, 24, 32].includes(bytes.length)) throw domError(`Imported AES key length must be 128, 192, or 256 bits but provided ${bytes.length * 8}.`, "DataError");
    algorithmOut.length = bytes.length * 8;
  } else if (extractable) {
    throw domError(`${alg.name} keys cannot be extractable.`, "SyntaxError");
  }
  const key = makeKey(bytes, algorithmOut, extractable, usages);
  return key;
}

async function exportKey(format, key) {
  const data = slot(key);
  if (!data.extractable) throw domError("Key is not extractable.", "InvalidAccessError");
  if (format === "raw") return toBuffer(data.bytes.slice());
  if (format === "jwk") {
    const alg = { name: data.algorithm.name, hash: data.algorithm.hash?.name };
    return { kty: "oct", key_ops: [...data.usages], alg: jwkAlg(alg, data.bytes), ext: true, k: b64url.encode(data.bytes) };
  }
  throw domError(`Unrecognized or unimplemented key format: ${format}`, "NotSupportedError");
}

async function generateKey(algorithm, extractable, usages) {
  const alg = normalize(algorithm);
  checkUsages(alg, usages);
  let length;
  if (alg.name === "HMAC") {
    // The hash's block size, as WebCrypto specifies for HMAC keys.
    length = alg.length ?? (["SHA-384", "SHA-512"].includes(hashName(alg)) ? 1024 : 512);
  } else if (alg.name === "AES-GCM" || alg.name === "AES-CBC") {
    length = alg.length;
    if (![128, 192, 256].includes(length)) throw domError("AES key length must be 128, 192, or 256 bits.", "OperationError");
  } else {
    throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  }
  const bytes = native.getRandomValues(new Uint8Array(length / 8));
  return importKey("raw", bytes, alg, extractable, usages);
}

async function sign(algorithm, key, data) {
  const alg = normalize(algorithm);
  if (alg.name !== "HMAC") throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  const k = checkUsage(key, "sign", alg);
  return toBuffer(native.cryptoHmac(k.algorithm.hash.name, k.bytes, bytesOf(data)));
}

async function verify(algorithm, key, signature, data) {
  const alg = normalize(algorithm);
  if (alg.name !== "HMAC") throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  const k = checkUsage(key, "verify", alg);
  const expected = native.cryptoHmac(k.algorithm.hash.name, k.bytes, bytesOf(data));
  return native.cryptoEqual(new Uint8Array(expected), bytesOf(signature, "signature"));
}

function aesCall(encrypt, algorithm, key, data) {
  const alg = normalize(algorithm);
  if (alg.name !== "AES-GCM" && alg.name !== "AES-CBC") throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
  const k = checkUsage(key, encrypt ? "encrypt" : "decrypt", alg);
  const iv = bytesOf(alg.iv, "iv");
  const aad = alg.additionalData === undefined ? new Uint8Array(0) : bytesOf(alg.additionalData, "additionalData");
  const tagLength = alg.tagLength ?? 128;
  return toBuffer(native.cryptoAes(alg.name === "AES-GCM" ? "GCM" : "CBC", encrypt, k.bytes, iv,
                                   bytesOf(data), aad, tagLength));
}

async function deriveBits(algorithm, baseKey, length) {
  const alg = normalize(algorithm);
  const k = checkUsage(baseKey, "deriveBits", alg);
  if (alg.name === "PBKDF2") {
    return toBuffer(native.cryptoPbkdf2(hashName(alg), k.bytes, bytesOf(alg.salt, "salt"), alg.iterations, length));
  }
  if (alg.name === "HKDF") {
    return toBuffer(native.cryptoHkdf(hashName(alg), k.bytes, bytesOf(alg.salt, "salt"), bytesOf(alg.info, "info"), length));
  }
  throw domError(`Unrecognized or unimplemented algorithm: ${alg.name}`, "NotSupportedError");
}

async function deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, usages) {
  const target = normalize(derivedKeyAlgorithm);
  const length = target.length ?? (target.name === "HMAC" ? 512 : undefined);
  if (length === undefined) throw new TypeError("deriveKey needs a length for the derived key.");
  const alg = normalize(algorithm);
  const data = slot(baseKey);
  if (!data.usages.includes("deriveKey")) throw domError("CryptoKey doesn't support deriveKey.", "InvalidAccessError");
  const bits = alg.name === "PBKDF2"
    ? native.cryptoPbkdf2(hashName(alg), data.bytes, bytesOf(alg.salt, "salt"), alg.iterations, length)
    : native.cryptoHkdf(hashName(alg), data.bytes, bytesOf(alg.salt, "salt"), bytesOf(alg.info, "info"), length);
  return importKey("raw", bits, target, extractable, usages);
}

class SubtleCrypto {
  constructor() { throw new TypeError("Illegal constructor"); }
}
const subtleMethods = {
  digest, importKey, exportKey, generateKey, sign, verify, deriveBits, deriveKey,
  encrypt: async (algorithm, key, data) => aesCall(true, algorithm, key, data),
  decrypt: async (algorithm, key, data) => aesCall(false, algorithm, key, data),
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

internal.define("Crypto", Crypto);
internal.define("CryptoKey", CryptoKey);
internal.define("SubtleCrypto", SubtleCrypto);
internal.define("crypto", Object.create(Crypto.prototype));
