#include "crypto.h"

#include "js.h"
#include <kj/debug.h>
#include <kj/vector.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <memory>

namespace loaderd::crypto {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

[[noreturn]] void operationError(kj::StringPtr what) {
  js::throwDomException("OperationError", what);
}

const EVP_MD* md(kj::StringPtr hash) {
  if (hash == "MD5") return EVP_md5();
  if (hash == "SHA-1") return EVP_sha1();
  if (hash == "SHA-256") return EVP_sha256();
  if (hash == "SHA-384") return EVP_sha384();
  if (hash == "SHA-512") return EVP_sha512();
  js::throwDomException("NotSupportedError", kj::str("Unrecognized hash algorithm: ", hash));
}

const EVP_CIPHER* aes(kj::StringPtr mode, size_t keyBytes) {
  if (mode == "GCM") {
    if (keyBytes == 16) return EVP_aes_128_gcm();
    if (keyBytes == 24) return EVP_aes_192_gcm();
    if (keyBytes == 32) return EVP_aes_256_gcm();
  } else {
    if (keyBytes == 16) return EVP_aes_128_cbc();
    if (keyBytes == 24) return EVP_aes_192_cbc();
    if (keyBytes == 32) return EVP_aes_256_cbc();
  }
  operationError(kj::str("AES key must be 128, 192 or 256 bits, not ", keyBytes * 8, "."));
}

int clampInt(size_t n) {
  if (n > 0x7fffffff) operationError("Data too large.");
  return static_cast<int>(n);
}

}  // namespace

size_t hashLength(kj::StringPtr hash) { return EVP_MD_get_size(md(hash)); }

kj::Array<kj::byte> digest(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> data) {
  auto out = kj::heapArray<kj::byte>(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (!EVP_Digest(data.begin(), data.size(), out.begin(), &length, md(hash), nullptr)) {
    operationError("Digest failed.");
  }
  return kj::heapArray<kj::byte>(out.slice(0, length));
}

kj::Array<kj::byte> hmac(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> key,
                         kj::ArrayPtr<const kj::byte> data) {
  auto out = kj::heapArray<kj::byte>(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  static const kj::byte EMPTY = 0;
  if (HMAC(md(hash), key.size() ? key.begin() : &EMPTY, clampInt(key.size()), data.begin(),
           data.size(), out.begin(), &length) == nullptr) {
    operationError("HMAC failed.");
  }
  return kj::heapArray<kj::byte>(out.slice(0, length));
}


kj::Array<kj::byte> hkdf(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> key,
                         kj::ArrayPtr<const kj::byte> salt, kj::ArrayPtr<const kj::byte> info,
                         size_t length) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  auto out = kj::heapArray<kj::byte>(length);
  size_t outLength = length;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_hkdf_md(ctx.get(), md(hash)) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_salt(ctx.get(), salt.begin(), clampInt(salt.size())) <= 0 ||
      EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), key.begin(), clampInt(key.size())) <= 0 ||
      EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), info.begin(), clampInt(info.size())) <= 0 ||
      EVP_PKEY_derive(ctx.get(), out.begin(), &outLength) <= 0 || outLength != length) {
    operationError("HKDF failed.");
  }
  return out;
}

kj::Array<kj::byte> aesGcm(Direction direction, kj::ArrayPtr<const kj::byte> key,
                           kj::ArrayPtr<const kj::byte> iv, kj::ArrayPtr<const kj::byte> data,
                           kj::ArrayPtr<const kj::byte> additionalData, unsigned tagBits) {
  size_t tagBytes = tagBits / 8;
  if (tagBits % 8 != 0 || tagBytes < 4 || tagBytes > 16) {
    operationError("Invalid AES-GCM tag length.");
  }
  if (iv.size() == 0) operationError("AES-GCM needs a non-empty iv.");
  bool encrypt = direction == Direction::ENCRYPT;
  if (!encrypt && data.size() < tagBytes) operationError("Ciphertext too short.");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto body = encrypt ? data : data.slice(0, data.size() - tagBytes);
  auto out = kj::heapArray<kj::byte>(body.size() + (encrypt ? tagBytes : 0));
  if (!ctx ||
      !EVP_CipherInit_ex(ctx.get(), aes("GCM", key.size()), nullptr, nullptr, nullptr, encrypt) ||
      !EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, clampInt(iv.size()), nullptr) ||
      !EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.begin(), iv.begin(), encrypt)) {
    operationError("AES-GCM setup failed.");
  }
  if (additionalData.size() > 0 &&
      !EVP_CipherUpdate(ctx.get(), nullptr, &len, additionalData.begin(),
                        clampInt(additionalData.size()))) {
    operationError("AES-GCM failed.");
  }
  if (body.size() > 0 &&
      !EVP_CipherUpdate(ctx.get(), out.begin(), &len, body.begin(), clampInt(body.size()))) {
    operationError("AES-GCM failed.");
  }
  if (!encrypt) {
    auto tag = data.slice(data.size() - tagBytes, data.size());
    kj::byte tagCopy[16];
    memcpy(tagCopy, tag.begin(), tagBytes);
    if (!EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, clampInt(tagBytes), tagCopy)) {
      operationError("AES-GCM failed.");
    }
  }
  int finalLen = 0;
  if (!EVP_CipherFinal_ex(ctx.get(), out.begin() + body.size(), &finalLen)) {
    operationError("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason.");
  }
  if (encrypt &&
      !EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, clampInt(tagBytes),
                           out.begin() + body.size())) {
    operationError("AES-GCM failed.");
  }
  return out;
}

