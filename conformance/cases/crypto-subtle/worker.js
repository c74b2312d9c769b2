// Web Crypto: random values, UUIDs, digests, HMAC, AES-GCM/CBC, PBKDF2, HKDF, key import and
// export, and the errors of misuse (/messages: their exact messages).
const enc = new TextEncoder();
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function error(f) {
  try { await f(); return "no error"; } catch (e) { return `${e.name}`; }
}

// The exact messages of the checks every algorithm shares (usages, key/algorithm mismatch,
// extractability, unknown formats and algorithms), and the shape of a CryptoKey.
async function messages() {
  const s = crypto.subtle;
  const message = async (f) => { try { return `no error: ${JSON.stringify(await f())}`; } catch (e) { return `${e.name}: ${e.message}`; } };
  const hmacKey = await s.importKey("raw", enc.encode("key"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const aesKey = await s.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["encrypt"]);
  const pbkdf2Key = await s.importKey("raw", enc.encode("p"), "PBKDF2", false, ["deriveBits", "deriveKey"]);
  const pbkdf2 = { name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(1), iterations: 2 };
  return {
    key: [JSON.stringify(hmacKey), Object.keys(aesKey), Object.getOwnPropertyNames(CryptoKey.prototype)],
    usageOrder: (await s.importKey("raw", enc.encode("k"), { name: "hmac", hash: "sha-1" }, false, ["verify", "sign", "verify"])).usages,
    generatedUsageOrder: (await s.generateKey({ name: "AES-CBC", length: 256 }, false, ["wrapKey", "encrypt"])).usages,
    hmacBadUsage: await message(() => s.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["encrypt"])),
    hmacNoUsages: await message(() => s.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, false, [])),
    hmacNoHash: await message(() => s.importKey("raw", enc.encode("k"), "HMAC", false, ["sign"])),
    hmacSpkiImport: await message(() => s.importKey("spki", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, true, ["sign"])),
    hmacSpkiExport: await message(async () => s.exportKey("spki", await s.importKey("raw", enc.encode("k"), { name: "HMAC", hash: "SHA-256" }, true, ["sign"]))),
    notExtractable: await message(() => s.exportKey("raw", hmacKey)),
    aesBadUsage: await message(() => s.importKey("raw", new Uint8Array(16), "AES-GCM", false, ["sign"])),
    aesBadLength: await message(() => s.importKey("raw", new Uint8Array(5), "AES-GCM", false, ["encrypt"])),
    pbkdf2Extractable: await message(() => s.importKey("raw", enc.encode("p"), "PBKDF2", true, ["deriveBits"])),
    pbkdf2Jwk: await message(() => s.importKey("jwk", { kty: "oct", k: "AA" }, "PBKDF2", false, ["deriveBits"])),
    hkdfJwk: await message(() => s.importKey("jwk", { kty: "oct", k: "AA" }, "HKDF", false, ["deriveBits"])),
    unknownAlgorithm: await message(() => s.importKey("raw", new Uint8Array(16), "AES-XYZ", false, ["encrypt"])),
    unknownFormat: await message(() => s.importKey("pem", new Uint8Array(16), "AES-GCM", false, ["encrypt"])),
    wrongAlgorithm: await message(() => s.sign("HMAC", aesKey, enc.encode("x"))),
    wrongUsage: await message(() => s.sign("AES-GCM", aesKey, enc.encode("x"))),
    verifyWithoutUsage: await message(() => s.verify("HMAC", hmacKey, new Uint8Array(32), enc.encode("x"))),
    encryptWithHmac: await message(() => s.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, hmacKey, enc.encode("x"))),
    missingIv: await message(() => s.encrypt({ name: "AES-GCM" }, aesKey, enc.encode("x"))),
    unknownDigest: await message(() => s.digest("SHA-3", enc.encode("x"))),
    digestNotData: await message(() => s.digest("SHA-256", "x")),
    generateHmacNoHash: await message(() => s.generateKey("HMAC", true, ["sign"])),
    generateHmacBadUsage: await message(() => s.generateKey({ name: "HMAC", hash: "SHA-384" }, true, ["encrypt"])),
    generateAesNoLength: await message(() => s.generateKey("AES-GCM", true, ["encrypt"])),
    generateAesBadLength: await message(() => s.generateKey({ name: "AES-GCM", length: 100 }, true, ["encrypt"])),
    generateAesNoUsages: await message(() => s.generateKey({ name: "AES-GCM", length: 128 }, true, [])),
    generatePbkdf2: await message(() => s.generateKey("PBKDF2", true, ["deriveBits"])),
    deriveBitsNoLength: await message(() => s.deriveBits(pbkdf2, pbkdf2Key)),
    deriveBitsNoSalt: await message(() => s.deriveBits({ ...pbkdf2, salt: undefined }, pbkdf2Key, 128)),
    deriveBitsNoIterations: await message(() => s.deriveBits({ ...pbkdf2, iterations: undefined }, pbkdf2Key, 128)),
    deriveKeyTarget: await message(() => s.deriveKey(pbkdf2, pbkdf2Key, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"])),
    deriveKeyAesLength: await message(() => s.deriveKey(pbkdf2, pbkdf2Key, { name: "AES-GCM", length: 100 }, true, ["encrypt"])),
    deriveKeyHmac: (await s.deriveKey({ ...pbkdf2, name: "pbkdf2" }, pbkdf2Key, { name: "HMAC", hash: "SHA-512" }, true, ["sign"])).algorithm,
  };
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/messages") return Response.json(await messages());
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
