// URL setters with their state overrides: each row sets one attribute on a fresh URL and reports
// the resulting href (or the error).
const attempt = (f) => {
  try { return f(); } catch (e) { return `${e.constructor.name}: ${e.message}`; }
};
const set = (href, attribute, value) => attempt(() => {
  const url = new URL(href);
  url[attribute] = value;
  return url.href;
});

export default {
  fetch() {
    return Response.json({
      href: [set("http://h/", "href", "https://other:8080/x?y#z"), set("http://h/", "href", "nope"),
        set("http://h/", "href", "/relative")],
      protocol: [set("http://h/", "protocol", "https"), set("http://h/", "protocol", "HTTPS:junk"),
        set("http://h/", "protocol", "foo"), set("foo://h/", "protocol", "http"),
        set("foo://h/", "protocol", "bar:"), set("https://h:80/", "protocol", "http"),
        set("http://u@h/", "protocol", "file"), set("file:///x", "protocol", "http"),
        set("http://h/", "protocol", "1http"), set("http://h/", "protocol", ""),
        set("mailto:x", "protocol", "https")],
      username: [set("http://h/", "username", "me"), set("http://h/", "username", "a b:c@d/é"),
        set("file:///x", "username", "me"), set("data:x", "username", "me"), set("http://u:p@h/", "username", "")],
      password: [set("http://h/", "password", "pw"), set("http://u@h/", "password", "p:w@"),
        set("http://u:p@h/", "password", ""), set("sc:x", "password", "pw")],
      host: [set("http://h/p", "host", "example.com:81"), set("http://h:81/p", "host", "other"),
        set("http://h/p", "host", "ÉXAMPLE.com"), set("http://h/p", "host", "a b"),
        set("http://h/p", "host", ""), set("foo://h/p", "host", ""), set("http://h/p", "host", "x:"),
        set("http://h/p", "host", "x:99999"), set("http://h/p", "host", "x/y?z"),
        set("http://h/p", "host", "[::1]:8"), set("file://h/p", "host", "localhost"),
        set("file:///p", "host", "srv"), set("data:x", "host", "h"), set("http://u@h/", "host", "")],
      hostname: [set("http://h:81/p", "hostname", "example.com"), set("http://h/p", "hostname", "x:90"),
        set("http://h/p", "hostname", "0x7f.1"), set("foo://h/p", "hostname", "ñ"),
        set("http://h/p", "hostname", "x#y")],
      port: [set("http://h/", "port", "8080"), set("http://h:81/", "port", "80"),
        set("http://h:81/", "port", ""), set("http://h/", "port", "12ab"), set("http://h/", "port", "ab"),
        set("http://h/", "port", "65536"), set("http://h/", "port", 443), set("file:///x", "port", "1"),
        set("https://h/", "port", "443"), set("http://h/", "port", "  1")],
      pathname: [set("http://h/a", "pathname", "b/c"), set("http://h/a", "pathname", "/x/../y/./z"),
        set("http://h/a", "pathname", "a b?#é"), set("http://h/a", "pathname", "\\x\\y"),
        set("foo://h/a", "pathname", "\\x"), set("foo://h/a", "pathname", ""), set("data:a", "pathname", "b"),
        set("file:///a", "pathname", "C|/x"), set("sc:/a", "pathname", "//p")],
      search: [set("http://h/p", "search", "a=1"), set("http://h/p", "search", "??a b#c"),
        set("http://h/p?x#f", "search", ""), set("http://h/p", "search", "?"), set("foo://h/p", "search", "'q'"),
        set("http://h/p", "search", "'q'")],
      hash: [set("http://h/p", "hash", "frag"), set("http://h/p", "hash", "##a b`"),
        set("http://h/p#f", "hash", ""), set("http://h/p", "hash", "#"), set("data:x", "hash", "y")],
      coercion: [set("http://h/", "search", null), set("http://h/", "hash", undefined),
        set("http://h/", "pathname", 0), attempt(() => { const u = new URL("http://h/"); u.host = Symbol("s"); })],
      // origin is read-only (V8 words the TypeError differently for workerd's accessors).
      origin: (() => {
        const u = new URL("http://h/");
        try { u.origin = "http://x"; } catch (e) { return [e.constructor.name, u.href]; }
        return ["no error", u.href];
      })(),
    });
  },
};