kj::Array<kj::byte> aesCbc(Direction direction, kj::ArrayPtr<const kj::byte> key,
                           kj::ArrayPtr<const kj::byte> iv, kj::ArrayPtr<const kj::byte> data) {
  if (iv.size() != 16) operationError("AES-CBC iv must be 16 bytes.");
  bool encrypt = direction == Direction::ENCRYPT;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  auto out = kj::heapArray<kj::byte>(data.size() + 16);
  int len = 0, finalLen = 0;
  if (!ctx ||
      !EVP_CipherInit_ex(ctx.get(), aes("CBC", key.size()), nullptr, key.begin(), iv.begin(),
                         encrypt) ||
      (data.size() > 0 &&
       !EVP_CipherUpdate(ctx.get(), out.begin(), &len, data.begin(), clampInt(data.size()))) ||
      !EVP_CipherFinal_ex(ctx.get(), out.begin() + len, &finalLen)) {
    operationError("Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason.");
  }
  return kj::heapArray<kj::byte>(out.slice(0, len + finalLen));
}

bool equal(kj::ArrayPtr<const kj::byte> a, kj::ArrayPtr<const kj::byte> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.begin(), b.begin(), a.size()) == 0;
}

// --- Asymmetric keys ------------------------------------------------------------------------

void PkeyFree::operator()(evp_pkey_st* key) const { EVP_PKEY_free(key); }

