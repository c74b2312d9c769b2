// Web Crypto's asymmetric signature algorithms: ECDSA (P-256, P-384, P-521), Ed25519 (and
// workerd's legacy NODE-ED25519), RSASSA-PKCS1-v1_5 and RSA-PSS - importKey in raw (EC and
// Ed25519 public keys), spki, pkcs8 and jwk; exportKey; generateKey; sign and verify. The checks
// and their order, and the messages, are workerd's. Key material stays in C++
// (internal.native.cryptoKeyFrom* make an AsymmetricKey handle, runtime/api/crypto-key.h).
//
// Loaded by crypto.js on the first use of one of these algorithms; sets
//   internal.webCrypto.asymmetric = { algorithms: { <name>: { importKey, generateKey, sign,
//                                                             verify } }, exportKey }
// A key's state (crypto.js keeps it beside the CryptoKey) has, besides name, type, extractable
// and usages: handle, and hash (RSA) or curve (ECDSA).
"use strict";
const native = internal.native;
const {
  domError, makeKey, validateUsages, lookupDigest, hashName, toInteger, asciiUpper, bufferMember,
  b64url, toBuffer, HASH_BYTES, PUBLIC_USAGES, PRIVATE_USAGES,
} = internal.webCrypto;

const SIGNATURE_USAGES = ["sign", "verify"];
const only = (allowed, mask) => allowed.filter((u) => mask.includes(u));

// --- Import -------------------------------------------------------------------------------

// A key from spki, pkcs8 or jwk (`readJwk` makes the handle from a JWK): { handle, type, usages }.
// The usage checks come before reading a JWK and after parsing DER, as on workerd.
function importAsymmetric(format, data, name, extractable, usages, readJwk, allowed) {
  if (format === "jwk") {
    const jwk = data;
    let type;
    let keyUsages;
    if (jwk.d !== undefined) {
      type = "private";
      keyUsages = validateUsages(name, "import private", usages, only(allowed, PRIVATE_USAGES));
      if (jwk.oth !== undefined) throw domError("Multi-prime private keys not supported.", "NotSupportedError");
    } else {
      type = "public";
      keyUsages = validateUsages(name, "import public", usages, only(allowed, PUBLIC_USAGES));
    }
    checkJwkUse(jwk, name, usages);
    if (jwk.ext !== undefined && extractable && !jwk.ext) {
      throw domError("Cannot create an extractable CryptoKey from an unextractable JSON Web Key.", "DataError");
    }
    return { handle: readJwk(jwk), type, usages: keyUsages };
  }
  if (format === "spki" || format === "pkcs8") {
    const handle = native.cryptoKeyFromDer(format, data);
    const type = format === "spki" ? "public" : "private";
    const keyUsages = validateUsages(name, `import ${type}`, usages,
                                     only(allowed, type === "public" ? PUBLIC_USAGES : PRIVATE_USAGES));
    return { handle, type, usages: keyUsages };
  }
  throw domError(`Unrecognized key import format "${format}".`, "NotSupportedError");
}

// A JWK's "use" and "key_ops" against the requested usages (RFC 7517 4.2, 4.3).
function checkJwkUse(jwk, name, usages) {
  const [expectedUse, op0, op1] = ["sig", "sign", "verify"];
  if (usages.length > 0 && jwk.use !== undefined && jwk.use !== expectedUse) {
    throw domError("Asymmetric \"jwk\" key import with usages requires a JSON Web Key with " +
                   `Public Key Use parameter "use" ("${jwk.use}") equal to "sig".`, "DataError");
  }
  if (jwk.key_ops === undefined) return;
  const ops = [...jwk.key_ops].sort();
  if (ops.some((op, i) => i > 0 && ops[i - 1] === op)) {
    throw domError("A JSON Web Key's Key Operations parameter (\"key_ops\") must not contain duplicates.", "DataError");
  }
  if (jwk.use !== undefined) {
    if (jwk.use !== expectedUse) {
      throw domError("Asymmetric \"jwk\" import requires a JSON Web Key with Public Key Use " +
                     `"use" ("${jwk.use}") equal to "${expectedUse}".`, "DataError");
    }
    for (const op of ops) {
      if (op !== op0 && op !== op1) {
        throw domError("A JSON Web Key should have either a Public Key Use parameter (\"use\") or " +
                       "a Key Operations parameter (\"key_ops\"); otherwise, the parameters must be " +
                       `consistent with each other. A Public Key Use for ${name} would allow a Key ` +
                       `Operations array with only "${op0}" and/or "${op1}" values (not "${op}").`, "DataError");
      }
    }
  }
  // As workerd checks it: the first usage, and the one after its last repetition.
  if (usages.length > 0) {
    const second = usages.lastIndexOf(usages[0]) + 1;
    if (!ops.includes(usages[0]) || (second < usages.length && !ops.includes(usages[second]))) {
      throw domError("All specified key usages must be present in the JSON Web Key's Key " +
                     "Operations parameter (\"key_ops\").", "DataError");
    }
  }
}

