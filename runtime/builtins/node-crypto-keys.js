// node:crypto asymmetric keys and signatures (nodejs_compat), on the same key natives as Web
// Crypto (runtime/api/crypto-key.h): createPrivateKey/createPublicKey (PEM, DER or JWK; PKCS#8,
// SPKI and RSA's PKCS#1), KeyObject (type, asymmetricKeyType, asymmetricKeyDetails, export),
// sign/verify and createSign/createVerify for RSA (PKCS#1 v1.5 and PSS), ECDSA (DER or IEEE P1363
// signatures) and Ed25519, and generateKeyPairSync. Runs right after node.js (see ORDER), which
// leaves its helpers in internal.nodeCrypto; adds to internal.node.crypto.
"use strict";
const helpers = internal.nodeCrypto;
if (helpers === undefined) return;
const native = internal.native;
const { KeyObject, Buffer, dataBytes, output, hashName, nodeError, invalidArgType } = helpers;
const cryptoModule = internal.node.crypto;

// --- DER: just enough to wrap and unwrap RSA's PKCS#1 in PKCS#8/SPKI -----------------------------

function derLength(n) {
  if (n < 0x80) return [n];
  const bytes = [];
  for (; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
function tlv(tag, content) {
  return Uint8Array.from([tag, ...derLength(content.length), ...content]);
}
const concat = (...parts) => Uint8Array.from(parts.flatMap((p) => [...p]));
// AlgorithmIdentifier { rsaEncryption, NULL }
const RSA_ALGORITHM = Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
                                       0x01, 0x01, 0x01, 0x05, 0x00]);
const pkcs1PrivateToPkcs8 = (der) => tlv(0x30, concat([0x02, 0x01, 0x00], RSA_ALGORITHM, tlv(0x04, der)));
const pkcs1PublicToSpki = (der) => tlv(0x30, concat(RSA_ALGORITHM, tlv(0x03, concat([0], der))));

// -> [tag, contentStart, contentEnd] of the element at `at`.
function readTlv(der, at) {
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  return [tag, start, start + length];
}
// The PKCS#1 key inside an RSA PKCS#8 (OCTET STRING, third element) or SPKI (BIT STRING, second).
function unwrapRsa(der, isPrivate) {
  const [, seqStart] = readTlv(der, 0);
  let at = seqStart;
  for (let i = 0; i < (isPrivate ? 2 : 1); i++) at = readTlv(der, at)[2];
  const [, start, end] = readTlv(der, at);
  return der.slice(isPrivate ? start : start + 1, end);
}

// --- PEM -------------------------------------------------------------------------------------

function fromPem(text) {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (m === null) return undefined;
  return { label: m[1], der: Uint8Array.from(Buffer.from(m[2].replace(/\s+/g, ""), "base64")) };
}
function toPem(label, der) {
  const base64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

// --- KeyObject ---------------------------------------------------------------------------------

const KINDS = { RSA: "rsa", EC: "ec", Ed25519: "ed25519" };
const CURVE_NAMES = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1" };
const CURVE_SIZES = { "P-256": 32, "P-384": 48, "P-521": 66 };
const JWK_CURVES = { "P-256": "P-256", "P-384": "P-384", "P-521": "P-521" };
const keys = new WeakMap();  // AsymmetricKeyObject -> native AsymmetricKey

class AsymmetricKeyObject extends KeyObject {
  get type() { return keys.get(this).getType(); }
  get asymmetricKeyType() { return KINDS[keys.get(this).getKind()]; }
  get asymmetricKeyDetails() {
    const key = keys.get(this);
    switch (key.getKind()) {
      case "RSA": {
        let exponent = 0n;
        for (const b of new Uint8Array(key.getPublicExponent())) exponent = exponent * 256n + BigInt(b);
        return { modulusLength: key.getModulusLength(), publicExponent: exponent };
      }
      case "EC": return { namedCurve: CURVE_NAMES[key.getCurve()] };
      default: return {};
    }
  }
  export(options = {}) {
    const key = keys.get(this);
    const isPrivate = key.getType() === "private";
    const format = options.format ?? "pem";
    if (format === "jwk") return exportJwk(key);
    const type = options.type ?? (isPrivate ? "pkcs8" : "spki");
    let der, label;
    if (type === "pkcs8" && isPrivate) {
      der = new Uint8Array(key.exportKey("pkcs8")); label = "PRIVATE KEY";
    } else if (type === "spki" && !isPrivate) {
      der = new Uint8Array(key.exportKey("spki")); label = "PUBLIC KEY";
    } else if (type === "pkcs1" && key.getKind() === "RSA") {
      der = unwrapRsa(new Uint8Array(key.exportKey(isPrivate ? "pkcs8" : "spki")), isPrivate);
      label = isPrivate ? "RSA PRIVATE KEY" : "RSA PUBLIC KEY";
    } else {
      throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE",
                      `The property 'options.type' is invalid. Received '${type}'`);
    }
    if (format === "der") return Buffer.from(der);
    if (format === "pem") return toPem(label, der);
    throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE",
                    `The property 'options.format' is invalid. Received '${format}'`);
  }
  equals(other) {
    if (!(other instanceof AsymmetricKeyObject) || other.type !== this.type) return false;
    const format = this.type === "private" ? "pkcs8" : "spki";
    return Buffer.compare(Buffer.from(keys.get(this).exportKey(format)),
                          Buffer.from(keys.get(other).exportKey(format))) === 0;
  }
}

