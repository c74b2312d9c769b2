#include "crypto.h"

#include "js.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
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

kj::Array<kj::byte> pbkdf2(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> password,
                           kj::ArrayPtr<const kj::byte> salt, uint32_t iterations,
                           size_t length) {
  if (iterations == 0) operationError("PBKDF2 requires at least one iteration.");
  auto out = kj::heapArray<kj::byte>(length);
  if (!PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.begin()),
                         clampInt(password.size()), salt.begin(), clampInt(salt.size()),
                         static_cast<int>(iterations), md(hash), clampInt(length), out.begin())) {
    operationError("PBKDF2 failed.");
  }
  return out;
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

}  // namespace loaderd::crypto