// A raw public key (EC point or Ed25519 bytes): usages are checked before the bytes.
function importRaw(data, kind, curve, name, usages) {
  const keyUsages = validateUsages(name, "import public", usages, ["verify"]);
  if (kind === "Ed25519" && data.length !== 32) {
    throw domError(`Ed25519 raw keys must be exactly 32-bytes (provided ${data.length}).`, "DataError");
  }
  return { handle: native.cryptoKeyFromRaw(kind, curve, data), type: "public", usages: keyUsages };
}

function newKey(imported, name, algorithm, extractable, extra = {}) {
  return makeKey({ name, type: imported.type, extractable, usages: imported.usages,
                   handle: imported.handle, ...extra }, algorithm);
}

// --- ECDSA --------------------------------------------------------------------------------

const CURVES = ["P-256", "P-384", "P-521"];
const ES_ALGS = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };

function namedCurveOf(alg) {
  if (alg.namedCurve === undefined) throw new TypeError("Missing field \"namedCurve\" in \"algorithm\".");
  return String(alg.namedCurve);
}

function lookupCurve(namedCurve) {
  const curve = CURVES.find((c) => asciiUpper(c) === asciiUpper(namedCurve));
  if (curve === undefined) {
    throw domError(`Unrecognized or unimplemented EC curve "${namedCurve}" requested.`, "NotSupportedError");
  }
  return curve;
}

function ecJwk(curve, jwk) {
  if (jwk.kty !== "EC") {
    throw domError("Elliptic curve \"jwk\" key import requires a JSON Web Key with Key Type " +
                   `parameter "kty" ("${jwk.kty}") equal to "EC".`, "DataError");
  }
  if (jwk.alg !== undefined) {
    if (!Object.hasOwn(ES_ALGS, jwk.alg)) {
      throw domError(`Unrecognized or unimplemented algorithm "${jwk.alg}" listed in JSON Web Key ` +
                     "Algorithm parameter.", "NotSupportedError");
    }
    if (ES_ALGS[jwk.alg] !== curve) {
      throw domError(`JSON Web Key Algorithm parameter "alg" ("${jwk.alg}") does not match requested curve.`, "DataError");
    }
  }
  const x = b64url.decode(jwk.x);
  if (x === null) throw domError("Invalid EC key in JSON Web Key; missing \"x\".", "DataError");
  const y = b64url.decode(jwk.y);
  if (y === null) throw domError("Invalid EC key in JSON Web Key; missing \"y\".", "DataError");
  const numbers = { x, y };
  if (jwk.d !== undefined) {
    numbers.d = b64url.decode(jwk.d);
    if (numbers.d === null) {
      throw domError("Invalid EC key in JSON Web Key; missing or invalid private key component (\"d\").", "DataError");
    }
  }
  return native.cryptoKeyFromJwk("EC", curve, numbers);
}