function wrap(nativeKey) {
  const object = Object.create(AsymmetricKeyObject.prototype);
  keys.set(object, nativeKey);
  return object;
}

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");
const fromBase64url = (text) => Uint8Array.from(Buffer.from(text, "base64url"));

function exportJwk(key) {
  const numbers = key.exportJwk();
  const jwk = {};
  const kind = key.getKind();
  if (kind === "RSA") jwk.kty = "RSA";
  else if (kind === "EC") { jwk.kty = "EC"; jwk.crv = JWK_CURVES[key.getCurve()]; }
  else { jwk.kty = "OKP"; jwk.crv = "Ed25519"; }
  for (const name of ["n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y"]) {
    if (numbers[name] !== null && numbers[name] !== undefined) jwk[name] = base64url(new Uint8Array(numbers[name]));
  }
  return jwk;
}

function importJwk(jwk, wantPrivate) {
  const numbers = {};
  for (const name of ["n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y"]) {
    if (typeof jwk[name] === "string") numbers[name] = fromBase64url(jwk[name]);
  }
  if (!wantPrivate) delete numbers.d;
  if (jwk.kty === "RSA") return native.cryptoKeyFromJwk("RSA", "", numbers);
  if (jwk.kty === "EC") return native.cryptoKeyFromJwk("EC", String(jwk.crv), numbers);
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return native.cryptoKeyFromJwk("Ed25519", "", numbers);
  throw nodeError(TypeError, "ERR_CRYPTO_INVALID_JWK", "Invalid JWK data");
}

// A key given as PEM, DER (with { format: "der", type }), JWK, or a KeyObject.
function parseKey(input, wantPrivate) {
  const failed = () => new Error(`Failed to parse ${wantPrivate ? "private" : "public"} key`);
  if (input instanceof AsymmetricKeyObject) return keys.get(input);
  let key = input, format = "pem", type;
  if (input !== null && typeof input === "object" && !ArrayBuffer.isView(input) &&
      !(input instanceof ArrayBuffer)) {
    ({ key, format = "pem", type } = input);
    if (key instanceof AsymmetricKeyObject) return keys.get(key);
    if (format === "jwk") return importJwk(key, wantPrivate);
  }
  if (typeof key !== "string" && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) {
    throw invalidArgType("key", "of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey", key);
  }
  try {
    if (format === "der") {
      const der = Uint8Array.from(dataBytes(key));
      if (type === "pkcs1") {
        return native.cryptoKeyFromDer(wantPrivate ? "pkcs8" : "spki",
                                       wantPrivate ? pkcs1PrivateToPkcs8(der) : pkcs1PublicToSpki(der));
      }
      return native.cryptoKeyFromDer(type === "spki" ? "spki" : "pkcs8", der);
    }
    const pem = fromPem(typeof key === "string" ? key : Buffer.from(dataBytes(key)).toString("latin1"));
    if (pem === undefined) throw failed();
    switch (pem.label) {
      case "PRIVATE KEY": return native.cryptoKeyFromDer("pkcs8", pem.der);
      case "RSA PRIVATE KEY": return native.cryptoKeyFromDer("pkcs8", pkcs1PrivateToPkcs8(pem.der));
      case "PUBLIC KEY": if (!wantPrivate) return native.cryptoKeyFromDer("spki", pem.der); break;
      case "RSA PUBLIC KEY": if (!wantPrivate) return native.cryptoKeyFromDer("spki", pkcs1PublicToSpki(pem.der)); break;
    }
  } catch (e) {
    if (e?.code !== undefined) throw e;
  }
  throw failed();
}

