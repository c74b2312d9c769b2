// The key material behind an asymmetric CryptoKey (RSA, ECDSA, Ed25519), held for
// runtime/builtins/crypto-asymmetric.js. Never reaches user code: the builtins keep it next to
// the CryptoKey they hand out. Every operation goes through runtime/crypto.h.
#pragma once

#include "runtime/js.h"
#include "runtime/crypto.h"

namespace loaderd::api {

// A key's JWK numbers as bytes (see crypto::KeyComponents); null where absent.
struct JwkNumbers {
  kj::Maybe<kj::Array<kj::byte>> x, y, d, n, e, p, q, dp, dq, qi;
  LOADERD_JS_RECORD(JwkNumbers, x, y, d, n, e, p, q, dp, dq, qi);
};

class AsymmetricKey final: public js::Object {
public:
  explicit AsymmetricKey(crypto::AsymmetricKey key): key(kj::mv(key)) {}

  // "spki" or "pkcs8" DER of any key; the caller checks getKind().
  static kj::Own<AsymmetricKey> fromDer(kj::StringPtr format, kj::ArrayPtr<const kj::byte> der);
  // `kind` "EC" (with `curve` "P-256", "P-384" or "P-521") or "Ed25519"; "RSA" for fromJwk too.
  static kj::Own<AsymmetricKey> fromRaw(kj::StringPtr kind, kj::StringPtr curve,
                                        kj::ArrayPtr<const kj::byte> raw);
  static kj::Own<AsymmetricKey> fromJwk(kj::StringPtr kind, kj::StringPtr curve,
                                        JwkNumbers numbers);
  // [publicKey, privateKey]; RSA takes `modulusBits` and `publicExponent`.
  static kj::Array<kj::Own<AsymmetricKey>> generate(kj::StringPtr kind, kj::StringPtr curve,
                                                    uint32_t modulusBits,
                                                    kj::ArrayPtr<const kj::byte> publicExponent,
                                                    kj::FunctionParam<bool()> interrupted);

  // "RSA", "EC", "Ed25519", or "other" for a key of another type (from spki or pkcs8).
  kj::StringPtr getKind();
  // "public" or "private".
  kj::StringPtr getType();
  // "P-256", "P-384", "P-521", or "" (not EC, or another curve).
  kj::StringPtr getCurve();
  // RSA: the modulus size in bits (a multiple of 8, as workerd reports it) and the exponent.
  double getModulusLength();
  kj::Array<kj::byte> getPublicExponent();

  // `format` "spki", "pkcs8" or "raw" (EC point, Ed25519 public key); the caller checks that the
  // key's type allows it.
  kj::Array<kj::byte> exportKey(kj::String format);
  JwkNumbers exportJwk();

  // `scheme` "RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA" or "Ed25519"; see crypto::AsymmetricKey.
  kj::Array<kj::byte> sign(kj::String scheme, kj::String hash, kj::Array<kj::byte> data,
                           double saltLength);
  bool verify(kj::String scheme, kj::String hash, kj::Array<kj::byte> signature,
              kj::Array<kj::byte> data, double saltLength);

  LOADERD_JS_CLASS(AsymmetricKey) {
    LOADERD_JS_METHOD(getKind);
    LOADERD_JS_METHOD(getType);
    LOADERD_JS_METHOD(getCurve);
    LOADERD_JS_METHOD(getModulusLength);
    LOADERD_JS_METHOD(getPublicExponent);
    LOADERD_JS_METHOD(exportKey);
    LOADERD_JS_METHOD(exportJwk);
    LOADERD_JS_METHOD(sign);
    LOADERD_JS_METHOD(verify);
  }

private:
  crypto::AsymmetricKey key;
};

#define LOADERD_CRYPTO_KEY_TYPES ::loaderd::api::AsymmetricKey

}  // namespace loaderd::api