namespace {

struct BnFree {
  void operator()(BIGNUM* n) const { BN_clear_free(n); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct GroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
struct Pkcs8Free {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
struct OpensslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;
using Group = std::unique_ptr<EC_GROUP, GroupFree>;
using Point = std::unique_ptr<EC_POINT, PointFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using Params = std::unique_ptr<OSSL_PARAM, ParamFree>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

}  // namespace

// PBKDF2 (RFC 8018) over HMAC made of two digest states (the key XORed with ipad and opad)
// copied per iteration, as OpenSSL does it; written out so that `interrupted` is asked between
// runs of iterations: a derivation of 255 blocks at 10^8 iterations each is hours of CPU, which
// no watchdog could stop inside one OpenSSL call.
kj::Array<kj::byte> pbkdf2(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> password,
                           kj::ArrayPtr<const kj::byte> salt, uint32_t iterations,
                           size_t length, kj::FunctionParam<bool()> interrupted) {
  if (iterations == 0) operationError("PBKDF2 requires at least one iteration.");
  const EVP_MD* digest = md(hash);
  size_t hLen = EVP_MD_get_size(digest);
  size_t blockSize = EVP_MD_get_block_size(digest);
  // The padded keys' digest states.
  auto key = kj::heapArray<kj::byte>(blockSize);
  memset(key.begin(), 0, blockSize);
  if (password.size() > blockSize) {
    auto hashed = crypto::digest(hash, password);
    memcpy(key.begin(), hashed.begin(), hashed.size());
  } else if (password.size() > 0) {
    memcpy(key.begin(), password.begin(), password.size());
  }
  MdCtx inner(EVP_MD_CTX_new()), outer(EVP_MD_CTX_new()), work(EVP_MD_CTX_new());
  if (!inner || !outer || !work) operationError("PBKDF2 failed.");
  auto pad = kj::heapArray<kj::byte>(blockSize);
  for (size_t i = 0; i < blockSize; i++) pad[i] = key[i] ^ 0x36;
  bool ok = EVP_DigestInit_ex(inner.get(), digest, nullptr) == 1 &&
            EVP_DigestUpdate(inner.get(), pad.begin(), blockSize) == 1;
  for (size_t i = 0; i < blockSize; i++) pad[i] = key[i] ^ 0x5c;
  ok = ok && EVP_DigestInit_ex(outer.get(), digest, nullptr) == 1 &&
       EVP_DigestUpdate(outer.get(), pad.begin(), blockSize) == 1;
  OPENSSL_cleanse(key.begin(), key.size());
  OPENSSL_cleanse(pad.begin(), pad.size());
  if (!ok) operationError("PBKDF2 failed.");
  kj::byte u[EVP_MAX_MD_SIZE];
  // u = HMAC(password, first ‖ second)
  auto mac = [&](kj::ArrayPtr<const kj::byte> first, kj::ArrayPtr<const kj::byte> second) {
    unsigned int n = 0;
    if (EVP_MD_CTX_copy_ex(work.get(), inner.get()) != 1 ||
        EVP_DigestUpdate(work.get(), first.begin(), first.size()) != 1 ||
        EVP_DigestUpdate(work.get(), second.begin(), second.size()) != 1 ||
        EVP_DigestFinal_ex(work.get(), u, &n) != 1 ||
        EVP_MD_CTX_copy_ex(work.get(), outer.get()) != 1 ||
        EVP_DigestUpdate(work.get(), u, n) != 1 ||
        EVP_DigestFinal_ex(work.get(), u, &n) != 1) {
      operationError("PBKDF2 failed.");
    }
  };
  constexpr uint32_t CHECK_EVERY = 1024;
  auto out = kj::heapArray<kj::byte>(length);
  uint64_t done = 0;  // HMACs since the start, over every block
  for (size_t offset = 0, index = 1; offset < length; offset += hLen, index++) {
    kj::byte counter[4] = {kj::byte(index >> 24), kj::byte(index >> 16), kj::byte(index >> 8),
                           kj::byte(index)};
    mac(salt, counter);
    kj::byte t[EVP_MAX_MD_SIZE];
    memcpy(t, u, hLen);
    for (uint32_t j = 1; j < iterations; j++) {
      mac(kj::arrayPtr(u, hLen), nullptr);
      for (size_t k = 0; k < hLen; k++) t[k] ^= u[k];
      if (++done % CHECK_EVERY == 0 && interrupted()) operationError("PBKDF2 was interrupted.");
    }
    memcpy(out.begin() + offset, t, kj::min(hLen, length - offset));
  }
  return out;
}

namespace {
using Pkcs8 = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Pkcs8Free>;
using OpensslBytes = std::unique_ptr<unsigned char, OpensslFree>;
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Leaves OpenSSL's per-thread error queue empty when the scope ends, whatever happened.
struct ClearErrorsOnExit {
  ClearErrorsOnExit() { ERR_clear_error(); }
  ~ClearErrorsOnExit() { ERR_clear_error(); }
};

[[noreturn]] void dataError(kj::StringPtr what) { js::throwDomException("DataError", what); }

// The OpenSSL errors workerd shows to users (those of them OpenSSL has too), rendered as its
// tryDescribeOpensslErrors() does: ": Point is not on curve.." to follow a message, or "." when
// no queued error is one of them. Empties the queue.
kj::String describeErrors() {
  kj::Vector<kj::StringPtr> friendly;
  while (unsigned long e = ERR_get_error()) {
    if (ERR_GET_LIB(e) == ERR_LIB_EC) {
      switch (ERR_GET_REASON(e)) {
        case EC_R_INVALID_ENCODING: friendly.add("Invalid point encoding."); break;
        case EC_R_INVALID_COMPRESSED_POINT: friendly.add("Invalid compressed point."); break;
        case EC_R_POINT_IS_NOT_ON_CURVE: friendly.add("Point is not on curve."); break;
        case EC_R_UNKNOWN_GROUP: friendly.add("Unsupported elliptic curve group."); break;
      }
    }
  }
  if (friendly.empty()) return kj::str(".");
  return kj::str(": ", kj::strArray(friendly, " "), ".");
}

struct Curve {
  kj::StringPtr name;   // WebCrypto's
  const char* group;    // OpenSSL's
  int nid;
  size_t bytes;         // of a coordinate, a scalar, and each of r and s in a signature
};
const Curve CURVES[] = {
  {"P-256", "prime256v1", NID_X9_62_prime256v1, 32},
  {"P-384", "secp384r1", NID_secp384r1, 48},
  {"P-521", "secp521r1", NID_secp521r1, 66},
};

const Curve& curveNamed(kj::StringPtr name) {
  for (auto& curve: CURVES) {
    if (curve.name == name) return curve;
  }
  KJ_FAIL_REQUIRE("unknown curve; the caller normalizes curve names", name);
}

kj::Maybe<const Curve&> curveOf(const EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return nullptr;
  char name[80];
  size_t length = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof(name), &length) != 1) return nullptr;
  for (auto& curve: CURVES) {
    if (strcmp(curve.group, name) == 0) return curve;
  }
  return nullptr;
}

void copyInto(kj::ArrayPtr<kj::byte> to, kj::ArrayPtr<const kj::byte> from) {
  KJ_ASSERT(to.size() == from.size());
  if (from.size() > 0) memcpy(to.begin(), from.begin(), from.size());
}

Bn toBn(kj::ArrayPtr<const kj::byte> bytes) {
  Bn n(BN_bin2bn(bytes.begin(), clampInt(bytes.size()), nullptr));
  KJ_ASSERT(n != nullptr, "BN_bin2bn failed");
  return n;
}

// Big-endian bytes: `width` of them (left-padded with zeros), or as few as the value needs.
kj::Array<kj::byte> fromBn(const BIGNUM* n, size_t width = 0) {
  if (width == 0) width = BN_num_bytes(n);
  auto out = kj::heapArray<kj::byte>(width);
  KJ_ASSERT(BN_bn2binpad(n, out.begin(), clampInt(width)) == static_cast<int>(width),
            "number wider than its field");
  return out;
}

kj::Maybe<Bn> getBn(const EVP_PKEY* key, const char* param) {
  BIGNUM* n = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &n) != 1) return nullptr;
  return Bn(n);
}

