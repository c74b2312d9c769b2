#include "crypto.h"

#include "js.h"
#include <gtest/gtest.h>
#include <kj/debug.h>
#include <kj/encoding.h>
#include <openssl/evp.h>

namespace loaderd::crypto {
namespace {

using Key = AsymmetricKey;

kj::ArrayPtr<const kj::byte> bytes(kj::StringPtr text) { return text.asBytes(); }
bool never() { return false; }

// "DataError: Invalid SPKI input." for a js::Error DOMException, "ok" when `f` returns.
template <typename F>
kj::String errorOf(F&& f) {
  try {
    f();
  } catch (js::Error& e) {
    return kj::str(e.domName, ": ", e.message);
  }
  return kj::str("ok");
}

TEST(Pbkdf2, MatchesOpenSslAndRfc6070) {
  // RFC 6070, SHA-1: P = "password", S = "salt", c = 4096, dkLen = 20.
  auto dk1 = pbkdf2("SHA-1", bytes("password"), bytes("salt"), 1, 20, never);
  EXPECT_EQ(kj::encodeHex(dk1), "0c60c80f961f0e71f3a9b524af6012062fe037a6");
  auto dk = pbkdf2("SHA-1", bytes("password"), bytes("salt"), 4096, 20, never);
  EXPECT_EQ(kj::encodeHex(dk), "4b007901b765489abead49d926f721d065a429c1");
  // Against OpenSSL's own, over hashes, key lengths around the block size, and lengths that
  // end mid-block.
  for (auto hash: {"SHA-1", "SHA-256", "SHA-384", "SHA-512"}) {
    for (size_t keyLength: {0, 1, 64, 65, 128, 129, 300}) {
      auto key = kj::heapArray<kj::byte>(keyLength);
      for (size_t i = 0; i < keyLength; i++) key[i] = static_cast<kj::byte>(i * 7 + 1);
      for (size_t length: {1, 20, 33, 100}) {
        auto ours = pbkdf2(hash, key, bytes("NaCl"), 1500, length, never);
        auto theirs = kj::heapArray<kj::byte>(length);
        ASSERT_EQ(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(key.begin()), key.size(),
                                    bytes("NaCl").begin(), 4, 1500,
                                    EVP_get_digestbyname(kj::str(hash).cStr()), length,
                                    theirs.begin()), 1);
        EXPECT_EQ(ours, theirs) << hash << " key " << keyLength << " length " << length;
      }
    }
  }
}

TEST(Pbkdf2, StopsWhenInterrupted) {
  // 10^8 iterations would take minutes; the predicate is asked every 1,024.
  int asked = 0;
  EXPECT_EQ(errorOf([&] {
    pbkdf2("SHA-256", bytes("k"), bytes("s"), 100000000, 32, [&] { return ++asked == 3; });
  }), "OperationError: PBKDF2 was interrupted.");
  EXPECT_EQ(asked, 3);
}

TEST(AsymmetricKey, RsaGenerationStopsWhenInterrupted) {
  auto exponent = kj::heapArray<kj::byte>({1, 0, 1});
  int asked = 0;
  EXPECT_EQ(errorOf([&] {
    Key::generate(Key::Kind::RSA, "", 16384, exponent, [&] { return ++asked >= 5; });
  }), "OperationError: Key generation failed.");
  // OpenSSL asks a few more times on its way out.
  EXPECT_GE(asked, 5);
  EXPECT_LT(asked, 100);
}

TEST(AsymmetricKey, Ed25519SignsDeterministicallyAndRoundTrips) {
  auto pair = Key::generate(Key::Kind::ED25519, "", 0, nullptr, never);
  EXPECT_EQ(pair.privateKey.getKind(), Key::Kind::ED25519);
  EXPECT_EQ(pair.publicKey.getType(), Key::Type::PUBLIC);
  auto sig = pair.privateKey.sign(Key::Scheme::ED25519, "", bytes("hello"), 0);
  EXPECT_EQ(sig.size(), 64);
  EXPECT_EQ(sig, pair.privateKey.sign(Key::Scheme::ED25519, "", bytes("hello"), 0));
  EXPECT_TRUE(pair.publicKey.verify(Key::Scheme::ED25519, "", sig, bytes("hello"), 0));
  EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::ED25519, "", sig, bytes("hellO"), 0));

  auto raw = pair.publicKey.toRaw();
  EXPECT_EQ(raw.size(), 32);
  auto fromRaw = Key::fromRaw(Key::Kind::ED25519, "", raw);
  EXPECT_TRUE(fromRaw.verify(Key::Scheme::ED25519, "", sig, bytes("hello"), 0));
  EXPECT_EQ(Key::fromSpki(pair.publicKey.toSpki()).toRaw(), raw);

  // A private key rebuilt from its JWK seed signs the same.
  auto components = pair.privateKey.toComponents();
  EXPECT_EQ(KJ_ASSERT_NONNULL(components.x).asPtr(), raw.asPtr());
  auto rebuilt = Key::fromComponents(Key::Kind::ED25519, "", kj::mv(components));
  EXPECT_EQ(rebuilt.getType(), Key::Type::PRIVATE);
  EXPECT_EQ(rebuilt.sign(Key::Scheme::ED25519, "", bytes("hello"), 0), sig);
  EXPECT_EQ(Key::fromPkcs8(pair.privateKey.toPkcs8()).toPkcs8(), pair.privateKey.toPkcs8());
}

