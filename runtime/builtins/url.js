// URL and URLSearchParams: the WHATWG URL Standard (https://url.spec.whatwg.org/), with
// workerd's error messages. The parser works on UTF-16 code units of a USVString: only ASCII
// code points steer the state machine, and non-ASCII ones are UTF-8 percent-encoded or handed to
// the host parser whole, so surrogate pairs never need to be split.
"use strict";

const ILLEGAL_INVOCATION = "Illegal invocation: function called with incorrect `this` " +
  "reference. See https://developers.cloudflare.com/workers/observability/errors/" +
  "#illegal-invocation-errors for details.";
const INVALID_URL = "Invalid URL string.";

// ---------------------------------------------------------------------------------------------
// Strings and bytes

const EOF = -1;

// WebIDL USVString conversion: ToString (a Symbol throws), then lone surrogates become U+FFFD.
function toUSVString(value) {
  const s = typeof value === "string" ? value : `${value}`;
  return LONE_SURROGATE_CANDIDATE.test(s) ? replaceLoneSurrogates(s) : s;
}
const LONE_SURROGATE_CANDIDATE = /[\uD800-\uDFFF]/;

function replaceLoneSurrogates(s) {
  let out = "";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
    }
    out += s.slice(start, i) + "\uFFFD";
    start = i + 1;
  }
  return out + s.slice(start);
}

// "%XX" for every byte value.
const HEX_BYTE = [];
for (let b = 0; b < 256; b++) HEX_BYTE.push("%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase());

// Percent-encode sets as bits; ENCODE_SET[c] holds the sets ASCII code point c belongs to. All
// code points above U+007E belong to every set.
const C0_CONTROL_SET = 1, FRAGMENT_SET = 2, QUERY_SET = 4, SPECIAL_QUERY_SET = 8, PATH_SET = 16,
  USERINFO_SET = 32, COMPONENT_SET = 64, FORM_SET = 128;
const ENCODE_SET = new Uint8Array(128);
{
  const add = (bits, chars) => { for (const ch of chars) ENCODE_SET[ch.charCodeAt(0)] |= bits; };
  for (let c = 0; c < 0x20; c++) ENCODE_SET[c] = 0xff;
  ENCODE_SET[0x7f] = 0xff;
  add(FRAGMENT_SET, " \"<>`");
  add(QUERY_SET | SPECIAL_QUERY_SET | PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET,
    " \"#<>");
  add(SPECIAL_QUERY_SET, "'");
  // "^" joined the path set in 2025 (whatwg/url#846); workerd encodes it too.
  add(PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET, "?^`{}");
  add(USERINFO_SET | COMPONENT_SET | FORM_SET, "/:;=@[\\]|");
  add(COMPONENT_SET | FORM_SET, "$%&+,");
  add(FORM_SET, "!'()~");
}

function utf8PercentEncodeCodePoint(cp) {
  if (cp < 0x80) return HEX_BYTE[cp];
  if (cp < 0x800) return HEX_BYTE[0xc0 | (cp >> 6)] + HEX_BYTE[0x80 | (cp & 0x3f)];
  if (cp < 0x10000) {
    return HEX_BYTE[0xe0 | (cp >> 12)] + HEX_BYTE[0x80 | ((cp >> 6) & 0x3f)] +
      HEX_BYTE[0x80 | (cp & 0x3f)];
  }
  return HEX_BYTE[0xf0 | (cp >> 18)] + HEX_BYTE[0x80 | ((cp >> 12) & 0x3f)] +
    HEX_BYTE[0x80 | ((cp >> 6) & 0x3f)] + HEX_BYTE[0x80 | (cp & 0x3f)];
}

// UTF-8 percent-encodes every code point of s in the set `bits`; spaceAsPlus is the
// application/x-www-form-urlencoded serializer's rule.
function percentEncode(s, bits, spaceAsPlus = false) {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x7f || (ENCODE_SET[c] & bits) !== 0) break;
  }
  if (i === n) return s;
  let out = s.slice(0, i);
  let start = i;
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x7f && (ENCODE_SET[c] & bits) === 0) continue;
    out += s.slice(start, i);
    if (c < 0x80) {
      out += spaceAsPlus && c === 0x20 ? "+" : HEX_BYTE[c];
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      }
      out += utf8PercentEncodeCodePoint(c);
    }
    start = i + 1;
  }
  return out + s.slice(start);
}

function hexValue(c) {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

// Percent-decodes s (as its UTF-8 bytes) and UTF-8 decodes the result without BOM, replacing
// invalid sequences with U+FFFD. plusAsSpace is the form-urlencoded parser's rule.
function percentDecodeToString(s, plusAsSpace = false) {
  if (s.indexOf("%") === -1) return plusAsSpace && s.indexOf("+") !== -1 ? s.replace(/\+/g, " ") : s;
  const n = s.length;
  const bytes = new Uint8Array(n * 3);
  let len = 0;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < n) {
      const h = hexValue(s.charCodeAt(i + 1)), l = hexValue(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        bytes[len++] = (h << 4) | l;
        i += 2;
        continue;
      }
      bytes[len++] = c;
    } else if (c < 0x80) {
      bytes[len++] = plusAsSpace && c === 0x2b ? 0x20 : c;
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x800) {
        bytes[len++] = 0xc0 | (c >> 6);
      } else {
        if (c < 0x10000) {
          bytes[len++] = 0xe0 | (c >> 12);
        } else {
          bytes[len++] = 0xf0 | (c >> 18);
          bytes[len++] = 0x80 | ((c >> 12) & 0x3f);
        }
        bytes[len++] = 0x80 | ((c >> 6) & 0x3f);
      }
      bytes[len++] = 0x80 | (c & 0x3f);
    }
  }
  return utf8DecodeLossy(bytes, len);
}

// The Encoding Standard's UTF-8 decoder with replacement (maximal subparts become U+FFFD).
function utf8DecodeLossy(bytes, len) {
  let out = "";
  let units = [];
  for (let i = 0; i < len;) {
    const b = bytes[i++];
    if (b < 0x80) {
      units.push(b);
    } else {
      let need = 0, cp = 0, lower = 0x80, upper = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
      else if (b >= 0xe0 && b <= 0xef) {
        need = 2; cp = b & 0xf;
        if (b === 0xe0) lower = 0xa0; else if (b === 0xed) upper = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3; cp = b & 0x7;
        if (b === 0xf0) lower = 0x90; else if (b === 0xf4) upper = 0x8f;
      }
      let ok = need > 0;
      for (let k = 0; ok && k < need; k++) {
        const next = i < len ? bytes[i] : -1;
        if (next < lower || next > upper) { ok = false; break; }
        lower = 0x80; upper = 0xbf;
        cp = (cp << 6) | (next & 0x3f);
        i++;
      }
      if (!ok) units.push(0xfffd);
      else if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + (cp & 0x3ff));
      else units.push(cp);
    }
    if (units.length >= 4096) {
      out += String.fromCharCode.apply(null, units);
      units = [];
    }
  }
  return out + String.fromCharCode.apply(null, units);
}

function isAsciiAlpha(c) { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a; }
function isAsciiDigit(c) { return c >= 0x30 && c <= 0x39; }