const ecdsa = {
  importKey(name, format, data, alg, extractable, usages) {
    const namedCurve = namedCurveOf(alg);
    const curve = lookupCurve(namedCurve);
    const imported = format === "raw"
      ? importRaw(data, "EC", curve, name, usages)
      : importAsymmetric(format, data, name, extractable, usages, (jwk) => ecJwk(curve, jwk), SIGNATURE_USAGES);
    if (imported.handle.getKind() !== "EC") throw domError("Input was not an EC key.", "DataError");
    if (imported.handle.getCurve() !== curve) {
      throw domError(`"algorithm.namedCurve" "${namedCurve}" does not match the curve specified by ` +
                     "the input key data.", "DataError");
    }
    return newKey(imported, name, { name, namedCurve: curve }, extractable, { curve });
  },
  generateKey(name, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "generate", usages, SIGNATURE_USAGES);
    const curve = lookupCurve(namedCurveOf(alg));
    return newPair(name, native.cryptoKeyGenerate("EC", curve, 0, new Uint8Array(0)),
                   () => ({ name, namedCurve: curve }), extractable, keyUsages, { curve });
  },
  sign(state, alg, data) {
    return toBuffer(state.handle.sign("ECDSA", callTimeHash(alg), data, 0));
  },
  verify(state, alg, signature, data) {
    return state.handle.verify("ECDSA", callTimeHash(alg), signature, data, 0);
  },
};

function callTimeHash(alg) {
  if (alg.hash === undefined) {
    throw new TypeError("Missing \"hash\" in AlgorithmIdentifier. (ECDSA requires that the hash " +
                        "algorithm be specified at call time rather than on the key. This differs " +
                        "from other WebCrypto algorithms for historical reasons.)");
  }
  return lookupDigest(hashName(alg.hash));
}

// Both keys of a generated pair: [publicHandle, privateHandle] from native.cryptoKeyGenerate.
function newPair(name, [publicHandle, privateHandle], algorithm, extractable, usages, extra = {}) {
  const publicKey = makeKey({ name, type: "public", extractable: true, handle: publicHandle,
                              usages: usages.filter((u) => PUBLIC_USAGES.includes(u)), ...extra }, algorithm());
  const privateKey = makeKey({ name, type: "private", extractable, handle: privateHandle,
                               usages: usages.filter((u) => PRIVATE_USAGES.includes(u)), ...extra }, algorithm());
  return { publicKey, privateKey };
}

// --- Ed25519 ------------------------------------------------------------------------------

// NODE-ED25519 (workerd's name from before the standard one) carries a namedCurve.
function checkNodeCurve(name, alg) {
  if (name !== "NODE-ED25519") return;
  const namedCurve = namedCurveOf(alg);
  if (namedCurve !== "NODE-ED25519") {
    throw domError(`EDDSA curve "${namedCurve}" isn't supported.`, "NotSupportedError");
  }
}

function edAlgorithm(name) {
  return name === "NODE-ED25519" ? { name, namedCurve: name } : { name };
}

function edJwk(jwk) {
  if (jwk.kty !== "OKP") {
    throw domError("Ed25519 \"jwk\" key imports requires a JSON Web Key with Key Type parameter " +
                   `"kty" ("${jwk.kty}") equal to "OKP".`, "DataError");
  }
  if (jwk.crv === undefined) throw domError("Missing field \"crv\" for Ed25519 key.", "DataError");
  if (jwk.crv !== "Ed25519") {
    throw domError(`Only Ed25519 is supported but "${jwk.crv}" was requested.`, "NotSupportedError");
  }
  if (jwk.alg !== undefined && jwk.alg !== "EdDSA") {
    throw domError(`JSON Web Key Algorithm parameter "alg" ("${jwk.alg}") does not match requested ` +
                   "Ed25519 curve.", "DataError");
  }
  const x = b64url.decode(jwk.x);
  if (x === null) {
    throw domError("Invalid Ed25519 key in JSON WebKey; missing or invalid public key component (\"x\").", "DataError");
  }
  if (x.length !== 32) throw domError(`Invalid length ${x.length} for public key`, "DataError");
  if (jwk.d === undefined) return native.cryptoKeyFromJwk("Ed25519", "", { x });
  // As on workerd, a private key is made from "d" alone.
  const d = b64url.decode(jwk.d);
  if (d === null) {
    throw domError("Invalid Ed25519 key in JSON Web Key; missing or invalid private key component (\"d\").", "DataError");
  }
  if (d.length !== 32) throw domError(`Invalid length ${d.length} for private key`, "DataError");
  return native.cryptoKeyFromJwk("Ed25519", "", { x, d });
}