TEST(AsymmetricKey, EcdsaSignaturesAreRAndS) {
  for (auto curve: {"P-256"_kj, "P-384"_kj, "P-521"_kj}) {
    size_t width = curve == "P-256" ? 32 : curve == "P-384" ? 48 : 66;
    auto pair = Key::generate(Key::Kind::EC, curve, 0, nullptr, never);
    EXPECT_EQ(pair.publicKey.getCurve(), curve);
    auto sig = pair.privateKey.sign(Key::Scheme::ECDSA, "SHA-256", bytes("data"), 0);
    ASSERT_EQ(sig.size(), 2 * width);
    EXPECT_TRUE(pair.publicKey.verify(Key::Scheme::ECDSA, "SHA-256", sig, bytes("data"), 0));
    EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::ECDSA, "SHA-384", sig, bytes("data"), 0));
    EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::ECDSA, "SHA-256", sig.slice(1, sig.size()),
                                       bytes("data"), 0));
    auto zeros = kj::heapArray<kj::byte>(2 * width);
    memset(zeros.begin(), 0, zeros.size());
    EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::ECDSA, "SHA-256", zeros, bytes("data"), 0));

    // Uncompressed and compressed points name the same key.
    auto raw = pair.publicKey.toRaw();
    ASSERT_EQ(raw.size(), 1 + 2 * width);
    EXPECT_EQ(raw[0], 4);
    auto compressed = kj::heapArray<kj::byte>(1 + width);
    compressed[0] = 2 + (raw[raw.size() - 1] & 1);
    memcpy(compressed.begin() + 1, raw.begin() + 1, width);
    EXPECT_EQ(Key::fromRaw(Key::Kind::EC, curve, compressed).toRaw(), raw);
    EXPECT_EQ(Key::fromRaw(Key::Kind::EC, curve, raw).toSpki(), pair.publicKey.toSpki());

    auto components = pair.privateKey.toComponents();
    EXPECT_EQ(KJ_ASSERT_NONNULL(components.d).size(), width);
    auto rebuilt = Key::fromComponents(Key::Kind::EC, curve, kj::mv(components));
    EXPECT_EQ(rebuilt.toPkcs8(), pair.privateKey.toPkcs8());
  }
}