Bn requireBn(const EVP_PKEY* key, const char* param) {
  KJ_IF_MAYBE(n, getBn(key, param)) {
    return kj::mv(*n);
  }
  operationError("Failed to read the key.");
}

// A key from OSSL_PARAMs (`selection`: EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR); null on failure.
Pkey fromParams(const char* type, int selection, OSSL_PARAM_BLD* builder) {
  Params params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, selection, params.get()) <= 0) {
    return nullptr;
  }
  return Pkey(key);
}

// An EC key holding `point` (and the private scalar `d`, if given), encoded uncompressed.
Pkey ecKey(const Curve& curve, const EC_GROUP* group, const EC_POINT* point, const BIGNUM* d,
           BN_CTX* bnCtx) {
  size_t length = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, nullptr, 0,
                                     bnCtx);
  auto encoded = kj::heapArray<kj::byte>(length);
  ParamBld builder(OSSL_PARAM_BLD_new());
  if (length == 0 || !builder ||
      EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, encoded.begin(), length,
                         bnCtx) != length ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.group, 0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.begin(),
                                        length) ||
      (d != nullptr && !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d))) {
    return nullptr;
  }
  return fromParams("EC", d == nullptr ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR, builder.get());
}

// EC keys parsed from DER keep the point form they came in; WebCrypto exports uncompressed.
void uncompressed(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
                                   OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED);
  }
}

Pkey publicPart(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(key, &der);
  KJ_ASSERT(length > 0, "i2d_PUBKEY failed");
  OpensslBytes owner(der);
  const unsigned char* p = der;
  Pkey result(d2i_PUBKEY(nullptr, &p, length));
  KJ_ASSERT(result != nullptr, "d2i_PUBKEY failed");
  uncompressed(result.get());
  return result;
}

kj::Array<kj::byte> ownedDer(unsigned char* der, int length) {
  OpensslBytes owner(der);
  if (length <= 0) return nullptr;
  return kj::heapArray<kj::byte>(der, length);
}

// OpenSSL reads from a non-null pointer even when the length is zero.
const kj::byte* nonNull(kj::ArrayPtr<const kj::byte> bytes) {
  static const kj::byte EMPTY = 0;
  return bytes.size() > 0 ? bytes.begin() : &EMPTY;
}

}  // namespace

AsymmetricKey::AsymmetricKey(std::unique_ptr<evp_pkey_st, PkeyFree> pkey, Type type)
    : pkey(kj::mv(pkey)), type(type) {}
AsymmetricKey::~AsymmetricKey() {}

AsymmetricKey AsymmetricKey::fromSpki(kj::ArrayPtr<const kj::byte> der) {
  ClearErrorsOnExit clear;
  const unsigned char* p = nonNull(der);
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key) dataError("Invalid SPKI input.");
  if (p != nonNull(der) + der.size()) {
    dataError(kj::str("Invalid ", nonNull(der) + der.size() - p, " trailing bytes after SPKI input."));
  }
  uncompressed(key.get());
  return AsymmetricKey(kj::mv(key), Type::PUBLIC);
}

AsymmetricKey AsymmetricKey::fromPkcs8(kj::ArrayPtr<const kj::byte> der) {
  ClearErrorsOnExit clear;
  const unsigned char* p = nonNull(der);
  Pkey key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!key) dataError("Invalid PKCS8 input.");
  if (p != nonNull(der) + der.size()) {
    dataError(kj::str("Invalid ", nonNull(der) + der.size() - p,
                      " trailing bytes after PKCS8 input."));
  }
  uncompressed(key.get());
  return AsymmetricKey(kj::mv(key), Type::PRIVATE);
}