const ed25519 = {
  importKey(name, format, data, alg, extractable, usages) {
    checkNodeCurve(name, alg);
    const imported = format === "raw"
      ? importRaw(data, "Ed25519", "", name, usages)
      : importAsymmetric(format, data, name, extractable, usages, edJwk, SIGNATURE_USAGES);
    // TODO(conformance): workerd takes any spki/pkcs8 key here and fails later; loaderd refuses it.
    if (imported.handle.getKind() !== "Ed25519") throw domError("Input was not an Ed25519 key.", "DataError");
    return newKey(imported, name, edAlgorithm(name), extractable);
  },
  generateKey(name, alg, extractable, usages) {
    const keyUsages = validateUsages(name, "generate", usages, SIGNATURE_USAGES);
    checkNodeCurve(name, alg);
    return newPair(name, native.cryptoKeyGenerate("Ed25519", "", 0, new Uint8Array(0)),
                   () => edAlgorithm(name), extractable, keyUsages);
  },
  sign(state, alg, data) {
    return toBuffer(state.handle.sign("Ed25519", "", data, 0));
  },
  verify(state, alg, signature, data) {
    if (signature.length !== 64) {
      throw domError(`Invalid ${state.name} signature length ${signature.length}`, "OperationError");
    }
    return state.handle.verify("Ed25519", "", signature, data, 0);
  },
};

// --- RSASSA-PKCS1-v1_5 and RSA-PSS --------------------------------------------------------

const JWK_RSA_ALGS = {
  "RSASSA-PKCS1-v1_5": { RS1: "SHA-1", RS256: "SHA-256", RS384: "SHA-384", RS512: "SHA-512" },
  "RSA-PSS": { PS1: "SHA-1", PS256: "SHA-256", PS384: "SHA-384", PS512: "SHA-512" },
};
const RSA_PARTS = [
  ["p", "First Prime Factor"], ["q", "Second Prime Factor"], ["dp", "First Factor CRT Exponent"],
  ["dq", "Second Factor CRT Exponent"], ["qi", "First CRT Coefficient"],
];

function rsaJwk(jwk, requestedName, hash) {
  if (jwk.kty !== "RSA") {
    throw domError("RSASSA-PKCS1-v1_5 \"jwk\" key import requires a JSON Web Key with Key Type " +
                   `parameter "kty" ("${jwk.kty}") equal to "RSA".`, "DataError");
  }
  if (jwk.alg !== undefined) {
    // workerd picks the table by the name as the caller spelled it.
    const table = JWK_RSA_ALGS[requestedName];
    if (table === undefined) throw domError(`Unrecognized RSA variant "${requestedName}".`, "NotSupportedError");
    if (!Object.hasOwn(table, jwk.alg)) {
      throw domError(`Unrecognized or unimplemented algorithm "${jwk.alg}" listed in JSON Web Key ` +
                     "Algorithm parameter.", "NotSupportedError");
    }
    if (table[jwk.alg] !== hash) {
      throw domError(`JSON Web Key Algorithm parameter "alg" ("${jwk.alg}") does not match requested ` +
                     `hash algorithm "${jwk.alg}".`, "DataError");
    }
  }
  const numbers = {};
  for (const [field, what] of [["n", "Modulus"], ["e", "Exponent"]]) {
    numbers[field] = b64url.decode(jwk[field]);
    if (numbers[field] === null) {
      throw domError(`Invalid RSA key in JSON Web Key; missing or invalid ${what} parameter ("${field}").`, "DataError");
    }
  }
  if (jwk.d !== undefined) {
    numbers.d = b64url.decode(jwk.d);
    if (numbers.d === null) {
      throw domError("Invalid RSA key in JSON Web Key; missing or invalid Private Exponent parameter (\"d\").", "DataError");
    }
    const present = RSA_PARTS.filter(([field]) => jwk[field] !== undefined).length;
    if (present === RSA_PARTS.length) {
      for (const [field, what] of RSA_PARTS) {
        numbers[field] = b64url.decode(jwk[field]);
        if (numbers[field] === null) {
          throw domError(`Invalid RSA key in JSON Web Key; invalid ${what} parameter ("${field}").`, "DataError");
        }
      }
    } else if (present !== 0) {
      throw domError("Invalid RSA private key in JSON Web Key; if one Prime Factor or CRT " +
                     "Exponent/Coefficient parameter is present, then they must all be present " +
                     "(\"p\", \"q\", \"dp\", \"dq\", \"qi\").", "DataError");
    }
  }
  return native.cryptoKeyFromJwk("RSA", "", numbers);
}

