// The one OpenSSL wrapper: every cryptographic operation of the runtime goes through these
// functions, and no EVP_* handle is used outside crypto.c++ (a BoringSSL build could replace
// this file alone). Failures throw js::Error DOMException "OperationError".
#pragma once

#include <kj/array.h>
#include <kj/string.h>
#include <cstdint>

namespace loaderd::crypto {

enum class Direction { ENCRYPT, DECRYPT };

// `hash` is a WebCrypto name: "SHA-1", "SHA-256", "SHA-384" or "SHA-512"; others throw
// NotSupportedError.
kj::Array<kj::byte> digest(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> data);
kj::Array<kj::byte> hmac(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> key,
                         kj::ArrayPtr<const kj::byte> data);
size_t hashLength(kj::StringPtr hash);
kj::Array<kj::byte> pbkdf2(kj::StringPtr hash, kj::ArrayPtr<const kj::byte> password,
                           kj::ArrayPtr<const kj::byte> salt, uint32_t iterations,
                           size_t length);
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

}  // namespace loaderd::crypto