AsymmetricKey AsymmetricKey::fromRaw(Kind kind, kj::StringPtr curveName,
                                     kj::ArrayPtr<const kj::byte> raw) {
  ClearErrorsOnExit clear;
  if (kind == Kind::ED25519) {
    KJ_REQUIRE(raw.size() == 32, "the caller checks Ed25519 key lengths");
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.begin(), raw.size()));
    if (!key) dataError("Failed to import raw Ed25519 key data.");
    return AsymmetricKey(kj::mv(key), Type::PUBLIC);
  }
  KJ_REQUIRE(kind == Kind::EC, "raw import is for EC and Ed25519 public keys");
  auto& curve = curveNamed(curveName);
  BnCtx bnCtx(BN_CTX_new());
  Group group(EC_GROUP_new_by_curve_name(curve.nid));
  KJ_ASSERT(bnCtx != nullptr && group != nullptr, "EC setup failed");
  Point point(EC_POINT_new(group.get()));
  Bn prime(BN_new());
  KJ_ASSERT(point != nullptr && prime != nullptr &&
            EC_GROUP_get_curve(group.get(), prime.get(), nullptr, nullptr, bnCtx.get()) == 1,
            "EC setup failed");
  // The point is decoded here rather than by EC_POINT_oct2point so that the errors are the ones
  // BoringSSL (workerd) reports: an unknown form or length (the point at infinity included) is
  // an invalid encoding; coordinates outside the field and compressed points without a square
  // root fail without a description; an uncompressed point off the curve says so.
  size_t width = curve.bytes;
  bool isUncompressed = raw.size() == 1 + 2 * width && raw[0] == POINT_CONVERSION_UNCOMPRESSED;
  bool isCompressed = raw.size() == 1 + width && (raw[0] == 2 || raw[0] == 3);
  if (!isUncompressed && !isCompressed) {
    dataError("Failed to import raw EC key data: Invalid point encoding..");
  }
  auto x = toBn(raw.slice(1, 1 + width));
  if (isUncompressed) {
    auto y = toBn(raw.slice(1 + width, raw.size()));
    if (BN_cmp(x.get(), prime.get()) >= 0 || BN_cmp(y.get(), prime.get()) >= 0) {
      dataError("Failed to import raw EC key data.");
    }
    if (EC_POINT_set_affine_coordinates(group.get(), point.get(), x.get(), y.get(),
                                        bnCtx.get()) != 1) {
      dataError(kj::str("Failed to import raw EC key data", describeErrors()));
    }
  } else if (BN_cmp(x.get(), prime.get()) >= 0 ||
             EC_POINT_set_compressed_coordinates(group.get(), point.get(), x.get(), raw[0] & 1,
                                                 bnCtx.get()) != 1) {
    dataError("Failed to import raw EC key data.");
  }
  auto key = ecKey(curve, group.get(), point.get(), nullptr, bnCtx.get());
  if (!key) dataError(kj::str("Invalid raw EC key provided", describeErrors()));
  return AsymmetricKey(kj::mv(key), Type::PUBLIC);
}