// ---------------------------------------------------------------------------------------------
// Punycode (RFC 3492) on arrays of code points

const PUNY_BASE = 36, PUNY_TMIN = 1, PUNY_TMAX = 26, PUNY_SKEW = 38, PUNY_DAMP = 700;
const PUNY_MAXINT = 0x7fffffff;

function punyAdapt(delta, numPoints, firstTime) {
  delta = firstTime ? Math.floor(delta / PUNY_DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) >> 1) {
    delta = Math.floor(delta / (PUNY_BASE - PUNY_TMIN));
    k += PUNY_BASE;
  }
  return k + Math.floor(((PUNY_BASE - PUNY_TMIN + 1) * delta) / (delta + PUNY_SKEW));
}

// Decodes a Punycode string (without "xn--") to a string, or returns null.
function punycodeDecode(input) {
  const output = [];
  const delimiter = input.lastIndexOf("-");
  for (let j = 0; j < delimiter; j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    output.push(c);
  }
  let n = 128, i = 0, bias = 72;
  for (let pos = delimiter > 0 ? delimiter + 1 : 0; pos < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = PUNY_BASE; ; k += PUNY_BASE) {
      if (pos >= input.length) return null;
      const c = input.charCodeAt(pos++);
      const digit = c >= 0x30 && c <= 0x39 ? c - 22 : c >= 0x41 && c <= 0x5a ? c - 0x41
        : c >= 0x61 && c <= 0x7a ? c - 0x61 : PUNY_BASE;
      if (digit >= PUNY_BASE || digit > Math.floor((PUNY_MAXINT - i) / w)) return null;
      i += digit * w;
      const t = k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(PUNY_MAXINT / (PUNY_BASE - t))) return null;
      w *= PUNY_BASE - t;
    }
    const count = output.length + 1;
    bias = punyAdapt(i - oldi, count, oldi === 0);
    if (Math.floor(i / count) > PUNY_MAXINT - n) return null;
    n += Math.floor(i / count);
    i %= count;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

// Encodes a string to Punycode (without "xn--"), or returns null on overflow.
function punycodeEncode(input) {
  const cps = Array.from(input, (ch) => ch.codePointAt(0));
  let output = "";
  for (const cp of cps) if (cp < 0x80) output += String.fromCharCode(cp);
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += "-";
  let n = 128, delta = 0, bias = 72;
  const digit = (d) => String.fromCharCode(d < 26 ? d + 0x61 : d + 22);
  while (handled < cps.length) {
    let m = PUNY_MAXINT;
    for (const cp of cps) if (cp >= n && cp < m) m = cp;
    if (m - n > Math.floor((PUNY_MAXINT - delta) / (handled + 1))) return null;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of cps) {
      if (cp < n && ++delta > PUNY_MAXINT) return null;
      if (cp === n) {
        let q = delta;
        for (let k = PUNY_BASE; ; k += PUNY_BASE) {
          const t = k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
          if (q < t) break;
          output += digit(t + ((q - t) % (PUNY_BASE - t)));
          q = Math.floor((q - t) / (PUNY_BASE - t));
        }
        output += digit(q);
        bias = punyAdapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// UTS #46 ToASCII as the URL Standard calls it (CheckHyphens, UseSTD3ASCIIRules, VerifyDnsLength
// and Transitional_Processing false; CheckBidi and CheckJoiners true). V8 has no IDNA tables, so
// the mapping is approximated with NFKC and Unicode lowercasing plus UTS #46's special cases, and
// validity with Unicode general categories and scripts.
// TODO(conformance): a generated UTS #46 mapping table would make the rare differences vanish.

// Unicode property classes are built on first use: parsing them takes milliseconds of ICU work
// in every isolate, and most isolates only ever see ASCII hosts.
const lazyRegExp = (make) => {
  let re;
  return { test: (s) => (re ??= make()).test(s) };
};
const IDNA_IGNORED = /[\u00AD\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0100}-\u{E01EF}]/gu;
const IDNA_DISALLOWED = lazyRegExp(() => /[\p{Cc}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u0080-\u009F\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u200E\u200F\u202A-\u202E\u2065-\u2069\u061C\u0600-\u0605\u06DD\u070F\u08E2\u2FF0-\u2FFF\uFFF9-\uFFFD\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{E0001}\u{E0020}-\u{E007F}]/u);
const IDNA_STARTS_WITH_MARK = lazyRegExp(() => /^\p{M}/u);
const IDNA_VIRAMA = new Set([
  0x094d, 0x09cd, 0x0a4d, 0x0acd, 0x0b4d, 0x0bcd, 0x0c4d, 0x0ccd, 0x0d3b, 0x0d3c, 0x0d4d, 0x0dca,
  0x0e3a, 0x0eba, 0x0f84, 0x1039, 0x103a, 0x1714, 0x1715, 0x1734, 0x17d2, 0x1a60, 0x1b44, 0x1baa,
  0x1bab, 0x1bf2, 0x1bf3, 0x2d7f, 0xa806, 0xa82c, 0xa8c4, 0xa953, 0xa9c0, 0xaaf6, 0xabed, 0x10a3f,
  0x11046, 0x11070, 0x1107f, 0x110b9, 0x11133, 0x11134, 0x111c0, 0x11235, 0x112ea, 0x1134d,
  0x11442, 0x114c2, 0x115bf, 0x1163f, 0x116b6, 0x1172b, 0x11839, 0x1193d, 0x1193e, 0x119e0,
  0x11a34, 0x11a47, 0x11a99, 0x11c3f, 0x11d44, 0x11d45, 0x11d97, 0x11f41, 0x11f42,
]);
// Scripts written right to left: their letters, numbers, punctuation and symbols are mostly
// Bidi_Class R or AL (the exceptions are in RTL_NEUTRAL).
const RTL_SCRIPT = lazyRegExp(() => /[\p{scx=Hebrew}\p{scx=Arabic}\p{scx=Syriac}\p{scx=Thaana}\p{scx=Nko}\p{scx=Samaritan}\p{scx=Mandaic}\p{scx=Adlam}\p{scx=Hanifi_Rohingya}\p{scx=Mende_Kikakui}\p{scx=Imperial_Aramaic}\p{scx=Phoenician}\p{scx=Kharoshthi}\p{scx=Avestan}\p{scx=Old_South_Arabian}\p{scx=Old_North_Arabian}\p{scx=Nabataean}\p{scx=Palmyrene}\p{scx=Manichaean}\p{scx=Psalter_Pahlavi}\p{scx=Inscriptional_Pahlavi}\p{scx=Inscriptional_Parthian}\p{scx=Lydian}\p{Script=Cypriot}\p{scx=Hatran}\p{scx=Old_Hungarian}\p{scx=Sogdian}\p{scx=Old_Sogdian}\p{scx=Elymaic}\p{scx=Chorasmian}\p{scx=Yezidi}\p{scx=Meroitic_Cursive}\p{scx=Meroitic_Hieroglyphs}\p{scx=Old_Turkic}]/u);
// Joining scripts, for the ZERO WIDTH NON-JOINER context rule.
const JOINING_LETTER = lazyRegExp(() => /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Manichaean}\p{Script=Psalter_Pahlavi}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Sogdian}\p{Script=Phags_Pa}]/u);
const MARK = lazyRegExp(() => /\p{M}/u);
const LETTER_OR_NUMBER = lazyRegExp(() => /[\p{L}\p{N}]/u);

