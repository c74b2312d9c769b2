// Web Crypto's asymmetric algorithms: ECDSA (P-256, P-384, P-521), Ed25519 (and NODE-ED25519),
// RSASSA-PKCS1-v1_5 and RSA-PSS. Known signatures from fixed keys (keys.js, made with Node.js),
// deterministic signatures compared byte for byte (Ed25519, PKCS #1 v1.5), randomized ones
// (ECDSA, RSA-PSS) checked by verifying them, every import/export format round-tripped, and
// the errors of misuse with their exact names and messages.
import F from "./keys.js";

const s = crypto.subtle;
const message = new TextEncoder().encode(F.message);
const unb64 = (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b)));
const flip = (bytes, i = 0) => { const b = new Uint8Array(bytes).slice(); b[i] ^= 1; return b; };
const P256 = { name: "ECDSA", namedCurve: "P-256" };
const P384 = { name: "ECDSA", namedCurve: "P-384" };
const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const PS256 = { name: "RSA-PSS", hash: "SHA-256" };
const publicJwk = ({ d, p, q, dp, dq, qi, ...rest }) => rest;

function describe(key) {
  const algorithm = { ...key.algorithm };
  if (algorithm.publicExponent) {
    algorithm.publicExponent = [Object.prototype.toString.call(algorithm.publicExponent), [...algorithm.publicExponent]];
  }
  return { type: key.type, extractable: key.extractable, algorithm, usages: key.usages };
}

async function outcome(f) {
  try { return await f(); } catch (e) { return `${e.name}: ${e.message}`; }
}

async function ecdsa() {
  const out = {};
  const pub = await s.importKey("spki", unb64(F.p256.spki), P256, true, ["verify"]);
  const priv = await s.importKey("pkcs8", unb64(F.p256.pkcs8), P256, true, ["sign"]);
  out.keys = [describe(pub), describe(priv)];
  out.json = JSON.parse(JSON.stringify(pub));
  const sig = unb64(F.sig.es256);
  out.verifyKnown = await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig, message);
  out.verifyHashObject = await s.verify({ name: "ecdsa", hash: { name: "sha-256" } }, pub, sig, message);
  out.verifySha512 = await s.verify({ name: "ECDSA", hash: "SHA-512" }, pub, unb64(F.sig.es256sha512), message);
  out.verifyTampered = await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, flip(sig, 40), message);
  out.verifyOtherMessage = await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig, flip(message));
  out.verifyWrongHash = await s.verify({ name: "ECDSA", hash: "SHA-384" }, pub, sig, message);
  out.verifyShort = await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, sig.slice(1), message);
  out.verifyZeros = await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, new Uint8Array(64), message);
  const mine = await s.sign({ name: "ECDSA", hash: "SHA-256" }, priv, message);
  out.signed = [mine.byteLength, await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub, mine, message)];
  out.exports = {
    raw: b64(await s.exportKey("raw", pub)),
    spki: b64(await s.exportKey("spki", pub)) === F.p256.spki,
    pkcs8: b64(await s.exportKey("pkcs8", priv)) === F.p256.pkcs8,
    jwkPublic: await s.exportKey("jwk", pub),
    jwkPrivate: await s.exportKey("jwk", priv),
  };
  // Raw points, compressed ones too; JWK in and out.
  const raw = unb64(out.exports.raw);
  const fromRaw = await s.importKey("raw", raw, P256, true, ["verify"]);
  const compressed = new Uint8Array(33);
  compressed[0] = 2 + (raw[64] & 1);
  compressed.set(raw.subarray(1, 33), 1);
  const fromCompressed = await s.importKey("raw", compressed, { name: "ECDSA", namedCurve: "p-256" }, true, ["verify"]);
  const fromJwk = await s.importKey("jwk", F.p256.jwk, P256, true, ["sign"]);
  const fromPublicJwk = await s.importKey("jwk", { ...publicJwk(F.p256.jwk), alg: "ES256", key_ops: ["verify"] }, P256, false, ["verify"]);
  out.roundTrips = {
    raw: await s.verify({ name: "ECDSA", hash: "SHA-256" }, fromRaw, sig, message),
    compressed: [describe(fromCompressed), b64(await s.exportKey("raw", fromCompressed)) === out.exports.raw],
    jwkPrivate: b64(await s.exportKey("pkcs8", fromJwk)) === F.p256.pkcs8,
    jwkPublic: [describe(fromPublicJwk), await s.verify({ name: "ECDSA", hash: "SHA-256" }, fromPublicJwk, sig, message)],
  };
  // P-384.
  const pub384 = await s.importKey("spki", unb64(F.p384.spki), P384, false, ["verify"]);
  const priv384 = await s.importKey("jwk", F.p384.jwk, P384, true, ["sign"]);
  const sig384 = await s.sign({ name: "ECDSA", hash: "SHA-256" }, priv384, message);
  out.p384 = {
    verifyKnown: await s.verify({ name: "ECDSA", hash: "SHA-384" }, pub384, unb64(F.sig.es384), message),
    signed: [sig384.byteLength, await s.verify({ name: "ECDSA", hash: "SHA-256" }, pub384, sig384, message)],
    pkcs8: b64(await s.exportKey("pkcs8", priv384)) === F.p384.pkcs8,
    jwk: await s.exportKey("jwk", priv384),
  };
  // Generated pairs on each curve.
  out.generated = {};
  for (const namedCurve of ["P-256", "P-384", "P-521"]) {
    const pair = await s.generateKey({ name: "ECDSA", namedCurve }, false, ["verify", "sign", "sign"]);
    const signature = await s.sign({ name: "ECDSA", hash: "SHA-384" }, pair.privateKey, message);
    const jwk = await s.exportKey("jwk", pair.publicKey);
    out.generated[namedCurve] = {
      keys: Object.keys(pair), publicKey: describe(pair.publicKey), privateKey: describe(pair.privateKey),
      signatureBytes: signature.byteLength,
      verified: await s.verify({ name: "ECDSA", hash: "SHA-384" }, pair.publicKey, signature, message),
      rawBytes: (await s.exportKey("raw", pair.publicKey)).byteLength,
      jwk: [Object.keys(jwk), jwk.crv, unb64(jwk.x.replace(/-/g, "+").replace(/_/g, "/")).length],
    };
  }
  return out;
}

