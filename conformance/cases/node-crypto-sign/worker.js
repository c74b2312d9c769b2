// node:crypto signatures and key objects, against fixed keys and signatures made by Node.js:
// createPrivateKey/createPublicKey from PEM (PKCS#8, PKCS#1, SPKI), KeyObject properties and
// export, crypto.sign/verify, createSign/createVerify, for RSA (PKCS#1 v1.5), ECDSA P-256 (DER
// signatures) and Ed25519, and the errors for bad input.
import crypto from "node:crypto";
import K from "./keys.js";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };
const data = Buffer.from("hello, signatures");

export default {
  async fetch() {
    const rsa = crypto.createPrivateKey(K.rsaPrivate);
    const rsa1 = crypto.createPrivateKey(K.rsaPrivatePkcs1);
    const rsaPub = crypto.createPublicKey(K.rsaPublic);
    const ec = crypto.createPrivateKey(K.ecPrivate);
    const ed = crypto.createPrivateKey(K.edPrivate);
    return Response.json({
      types: [rsa, rsaPub, ec, ed].map((k) => [k.type, k.asymmetricKeyType]),
      rsaDetails: [rsa.asymmetricKeyDetails?.modulusLength, String(rsa.asymmetricKeyDetails?.publicExponent)],
      ecDetails: ec.asymmetricKeyDetails,
      derivedPublic: crypto.createPublicKey(rsa).export({ type: "spki", format: "pem" }) === K.rsaPublic,
      pkcs1Same: rsa1.export({ type: "pkcs8", format: "pem" }) === K.rsaPrivate,
      edPublic: crypto.createPublicKey(K.edPrivate).export({ type: "spki", format: "pem" }) === K.edPublic,
      rsaSign: crypto.sign("sha256", data, K.rsaPrivate).toString("base64") === K.rsaSig,
      rsaSignObj: crypto.createSign("RSA-SHA256").update("hello, ").update("signatures").sign(rsa, "base64") === K.rsaSig,
      rsaVerify: crypto.verify("sha256", data, K.rsaPublic, Buffer.from(K.rsaSig, "base64")),
      rsaVerifyBad: crypto.verify("sha256", Buffer.from("other"), rsaPub, Buffer.from(K.rsaSig, "base64")),
      rsaVerifyObj: crypto.createVerify("sha256").update(data).verify(K.rsaPublic, K.rsaSig, "base64"),
      ecVerifyKnown: crypto.verify("sha256", data, K.ecPublic, Buffer.from(K.ecSigDer, "base64")),
      ecRoundTrip: crypto.verify("sha256", data, crypto.createPublicKey(ec), crypto.sign("sha256", data, ec)),
      ecSigIsDer: crypto.sign("sha256", data, ec)[0] === 0x30,
      edSign: crypto.sign(null, data, ed).toString("base64") === K.edSig,
      edVerify: crypto.verify(null, data, K.edPublic, Buffer.from(K.edSig, "base64")),
      jwk: crypto.createPublicKey(K.ecPublic).export({ format: "jwk" }).crv,
      generated: (() => {
        const { publicKey, privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
        return [publicKey.type, privateKey.asymmetricKeyType,
                crypto.verify("sha256", data, publicKey, crypto.sign("sha256", data, privateKey))];
      })(),
      generatedPem: crypto.generateKeyPairSync("ed25519", { publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" } }).privateKey.startsWith("-----BEGIN PRIVATE KEY-----"),
      pss: crypto.verify("sha256", data, { key: K.rsaPublic, padding: crypto.constants.RSA_PKCS1_PSS_PADDING },
        crypto.sign("sha256", data, { key: K.rsaPrivate, padding: crypto.constants.RSA_PKCS1_PSS_PADDING })),
      p1363: crypto.sign("sha256", data, { key: K.ecPrivate, dsaEncoding: "ieee-p1363" }).length,
      pkcs1Export: crypto.createPrivateKey(K.rsaPrivate).export({ type: "pkcs1", format: "pem" }) === K.rsaPrivatePkcs1,
      errors: {
        badAlgorithm: attempt(() => crypto.createSign("nope")),
        signWithPublic: attempt(() => crypto.sign("sha256", data, rsaPub)),
        notAKey: attempt(() => crypto.createPrivateKey("not a key")),
      },
    });
  },
};