TEST(AsymmetricKey, RsaPkcs1AndPss) {
  uint8_t exponent[] = {1, 0, 1};
  auto pair = Key::generate(Key::Kind::RSA, "", 1024, exponent, never);
  EXPECT_EQ(pair.publicKey.getModulusBytes(), 128);
  EXPECT_EQ(pair.publicKey.getPublicExponent().asPtr(), kj::arrayPtr(exponent, 3).asConst());
  auto pkcs1 = pair.privateKey.sign(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256", bytes("m"), 0);
  EXPECT_EQ(pkcs1, pair.privateKey.sign(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256", bytes("m"), 0));
  EXPECT_TRUE(pair.publicKey.verify(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256", pkcs1, bytes("m"), 0));
  EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256",
                                     pkcs1.slice(0, 127), bytes("m"), 0));

  auto pss = pair.privateKey.sign(Key::Scheme::RSA_PSS, "SHA-256", bytes("m"), 32);
  EXPECT_TRUE(pair.publicKey.verify(Key::Scheme::RSA_PSS, "SHA-256", pss, bytes("m"), 32));
  EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::RSA_PSS, "SHA-256", pss, bytes("m"), 20));
  EXPECT_FALSE(pair.publicKey.verify(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256", pss, bytes("m"), 0));

  // n, e and d alone sign as the whole key does.
  auto components = pair.privateKey.toComponents();
  components.p = nullptr;
  components.q = nullptr;
  components.dp = nullptr;
  components.dq = nullptr;
  components.qi = nullptr;
  auto rebuilt = Key::fromComponents(Key::Kind::RSA, "", kj::mv(components));
  EXPECT_EQ(rebuilt.sign(Key::Scheme::RSASSA_PKCS1_V1_5, "SHA-256", bytes("m"), 0), pkcs1);
}

TEST(AsymmetricKey, DerErrors) {
  uint8_t junk[] = {1, 2, 3};
  EXPECT_EQ(errorOf([&] { Key::fromSpki(junk); }), "DataError: Invalid SPKI input.");
  EXPECT_EQ(errorOf([&] { Key::fromPkcs8(junk); }), "DataError: Invalid PKCS8 input.");
  EXPECT_EQ(errorOf([&] { Key::fromSpki(nullptr); }), "DataError: Invalid SPKI input.");

  auto pair = Key::generate(Key::Kind::ED25519, "", 0, nullptr, never);
  auto spki = pair.publicKey.toSpki();
  auto longer = kj::heapArray<kj::byte>(spki.size() + 2);
  memset(longer.begin(), 0, longer.size());
  memcpy(longer.begin(), spki.begin(), spki.size());
  EXPECT_EQ(errorOf([&] { Key::fromSpki(longer); }),
            "DataError: Invalid 2 trailing bytes after SPKI input.");
  EXPECT_EQ(errorOf([&] { Key::fromPkcs8(spki); }), "DataError: Invalid PKCS8 input.");
}

TEST(AsymmetricKey, EcPointErrorsAreWorkerds) {
  auto point = kj::heapArray<kj::byte>(65);
  memset(point.begin(), 0, point.size());
  point[0] = 4;
  point[64] = 1;  // (0, 1) is not on P-256
  EXPECT_EQ(errorOf([&] { Key::fromRaw(Key::Kind::EC, "P-256", point); }),
            "DataError: Failed to import raw EC key data: Point is not on curve..");
  memset(point.begin() + 1, 0xff, 64);  // coordinates past the field's prime
  EXPECT_EQ(errorOf([&] { Key::fromRaw(Key::Kind::EC, "P-256", point); }),
            "DataError: Failed to import raw EC key data.");
  EXPECT_EQ(errorOf([&] { Key::fromRaw(Key::Kind::EC, "P-384", point); }),
            "DataError: Failed to import raw EC key data: Invalid point encoding..");
  uint8_t infinity[] = {0};
  EXPECT_EQ(errorOf([&] { Key::fromRaw(Key::Kind::EC, "P-256", infinity); }),
            "DataError: Failed to import raw EC key data: Invalid point encoding..");
}

TEST(AsymmetricKey, EcJwkErrorsAreWorkerds) {
  auto p256 = Key::generate(Key::Kind::EC, "P-256", 0, nullptr, never).privateKey.toComponents();
  auto other = Key::generate(Key::Kind::EC, "P-256", 0, nullptr, never).privateKey.toComponents();
  auto copy = [](kj::Maybe<kj::Array<kj::byte>>& from) {
    return kj::heapArray<kj::byte>(KJ_ASSERT_NONNULL(from));
  };

  KeyComponents offCurve;
  offCurve.x = copy(p256.x);
  offCurve.y = copy(p256.x);
  EXPECT_EQ(errorOf([&] { Key::fromComponents(Key::Kind::EC, "P-256", kj::mv(offCurve)); }),
            "OperationError: Invalid EC key; public key coordinates \"x\" and \"y\" are invalid: "
            "Point is not on curve..");

  KeyComponents zero;
  zero.x = copy(p256.x);
  zero.y = copy(p256.y);
  zero.d = kj::heapArray<kj::byte>(0);
  EXPECT_EQ(errorOf([&] { Key::fromComponents(Key::Kind::EC, "P-256", kj::mv(zero)); }),
            "OperationError: Invalid EC key; private key component \"d\" is invalid.");

  KeyComponents mismatched;
  mismatched.x = copy(p256.x);
  mismatched.y = copy(p256.y);
  mismatched.d = copy(other.d);
  EXPECT_EQ(errorOf([&] { Key::fromComponents(Key::Kind::EC, "P-256", kj::mv(mismatched)); }),
            "DataError: Invalid EC key in JSON Web Key.");
}

}  // namespace
}  // namespace loaderd::crypto