async function ed25519() {
  const out = {};
  const pub = await s.importKey("spki", unb64(F.ed25519.spki), "Ed25519", true, ["verify"]);
  const priv = await s.importKey("pkcs8", unb64(F.ed25519.pkcs8), { name: "ed25519" }, true, ["sign"]);
  out.keys = [describe(pub), describe(priv)];
  const sig = await s.sign("Ed25519", priv, message);
  out.sign = b64(sig);
  out.signMatchesNode = out.sign === F.sig.ed25519;
  out.verify = await s.verify({ name: "Ed25519" }, pub, sig, message);
  out.verifyTampered = await s.verify("Ed25519", pub, flip(sig, 10), message);
  out.verifyOtherMessage = await s.verify("Ed25519", pub, sig, flip(message, 3));
  out.exports = {
    raw: b64(await s.exportKey("raw", pub)),
    spki: b64(await s.exportKey("spki", pub)) === F.ed25519.spki,
    pkcs8: b64(await s.exportKey("pkcs8", priv)) === F.ed25519.pkcs8,
    jwkPublic: await s.exportKey("jwk", pub),
    jwkPrivate: await s.exportKey("jwk", priv),
  };
  const fromRaw = await s.importKey("raw", unb64(out.exports.raw), "Ed25519", false, ["verify"]);
  const fromJwk = await s.importKey("jwk", { ...F.ed25519.jwk, alg: "EdDSA" }, "Ed25519", false, ["sign"]);
  const fromPublicJwk = await s.importKey("jwk", publicJwk(F.ed25519.jwk), "Ed25519", true, []);
  out.roundTrips = {
    raw: await s.verify("Ed25519", fromRaw, sig, message),
    jwk: b64(await s.sign("Ed25519", fromJwk, message)) === F.sig.ed25519,
    publicJwkWithoutUsages: describe(fromPublicJwk),
  };
  const pair = await s.generateKey("Ed25519", true, ["sign", "verify"]);
  const mine = await s.sign("Ed25519", pair.privateKey, message);
  const jwk = await s.exportKey("jwk", pair.privateKey);
  out.generated = {
    publicKey: describe(pair.publicKey), privateKey: describe(pair.privateKey),
    signatureBytes: mine.byteLength,
    verified: await s.verify("Ed25519", pair.publicKey, mine, message),
    jwk: Object.keys(jwk),
    pkcs8Bytes: (await s.exportKey("pkcs8", pair.privateKey)).byteLength,
  };
  // workerd's legacy name: the algorithm carries a namedCurve, the JWK no "alg".
  const NODE = { name: "NODE-ED25519", namedCurve: "NODE-ED25519" };
  const nodePub = await s.importKey("spki", unb64(F.ed25519.spki), NODE, true, ["verify"]);
  const nodePriv = await s.importKey("pkcs8", unb64(F.ed25519.pkcs8), NODE, false, ["sign"]);
  const nodeSig = await s.sign(NODE, nodePriv, message);
  const nodePair = await s.generateKey(NODE, true, ["sign", "verify"]);
  out.node = {
    keys: [describe(nodePub), describe(nodePair.privateKey)],
    sign: b64(nodeSig) === F.sig.ed25519,
    verify: await s.verify("NODE-ED25519", nodePub, nodeSig, message),
    jwk: await s.exportKey("jwk", nodePub),
    crossAlgorithm: await outcome(() => s.verify("Ed25519", nodePub, nodeSig, message)),
  };
  return out;
}