function createPrivateKey(key) {
  const parsed = parseKey(key, true);
  if (parsed.getType() !== "private") throw new Error("Failed to parse private key");
  return wrap(parsed);
}

function createPublicKey(key) {
  const parsed = parseKey(key, false);
  // A private key (or its PEM) gives its public half.
  return wrap(parsed.getType() === "public" ? parsed : native.cryptoKeyFromDer("spki", parsed.exportKey("spki")));
}

function generateKeyPairSync(type, options = {}) {
  let pair;
  if (type === "rsa" || type === "rsa-pss") {
    const exponent = options.publicExponent ?? 65537;
    const bytes = [];
    for (let e = exponent; e > 0; e = Math.floor(e / 256)) bytes.unshift(e % 256);
    pair = native.cryptoKeyGenerate("RSA", "", options.modulusLength, Uint8Array.from(bytes));
  } else if (type === "ec") {
    const curve = Object.keys(CURVE_NAMES).find((c) => c === options.namedCurve || CURVE_NAMES[c] === options.namedCurve);
    if (curve === undefined) throw nodeError(TypeError, "ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name");
    pair = native.cryptoKeyGenerate("EC", curve, 0, new Uint8Array(0));
  } else if (type === "ed25519") {
    pair = native.cryptoKeyGenerate("Ed25519", "", 0, new Uint8Array(0));
  } else {
    throw nodeError(TypeError, "ERR_INVALID_ARG_VALUE", `The argument 'type' must be a supported key type. Received '${type}'`);
  }
  const [publicKey, privateKey] = pair.map(wrap);
  const encode = (key, encoding) => (encoding === undefined ? key : key.export(encoding));
  return { publicKey: encode(publicKey, options.publicKeyEncoding),
           privateKey: encode(privateKey, options.privateKeyEncoding) };
}

// --- Signatures ---------------------------------------------------------------------------------

// ECDSA signatures: r||s (IEEE P1363, what the natives use) <-> DER SEQUENCE { INTEGER r, INTEGER s }.
function derInteger(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.slice(i);
  return tlv(0x02, trimmed[0] & 0x80 ? concat([0], trimmed) : trimmed);
}
function p1363ToDer(sig) {
  const half = sig.length / 2;
  return tlv(0x30, concat(derInteger(sig.slice(0, half)), derInteger(sig.slice(half))));
}
function derToP1363(der, size) {
  const out = new Uint8Array(size * 2);
  try {
    const [tag, start] = readTlv(der, 0);
    if (tag !== 0x30) return out;
    let at = start;
    for (let part = 0; part < 2; part++) {
      const [t, s, e] = readTlv(der, at);
      if (t !== 0x02) return new Uint8Array(size * 2);
      let value = der.slice(s, e);
      while (value.length > size && value[0] === 0) value = value.slice(1);
      if (value.length > size) return new Uint8Array(size * 2);
      out.set(value, part * size + size - value.length);
      at = e;
    }
  } catch {
    return new Uint8Array(size * 2);
  }
  return out;
}

const RSA_PKCS1_PSS_PADDING = 6;
function scheme(key, algorithm, options) {
  const kind = key.getKind();
  if (kind === "Ed25519") return { name: "Ed25519", hash: "", salt: 0 };
  const hash = hashName(algorithm ?? "sha256");
  if (kind === "RSA") {
    if (options?.padding === RSA_PKCS1_PSS_PADDING) {
      const salt = options.saltLength ?? -2;
      return { name: "RSA-PSS", hash, salt: salt < 0 ? native.cryptoDigest(hash, new Uint8Array(0)).byteLength : salt };
    }
    return { name: "RSASSA-PKCS1-v1_5", hash, salt: 0 };
  }
  if (kind === "EC") return { name: "ECDSA", hash, salt: 0, size: CURVE_SIZES[key.getCurve()] };
  throw new Error("Unsupported key type");
}

