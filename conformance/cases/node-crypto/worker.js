// node:crypto: hashes and HMACs with encodings, random helpers, timingSafeEqual, pbkdf2/hkdf,
// and webcrypto/subtle.
import crypto, { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual, getRandomValues, webcrypto, subtle } from "node:crypto";
import { Buffer } from "node:buffer";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };

export default {
  async fetch() {
    const hashes = ["md5", "sha1", "sha256", "sha384", "sha512", "SHA256"].map((alg) => createHash(alg).update("hello").digest("hex"));
    const h = createHash("sha256");
    h.update("hel");
    h.update(Buffer.from("lo"));
    const copy = h.copy();
    const digests = [h.digest("base64"), copy.update("!").digest("hex"), createHash("sha1").update("ff00", "hex").digest("base64url"),
                     createHash("md5").update(new Uint8Array([1, 2, 3])).digest().length, Buffer.isBuffer(createHash("md5").update("").digest()),
                     createHash("sha256").update("héllo", "latin1").digest("hex"), createHash("sha256").digest("hex")];
    const hmacs = [createHmac("sha256", "key").update("data").digest("hex"), createHmac("sha1", Buffer.from("k")).update("a").update("b").digest("base64"),
                   createHmac("sha512", new Uint8Array(200)).update("x").digest("hex").length, createHmac("md5", "k").update("m").digest("hex")];
    const done = createHash("sha256");
    done.digest();
    const random = [randomBytes(16).length, Buffer.isBuffer(randomBytes(4)), randomBytes(0).length,
                    Array.from({ length: 200 }, () => randomInt(10)).every((n) => Number.isInteger(n) && n >= 0 && n < 10),
                    Array.from({ length: 200 }, () => randomInt(-5, -2)).every((n) => n >= -5 && n < -2),
                    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(randomUUID()),
                    getRandomValues(new Uint8Array(8)).length, crypto.randomFillSync(new Uint8Array(4)).length,
                    await new Promise((resolve) => randomBytes(3, (err, buf) => resolve([err, buf.length])))];
    const equal = [timingSafeEqual(Buffer.from("abc"), Buffer.from("abc")), timingSafeEqual(new Uint8Array([1]), new Uint8Array([2]))];
    const derived = [crypto.pbkdf2Sync("pw", "salt", 1000, 16, "sha256").toString("hex"),
                     Buffer.from(crypto.hkdfSync("sha256", "key", "salt", "info", 16)).toString("hex"),
                     await new Promise((resolve) => crypto.pbkdf2("pw", "salt", 1, 8, "sha1", (err, key) => resolve(key.toString("hex"))))];
    const web = [webcrypto === globalThis.crypto, subtle === globalThis.crypto.subtle,
                 Buffer.from(await subtle.digest("SHA-256", new TextEncoder().encode("hello"))).toString("hex"), crypto.getHashes().includes("sha256"),
                 crypto.hash ? crypto.hash("sha1", "hello") : null];
    return Response.json({
      hashes, digests, hmacs, random, equal, derived, web,
      errors: [attempt(() => createHash("nope")), attempt(() => done.digest()), attempt(() => done.update("x")),
               attempt(() => createHash("sha256").update(5)), attempt(() => timingSafeEqual(Buffer.from("a"), Buffer.from("ab"))),
               attempt(() => randomInt(5, 5)), attempt(() => randomInt(1.5)), attempt(() => randomBytes(-1))],
    });
  },
};
