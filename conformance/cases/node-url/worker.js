// node:url: fileURLToPath/pathToFileURL, legacy parse/format/resolve, and the WHATWG classes.
import url, { URL, URLSearchParams, fileURLToPath, pathToFileURL } from "node:url";

const attempt = (f) => { try { return ["ok", f()]; } catch (e) { return [e.name, e.code ?? null, e.message]; } };
const plain = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v !== "function"));

export default {
  async fetch() {
    return Response.json({
      classes: [URL === globalThis.URL, URLSearchParams === globalThis.URLSearchParams, url.URL === URL],
      toPath: [fileURLToPath("file:///a/b%20c.txt"), fileURLToPath(new URL("file:///x/%C3%A9")), fileURLToPath("file://localhost/etc/hosts")],
      toUrl: [pathToFileURL("/a/b c#?.txt").href, pathToFileURL("/dir/").href, pathToFileURL("/100%").href],
      parse: [plain(url.parse("https://user:pw@Example.com:8080/p/a/t/h?query=string#hash")), plain(url.parse("/just/a/path?x=1")),
              url.parse("http://a.com/?a=1&b=2", true).query, plain(url.parse("mailto:someone@example.com"))],
      format: [url.format({ protocol: "https", hostname: "example.com", pathname: "/x", query: { a: 1, b: "two" } }),
               url.format({ protocol: "http:", host: "h:81", pathname: "p", hash: "frag" }), url.format(new URL("https://u:p@a.com/x?y#z"), { auth: false, fragment: false }),
               url.format("http://a.com/b?c#d")],
      resolve: [url.resolve("http://a.com/b/c", "../d"), url.resolve("/one/two/three", "four"), url.resolve("http://example.com/", "/one")],
      errors: [attempt(() => fileURLToPath("https://a.com/")), attempt(() => fileURLToPath("file://host/x")), attempt(() => fileURLToPath("file:///a%2Fb")),
               attempt(() => fileURLToPath(5)), attempt(() => pathToFileURL(5))],
    });
  },
};
