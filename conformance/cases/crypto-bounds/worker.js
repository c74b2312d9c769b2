// PBKDF2 and RSA key generation bounds, one item per request (probed on workerd).
async function outcome(p) { try { const v = await p; return v === undefined ? "undefined" : (typeof v === "object" ? Object.prototype.toString.call(v) + (v.byteLength ?? "") : String(v)); } catch (e) { return `${e?.name}: ${e?.message}`.slice(0, 300); } }
const pb = (iterations, bits, hash = "SHA-256") => crypto.subtle.importKey("raw", new Uint8Array(8), "PBKDF2", false, ["deriveBits"]).then((k) => crypto.subtle.deriveBits({ name: "PBKDF2", hash, salt: new Uint8Array(8), iterations }, k, bits));
const ITEMS = {
  bits65280: () => pb(1, 65280),
  bits65288: () => pb(1, 65288),
  bits131072: () => pb(1, 131072),
  bits8160x512: () => pb(1, 130560, "SHA-512"),
  bits8160x512p: () => pb(1, 130568, "SHA-512"),
  bits2e5: () => pb(1, 262144, "SHA-512"),
  bits5e5: () => pb(1, 524288, "SHA-512"),
  pb100k: () => pb(100000, 256),
  pb100k1: () => pb(100001, 256),
  pb1e6: () => pb(1e6, 256),
  pbBigBits: () => pb(1000, 1 << 20),
  pbHugeBits: () => pb(1, (1 << 20) + 8),
  pbZero: () => pb(0, 256),
  rsa8192: () => crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 16385, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"]),
  rsa16384: () => crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 32768, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"]),
  rsaOdd: () => crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 1000, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign"]),
};
export default {
  async fetch(request) {
    const item = new URL(request.url).searchParams.get("item");
    const r = await outcome(ITEMS[item]());
    return Response.json({ [item]: r });
  },
};