AsymmetricKey AsymmetricKey::fromComponents(Kind kind, kj::StringPtr curveName,
                                            KeyComponents components) {
  ClearErrorsOnExit clear;
  Type type = components.d == nullptr ? Type::PUBLIC : Type::PRIVATE;
  switch (kind) {
    case Kind::EC: {
      auto& curve = curveNamed(curveName);
      BnCtx bnCtx(BN_CTX_new());
      Group group(EC_GROUP_new_by_curve_name(curve.nid));
      Bn prime(BN_new());
      Point point(group ? EC_POINT_new(group.get()) : nullptr);
      KJ_ASSERT(bnCtx != nullptr && group != nullptr && prime != nullptr && point != nullptr &&
                EC_GROUP_get_curve(group.get(), prime.get(), nullptr, nullptr, bnCtx.get()) == 1,
                "EC setup failed");
      auto x = toBn(KJ_REQUIRE_NONNULL(components.x));
      auto y = toBn(KJ_REQUIRE_NONNULL(components.y));
      // Coordinates outside the field are invalid without a description, as on BoringSSL.
      if (BN_cmp(x.get(), prime.get()) >= 0 || BN_cmp(y.get(), prime.get()) >= 0 ||
          EC_POINT_set_affine_coordinates(group.get(), point.get(), x.get(), y.get(),
                                          bnCtx.get()) != 1) {
        if (BN_cmp(x.get(), prime.get()) >= 0 || BN_cmp(y.get(), prime.get()) >= 0) {
          ERR_clear_error();
        }
        operationError(kj::str("Invalid EC key; public key coordinates \"x\" and \"y\" are invalid",
                               describeErrors()));
      }
      Bn d;
      KJ_IF_MAYBE(bytes, components.d) {
        d = toBn(*bytes);
        if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
          operationError("Invalid EC key; private key component \"d\" is invalid.");
        }
        Point derived(EC_POINT_new(group.get()));
        KJ_ASSERT(derived != nullptr && EC_POINT_mul(group.get(), derived.get(), d.get(), nullptr, nullptr,
                                          bnCtx.get()) == 1, "EC_POINT_mul failed");
        if (EC_POINT_cmp(group.get(), derived.get(), point.get(), bnCtx.get()) != 0) {
          dataError("Invalid EC key in JSON Web Key.");
        }
      }
      auto key = ecKey(curve, group.get(), point.get(), d.get(), bnCtx.get());
      if (!key) dataError("Invalid EC key in JSON Web Key.");
      return AsymmetricKey(kj::mv(key), type);
    }
    case Kind::ED25519: {
      Pkey key;
      KJ_IF_MAYBE(d, components.d) {
        KJ_REQUIRE(d->size() == 32, "the caller checks Ed25519 key lengths");
        key.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, d->begin(), 32));
      } else {
        auto& x = KJ_REQUIRE_NONNULL(components.x);
        KJ_REQUIRE(x.size() == 32, "the caller checks Ed25519 key lengths");
        key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, x.begin(), 32));
      }
      if (!key) dataError("Invalid Ed25519 key in JSON Web Key.");
      return AsymmetricKey(kj::mv(key), type);
    }
    case Kind::RSA: {
      ParamBld builder(OSSL_PARAM_BLD_new());
      KJ_ASSERT(builder != nullptr, "OSSL_PARAM_BLD_new failed");
      // The builder refers to the numbers until the params are made: keep them here.
      kj::Vector<Bn> numbers;
      auto push = [&](const char* name, kj::Maybe<kj::Array<kj::byte>>& value) {
        KJ_IF_MAYBE(bytes, value) {
          numbers.add(toBn(*bytes));
          KJ_ASSERT(OSSL_PARAM_BLD_push_BN(builder.get(), name, numbers.back().get()) == 1,
                    "OSSL_PARAM_BLD_push_BN failed");
        }
      };
      KJ_REQUIRE(components.n != nullptr && components.e != nullptr, "the caller checks n and e");
      push(OSSL_PKEY_PARAM_RSA_N, components.n);
      push(OSSL_PKEY_PARAM_RSA_E, components.e);
      push(OSSL_PKEY_PARAM_RSA_D, components.d);
      push(OSSL_PKEY_PARAM_RSA_FACTOR1, components.p);
      push(OSSL_PKEY_PARAM_RSA_FACTOR2, components.q);
      push(OSSL_PKEY_PARAM_RSA_EXPONENT1, components.dp);
      push(OSSL_PKEY_PARAM_RSA_EXPONENT2, components.dq);
      push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, components.qi);
      auto key = fromParams("RSA", type == Type::PUBLIC ? EVP_PKEY_PUBLIC_KEY : EVP_PKEY_KEYPAIR,
                            builder.get());
      if (!key) dataError("Invalid RSA key in JSON Web Key.");
      return AsymmetricKey(kj::mv(key), type);
    }
    case Kind::OTHER:
      break;
  }
  KJ_FAIL_REQUIRE("no JWK import for this kind of key");
}

AsymmetricKey::Pair AsymmetricKey::generate(Kind kind, kj::StringPtr curveName,
                                            uint32_t modulusBits,
                                            kj::ArrayPtr<const kj::byte> publicExponent,
                                            kj::FunctionParam<bool()> interrupted) {
  ClearErrorsOnExit clear;
  Pkey key;
  switch (kind) {
    case Kind::EC:
      key.reset(EVP_EC_gen(curveNamed(curveName).group));
      break;
    case Kind::ED25519:
      key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
      break;
    case Kind::RSA: {
      PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
      auto exponent = toBn(publicExponent);
      EVP_PKEY* generated = nullptr;
      if (ctx) {
        // Asked as primes are searched for: a 16384-bit key can take minutes in this one call.
        EVP_PKEY_CTX_set_app_data(ctx.get(), &interrupted);
        EVP_PKEY_CTX_set_cb(ctx.get(), [](EVP_PKEY_CTX* c) -> int {
          auto& stop = *static_cast<kj::FunctionParam<bool()>*>(EVP_PKEY_CTX_get_app_data(c));
          return stop() ? 0 : 1;
        });
      }
      if (ctx && EVP_PKEY_keygen_init(ctx.get()) == 1 &&
          EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), clampInt(modulusBits)) == 1 &&
          EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), exponent.get()) == 1 &&
          EVP_PKEY_generate(ctx.get(), &generated) == 1) {
        key.reset(generated);
      }
      break;
    }
    case Kind::OTHER:
      KJ_FAIL_REQUIRE("no key generation for this kind of key");
  }
  if (!key) operationError("Key generation failed.");
  auto publicKey = publicPart(key.get());
  return Pair{AsymmetricKey(kj::mv(publicKey), Type::PUBLIC),
              AsymmetricKey(kj::mv(key), Type::PRIVATE)};
}

