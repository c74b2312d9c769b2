// The one OpenSSL wrapper: every cryptographic operation of the runtime goes through these
// functions, and no EVP_* handle is used outside crypto.c++ (a BoringSSL build could replace
// this file alone). Failures throw js::Error DOMException "OperationError" unless a function
// says otherwise.
#pragma once

#include <kj/array.h>
#include <kj/function.h>
#include <kj/string.h>
#include <cstdint>
#include <memory>

struct evp_pkey_st;

namespace loaderd::crypto {

enum class Direction { ENCRYPT, DECRYPT };

// `hash` is a WebCrypto name: "SHA-1", "SHA-256", "SHA-384" or "SHA-512"; others throw
// NotSupportedError.
kj::Array<kj::byte> digest(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> data);
kj::Array<kj::byte> hmac(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> key,
                         kj::ArrayPtr<const kj::byte> data);
size_t hashLength(kj::StringPtr hash);
// PBKDF2 with HMAC. Gives up with OperationError once `interrupted()` (asked every 1,024
// iterations) is true: the worker reached its CPU limit.
kj::Array<kj::byte> pbkdf2(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> password,
                           kj::ArrayPtr<const kj::byte> salt, uint32_t iterations,
                           size_t length, kj::FunctionParam<bool()> interrupted);
kj::Array<kj::byte> hkdf(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> key,
                         kj::ArrayPtr<const kj::byte> salt, kj::ArrayPtr<const kj::byte> info,
                         size_t length);
// AES-GCM: the tag (tagBits / 8 bytes) follows the ciphertext, as WebCrypto has it.
kj::Array<kj::byte> aesGcm(Direction direction, kj::ArrayPtr<const kj::byte> key,
                           kj::ArrayPtr<const kj::byte> iv, kj::ArrayPtr<const kj::byte> data,
                           kj::ArrayPtr<const kj::byte> additionalData, unsigned tagBits);
// AES-CBC with PKCS#7 padding.
kj::Array<kj::byte> aesCbc(Direction direction, kj::ArrayPtr<const kj::byte> key,
                           kj::ArrayPtr<const kj::byte> iv, kj::ArrayPtr<const kj::byte> data);
// Constant-time comparison.
bool equal(kj::ArrayPtr<const kj::byte> a, kj::ArrayPtr<const kj::byte> b);

// --- Asymmetric keys ------------------------------------------------------------------------

// A key's numbers as JSON Web Keys carry them: unsigned big-endian integers. EC: x, y (and d for
// a private key), padded to the field size; Ed25519: x (the public key) and d (the private
// seed); RSA: n, e and, for a private key, d, p, q, dp, dq, qi.
struct KeyComponents {
  kj::Maybe<kj::Array<kj::byte>> x, y, d, n, e, p, q, dp, dq, qi;
};

struct PkeyFree {
  void operator()(evp_pkey_st* key) const;
};

// An RSA, EC (P-256, P-384, P-521) or Ed25519 public or private key. The error messages are
// workerd's (runtime/builtins/crypto-asymmetric.js adds the ones that name an algorithm).
class AsymmetricKey {
public:
  enum class Kind { RSA, EC, ED25519, OTHER };
  enum class Type { PUBLIC, PRIVATE };
  enum class Scheme { RSASSA_PKCS1_V1_5, RSA_PSS, ECDSA, ED25519 };
  struct Pair;

  AsymmetricKey(AsymmetricKey&&) = default;
  AsymmetricKey& operator=(AsymmetricKey&&) = default;
  ~AsymmetricKey();

  // DER SubjectPublicKeyInfo / PKCS #8 PrivateKeyInfo of any key type OpenSSL knows (check
  // getKind()). DataError "Invalid SPKI input." or "Invalid 3 trailing bytes after SPKI input."
  // (PKCS8 likewise).
  static AsymmetricKey fromSpki(kj::ArrayPtr<const kj::byte> der);
  static AsymmetricKey fromPkcs8(kj::ArrayPtr<const kj::byte> der);
  // A public key in "raw" form: an X9.62 point (uncompressed or compressed) on `curve` ("P-256",
  // "P-384", "P-521"), or 32 Ed25519 bytes. DataError when the point is not valid.
  static AsymmetricKey fromRaw(Kind kind, kj::StringPtr curve, kj::ArrayPtr<const kj::byte> raw);
  // A key from JWK numbers, private when `d` is present. The caller has checked that the
  // components the kind needs are present (and Ed25519 lengths). EC keys are checked as workerd
  // does: OperationError for coordinates off the curve or a `d` out of range, DataError when `d`
  // does not belong to x and y.
  static AsymmetricKey fromComponents(Kind kind, kj::StringPtr curve, KeyComponents components);
  // A new key pair. EC: `curve`; RSA: `modulusBits` and `publicExponent` (big-endian); an RSA
  // generation gives up (OperationError) once `interrupted()`, asked as primes are tried, is true.
  static Pair generate(Kind kind, kj::StringPtr curve, uint32_t modulusBits,
                       kj::ArrayPtr<const kj::byte> publicExponent,
                       kj::FunctionParam<bool()> interrupted);

  Kind getKind() const;
  Type getType() const { return type; }
  // "P-256", "P-384", "P-521" for EC keys on those curves, else "".
  kj::StringPtr getCurve() const;
  // RSA: the modulus size in bytes and the public exponent without leading zeros.
  uint32_t getModulusBytes() const;
  kj::Array<kj::byte> getPublicExponent() const;

  kj::Array<kj::byte> toSpki() const;
  kj::Array<kj::byte> toPkcs8() const;
  // EC: the uncompressed X9.62 point; Ed25519: the 32 public key bytes.
  kj::Array<kj::byte> toRaw() const;
  KeyComponents toComponents() const;

  // Signatures as WebCrypto has them (ECDSA: r || s, each the curve's size). `hash` is a
  // WebCrypto hash name (unused for Ed25519); `saltLength` is for RSA-PSS only. A signature of
  // the wrong form verifies as false.
  kj::Array<kj::byte> sign(Scheme scheme, kj::StringPtr hash, kj::ArrayPtr<const kj::byte> data,
                           uint32_t saltLength) const;
  bool verify(Scheme scheme, kj::StringPtr hash, kj::ArrayPtr<const kj::byte> signature,
              kj::ArrayPtr<const kj::byte> data, uint32_t saltLength) const;

private:
  AsymmetricKey(std::unique_ptr<evp_pkey_st, PkeyFree> pkey, Type type);
  std::unique_ptr<evp_pkey_st, PkeyFree> pkey;
  Type type;
};

struct AsymmetricKey::Pair {
  AsymmetricKey publicKey;
  AsymmetricKey privateKey;
};

}  // namespace loaderd::crypto
