// WHATWG URL: parsing, serialisation, components, origins, hosts, errors and the WebIDL shape.
const attempt = (f) => {
  try { return f(); } catch (e) { return `${e.constructor.name}: ${e.message}`; }
};
const COMPONENTS = ["href", "origin", "protocol", "username", "password", "host", "hostname",
  "port", "pathname", "search", "hash"];
const parts = (input, base) => attempt(() => {
  const url = base === undefined ? new URL(input) : new URL(input, base);
  return Object.fromEntries(COMPONENTS.map((k) => [k, url[k]]));
});
const href = (input, base) => attempt(() => new URL(input, base).href);

export default {
  fetch() {
    return Response.json({
      full: parts("HTTPS://user:pa%20ss@Example.COM:443/a/./b/../c%2e/?q=1 2&x=é#frag ment"),
      relative: [
        href("../d?x#y", "http://h/a/b/c"), href("//other/p", "https://h/a"), href("?q", "http://h/p?old#f"),
        href("#f", "http://h/p?q"), href("", "http://h/p?q#f"), href("/\\x", "http://h/a"),
        href("g;x?y#s", "http://a/b/c/d;p?q"), href("../../../g", "http://a/b/c/d;p?q"),
      ],
      opaque: [parts("mailto:Joe@Example.com?subject=hi"), parts("data:text/plain,a b  ?x#y"),
        parts("javascript:alert(1)")],
      nonSpecial: [parts("foo://Host:1/p/../q?x#y"), href("sc:/a/b/../c"), href("web+demo:/.//p")],
      file: [href("file:///C|/dir/../x"), href("file://localhost/etc/passwd"), href("file:c:\\a\\b"),
        href("..", "file:///C:/"), href("/x", "file:///D:/y/z"), href("file://host/share/f")],
      ipv4: [href("http://0x7f.1/"), href("http://192.168.0.257/"), href("http://4294967295/"),
        href("http://4294967296/"), href("http://0300.0250.0.1/"), href("http://1.2.3.4.5/"),
        href("http://1.2.3.09/"), href("http://%30%78%37%66.0.0.1/")],
      ipv6: [href("http://[::1]:80/"), href("http://[0:0:0:0:0:0:0:1]/"), href("http://[1:0:0:2:0:0:0:3]/"),
        href("http://[::ffff:192.168.0.1]/"), href("http://[1::2::3]/"), href("http://[::1/"),
        href("http://[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]/"), href("foo://[::1]/")],
      idna: [href("http://Ünicode.Example/"), href("http://faß.de/"), href("http://xn--fa-hia.de/"),
        href("http://日本語.jp/"), href("http://www.foo。bar.com/"), href("http://Ｇｏ.com/"),
        href("http://a\u00ADb.com/"), href("http://%41.com/"), href("http://%zz.com/"), href("http://a b/"),
        href("http://\uFFFD/"), href("http://ex%00ample/"), href("sc://ñ.test/")],
      ports: [href("http://h:80/"), href("https://h:80/"), href("ws://h:80/"), href("ftp://h:21/"),
        href("http://h:65535/"), href("http://h:65536/"), href("http://h:0080/"), href("http://h:8a/"),
        href("foo://h:80/")],
      percent: [href("http://h/ \"<>`{}|^%zz%41"), href("http://h/?'\"<> `{}"), href("foo://h/?'"),
        href("http://h/#\"<> `{}"), href("http://h/\u0001\u007F\u0080")],
      whitespace: [href("  \t http://h/a\nb\r c  "), href("\u0000http://h/\u001F")],
      failures: [attempt(() => new URL("nope")), attempt(() => new URL("/x", "nope")),
        attempt(() => new URL("http://")), attempt(() => new URL("http://a:b@/")),
        attempt(() => new URL("https://exa mple.com")), attempt(() => new URL()),
        attempt(() => new URL(undefined)), attempt(() => new URL(null)),
        attempt(() => new URL("http://h/", null)), attempt(() => new URL(Symbol("s")))],
      canParse: [URL.canParse("http://h"), URL.canParse("h"), URL.canParse("h", "http://b/"),
        URL.canParse("h", "b"), attempt(() => URL.canParse())],
      parse: [URL.parse("nope"), String(URL.parse("/p", "http://h/q")),
        URL.parse("http://h/") instanceof URL, attempt(() => URL.parse())],
      strings: (() => {
        const url = new URL("http://h/p?q#f");
        return [String(url), url.toString(), url.toJSON(), JSON.stringify({ url }), `${url}`];
      })(),
      origins: ["blob:https://a.com:443/uuid", "blob:ftp://a/x", "blob:blob:https://a/x", "file:///x",
        "ws://h:81", "wss://h:443", "ftp://h/", "foo://h/", "data:,x"].map((u) => new URL(u).origin),
      objectInput: href({ toString() { return "http://obj/"; } }),
      surrogates: [href("http://h/\uD800x"), href("http://h/?\uDC00"), href("http://h/#\uD83D\uDE00")],
      shape: {
        tag: Object.prototype.toString.call(new URL("http://h")),
        ownKeys: Object.keys(new URL("http://h")),
        protoKeys: Object.keys(URL.prototype).sort(),
        statics: ["canParse", "parse"].map((k) => typeof URL[k]),
        hrefEnumerable: Object.getOwnPropertyDescriptor(URL.prototype, "href").enumerable,
        callWithoutNew: attempt(() => URL("http://h")),
        brand: attempt(() => Object.getOwnPropertyDescriptor(URL.prototype, "href").get.call({})),
        toStringBrand: attempt(() => URL.prototype.toString.call(new URLSearchParams())),
        subclass: (() => {
          class MyURL extends URL { extra() { return this.host; } }
          const u = new MyURL("http://sub/");
          return [u instanceof URL, u instanceof MyURL, u.extra(), u.href];
        })(),
        searchParamsSame: (() => { const u = new URL("http://h/?a=1"); return u.searchParams === u.searchParams; })(),
      },
      createObjectURL: attempt(() => URL.createObjectURL(null)),
      revokeObjectURL: attempt(() => URL.revokeObjectURL("blob:x")),
    });
  },
};