async function rsa() {
  const out = {};
  const pub = await s.importKey("spki", unb64(F.rsa.spki), RS256, true, ["verify"]);
  const priv = await s.importKey("pkcs8", unb64(F.rsa.pkcs8), { name: "rsassa-pkcs1-v1_5", hash: { name: "sha-256" } }, true, ["sign"]);
  out.keys = [describe(pub), describe(priv)];
  const sig = await s.sign("RSASSA-PKCS1-v1_5", priv, message);
  out.pkcs1 = {
    signMatchesNode: b64(sig) === F.sig.rs256,
    verify: await s.verify(RS256, pub, sig, message),
    // The hash is the key's; one given at call time is ignored.
    verifyCallTimeHash: await s.verify({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" }, pub, sig, message),
    verifyTampered: await s.verify(RS256, pub, flip(sig, 100), message),
    verifyShort: await s.verify(RS256, pub, sig.slice(0, 255), message),
    verifyEmpty: await s.verify(RS256, pub, new Uint8Array(0), message),
  };
  const pubSha1 = await s.importKey("spki", unb64(F.rsa.spki), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" }, false, ["verify"]);
  out.pkcs1.verifySha1 = await s.verify("RSASSA-PKCS1-v1_5", pubSha1, unb64(F.sig.rs1), message);

  const psPub = await s.importKey("spki", unb64(F.rsa.spki), PS256, false, ["verify"]);
  const psPriv = await s.importKey("jwk", F.rsa.jwk, PS256, false, ["sign"]);
  const psPub384 = await s.importKey("jwk", publicJwk(F.rsa.jwk), { name: "RSA-PSS", hash: "SHA-384" }, false, ["verify"]);
  const psSig = await s.sign({ name: "RSA-PSS", saltLength: 32 }, psPriv, message);
  out.pss = {
    verifyKnown: await s.verify({ name: "RSA-PSS", saltLength: 32 }, psPub, unb64(F.sig.ps256), message),
    verifyWrongSalt: await s.verify({ name: "RSA-PSS", saltLength: 20 }, psPub, unb64(F.sig.ps256), message),
    verifySalt0: await s.verify({ name: "RSA-PSS", saltLength: 0 }, psPub384, unb64(F.sig.ps384salt0), message),
    signed: [psSig.byteLength, await s.verify({ name: "RSA-PSS", saltLength: 32 }, psPub, psSig, message)],
    randomized: b64(psSig) !== b64(await s.sign({ name: "RSA-PSS", saltLength: 32 }, psPriv, message)),
    maximumSalt: await s.verify({ name: "RSA-PSS", saltLength: 222 }, psPub,
                                await s.sign({ name: "RSA-PSS", saltLength: 222 }, psPriv, message), message),
  };
  const jwkPrivate = await s.exportKey("jwk", priv);
  out.exports = {
    spki: b64(await s.exportKey("spki", pub)) === F.rsa.spki,
    pkcs8: b64(await s.exportKey("pkcs8", priv)) === F.rsa.pkcs8,
    jwkPublic: await s.exportKey("jwk", pub),
    jwkPrivateKeys: Object.keys(jwkPrivate),
    jwkPrivateMatchesNode: ["n", "e", "d", "p", "q", "dp", "dq", "qi"].every((f) => jwkPrivate[f] === F.rsa.jwk[f]),
    jwkAlgs: [],
  };
  for (const name of ["RSASSA-PKCS1-v1_5", "RSA-PSS"]) {
    for (const hash of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
      const key = await s.importKey("spki", unb64(F.rsa.spki), { name, hash }, true, ["verify"]);
      out.exports.jwkAlgs.push((await s.exportKey("jwk", key)).alg);
    }
  }
  const { p, q, dp, dq, qi, ...withoutCrt } = F.rsa.jwk;
  const fromJwk = await s.importKey("jwk", { ...withoutCrt, alg: "RS256" }, RS256, false, ["sign"]);
  out.jwkWithoutCrt = b64(await s.sign("RSASSA-PKCS1-v1_5", fromJwk, message)) === F.sig.rs256;
  const exponent3 = await s.importKey("jwk", { ...publicJwk(F.rsa.jwk), e: "Aw" }, RS256, false, []);
  out.exponent3 = describe(exponent3);

  const pair = await s.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"]);
  const generated = await s.sign("RSASSA-PKCS1-v1_5", pair.privateKey, message);
  out.generated = {
    publicKey: describe(pair.publicKey), privateKey: describe(pair.privateKey),
    signatureBytes: generated.byteLength,
    verified: await s.verify("RSASSA-PKCS1-v1_5", pair.publicKey, generated, message),
    deterministic: b64(generated) === b64(await s.sign("RSASSA-PKCS1-v1_5", pair.privateKey, message)),
    jwk: Object.keys(await s.exportKey("jwk", pair.privateKey)),
  };
  const psPair = await s.generateKey({ name: "RSA-PSS", modulusLength: 1024, publicExponent: new Uint8Array([0, 1, 0, 1]), hash: "SHA-512" }, false, ["sign", "verify"]);
  const psGenerated = await s.sign({ name: "RSA-PSS", saltLength: 62 }, psPair.privateKey, message);
  out.generatedPss = {
    publicKey: describe(psPair.publicKey), privateKey: describe(psPair.privateKey),
    verified: await s.verify({ name: "RSA-PSS", saltLength: 62 }, psPair.publicKey, psGenerated, message),
  };
  return out;
}

async function errors() {
  const ecSpki = unb64(F.p256.spki);
  const ecPkcs8 = unb64(F.p256.pkcs8);
  const edSpki = unb64(F.ed25519.spki);
  const rsaSpki = unb64(F.rsa.spki);
  const ecPub = await s.importKey("spki", ecSpki, P256, false, ["verify"]);
  const ecPriv = await s.importKey("pkcs8", ecPkcs8, P256, false, ["sign"]);
  const edPub = await s.importKey("spki", edSpki, "Ed25519", true, ["verify"]);
  const edPriv = await s.importKey("pkcs8", unb64(F.ed25519.pkcs8), "Ed25519", true, ["sign"]);
  const rsaPub = await s.importKey("spki", rsaSpki, RS256, true, ["verify"]);
  const psPriv = await s.importKey("pkcs8", unb64(F.rsa.pkcs8), PS256, false, ["sign"]);
  const psPub = await s.importKey("spki", rsaSpki, PS256, false, ["verify"]);
  const I = (...args) => outcome(() => s.importKey(...args));
  const ecJwk = publicJwk(F.p256.jwk);
  const edJwk = publicJwk(F.ed25519.jwk);
  const rsaJwk = publicJwk(F.rsa.jwk);
  const rawPoint = new Uint8Array(await s.exportKey("raw", edPub));
  const offCurve = new Uint8Array(65);
  offCurve[0] = 4;
  offCurve[64] = 1;
  const rsaGen = (alg, usages = ["sign"]) => outcome(() => s.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256", ...alg }, true, usages));
  return {
    importKey: {
      unknownAlgorithm: await I("spki", ecSpki, "ECDH-ish", true, ["verify"]),
      unknownFormat: await I("pem", ecSpki, P256, true, ["verify"]),
      jwkForSpki: await I("spki", F.p256.jwk, P256, true, ["verify"]),
      bufferForJwk: await I("jwk", ecSpki, P256, true, ["verify"]),
      notKeyData: await I("spki", "MFkw", P256, true, ["verify"]),
      usagesNotArray: await I("spki", ecSpki, P256, true, "verify"),
      missingCurve: await I("spki", ecSpki, "ECDSA", true, ["verify"]),
      unknownCurve: await I("spki", ecSpki, { name: "ECDSA", namedCurve: "P-999" }, true, ["verify"]),
      curveMismatch: await I("spki", ecSpki, P384, true, ["verify"]),
      notAnEcKey: await I("spki", edSpki, P256, true, ["verify"]),
      notAnRsaKey: await I("spki", ecSpki, RS256, true, ["verify"]),
      missingHash: await I("spki", rsaSpki, "RSA-PSS", true, ["verify"]),
      unknownHash: await I("spki", rsaSpki, { name: "RSA-PSS", hash: "SHA-3" }, true, ["verify"]),
      badSpki: await I("spki", new Uint8Array([1, 2, 3]), P256, true, ["verify"]),
      trailingSpki: await I("spki", new Uint8Array([...ecSpki, 0, 0]), P256, true, ["verify"]),
      spkiAsPkcs8: await I("pkcs8", ecSpki, P256, true, ["sign"]),
      trailingPkcs8: await I("pkcs8", new Uint8Array([...ecPkcs8, 0]), P256, true, ["sign"]),
      publicWithSign: await I("spki", ecSpki, P256, true, ["sign"]),
      privateWithVerify: await I("pkcs8", ecPkcs8, P256, true, ["sign", "verify"]),
      unknownUsage: await I("spki", edSpki, "Ed25519", true, ["verify", "bogus"]),
      privateWithoutUsages: await I("pkcs8", ecPkcs8, P256, true, []),
      rsaDecrypt: await I("spki", rsaSpki, RS256, true, ["encrypt"]),
      rawRsa: await I("raw", rsaSpki, RS256, true, ["verify"]),
      rawPrivateUsage: await I("raw", rawPoint, "Ed25519", true, ["sign"]),
      rawEdLength: await I("raw", rawPoint.slice(1), "Ed25519", true, ["verify"]),
      rawEcEncoding: await I("raw", rawPoint, P256, true, ["verify"]),
      rawEcOffCurve: await I("raw", offCurve, P256, true, ["verify"]),
    },
    jwk: {
      extFalse: await I("jwk", { ...ecJwk, ext: false }, P256, true, ["verify"]),
      kty: await I("jwk", { ...ecJwk, kty: "RSA" }, P256, true, ["verify"]),
      missingKty: await I("jwk", { ...ecJwk, kty: undefined }, P256, true, ["verify"]),
      missingX: await I("jwk", { ...ecJwk, x: undefined }, P256, true, ["verify"]),
      badY: await I("jwk", { ...ecJwk, y: "*" }, P256, true, ["verify"]),
      offCurve: await I("jwk", { ...ecJwk, y: ecJwk.x }, P256, true, ["verify"]),
      outsideField: await I("jwk", publicJwk(F.p384.jwk), P256, true, ["verify"]),
      zeroD: await I("jwk", { ...F.p256.jwk, d: "AAAA" }, P256, true, ["sign"]),
      wrongD: await I("jwk", { ...F.p256.jwk, d: F.p384.jwk.d.slice(0, 43) }, P256, true, ["sign"]),
      algCurve: await I("jwk", { ...ecJwk, alg: "ES384" }, P256, true, ["verify"]),
      algUnknown: await I("jwk", { ...ecJwk, alg: "HS256" }, P256, true, ["verify"]),
      publicWithSign: await I("jwk", ecJwk, P256, true, ["sign"]),
      keyOpsNotArray: await I("jwk", { ...ecJwk, key_ops: "verify" }, P256, true, ["verify"]),
      keyOpsMissingUsage: await I("jwk", { ...ecJwk, key_ops: ["sign"] }, P256, true, ["verify"]),
      keyOpsDuplicate: await I("jwk", { ...ecJwk, key_ops: ["verify", "verify"] }, P256, true, ["verify"]),
      useEnc: await I("jwk", { ...ecJwk, use: "enc" }, P256, true, ["verify"]),
      useAndKeyOps: await I("jwk", { ...ecJwk, use: "sig", key_ops: ["verify", "encrypt"] }, P256, true, ["verify"]),
      edKty: await I("jwk", { ...edJwk, kty: "EC" }, "Ed25519", true, ["verify"]),
      edMissingCrv: await I("jwk", { ...edJwk, crv: undefined }, "Ed25519", true, ["verify"]),
      edCrv: await I("jwk", { ...edJwk, crv: "X25519" }, "Ed25519", true, ["verify"]),
      edAlg: await I("jwk", { ...edJwk, alg: "ES256" }, "Ed25519", true, ["verify"]),
      edMissingX: await I("jwk", { ...edJwk, x: undefined }, "Ed25519", true, ["verify"]),
      edShortX: await I("jwk", { ...edJwk, x: "AAAA" }, "Ed25519", true, ["verify"]),
      edShortD: await I("jwk", { ...F.ed25519.jwk, d: "AAAA" }, "Ed25519", true, ["sign"]),
      rsaKty: await I("jwk", { ...rsaJwk, kty: "EC" }, PS256, true, ["verify"]),
      rsaAlgHash: await I("jwk", { ...rsaJwk, alg: "RS384" }, RS256, true, ["verify"]),
      rsaAlgVariant: await I("jwk", { ...rsaJwk, alg: "PS1" }, PS256, true, ["verify"]),
      rsaAlgUnknown: await I("jwk", { ...rsaJwk, alg: "RS999" }, RS256, true, ["verify"]),
      rsaLowerCaseName: await I("jwk", { ...rsaJwk, alg: "RS256" }, { name: "rsassa-pkcs1-v1_5", hash: "SHA-256" }, true, ["verify"]),
      rsaMissingN: await I("jwk", { ...rsaJwk, n: undefined }, RS256, true, ["verify"]),
      rsaMissingE: await I("jwk", { ...rsaJwk, e: undefined }, RS256, true, ["verify"]),
      rsaPartialCrt: await I("jwk", { ...F.rsa.jwk, qi: undefined }, RS256, true, ["sign"]),
      rsaMultiPrime: await I("jwk", { ...F.rsa.jwk, oth: [] }, RS256, true, ["sign"]),
      rsaExponent: await I("jwk", { ...rsaJwk, e: "BQ" }, RS256, true, ["verify"]),
      rsaModulus: await I("jwk", { ...rsaJwk, n: "AQAB" }, RS256, true, ["verify"]),
    },
    exportKey: {
      notExtractable: await outcome(() => s.exportKey("spki", ecPub)),
      notAKey: await outcome(() => s.exportKey("spki", {})),
      pkcs8OfPublic: await outcome(() => s.exportKey("pkcs8", edPub)),
      spkiOfPrivate: await outcome(() => s.exportKey("spki", edPriv)),
      rawOfPrivateEd: await outcome(() => s.exportKey("raw", edPriv)),
      rawOfRsa: await outcome(() => s.exportKey("raw", rsaPub)),
      unknownFormat: await outcome(() => s.exportKey("pem", edPub)),
    },
    generateKey: {
      unknownAlgorithm: await outcome(() => s.generateKey("ECDH-ish", true, ["sign"])),
      badUsage: await outcome(() => s.generateKey(P256, true, ["encrypt"])),
      usageBeforeCurve: await outcome(() => s.generateKey({ name: "ECDSA" }, true, ["deriveBits"])),
      missingCurve: await outcome(() => s.generateKey({ name: "ECDSA" }, true, ["sign"])),
      unknownCurve: await outcome(() => s.generateKey({ name: "ECDSA", namedCurve: "secp256k1" }, true, ["sign"])),
      noPrivateUsage: await outcome(() => s.generateKey("Ed25519", true, ["verify"])),
      noUsages: await outcome(() => s.generateKey(P256, true, [])),
      nodeCurve: await outcome(() => s.generateKey({ name: "NODE-ED25519", namedCurve: "Ed25519" }, true, ["sign"])),
      rsaMissingExponent: await rsaGen({ publicExponent: undefined }),
      rsaExponentType: await rsaGen({ publicExponent: [1, 0, 1] }),
      rsaMissingHash: await rsaGen({ hash: undefined }),
      rsaMissingModulus: await rsaGen({ modulusLength: undefined }),
      rsaZeroModulus: await rsaGen({ modulusLength: 0, hash: "SHA-3" }),
      rsaUnknownHash: await rsaGen({ hash: "SHA-3" }, ["encrypt"]),
      rsaBadUsage: await rsaGen({ publicExponent: new Uint8Array([5]) }, ["encrypt"]),
      rsaSmallModulus: await rsaGen({ modulusLength: 128 }),
      rsaExponent: await rsaGen({ publicExponent: new Uint8Array([5]) }),
      rsaHugeExponent: await rsaGen({ publicExponent: new Uint8Array([1, 0, 0, 0, 1]) }),
      rsaModulusMultiple: await rsaGen({ modulusLength: 1000 }),
    },
    signVerify: {
      notAKey: await outcome(() => s.sign("Ed25519", {}, message)),
      notData: await outcome(() => s.sign("Ed25519", edPriv, "text")),
      notSignature: await outcome(() => s.verify("Ed25519", edPub, "text", message)),
      otherAlgorithm: await outcome(() => s.sign({ name: "ECDSA", hash: "SHA-256" }, edPriv, message)),
      unknownAlgorithm: await outcome(() => s.sign("HMAC", ecPriv, message)),
      signWithPublic: await outcome(() => s.sign({ name: "ECDSA", hash: "SHA-256" }, ecPub, message)),
      verifyWithPrivate: await outcome(() => s.verify({ name: "ECDSA", hash: "SHA-256" }, ecPriv, new Uint8Array(64), message)),
      ecdsaWithoutHash: await outcome(() => s.sign("ECDSA", ecPriv, message)),
      ecdsaUnknownHash: await outcome(() => s.sign({ name: "ECDSA", hash: "SHA-3" }, ecPriv, message)),
      edSignatureLength: await outcome(() => s.verify("Ed25519", edPub, new Uint8Array(63), message)),
      pssSignWithoutSalt: await outcome(() => s.sign("RSA-PSS", psPriv, message)),
      pssVerifyWithoutSalt: await outcome(() => s.verify("RSA-PSS", psPub, new Uint8Array(256), message)),
      pssNegativeSalt: await outcome(() => s.sign({ name: "RSA-PSS", saltLength: -1 }, psPriv, message)),
      pssSaltTooLong: await outcome(() => s.sign({ name: "RSA-PSS", saltLength: 223 }, psPriv, message)),
      pssSaltAsString: await outcome(async () => (await s.sign({ name: "RSA-PSS", saltLength: "32" }, psPriv, message)).byteLength),
      encryptWithSigningKey: await outcome(() => s.encrypt({ name: "Ed25519" }, edPub, message)),
      deriveWithSigningKey: await outcome(() => s.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(1), info: new Uint8Array(1) }, edPriv, 128)),
    },
  };
}

const ROUTES = { "/ecdsa": ecdsa, "/ed25519": ed25519, "/rsa": rsa, "/errors": errors };

export default {
  async fetch(request) {
    const route = ROUTES[new URL(request.url).pathname];
    if (!route) return new Response("not found", { status: 404 });
    return Response.json(await route());
  },
};