// Chromium's (and workerd's) limits on RSA keys. Imported keys may also use the exponents 17
// and 37. (workerd's strict_crypto_checks, on for the compatibility dates loaderd supports.)
function validateRsaParams(modulusLength, exponent, imported) {
  if (!(modulusLength % 8 === 0 && modulusLength >= 256 && modulusLength <= 16384)) {
    throw domError("The modulus length must be a multiple of 8 and between 256 and 16k, but " +
                   `${modulusLength} was requested.`, "OperationError");
  }
  let value = 0;
  for (let i = 0; i < exponent.length; i++) {
    if (exponent.length - i - 1 >= 4 && exponent[i] !== 0) {
      throw domError("The \"publicExponent\" must be either 3 or 65537, but got a number larger " +
                     "than 2^32.", "OperationError");
    }
    value = (value * 256 + exponent[i]) % 2 ** 32;
  }
  if (!imported && value !== 3 && value !== 65537) {
    throw domError(`The "publicExponent" must be either 3 or 65537, but got ${value}.`, "OperationError");
  }
  if (imported && ![3, 17, 37, 65537].includes(value)) {
    throw domError(`Imported RSA key has invalid publicExponent ${value}.`, "OperationError");
  }
}

function rsaAlgorithm(name, modulusLength, publicExponent, hash) {
  return { name, modulusLength, publicExponent: new Uint8Array(publicExponent), hash: { name: hash } };
}

function saltLengthOf(alg, missingType) {
  if (alg.saltLength === undefined) {
    const message = "Failed to provide salt for RSA-PSS key operation which requires a salt";
    throw missingType === "TypeError" ? new TypeError(message) : domError(message, "DataError");
  }
  const salt = toInteger(alg.saltLength);
  if (salt < 0) throw domError(`SaltLength for RSA-PSS must be non-negative (provided ${salt}).`, "DataError");
  return salt;
}

const rsa = {
  importKey(name, format, data, alg, extractable, usages) {
    if (alg.hash === undefined) throw new TypeError("Missing field \"hash\" in \"algorithm\".");
    const hash = lookupDigest(hashName(alg.hash));
    const imported = importAsymmetric(format, data, name, extractable, usages,
                                      (jwk) => rsaJwk(jwk, alg.name, hash), SIGNATURE_USAGES);
    if (imported.handle.getKind() !== "RSA") throw domError("Input was not an RSA key.", "DataError");
    const modulusLength = imported.handle.getModulusLength();
    const publicExponent = new Uint8Array(imported.handle.getPublicExponent());
    validateRsaParams(modulusLength, publicExponent, true);
    return newKey(imported, name, rsaAlgorithm(name, modulusLength, publicExponent, hash), extractable, { hash });
  },
  generateKey(name, alg, extractable, usages) {
    if (alg.publicExponent === undefined) throw new TypeError("Missing field \"publicExponent\" in \"algorithm\".");
    const publicExponent = bufferMember(alg.publicExponent, "publicExponent", "GenerateKeyAlgorithm").slice();
    if (alg.hash === undefined) throw new TypeError("Missing field \"hash\" in \"algorithm\".");
    if (alg.modulusLength === undefined) throw new TypeError("Missing field \"modulusLength\" in \"algorithm\".");
    const modulusLength = toInteger(alg.modulusLength);
    if (modulusLength <= 0) {
      throw domError(`modulusLength must be greater than zero (requested ${modulusLength}).`, "OperationError");
    }
    const hash = lookupDigest(hashName(alg.hash));
    const keyUsages = validateUsages(name, "generate", usages, SIGNATURE_USAGES);
    validateRsaParams(modulusLength, publicExponent, false);
    if (modulusLength % 128 !== 0) {
      throw domError("Can't generate key: RSA key size is required to be a multiple of 128", "OperationError");
    }
    return newPair(name, native.cryptoKeyGenerate("RSA", "", modulusLength, publicExponent),
                   () => rsaAlgorithm(name, modulusLength, publicExponent, hash), extractable, keyUsages, { hash });
  },
  sign(state, alg, data) {
    const hashBytes = HASH_BYTES[state.hash];
    const modulusBytes = state.handle.getModulusLength() / 8;
    let salt = 0;
    if (state.name === "RSASSA-PKCS1-v1_5") {
      // The digest, its DER prefix (up to 19 bytes) and 11 bytes of padding must fit.
      if (hashBytes + 32 > modulusBytes) {
        throw domError("key too small for signing with given digest, need at least " +
                       `${8 * (hashBytes + 32)}bits.`, "OperationError");
      }
    } else {
      salt = saltLengthOf(alg, "DataError");
      if (hashBytes + 2 > modulusBytes) throw domError("key too small for signing with given digest", "OperationError");
      if (salt > modulusBytes - hashBytes - 2) {
        throw domError("key too small for signing with given digest and salt length", "OperationError");
      }
    }
    return toBuffer(state.handle.sign(state.name, state.hash, data, salt));
  },
  verify(state, alg, signature, data) {
    const salt = state.name === "RSA-PSS" ? saltLengthOf(alg, "TypeError") : 0;
    return state.handle.verify(state.name, state.hash, signature, data, salt);
  },
};