AsymmetricKey::Kind AsymmetricKey::getKind() const {
  switch (EVP_PKEY_get_base_id(pkey.get())) {
    case EVP_PKEY_RSA: return Kind::RSA;
    case EVP_PKEY_EC: return Kind::EC;
    case EVP_PKEY_ED25519: return Kind::ED25519;
  }
  return Kind::OTHER;
}

kj::StringPtr AsymmetricKey::getCurve() const {
  KJ_IF_MAYBE(curve, curveOf(pkey.get())) {
    return curve->name;
  }
  return "";
}

uint32_t AsymmetricKey::getModulusBytes() const {
  KJ_REQUIRE(getKind() == Kind::RSA);
  return EVP_PKEY_get_size(pkey.get());
}

kj::Array<kj::byte> AsymmetricKey::getPublicExponent() const {
  KJ_REQUIRE(getKind() == Kind::RSA);
  ClearErrorsOnExit clear;
  return fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_E).get());
}

kj::Array<kj::byte> AsymmetricKey::toSpki() const {
  ClearErrorsOnExit clear;
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(pkey.get(), &der);
  auto out = ownedDer(der, length);
  if (out == nullptr) operationError("Public key export failed.");
  return out;
}

kj::Array<kj::byte> AsymmetricKey::toPkcs8() const {
  KJ_REQUIRE(type == Type::PRIVATE);
  ClearErrorsOnExit clear;
  Pkcs8 info(EVP_PKEY2PKCS8(pkey.get()));
  unsigned char* der = nullptr;
  int length = info ? i2d_PKCS8_PRIV_KEY_INFO(info.get(), &der) : 0;
  auto out = ownedDer(der, length);
  if (out == nullptr) operationError("Private key export failed.");
  return out;
}

kj::Array<kj::byte> AsymmetricKey::toRaw() const {
  ClearErrorsOnExit clear;
  if (getKind() == Kind::ED25519) {
    auto out = kj::heapArray<kj::byte>(32);
    size_t length = out.size();
    if (EVP_PKEY_get_raw_public_key(pkey.get(), out.begin(), &length) != 1 || length != 32) {
      operationError("Failed to retrieve public key.");
    }
    return out;
  }
  auto& curve = KJ_REQUIRE_NONNULL(curveOf(pkey.get()), "raw export is for EC and Ed25519 keys");
  auto x = requireBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X);
  auto y = requireBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y);
  auto out = kj::heapArray<kj::byte>(1 + 2 * curve.bytes);
  out[0] = POINT_CONVERSION_UNCOMPRESSED;
  copyInto(out.slice(1, 1 + curve.bytes), fromBn(x.get(), curve.bytes));
  copyInto(out.slice(1 + curve.bytes, out.size()), fromBn(y.get(), curve.bytes));
  return out;
}

KeyComponents AsymmetricKey::toComponents() const {
  ClearErrorsOnExit clear;
  KeyComponents out;
  bool isPrivate = type == Type::PRIVATE;
  switch (getKind()) {
    case Kind::EC: {
      auto& curve = KJ_REQUIRE_NONNULL(curveOf(pkey.get()));
      out.x = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X).get(), curve.bytes);
      out.y = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y).get(), curve.bytes);
      if (isPrivate) {
        out.d = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY).get(), curve.bytes);
      }
      return out;
    }
    case Kind::ED25519: {
      out.x = toRaw();
      if (isPrivate) {
        auto d = kj::heapArray<kj::byte>(32);
        size_t length = d.size();
        if (EVP_PKEY_get_raw_private_key(pkey.get(), d.begin(), &length) != 1 || length != 32) {
          operationError("Failed to retrieve private key.");
        }
        out.d = kj::mv(d);
      }
      return out;
    }
    case Kind::RSA: {
      out.n = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_N).get());
      out.e = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_E).get());
      if (isPrivate) {
        out.d = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_D).get());
        out.p = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR1).get());
        out.q = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR2).get());
        out.dp = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1).get());
        out.dq = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2).get());
        out.qi = fromBn(requireBn(pkey.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1).get());
      }
      return out;
    }
    case Kind::OTHER:
      break;
  }
  KJ_FAIL_REQUIRE("no JWK export for this kind of key");
}

