// Web Crypto: random values, UUIDs, digests, HMAC, AES-GCM/CBC, PBKDF2, HKDF, key import and
// export, and the errors of misuse.
const enc = new TextEncoder();
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function error(f) {
  try { await f(); return "no error"; } catch (e) { return `${e.name}`; }
}

export default {
  async fetch() {
    const out = {};
    const r = crypto.getRandomValues(new Uint8Array(8));
    out.random = [r.length, r instanceof Uint8Array];
    out.uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
    out.tags = [String(crypto), String(crypto.subtle)];
    for (const h of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) out[h] = hex(await crypto.subtle.digest(h, enc.encode("abc")));
    out.digestObject = hex(await crypto.subtle.digest({ name: "sha-256" }, enc.encode("")));
    const hmacKey = await crypto.subtle.importKey("raw", enc.encode("key"), { name: "HMAC", hash: "SHA-256" }, true, ["sign", "verify"]);
    const sig = await crypto.subtle.sign("HMAC", hmacKey, enc.encode("The quick brown fox jumps over the lazy dog"));
    out.hmac = hex(sig);
    out.hmacVerify = [await crypto.subtle.verify("HMAC", hmacKey, sig, enc.encode("The quick brown fox jumps over the lazy dog")),
                      await crypto.subtle.verify("HMAC", hmacKey, sig, enc.encode("tampered"))];
    out.hmacKey = [hmacKey.type, hmacKey.extractable, hmacKey.algorithm.name, hmacKey.algorithm.hash.name, hmacKey.algorithm.length, hmacKey.usages];
    out.hmacJwk = await crypto.subtle.exportKey("jwk", hmacKey);
    const aesKey = await crypto.subtle.importKey("raw", new Uint8Array(16).fill(7), "AES-GCM", true, ["encrypt", "decrypt"]);
    const iv = new Uint8Array(12).fill(1);
    const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode("aad") }, aesKey, enc.encode("secret message"));
    out.gcmCipher = hex(ct);
    out.gcmPlain = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: enc.encode("aad") }, aesKey, ct));
    const tampered = new Uint8Array(ct); tampered[0] ^= 1;
    out.gcmTampered = await error(() => crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: enc.encode("aad") }, aesKey, tampered));
    const cbcKey = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(3), { name: "AES-CBC" }, false, ["encrypt", "decrypt"]);
    const cbc = await crypto.subtle.encrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, cbcKey, enc.encode("sixteen byte msg and more"));
    out.cbcCipher = hex(cbc);
    out.cbcPlain = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, cbcKey, cbc));
    const pbkdf2Key = await crypto.subtle.importKey("raw", enc.encode("password"), "PBKDF2", false, ["deriveBits", "deriveKey"]);
    out.pbkdf2 = hex(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode("salt"), iterations: 1000 }, pbkdf2Key, 256));
    const hkdfKey = await crypto.subtle.importKey("raw", new Uint8Array(22).fill(0x0b), "HKDF", false, ["deriveBits"]);
    out.hkdf = hex(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(13).map((_, i) => i), info: new Uint8Array(10).map((_, i) => 0xf0 + i) }, hkdfKey, 336));
    const derived = await crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: enc.encode("salt"), iterations: 10 }, pbkdf2Key, { name: "AES-GCM", length: 128 }, true, ["encrypt"]);
    out.derivedKey = [derived.algorithm.name, derived.algorithm.length, hex(await crypto.subtle.exportKey("raw", derived))];
    out.errors = {
      unknownDigest: await error(() => crypto.subtle.digest("MD5", new Uint8Array(1))),
      notExtractable: await error(() => crypto.subtle.exportKey("raw", cbcKey)),
      wrongUsage: await error(() => crypto.subtle.sign("HMAC", aesKey, new Uint8Array(1))),
      badAesLength: await error(() => crypto.subtle.importKey("raw", new Uint8Array(5), "AES-GCM", false, ["encrypt"])),
      newCryptoKey: await error(() => new CryptoKey()),
    };
    return Response.json(out);
  },
};