// --- Export -------------------------------------------------------------------------------

function exportKey(format, state) {
  const { name, type, handle } = state;
  if (format === "pkcs8" || format === "spki") {
    const needed = format === "pkcs8" ? "private" : "public";
    if (type !== needed) {
      throw domError(`Asymmetric ${format} export requires ${needed} key (not "${type}").`, "InvalidAccessError");
    }
    return toBuffer(handle.exportKey(format));
  }
  if (format === "jwk") return exportJwk(state);
  if (format === "raw") {
    if (name === "ECDSA" || name === "Ed25519" || name === "NODE-ED25519") {
      if (type !== "public") {
        throw domError(name === "ECDSA"
          ? "Raw export of elliptic curve keys is only allowed for public keys."
          : `Raw export of ${name} keys is only allowed for public keys.`, "InvalidAccessError");
      }
      return toBuffer(handle.exportKey("raw"));
    }
  }
  throw domError(`Cannot export "${name}" in "${format}" format.`, "InvalidAccessError");
}

// The members in the order of workerd's JsonWebKey dictionary.
function exportJwk(state) {
  const { name, usages, handle } = state;
  const numbers = handle.exportJwk();
  const encode = (field) => (numbers[field] === null ? {} : { [field]: b64url.encode(new Uint8Array(numbers[field])) });
  const key_ops = [...usages];
  if (name === "ECDSA") {
    return { kty: "EC", key_ops, ext: true, crv: state.curve, ...encode("x"), ...encode("y"), ...encode("d") };
  }
  if (name === "Ed25519" || name === "NODE-ED25519") {
    const alg = name === "Ed25519" ? { alg: "EdDSA" } : {};
    return { kty: "OKP", key_ops, ...alg, ext: true, crv: "Ed25519", ...encode("x"), ...encode("d") };
  }
  if (!state.hash.startsWith("SHA")) {
    throw domError(`JWK export not supported for hash algorithm "${state.hash}".`, "NotSupportedError");
  }
  const alg = `${name === "RSA-PSS" ? "PS" : "RS"}${state.hash.slice(4)}`;
  return {
    kty: "RSA", key_ops, alg, ext: true, ...encode("d"), ...encode("n"), ...encode("e"),
    ...encode("p"), ...encode("q"), ...encode("dp"), ...encode("dq"), ...encode("qi"),
  };
}

internal.webCrypto.asymmetric = {
  algorithms: {
    "ECDSA": ecdsa, "Ed25519": ed25519, "NODE-ED25519": ed25519,
    "RSASSA-PKCS1-v1_5": rsa, "RSA-PSS": rsa,
  },
  exportKey,
};