function bidiClass(ch, cp) {
  if (cp < 0x80) {
    if (isAsciiAlpha(cp)) return "L";
    if (isAsciiDigit(cp)) return "EN";
    if (cp === 0x2b || cp === 0x2d) return "ES";
    if (cp === 0x2c || cp === 0x2e || cp === 0x2f || cp === 0x3a) return "CS";
    if (cp === 0x23 || cp === 0x24 || cp === 0x25) return "ET";
    return "ON";
  }
  if ((cp >= 0x0660 && cp <= 0x0669) || cp === 0x066b || cp === 0x066c ||
      (cp >= 0x10e60 && cp <= 0x10e7e)) return "AN";
  if (cp >= 0x06f0 && cp <= 0x06f9) return "EN";
  if (MARK.test(ch)) return "NSM";
  if ((RTL_SCRIPT.test(ch) && !RTL_NEUTRAL.has(cp)) || (cp >= 0x1ec71 && cp <= 0x1ed3d)) return "R";
  return LETTER_OR_NUMBER.test(ch) ? "L" : "ON";
}
// Characters of right-to-left scripts that are not Bidi_Class R or AL.
const RTL_NEUTRAL = new Set([0x0606, 0x0607, 0x0608, 0x0609, 0x060a, 0x060c, 0x060e, 0x060f,
  0x066a, 0x06de, 0x06e9, 0x07f6, 0x07f7, 0x07f8, 0x07f9, 0xfd3e, 0xfd3f, 0xfdfd, 0x1eef0,
  0x1eef1]);

// RFC 5893 section 2 for one label; rtlDomain says whether the domain is a Bidi domain name.
function bidiLabelOk(label) {
  const classes = [];
  for (const ch of label) classes.push(bidiClass(ch, ch.codePointAt(0)));
  if (classes.length === 0) return true;
  const first = classes[0];
  if (first !== "L" && first !== "R") return false;
  let last = classes.length - 1;
  while (last > 0 && classes[last] === "NSM") last--;
  if (first === "R") {
    let en = false, an = false;
    for (const k of classes) {
      if (k === "L") return false;
      if (k === "EN") en = true;
      if (k === "AN") an = true;
    }
    const end = classes[last];
    return (end === "R" || end === "EN" || end === "AN") && !(en && an);
  }
  for (const k of classes) if (k === "R" || k === "AN") return false;
  return classes[last] === "L" || classes[last] === "EN";
}

function hasRtl(label) {
  for (const ch of label) {
    const k = bidiClass(ch, ch.codePointAt(0));
    if (k === "R" || k === "AN") return true;
  }
  return false;
}

// CONTEXTJ rules (RFC 5892 appendix A.1 and A.2).
function joinersOk(label) {
  const cps = Array.from(label, (ch) => ch.codePointAt(0));
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    if (cp !== 0x200c && cp !== 0x200d) continue;
    if (i > 0 && IDNA_VIRAMA.has(cps[i - 1])) continue;
    if (cp === 0x200d) return false;
    let before = i - 1;
    while (before >= 0 && MARK.test(String.fromCodePoint(cps[before]))) before--;
    let after = i + 1;
    while (after < cps.length && MARK.test(String.fromCodePoint(cps[after]))) after++;
    if (before < 0 || after >= cps.length) return false;
    if (!JOINING_LETTER.test(String.fromCodePoint(cps[before])) ||
        !JOINING_LETTER.test(String.fromCodePoint(cps[after]))) return false;
  }
  return true;
}

function idnaLabelValid(label) {
  if (label.normalize("NFC") !== label) return false;
  if (IDNA_STARTS_WITH_MARK.test(label)) return false;
  if (IDNA_DISALLOWED.test(label)) return false;
  return joinersOk(label);
}

// Compatibility characters whose mapping contains a full stop are disallowed (other than the
// ideographic and fullwidth full stops, which map to ".").
function hasDisallowedDot(domain) {
  for (const ch of domain) {
    if (ch.charCodeAt(0) < 0x80 || ch === "\u3002" || ch === "\uFF0E" || ch === "\uFF61") continue;
    if (ch.normalize("NFKC").indexOf(".") !== -1) return true;
  }
  return false;
}

// UTS #46 mapping, approximated (see above).
function idnaMap(domain) {
  let s = domain.replace(IDNA_IGNORED, "");
  // Capital sigma (U+03A3) lowercases to U+03C3 everywhere (toLowerCase would give a final
  // sigma, U+03C2, at the end of a word).
  s = s.normalize("NFKC").replace(/\u03A3/g, "\u03C3").toLowerCase();
  if (CASE_FOLD_SPECIAL.test(s)) s = s.normalize("NFD").replace(CASE_FOLD_SPECIAL_ALL, caseFold);
  s = s.normalize("NFKC").replace(IDNA_IGNORED, "");
  return s.replace(/[\u3002\uFF0E\uFF61]/g, ".");
}

// Where case folding (which UTS #46 mapping follows) differs from lowercasing: Cherokee folds to
// capitals, some Greek and Cyrillic variants fold to the base letter, and iota subscript
// (U+0345, after NFD) folds to iota (U+03B9).
const CASE_FOLD_SPECIAL = /[\u0345\u03D0\u03D1\u03D5\u03D6\u03F0\u03F1\u03F5\u1E9B\u13F8-\u13FD\u1C80-\u1C88\uAB70-\uABBF\u1F80-\u1FFF]/;
const CASE_FOLD_SPECIAL_ALL = /[\u0345\u03D0\u03D1\u03D5\u03D6\u03F0\u03F1\u03F5\u1E9B\u13F8-\u13FD\u1C80-\u1C88\uAB70-\uABBF]/g;
const CASE_FOLD_TABLE = {
  "\u0345": "\u03B9", "\u03D0": "\u03B2", "\u03D1": "\u03B8", "\u03D5": "\u03C6", "\u03D6": "\u03C0",
  "\u03F0": "\u03BA", "\u03F1": "\u03C1", "\u03F5": "\u03B5", "\u1E9B": "\u1E61",
  "\u1C80": "\u0432", "\u1C81": "\u0434", "\u1C82": "\u043E", "\u1C83": "\u0441", "\u1C84": "\u0442",
  "\u1C85": "\u0442", "\u1C86": "\u044A", "\u1C87": "\u0463", "\u1C88": "\uA64B",
};
function caseFold(ch) {
  const c = ch.charCodeAt(0);
  if (c >= 0x13f8 && c <= 0x13fd) return String.fromCharCode(c - 8);
  if (c >= 0xab70 && c <= 0xabbf) return String.fromCharCode(c - 0xab70 + 0x13a0);
  return CASE_FOLD_TABLE[ch];
}