namespace {

// Starts a one-shot sign or verify: the digest, and the RSA padding the scheme needs.
EVP_PKEY_CTX* beginSignature(EVP_MD_CTX* ctx, EVP_PKEY* key, AsymmetricKey::Scheme scheme,
                             kj::StringPtr hash, uint32_t saltLength, bool signing) {
  using Scheme = AsymmetricKey::Scheme;
  const EVP_MD* digest = scheme == Scheme::ED25519 ? nullptr : md(hash);
  EVP_PKEY_CTX* pctx = nullptr;
  int ok = signing ? EVP_DigestSignInit(ctx, &pctx, digest, nullptr, key)
                   : EVP_DigestVerifyInit(ctx, &pctx, digest, nullptr, key);
  if (ok != 1) return nullptr;
  if (scheme == Scheme::RSASSA_PKCS1_V1_5) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return nullptr;
  } else if (scheme == Scheme::RSA_PSS) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, clampInt(saltLength)) != 1) {
      return nullptr;
    }
  }
  return pctx;
}

bool schemeFits(AsymmetricKey::Scheme scheme, AsymmetricKey::Kind kind) {
  using Scheme = AsymmetricKey::Scheme;
  using Kind = AsymmetricKey::Kind;
  switch (scheme) {
    case Scheme::RSASSA_PKCS1_V1_5:
    case Scheme::RSA_PSS: return kind == Kind::RSA;
    case Scheme::ECDSA: return kind == Kind::EC;
    case Scheme::ED25519: return kind == Kind::ED25519;
  }
  return false;
}

}  // namespace

kj::Array<kj::byte> AsymmetricKey::sign(Scheme scheme, kj::StringPtr hash,
                                        kj::ArrayPtr<const kj::byte> data,
                                        uint32_t saltLength) const {
  KJ_REQUIRE(type == Type::PRIVATE && schemeFits(scheme, getKind()),
             "the caller checks the key's type and algorithm");
  ClearErrorsOnExit clear;
  MdCtx ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (!ctx || beginSignature(ctx.get(), pkey.get(), scheme, hash, saltLength, true) == nullptr ||
      EVP_DigestSign(ctx.get(), nullptr, &length, nonNull(data), data.size()) != 1) {
    operationError("Signing failed.");
  }
  auto signature = kj::heapArray<kj::byte>(length);
  if (EVP_DigestSign(ctx.get(), signature.begin(), &length, nonNull(data), data.size()) != 1) {
    operationError("Signing failed.");
  }
  if (scheme != Scheme::ECDSA) return kj::heapArray<kj::byte>(signature.slice(0, length));

  // OpenSSL's ECDSA signatures are DER; WebCrypto's are r || s at the curve's width.
  auto& curve = KJ_REQUIRE_NONNULL(curveOf(pkey.get()));
  const unsigned char* p = signature.begin();
  EcdsaSig parsed(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(length)));
  KJ_ASSERT(parsed != nullptr, "OpenSSL made an ECDSA signature it cannot parse");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(parsed.get(), &r, &s);
  auto out = kj::heapArray<kj::byte>(2 * curve.bytes);
  copyInto(out.slice(0, curve.bytes), fromBn(r, curve.bytes));
  copyInto(out.slice(curve.bytes, out.size()), fromBn(s, curve.bytes));
  return out;
}

bool AsymmetricKey::verify(Scheme scheme, kj::StringPtr hash,
                           kj::ArrayPtr<const kj::byte> signature,
                           kj::ArrayPtr<const kj::byte> data, uint32_t saltLength) const {
  KJ_REQUIRE(type == Type::PUBLIC && schemeFits(scheme, getKind()),
             "the caller checks the key's type and algorithm");
  ClearErrorsOnExit clear;
  kj::Array<kj::byte> der;
  if (scheme == Scheme::ECDSA) {
    auto& curve = KJ_REQUIRE_NONNULL(curveOf(pkey.get()));
    if (signature.size() != 2 * curve.bytes) return false;
    EcdsaSig sig(ECDSA_SIG_new());
    auto r = toBn(signature.slice(0, curve.bytes));
    auto s = toBn(signature.slice(curve.bytes, signature.size()));
    KJ_ASSERT(sig != nullptr && ECDSA_SIG_set0(sig.get(), r.get(), s.get()) == 1, "ECDSA_SIG_set0 failed");
    r.release();  // owned by `sig` now
    s.release();
    unsigned char* encoded = nullptr;
    int length = i2d_ECDSA_SIG(sig.get(), &encoded);
    der = ownedDer(encoded, length);
    KJ_ASSERT(der != nullptr, "i2d_ECDSA_SIG failed");
    signature = der;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || beginSignature(ctx.get(), pkey.get(), scheme, hash, saltLength, false) == nullptr) {
    operationError("Verification failed.");
  }
  return EVP_DigestVerify(ctx.get(), nonNull(signature), signature.size(), nonNull(data),
                          data.size()) == 1;
}

}  // namespace loaderd::crypto
