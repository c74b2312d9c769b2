#include "crypto-key.h"

#include <kj/debug.h>

namespace loaderd::api {

namespace {

using Kind = crypto::AsymmetricKey::Kind;
using Scheme = crypto::AsymmetricKey::Scheme;

Kind parseKind(kj::StringPtr kind) {
  if (kind == "RSA") return Kind::RSA;
  if (kind == "EC") return Kind::EC;
  if (kind == "Ed25519") return Kind::ED25519;
  KJ_FAIL_REQUIRE("unknown key kind; crypto-asymmetric.js passes one of ours", kind);
}

Scheme parseScheme(kj::StringPtr scheme) {
  if (scheme == "RSASSA-PKCS1-v1_5") return Scheme::RSASSA_PKCS1_V1_5;
  if (scheme == "RSA-PSS") return Scheme::RSA_PSS;
  if (scheme == "ECDSA") return Scheme::ECDSA;
  if (scheme == "Ed25519") return Scheme::ED25519;
  KJ_FAIL_REQUIRE("unknown signature scheme; crypto-asymmetric.js passes one of ours", scheme);
}

uint32_t saltBytes(double saltLength) {
  KJ_REQUIRE(saltLength >= 0 && saltLength <= 0x7fffffff, "the caller checks saltLength");
  return static_cast<uint32_t>(saltLength);
}

}  // namespace

kj::Own<AsymmetricKey> AsymmetricKey::fromDer(kj::StringPtr format,
                                              kj::ArrayPtr<const kj::byte> der) {
  if (format == "spki") return kj::refcounted<AsymmetricKey>(crypto::AsymmetricKey::fromSpki(der));
  KJ_REQUIRE(format == "pkcs8", format);
  return kj::refcounted<AsymmetricKey>(crypto::AsymmetricKey::fromPkcs8(der));
}

kj::Own<AsymmetricKey> AsymmetricKey::fromRaw(kj::StringPtr kind, kj::StringPtr curve,
                                              kj::ArrayPtr<const kj::byte> raw) {
  return kj::refcounted<AsymmetricKey>(
      crypto::AsymmetricKey::fromRaw(parseKind(kind), curve, raw));
}

kj::Own<AsymmetricKey> AsymmetricKey::fromJwk(kj::StringPtr kind, kj::StringPtr curve,
                                              JwkNumbers numbers) {
  crypto::KeyComponents components{
      kj::mv(numbers.x),  kj::mv(numbers.y),  kj::mv(numbers.d),  kj::mv(numbers.n),
      kj::mv(numbers.e),  kj::mv(numbers.p),  kj::mv(numbers.q),  kj::mv(numbers.dp),
      kj::mv(numbers.dq), kj::mv(numbers.qi)};
  return kj::refcounted<AsymmetricKey>(
      crypto::AsymmetricKey::fromComponents(parseKind(kind), curve, kj::mv(components)));
}

kj::Array<kj::Own<AsymmetricKey>> AsymmetricKey::generate(
    kj::StringPtr kind, kj::StringPtr curve, uint32_t modulusBits,
    kj::ArrayPtr<const kj::byte> publicExponent, kj::FunctionParam<bool()> interrupted) {
  auto pair = crypto::AsymmetricKey::generate(parseKind(kind), curve, modulusBits, publicExponent,
                                              interrupted);
  return kj::arr(kj::refcounted<AsymmetricKey>(kj::mv(pair.publicKey)),
                 kj::refcounted<AsymmetricKey>(kj::mv(pair.privateKey)));
}

kj::StringPtr AsymmetricKey::getKind() {
  switch (key.getKind()) {
    case Kind::RSA: return "RSA";
    case Kind::EC: return "EC";
    case Kind::ED25519: return "Ed25519";
    case Kind::OTHER: return "other";
  }
  KJ_UNREACHABLE;
}

kj::StringPtr AsymmetricKey::getType() {
  return key.getType() == crypto::AsymmetricKey::Type::PUBLIC ? "public" : "private";
}

kj::StringPtr AsymmetricKey::getCurve() { return key.getCurve(); }

double AsymmetricKey::getModulusLength() { return key.getModulusBytes() * 8.0; }

kj::Array<kj::byte> AsymmetricKey::getPublicExponent() { return key.getPublicExponent(); }

kj::Array<kj::byte> AsymmetricKey::exportKey(kj::String format) {
  if (format == "spki") return key.toSpki();
  if (format == "pkcs8") return key.toPkcs8();
  KJ_REQUIRE(format == "raw", format);
  return key.toRaw();
}

JwkNumbers AsymmetricKey::exportJwk() {
  auto c = key.toComponents();
  return JwkNumbers{kj::mv(c.x), kj::mv(c.y), kj::mv(c.d),  kj::mv(c.n),  kj::mv(c.e),
                    kj::mv(c.p), kj::mv(c.q), kj::mv(c.dp), kj::mv(c.dq), kj::mv(c.qi)};
}

kj::Array<kj::byte> AsymmetricKey::sign(kj::String scheme, kj::String hash,
                                        kj::Array<kj::byte> data, double saltLength) {
  return key.sign(parseScheme(scheme), hash, data, saltBytes(saltLength));
}

bool AsymmetricKey::verify(kj::String scheme, kj::String hash, kj::Array<kj::byte> signature,
                           kj::Array<kj::byte> data, double saltLength) {
  return key.verify(parseScheme(scheme), hash, signature, data, saltBytes(saltLength));
}

}  // namespace loaderd::api
