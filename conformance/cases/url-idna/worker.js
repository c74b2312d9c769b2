// Domain to ASCII (UTS #46 as the URL Standard uses it): mapping, ignored and disallowed code
// points, Punycode, CheckBidi and CheckJoiners, through the host parser and the host setter.
const HOSTS = [
  "EXAMPLE.com", "faß.de", "FASS.de", "ẞ.de", "σ.gr", "Σ.gr", "ς.gr", "ΌΣΟΣ.gr", "İstanbul.tr", "ǅ.x",
  "Ｅｘａｍｐｌｅ．ｃｏｍ", "a。b｡c．d", "ﬀ.x", "Ⅻ.x", "①.x", "㍱.x", "ｶﾞ.jp", "u\u0308.x", "ü.x", "ᾀ.gr", "ᾈ.gr",
  "ͅ.gr", "ϐ.gr", "Ꭰ.x", "ꭰ.x", "ᏸ.x", "ᲀ.ru", "™.x", "℃.x", "½.x", "𝐀.x", "Ⓐ.x", "ℌ.x", "ﻻ.x",
  "a\u00ADb.x", "a\u200Bb.x", "a\u2060b.x", "a\uFEFFb.x", "a\uFE0Fb.x", "a\u180Eb.x", "a\u115Fb.x",
  "a\u3164b.x", "a\u17B4b.x", "a\u206Ab.x", "\u00AD.x", "a\u2065b.x", "a\u200Eb.x", "a\u2028b.x",
  "a\uE000b.x", "a\uFFFDb.x", "a\uFDD0b.x", "a\u0378b.x", "a\u2FF0b.x", "a⒈b.x", "a․b.x", "a‥b.x",
  "a﹒b.x", "a㏇b.x", "a🄀b.x", "a🄁b.x", "a⑴b.x", "a\u00A0b.x", "a\u3000b.x", "a%b.x", "a%2Eb.x",
  "%E2%82%AC.x", "%C3%BC.x", "%FF.x", "\u0301a.x", "a\u0301.x", "日本語.jp", "한국.kr", "ไทย.th",
  "😀.x", "≠.x", "≮.x", "-x.y", "x-.y", "ab--c.y", "a†--.y", "x..y", "y.", ".y", "xn--zca.de",
  "XN--ZCA.de", "xn--nxasmm1c.gr", "ي.x", "a.ي", "ي.1", "1.ي", "يa.x", "ي١.x", "ي۱.x", "١٢.x",
  "עברית.il", "a\u05D0.x", "ي\u064B.x", "ـa.x", "a؟b.x", "a؇b.x", "a٪b.x", "ශ්\u200Dරී.lk",
  "نامه\u200Cای.ir", "a\u200Db.x", "a\u200Cb.x", "क्\u200Dष.in", "x01234567890123456789012345678901234567890123456789012345678901†.y",
];

export default {
  fetch() {
    const parsed = HOSTS.map((host) => {
      try { return new URL(`https://${host}/`).host; } catch { return null; }
    });
    const viaSetter = HOSTS.map((host) => {
      const url = new URL("https://unchanged/");
      url.hostname = host;
      return url.hostname;
    });
    const opaque = ["ñ.x", "A%zz", "a b", "[::1]", "x%00"].map((host) => {
      try { return new URL(`sc://${host}/`).host; } catch { return null; }
    });
    return Response.json({ parsed: Object.fromEntries(HOSTS.map((h, i) => [h, parsed[i]])),
      setterAgrees: HOSTS.filter((h, i) => (parsed[i] ?? "unchanged") !== viaSetter[i]), opaque });
  },
};