// domain to ASCII with beStrict false; returns null on failure.
function domainToASCII(domain) {
  let ascii = true;
  for (let i = 0; i < domain.length; i++) {
    if (domain.charCodeAt(i) >= 0x80) { ascii = false; break; }
  }
  if (ascii) {
    const lower = domain.toLowerCase();
    if (lower.indexOf("xn--") === -1) return lower;
  }
  if (hasDisallowedDot(domain)) return null;
  const labels = idnaMap(domain).split(".");
  const unicodeLabels = [];
  let rtlSeen = false, bidiOk = true;
  for (const label of labels) {
    let unicode = label;
    if (label.startsWith("xn--")) {
      if (/[^\x00-\x7f]/.test(label)) return null;
      const rest = label.slice(4);
      const decoded = rest === "" ? null : punycodeDecode(rest);
      if (decoded === null || !/[^\x00-\x7f]/.test(decoded)) return null;
      if (decoded.toLowerCase() !== decoded || idnaMap(decoded) !== decoded ||
          decoded.startsWith("xn--") || !idnaLabelValid(decoded)) return null;
      unicode = decoded;
    } else if (!idnaLabelValid(label)) {
      return null;
    }
    if (hasRtl(unicode)) rtlSeen = true;
    // A label is checked against the Bidi Rule once the domain has shown to be a Bidi domain name.
    if (rtlSeen && !bidiLabelOk(unicode)) bidiOk = false;
    unicodeLabels.push(unicode);
  }
  if (rtlSeen && !bidiOk) return null;
  let result = "";
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) result += ".";
    const label = labels[i];
    if (/[^\x00-\x7f]/.test(label)) {
      const encoded = punycodeEncode(label);
      if (encoded === null) return null;
      result += "xn--" + encoded;
    } else {
      result += label;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Hosts. A host is kept serialized: a domain, an IPv4 address in dotted decimal, "[...]" for
// IPv6, an opaque host, or "" (the empty host).

// Forbidden host code points; forbidden domain code points add C0 controls, % and DEL.
const FORBIDDEN_HOST = new Uint8Array(128);
for (const ch of "\0\t\n\r #/:<>?@[\\]^|") FORBIDDEN_HOST[ch.charCodeAt(0)] = 1;
const FORBIDDEN_DOMAIN = FORBIDDEN_HOST.slice();
for (let c = 0; c < 0x20; c++) FORBIDDEN_DOMAIN[c] = 1;
FORBIDDEN_DOMAIN[0x25] = 1;
FORBIDDEN_DOMAIN[0x7f] = 1;

function hostParse(input, isOpaque) {
  if (input.charCodeAt(0) === 0x5b /* [ */) {
    if (input.charCodeAt(input.length - 1) !== 0x5d) return null;
    const address = ipv6Parse(input.slice(1, -1));
    return address === null ? null : "[" + ipv6Serialize(address) + "]";
  }
  if (isOpaque) {
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (c < 0x80 && FORBIDDEN_HOST[c]) return null;
    }
    return percentEncode(input, C0_CONTROL_SET);
  }
  const domain = percentDecodeToString(input);
  const ascii = domainToASCII(domain);
  if (ascii === null || ascii === "") return null;
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii.charCodeAt(i);
    if (c < 0x80 && FORBIDDEN_DOMAIN[c]) return null;
  }
  if (endsInANumber(ascii)) {
    const address = ipv4Parse(ascii);
    return address === null ? null : ipv4Serialize(address);
  }
  return ascii;
}

function endsInANumber(s) {
  let end = s.length;
  if (s.charCodeAt(end - 1) === 0x2e) {
    end--;
    if (end === 0) return false;
  }
  const start = s.lastIndexOf(".", end - 1) + 1;
  if (start === end) return false;
  let digits = true;
  for (let i = start; i < end; i++) {
    if (!isAsciiDigit(s.charCodeAt(i))) { digits = false; break; }
  }
  return digits || ipv4NumberParse(s.slice(start, end)) !== null;
}

// Returns the number, or null on failure.
function ipv4NumberParse(s) {
  if (s === "") return null;
  let radix = 10;
  if (s.length >= 2 && s.charCodeAt(0) === 0x30 && (s.charCodeAt(1) | 0x20) === 0x78) {
    radix = 16;
    s = s.slice(2);
  } else if (s.length >= 2 && s.charCodeAt(0) === 0x30) {
    radix = 8;
    s = s.slice(1);
  }
  if (s === "") return 0;
  let value = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = hexValue(c);
    if (d < 0 || d >= radix) return null;
    value = value * radix + d;
  }
  return value;
}

function ipv4Parse(s) {
  const parts = s.split(".");
  if (parts[parts.length - 1] === "" && parts.length > 1) parts.pop();
  if (parts.length > 4) return null;
  const numbers = [];
  for (const part of parts) {
    const n = ipv4NumberParse(part);
    if (n === null) return null;
    numbers.push(n);
  }
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return null;
  const last = numbers[numbers.length - 1];
  if (last >= 256 ** (5 - numbers.length)) return null;
  let ipv4 = last;
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  return ipv4;
}