function signWith(algorithm, data, keyInput) {
  const key = parseKey(keyInput, true);
  if (key.getType() !== "private") {
    throw nodeError(Error, "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
                    `Invalid key object type ${key.getType()}, expected private.`);
  }
  const s = scheme(key, algorithm, keyInput);
  const sig = new Uint8Array(key.sign(s.name, s.hash, Uint8Array.from(data), s.salt));
  if (s.name === "ECDSA" && keyInput?.dsaEncoding !== "ieee-p1363") return p1363ToDer(sig);
  return sig;
}

function verifyWith(algorithm, data, keyInput, signature) {
  let key = parseKey(keyInput, false);
  if (key.getType() === "private") key = native.cryptoKeyFromDer("spki", key.exportKey("spki"));
  const s = scheme(key, algorithm, keyInput);
  let sig = Uint8Array.from(signature);
  if (s.name === "ECDSA" && keyInput?.dsaEncoding !== "ieee-p1363") sig = derToP1363(sig, s.size);
  return key.verify(s.name, s.hash, sig, Uint8Array.from(data), s.salt);
}

function sign(algorithm, data, key, callback) {
  const result = Buffer.from(signWith(algorithm, dataBytes(data), key));
  if (typeof callback === "function") { queueMicrotask(() => callback(null, result)); return undefined; }
  return result;
}

function verify(algorithm, data, key, signature, callback) {
  const result = verifyWith(algorithm, dataBytes(data), key, dataBytes(signature, undefined, "signature"));
  if (typeof callback === "function") { queueMicrotask(() => callback(null, result)); return undefined; }
  return result;
}

// Sign and Verify buffer their input (as Hash does) and work at sign()/verify().
const signatureInput = new WeakMap();  // Sign/Verify -> { algorithm, chunks }
class Signature {
  constructor(algorithm) {
    if (typeof algorithm !== "string" || !(algorithm.toLowerCase() in SIGN_DIGESTS)) {
      throw new Error(`Unknown digest: ${algorithm}`);
    }
    signatureInput.set(this, { algorithm: SIGN_DIGESTS[algorithm.toLowerCase()], chunks: [] });
  }
  update(data, encoding) {
    signatureInput.get(this).chunks.push(Uint8Array.from(dataBytes(data, encoding)));
    return this;
  }
}
const inputOf = (object) => {
  const { algorithm, chunks } = signatureInput.get(object);
  return [algorithm, Buffer.concat(chunks)];
};
class Sign extends Signature {
  sign(key, outputEncoding) {
    const [algorithm, data] = inputOf(this);
    return output(signWith(algorithm, data, key), outputEncoding);
  }
}
class Verify extends Signature {
  verify(key, signature, signatureEncoding) {
    const sig = typeof signature === "string" ? Buffer.from(signature, signatureEncoding) : dataBytes(signature);
    const [algorithm, data] = inputOf(this);
    return verifyWith(algorithm, data, key, sig);
  }
}
const SIGN_DIGESTS = {
  "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512",
  "rsa-sha1": "sha1", "rsa-sha256": "sha256", "rsa-sha384": "sha384", "rsa-sha512": "sha512",
  "sha-1": "sha1", "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512",
};

Object.assign(cryptoModule, {
  createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify,
  createSign: (algorithm) => new Sign(algorithm),
  createVerify: (algorithm) => new Verify(algorithm),
  Sign, Verify,
  generateKeyPair(type, options, callback) {
    let result;
    try { result = generateKeyPairSync(type, options); } catch (e) { queueMicrotask(() => callback(e)); return; }
    queueMicrotask(() => callback(null, result.publicKey, result.privateKey));
  },
});
Object.assign(cryptoModule.constants, { RSA_PKCS1_PADDING: 1, RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST: -1,
                                        RSA_PSS_SALTLEN_MAX_SIGN: -2, RSA_PSS_SALTLEN_AUTO: -2 });