function ipv4Serialize(n) {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.` +
    `${Math.floor(n / 256) % 256}.${n % 256}`;
}

// Returns an array of eight 16-bit pieces, or null.
function ipv6Parse(s) {
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  const n = s.length;
  let pieceIndex = 0, compress = -1, p = 0;
  const at = (i) => (i < n ? s.charCodeAt(i) : EOF);
  if (at(0) === 0x3a) {
    if (at(1) !== 0x3a) return null;
    p = 2;
    compress = ++pieceIndex;
  }
  while (at(p) !== EOF) {
    if (pieceIndex === 8) return null;
    if (at(p) === 0x3a) {
      if (compress !== -1) return null;
      p++;
      compress = ++pieceIndex;
      continue;
    }
    let value = 0, length = 0;
    while (length < 4 && hexValue(at(p)) >= 0) {
      value = value * 16 + hexValue(at(p));
      p++;
      length++;
    }
    if (at(p) === 0x2e) {
      if (length === 0) return null;
      p -= length;
      if (pieceIndex > 6) return null;
      let numbersSeen = 0;
      while (at(p) !== EOF) {
        let piece = -1;
        if (numbersSeen > 0) {
          if (at(p) === 0x2e && numbersSeen < 4) p++;
          else return null;
        }
        if (!isAsciiDigit(at(p))) return null;
        while (isAsciiDigit(at(p))) {
          const digit = at(p) - 0x30;
          if (piece === -1) piece = digit;
          else if (piece === 0) return null;
          else piece = piece * 10 + digit;
          if (piece > 255) return null;
          p++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return null;
      break;
    } else if (at(p) === 0x3a) {
      p++;
      if (at(p) === EOF) return null;
    } else if (at(p) !== EOF) {
      return null;
    }
    address[pieceIndex++] = value;
  }
  if (compress !== -1) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    return null;
  }
  return address;
}

function ipv6Serialize(address) {
  let compress = -1, bestLength = 1;
  for (let i = 0; i < 8;) {
    if (address[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && address[j] === 0) j++;
    if (j - i > bestLength) { bestLength = j - i; compress = i; }
    i = j;
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === compress) {
      out += i === 0 ? "::" : ":";
      i += bestLength - 1;
      continue;
    }
    out += address[i].toString(16);
    if (i !== 7) out += ":";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URL records and the basic URL parser

function defaultPort(scheme) {
  switch (scheme) {
    case "http": case "ws": return 80;
    case "https": case "wss": return 443;
    case "ftp": return 21;
    default: return null;
  }
}

function isSpecialScheme(scheme) {
  switch (scheme) {
    case "http": case "https": case "ws": case "wss": case "ftp": case "file": return true;
    default: return false;
  }
}

// `path` is an array of segments, or a string for an opaque path.
class UrlRecord {
  constructor() {
    this.scheme = "";
    this.username = "";
    this.password = "";
    this.host = null;
    this.port = null;
    this.path = [];
    this.query = null;
    this.fragment = null;
  }
}

const SCHEME_START = 1, SCHEME = 2, NO_SCHEME = 3, SPECIAL_RELATIVE_OR_AUTHORITY = 4,
  PATH_OR_AUTHORITY = 5, RELATIVE = 6, RELATIVE_SLASH = 7, SPECIAL_AUTHORITY_SLASHES = 8,
  SPECIAL_AUTHORITY_IGNORE_SLASHES = 9, AUTHORITY = 10, HOST = 11, HOSTNAME = 12, PORT = 13,
  FILE = 14, FILE_SLASH = 15, FILE_HOST = 16, PATH_START = 17, PATH = 18, OPAQUE_PATH = 19,
  QUERY = 20, FRAGMENT = 21;

function isC0ControlOrSpace(c) { return c <= 0x20; }

function trimControlAndSpace(s) {
  let start = 0, end = s.length;
  while (start < end && isC0ControlOrSpace(s.charCodeAt(start))) start++;
  while (end > start && isC0ControlOrSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const TAB_OR_NEWLINE = /[\t\n\r]/g;
function removeTabOrNewline(s) {
  TAB_OR_NEWLINE.lastIndex = 0;
  return TAB_OR_NEWLINE.test(s) ? s.replace(TAB_OR_NEWLINE, "") : s;
}

function isWindowsDriveLetter(s) {
  return s.length === 2 && isAsciiAlpha(s.charCodeAt(0)) &&
    (s.charCodeAt(1) === 0x3a || s.charCodeAt(1) === 0x7c);
}

function isNormalizedWindowsDriveLetter(s) {
  return s.length === 2 && isAsciiAlpha(s.charCodeAt(0)) && s.charCodeAt(1) === 0x3a;
}

function startsWithWindowsDriveLetter(s, p) {
  if (s.length - p < 2) return false;
  if (!isAsciiAlpha(s.charCodeAt(p))) return false;
  const second = s.charCodeAt(p + 1);
  if (second !== 0x3a && second !== 0x7c) return false;
  if (s.length - p === 2) return true;
  const third = s.charCodeAt(p + 2);
  return third === 0x2f || third === 0x5c || third === 0x3f || third === 0x23;
}

function isSingleDot(s) {
  return s === "." || (s.length === 3 && s.toLowerCase() === "%2e");
}

function isDoubleDot(s) {
  switch (s.length) {
    case 2: return s === "..";
    case 4: { const l = s.toLowerCase(); return l === ".%2e" || l === "%2e."; }
    case 6: return s.toLowerCase() === "%2e%2e";
    default: return false;
  }
}

function shortenPath(url) {
  const path = url.path;
  if (url.scheme === "file" && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
  path.pop();
}

function includesCredentials(url) { return url.username !== "" || url.password !== ""; }

// The basic URL parser. Returns the URL record, or null on failure. With a state override, url is
// changed in place and the result only says whether it failed.
function basicParse(input, base, url, stateOverride = 0) {
  if (url === null) {
    url = new UrlRecord();
    input = trimControlAndSpace(input);
  }
  input = removeTabOrNewline(input);
  const len = input.length;
  let state = stateOverride || SCHEME_START;
  let buffer = "";
  let atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
  let special = isSpecialScheme(url.scheme);
  for (let pointer = 0; ; pointer++) {
    const c = pointer < len ? input.charCodeAt(pointer) : EOF;
    switch (state) {
      case SCHEME_START:
        if (isAsciiAlpha(c)) {
          buffer += String.fromCharCode(c | 0x20);
          state = SCHEME;
        } else if (!stateOverride) {
          state = NO_SCHEME;
          pointer--;
        } else {
          return null;
        }
        break;

      case SCHEME:
        if (isAsciiAlpha(c) || isAsciiDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
        } else if (c === 0x3a) {
          const bufferSpecial = isSpecialScheme(buffer);
          if (stateOverride) {
            if (special !== bufferSpecial) return url;
            if ((includesCredentials(url) || url.port !== null) && buffer === "file") return url;
            if (url.scheme === "file" && url.host === "") return url;
          }
          url.scheme = buffer;
          special = bufferSpecial;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return url;
          }
          buffer = "";
          if (url.scheme === "file") {
            state = FILE;
          } else if (special && base !== null && base.scheme === url.scheme) {
            state = SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (special) {
            state = SPECIAL_AUTHORITY_SLASHES;
          } else if (pointer + 1 < len && input.charCodeAt(pointer + 1) === 0x2f) {
            state = PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = "";
            state = OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          buffer = "";
          state = NO_SCHEME;
          pointer = -1;
        } else {
          return null;
        }
        break;

      case NO_SCHEME:
        if (base === null || (typeof base.path === "string" && c !== 0x23)) {
          return null;
        } else if (typeof base.path === "string" && c === 0x23) {
          url.scheme = base.scheme;
          special = isSpecialScheme(url.scheme);
          url.path = base.path;
          url.query = base.query;
          url.fragment = "";
          state = FRAGMENT;
        } else if (base.scheme !== "file") {
          state = RELATIVE;
          pointer--;
        } else {
          state = FILE;
          pointer--;
        }
        break;

      case SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && pointer + 1 < len && input.charCodeAt(pointer + 1) === 0x2f) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = RELATIVE;
          pointer--;
        }
        break;

      case PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case RELATIVE:
        url.scheme = base.scheme;
        special = isSpecialScheme(url.scheme);
        if (c === 0x2f || (special && c === 0x5c)) {
          state = RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = PATH;
            pointer--;
          }
        }
        break;

      case RELATIVE_SLASH:
        if (special && (c === 0x2f || c === 0x5c)) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = PATH;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_SLASHES:
        if (c === 0x2f && pointer + 1 < len && input.charCodeAt(pointer + 1) === 0x2f) {
          pointer++;
        } else {
          pointer--;
        }
        state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        break;

      case SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = AUTHORITY;
          pointer--;
        }
        break;

      case AUTHORITY:
        if (c === 0x40) {
          if (atSignSeen) buffer = "%40" + buffer;
          atSignSeen = true;
          let colon = -1;
          if (!passwordTokenSeen) {
            colon = buffer.indexOf(":");
            if (colon !== -1) passwordTokenSeen = true;
          }
          if (colon === -1) {
            const encoded = percentEncode(buffer, USERINFO_SET);
            if (passwordTokenSeen) url.password += encoded;
            else url.username += encoded;
          } else {
            url.username += percentEncode(buffer.slice(0, colon), USERINFO_SET);
            url.password += percentEncode(buffer.slice(colon + 1), USERINFO_SET);
          }
          buffer = "";
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (special && c === 0x5c)) {
          if (atSignSeen && buffer === "") return null;
          pointer -= buffer.length + 1;
          buffer = "";
          state = HOST;
        } else {
          buffer += input[pointer];
        }
        break;

      case HOST:
      case HOSTNAME:
        if (stateOverride && url.scheme === "file") {
          pointer--;
          state = FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === "") return null;
          if (stateOverride === HOSTNAME) return null;
          const host = hostParse(buffer, !special);
          if (host === null) return null;
          url.host = host;
          buffer = "";
          state = PORT;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (special && c === 0x5c)) {
          pointer--;
          if (special && buffer === "") return null;
          if (stateOverride && buffer === "" && (includesCredentials(url) || url.port !== null)) {
            return null;
          }
          const host = hostParse(buffer, !special);
          if (host === null) return null;
          url.host = host;
          buffer = "";
          state = PATH_START;
          if (stateOverride) return url;
        } else {
          if (c === 0x5b) insideBrackets = true;
          else if (c === 0x5d) insideBrackets = false;
          buffer += input[pointer];
        }
        break;

      case PORT:
        if (isAsciiDigit(c)) {
          buffer += input[pointer];
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (special && c === 0x5c) || stateOverride) {
          if (buffer !== "") {
            let port = 0;
            for (let i = 0; i < buffer.length && port <= 65535; i++) {
              port = port * 10 + buffer.charCodeAt(i) - 0x30;
            }
            if (port > 65535) return null;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = "";
            if (stateOverride) return url;
          }
          if (stateOverride) return null;
          state = PATH_START;
          pointer--;
        } else {
          return null;
        }
        break;

      case FILE:
        url.scheme = "file";
        special = true;
        url.host = "";
        if (c === 0x2f || c === 0x5c) {
          state = FILE_SLASH;
        } else if (base !== null && base.scheme === "file") {
          url.host = base.host;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            if (!startsWithWindowsDriveLetter(input, pointer)) shortenPath(url);
            else url.path = [];
            state = PATH;
            pointer--;
          }
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = FILE_HOST;
        } else {
          if (base !== null && base.scheme === "file") {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(input, pointer) && base.path.length > 0 &&
                isNormalizedWindowsDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = PATH;
          pointer--;
        }
        break;

      case FILE_HOST:
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            // The buffer is kept: the path state takes it as the first segment.
            state = PATH;
          } else if (buffer === "") {
            url.host = "";
            if (stateOverride) return url;
            state = PATH_START;
          } else {
            let host = hostParse(buffer, !special);
            if (host === null) return null;
            if (host === "localhost") host = "";
            url.host = host;
            if (stateOverride) return url;
            buffer = "";
            state = PATH_START;
          }
        } else {
          buffer += input[pointer];
        }
        break;

      case PATH_START:
        if (special) {
          state = PATH;
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = "";
          state = QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c !== EOF) {
          state = PATH;
          if (c !== 0x2f) pointer--;
        } else if (stateOverride && url.host === null) {
          url.path.push("");
        }
        break;

      case PATH:
        if (c === EOF || c === 0x2f || (special && c === 0x5c) ||
            (!stateOverride && (c === 0x3f || c === 0x23))) {
          const slash = c === 0x2f || (special && c === 0x5c);
          if (isDoubleDot(buffer)) {
            shortenPath(url);
            if (!slash) url.path.push("");
          } else if (isSingleDot(buffer)) {
            if (!slash) url.path.push("");
          } else {
            if (url.scheme === "file" && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = buffer[0] + ":";
            }
            url.path.push(percentEncode(buffer, PATH_SET));
          }
          buffer = "";
          if (c === 0x3f) {
            url.query = "";
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = "";
            state = FRAGMENT;
          }
        } else {
          // Take the whole run up to the next delimiter at once.
          let end = pointer + 1;
          for (; end < len; end++) {
            const d = input.charCodeAt(end);
            if (d === 0x2f || (special && d === 0x5c) ||
                (!stateOverride && (d === 0x3f || d === 0x23))) break;
          }
          buffer += input.slice(pointer, end);
          pointer = end - 1;
        }
        break;

      case OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = "";
          state = QUERY;
        } else if (c === 0x23) {
          url.fragment = "";
          state = FRAGMENT;
        } else if (c !== EOF) {
          let end = pointer + 1;
          for (; end < len; end++) {
            const d = input.charCodeAt(end);
            if (d === 0x3f || d === 0x23) break;
          }
          let run = input.slice(pointer, end);
          // A space right before "?" or "#" is encoded so that the path never ends in a space.
          if (end < len && run.charCodeAt(run.length - 1) === 0x20) {
            url.path += percentEncode(run.slice(0, -1), C0_CONTROL_SET) + "%20";
          } else {
            url.path += percentEncode(run, C0_CONTROL_SET);
          }
          pointer = end - 1;
        }
        break;

      case QUERY: {
        let end = len;
        if (!stateOverride) {
          end = input.indexOf("#", pointer);
          if (end === -1) end = len;
        }
        url.query += percentEncode(input.slice(pointer, end),
          special ? SPECIAL_QUERY_SET : QUERY_SET);
        pointer = end;
        if (end < len) {
          url.fragment = "";
          state = FRAGMENT;
        }
        break;
      }

      case FRAGMENT:
        if (c !== EOF) {
          url.fragment += percentEncode(input.slice(pointer), FRAGMENT_SET);
          pointer = len;
        }
        break;
    }
    if (pointer >= len) break;
  }
  return url;
}

function serializePath(url) {
  const path = url.path;
  if (typeof path === "string") return path;
  let out = "";
  for (let i = 0; i < path.length; i++) out += "/" + path[i];
  return out;
}

function serializeUrl(url, excludeFragment = false) {
  let out = url.scheme + ":";
  if (url.host !== null) {
    out += "//";
    if (url.username !== "" || url.password !== "") {
      out += url.username;
      if (url.password !== "") out += ":" + url.password;
      out += "@";
    }
    out += url.host;
    if (url.port !== null) out += ":" + url.port;
  } else if (typeof url.path !== "string" && url.path.length > 1 && url.path[0] === "") {
    out += "/.";
  }
  out += serializePath(url);
  if (url.query !== null) out += "?" + url.query;
  if (!excludeFragment && url.fragment !== null) out += "#" + url.fragment;
  return out;
}

function serializeOrigin(url) {
  switch (url.scheme) {
    case "blob": {
      if (typeof url.path !== "string" && url.path.length === 0) return "null";
      const inner = basicParse(serializePath(url), null, null);
      if (inner !== null && (inner.scheme === "http" || inner.scheme === "https")) {
        return serializeOrigin(inner);
      }
      return "null";
    }
    case "ftp": case "http": case "https": case "ws": case "wss":
      return url.scheme + "://" + url.host + (url.port === null ? "" : ":" + url.port);
    default:
      return "null";
  }
}

function parseUrl(input, base) {
  let baseRecord = null;
  if (base !== undefined) {
    baseRecord = basicParse(toUSVString(base), null, null);
    if (baseRecord === null) return null;
  }
  return basicParse(toUSVString(input), baseRecord, null);
}

// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

function formParse(input) {
  const list = [];
  let start = 0;
  const n = input.length;
  while (start <= n) {
    let end = input.indexOf("&", start);
    if (end === -1) end = n;
    if (end > start) {
      const eq = input.indexOf("=", start);
      let name, value;
      if (eq === -1 || eq > end) {
        name = input.slice(start, end);
        value = "";
      } else {
        name = input.slice(start, eq);
        value = input.slice(eq + 1, end);
      }
      list.push([percentDecodeToString(name, true), percentDecodeToString(value, true)]);
    }
    start = end + 1;
  }
  return list;
}

function formSerialize(list) {
  let out = "";
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += "&";
    out += percentEncode(list[i][0], FORM_SET, true) + "=" + percentEncode(list[i][1], FORM_SET, true);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// WebIDL-looking classes

function argumentError(operation, iface, index, type) {
  return new TypeError(`Failed to execute '${operation}' on '${iface}': parameter ${index} is ` +
    `not of type '${type}'.`);
}

function illegalInvocation() { return new TypeError(ILLEGAL_INVOCATION); }

// Exposes a class as a constructor function that throws workerd's TypeError when called without
// `new`, with the class's prototype; members become enumerable as WebIDL wants.
function exposeClass(Impl, name) {
  const ctor = {
    [name]: function (...args) {
      if (new.target === undefined) {
        throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator, this ` +
          "object constructor cannot be called as a function.");
      }
      return Reflect.construct(Impl, args, new.target === ctor ? Impl : new.target);
    },
  }[name];
  const proto = Impl.prototype;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === "constructor" || typeof key === "symbol") continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    d.enumerable = true;
    Object.defineProperty(proto, key, d);
  }
  // workerd lists the constructor last among the prototype's keys.
  delete proto.constructor;
  Object.defineProperty(proto, "constructor", { value: ctor, writable: true, configurable: true });
  Object.defineProperty(ctor, "prototype", { value: proto, writable: false });
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true, writable: true });
  for (const key of Reflect.ownKeys(Impl)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    const d = Object.getOwnPropertyDescriptor(Impl, key);
    d.enumerable = true;
    Object.defineProperty(ctor, key, d);
  }
  return ctor;
}

let paramsListOf;    // (URLSearchParams) -> list, brand-checked
let paramsAttach;    // (URLSearchParams, URL object) links a URL's query object
let paramsReplace;   // (URLSearchParams, list) without updating the URL
let urlRecordOf;     // (URL object) -> record, brand-checked
let urlSetQuery;     // (URL object, string | null) from its URLSearchParams

// Lets URL.parse build a URL around a parsed record; user code cannot reach it.
const FROM_RECORD = Symbol("fromRecord");

// Named URL so that V8 reports instances as URL (console.log, stack traces).
const URLImpl = class URL {
  #url;
  #searchParams = null;

  constructor(url = undefined, base = undefined) {
    if (url === FROM_RECORD) {
      this.#url = base;
      return;
    }
    if (arguments.length === 0) {
      throw new TypeError("Failed to construct 'URL': constructor parameter 1 is not of type " +
        "'USVString'.");
    }
    const record = parseUrl(url, base);
    if (record === null) throw new TypeError(INVALID_URL);
    this.#url = record;
  }

  static {
    urlRecordOf = (object) => {
      if (object === null || (typeof object !== "object" && typeof object !== "function") ||
          !(#url in object)) throw illegalInvocation();
      return object.#url;
    };
    urlSetQuery = (object, query) => { object.#url.query = query; };
  }

  static canParse(url = undefined, base = undefined) {
    if (arguments.length === 0) throw argumentError("canParse", "URL", 1, "USVString");
    return parseUrl(url, base) !== null;
  }

  static parse(url = undefined, base = undefined) {
    if (arguments.length === 0) throw argumentError("parse", "URL", 1, "USVString");
    const record = parseUrl(url, base);
    return record === null ? null : new URLImpl(FROM_RECORD, record);
  }

  static createObjectURL(object = undefined) {
    if (typeof global.Blob !== "function" || !(object instanceof global.Blob)) {
      throw argumentError("createObjectURL", "URL", 1, "File or Blob");
    }
    throw new Error("URL.createObjectURL() is not implemented");
  }
  static revokeObjectURL() { throw new Error("URL.revokeObjectURL() is not implemented"); }

  get origin() { return serializeOrigin(urlRecordOf(this)); }

  get href() { return serializeUrl(urlRecordOf(this)); }
  set href(value) {
    urlRecordOf(this);
    const record = basicParse(toUSVString(value), null, null);
    if (record === null) {
      throw new TypeError("Failed to set the 'href' property on 'URL': the provided value is " +
        "not of type 'valid URL string'.");
    }
    this.#url = record;
    if (this.#searchParams !== null) {
      paramsReplace(this.#searchParams, record.query === null ? [] : formParse(record.query));
    }
  }

  get protocol() { return urlRecordOf(this).scheme + ":"; }
  set protocol(value) {
    basicParse(toUSVString(value) + ":", null, urlRecordOf(this), SCHEME_START);
  }

  get username() { return urlRecordOf(this).username; }
  set username(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (url.host === null || url.host === "" || url.scheme === "file") return;
    url.username = percentEncode(value, USERINFO_SET);
  }

  get password() { return urlRecordOf(this).password; }
  set password(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (url.host === null || url.host === "" || url.scheme === "file") return;
    url.password = percentEncode(value, USERINFO_SET);
  }

  get host() {
    const url = urlRecordOf(this);
    if (url.host === null) return "";
    return url.port === null ? url.host : url.host + ":" + url.port;
  }
  set host(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (typeof url.path === "string") return;
    basicParse(value, null, url, HOST);
  }

  get hostname() { return urlRecordOf(this).host ?? ""; }
  set hostname(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (typeof url.path === "string") return;
    basicParse(value, null, url, HOSTNAME);
  }

  get port() {
    const port = urlRecordOf(this).port;
    return port === null ? "" : String(port);
  }
  set port(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (url.host === null || url.host === "" || url.scheme === "file") return;
    if (value === "") url.port = null;
    else basicParse(value, null, url, PORT);
  }

  get pathname() { return serializePath(urlRecordOf(this)); }
  set pathname(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (typeof url.path === "string") return;
    url.path = [];
    basicParse(value, null, url, PATH_START);
  }

  get search() {
    const query = urlRecordOf(this).query;
    return query === null || query === "" ? "" : "?" + query;
  }
  set search(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (value === "") {
      url.query = null;
      if (this.#searchParams !== null) paramsReplace(this.#searchParams, []);
      return;
    }
    const input = value.charCodeAt(0) === 0x3f ? value.slice(1) : value;
    url.query = "";
    basicParse(input, null, url, QUERY);
    if (this.#searchParams !== null) paramsReplace(this.#searchParams, formParse(input));
  }

  get hash() {
    const fragment = urlRecordOf(this).fragment;
    return fragment === null || fragment === "" ? "" : "#" + fragment;
  }
  set hash(value) {
    const url = urlRecordOf(this);
    value = toUSVString(value);
    if (value === "") {
      url.fragment = null;
      return;
    }
    const input = value.charCodeAt(0) === 0x23 ? value.slice(1) : value;
    url.fragment = "";
    basicParse(input, null, url, FRAGMENT);
  }

  get searchParams() {
    const url = urlRecordOf(this);
    if (this.#searchParams === null) {
      const params = new URLSearchParams();
      paramsReplace(params, url.query === null ? [] : formParse(url.query));
      paramsAttach(params, this);
      this.#searchParams = params;
    }
    return this.#searchParams;
  }

  toJSON() { return serializeUrl(urlRecordOf(this)); }
  toString() { return serializeUrl(urlRecordOf(this)); }
};

const URL = exposeClass(URLImpl, "URL");

// URLSearchParams iterators: index-based, so that changes during iteration show as they do in
// browsers and workerd.
const ArrayIteratorPrototype = Object.getPrototypeOf([][Symbol.iterator]());
const IteratorPrototype = Object.getPrototypeOf(ArrayIteratorPrototype);

function makeIteratorClass(tag, project) {
  class ParamsIterator {
    #params;
    #index = 0;
    constructor(params) { this.#params = params; }
    next() {
      if (this === null || typeof this !== "object" || !(#params in this)) {
        throw illegalInvocation();
      }
      const list = paramsListOf(this.#params);
      if (this.#index >= list.length) return { value: undefined, done: true };
      const entry = list[this.#index++];
      return { value: project(entry), done: false };
    }
  }
  Object.setPrototypeOf(ParamsIterator.prototype, IteratorPrototype);
  Object.defineProperty(ParamsIterator.prototype, "next", { enumerable: true });
  Object.defineProperty(ParamsIterator.prototype, Symbol.toStringTag, {
    value: tag, configurable: true, writable: true,
  });
  return ParamsIterator;
}
const EntryIterator = makeIteratorClass("EntryIterator", (entry) => [entry[0], entry[1]]);
const KeyIterator = makeIteratorClass("KeyIterator", (entry) => entry[0]);
const ValueIterator = makeIteratorClass("ValueIterator", (entry) => entry[1]);

function checkArgs(count, needed, operation) {
  if (count < needed) throw argumentError(operation, "URLSearchParams", count + 1, "USVString");
}

const URLSearchParamsImpl = class URLSearchParams {
  #list = [];
  #url = null;

  constructor(init = "") {
    if (init !== null && (typeof init === "object" || typeof init === "function")) {
      const iteratorMethod = init[Symbol.iterator];
      if (iteratorMethod !== undefined && iteratorMethod !== null) {
        if (typeof iteratorMethod !== "function") {
          throw new TypeError("Incorrect type: the provided value is not of type 'Sequence'.");
        }
        for (const pair of { [Symbol.iterator]: () => iteratorMethod.call(init) }) {
          if (pair === null || (typeof pair !== "object" && typeof pair !== "function") ||
              typeof pair[Symbol.iterator] !== "function") {
            throw new TypeError("Incorrect type: the provided value is not of type 'Sequence'.");
          }
          const items = Array.from(pair);
          if (items.length !== 2) throw new TypeError("Invalid URL search params sequence.");
          this.#list.push([toUSVString(items[0]), toUSVString(items[1])]);
        }
      } else {
        for (const key of Reflect.ownKeys(init)) {
          if (typeof key === "symbol") continue;
          const d = Reflect.getOwnPropertyDescriptor(init, key);
          if (d === undefined || !d.enumerable) continue;
          this.#list.push([toUSVString(key), toUSVString(init[key])]);
        }
      }
    } else {
      let s = toUSVString(init);
      if (s.charCodeAt(0) === 0x3f) s = s.slice(1);
      this.#list = formParse(s);
    }
  }

  static {
    paramsListOf = (object) => {
      if (object === null || (typeof object !== "object" && typeof object !== "function") ||
          !(#list in object)) throw illegalInvocation();
      return object.#list;
    };
    paramsAttach = (params, url) => { params.#url = url; };
    paramsReplace = (params, list) => { params.#list = list; };
  }

  #update() {
    if (this.#url === null) return;
    const serialized = formSerialize(this.#list);
    urlSetQuery(this.#url, serialized === "" ? null : serialized);
  }

  get size() { return paramsListOf(this).length; }

  append(name = undefined, value = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 2, "append");
    list.push([toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name = undefined, value = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 1, "delete");
    name = toUSVString(name);
    if (value !== undefined) {
      value = toUSVString(value);
      this.#list = list.filter((e) => e[0] !== name || e[1] !== value);
    } else {
      this.#list = list.filter((e) => e[0] !== name);
    }
    this.#update();
  }

  get(name = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 1, "get");
    name = toUSVString(name);
    for (let i = 0; i < list.length; i++) if (list[i][0] === name) return list[i][1];
    return null;
  }

  getAll(name = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 1, "getAll");
    name = toUSVString(name);
    const out = [];
    for (let i = 0; i < list.length; i++) if (list[i][0] === name) out.push(list[i][1]);
    return out;
  }

  has(name = undefined, value = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 1, "has");
    name = toUSVString(name);
    if (value !== undefined) {
      value = toUSVString(value);
      return list.some((e) => e[0] === name && e[1] === value);
    }
    return list.some((e) => e[0] === name);
  }

  set(name = undefined, value = undefined) {
    const list = paramsListOf(this);
    checkArgs(arguments.length, 2, "set");
    name = toUSVString(name);
    value = toUSVString(value);
    const out = [];
    let found = false;
    for (const entry of list) {
      if (entry[0] !== name) out.push(entry);
      else if (!found) {
        found = true;
        out.push([name, value]);
      }
    }
    if (!found) out.push([name, value]);
    this.#list = out;
    this.#update();
  }

  sort() {
    const list = paramsListOf(this);
    // Array.prototype.sort is stable; < compares code units, as the standard asks.
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#update();
  }

  entries() { paramsListOf(this); return new EntryIterator(this); }
  keys() { paramsListOf(this); return new KeyIterator(this); }
  values() { paramsListOf(this); return new ValueIterator(this); }

  forEach(callback = undefined, thisArg = undefined) {
    paramsListOf(this);
    if (typeof callback !== "function") {
      throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not " +
        "of type 'function'.");
    }
    for (let i = 0; i < this.#list.length; i++) {
      const entry = this.#list[i];
      callback.call(thisArg, entry[1], entry[0], this);
    }
  }

  toString() { return formSerialize(paramsListOf(this)); }
};

const URLSearchParams = exposeClass(URLSearchParamsImpl, "URLSearchParams");
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, configurable: true,
});

internal.define("URL", URL);
internal.define("URLSearchParams", URLSearchParams);
// For later builtins (Request/Response helpers, fetch): parse without allocating a URL object.
internal.url = { parse: parseUrl, serialize: serializeUrl, formParse, formSerialize, percentEncode };
