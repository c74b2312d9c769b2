// new Request(url).url follows the URL Standard: dot segments (plain or percent-encoded) are
// resolved, encoded slashes stay encoded, and an invalid URL is a TypeError.
export default {
  async fetch() {
    const urls = [
      "https://a.example/b/../c",
      "https://a.example/b/%2e%2e/c",
      "https://a.example/b/%2E./c/./d",
      "https://a.example/b/..",
      "https://a.example/b/.",
      "https://a.example/../../x",
      "https://a.example/b/c%2fd",
      "https://a.example/b?q=../x#f",
    ];
    const out = {};
    for (const u of urls) {
      try { out[u] = new Request(u).url; } catch (e) { out[u] = `${e.name}`; }
    }
    try { new Request("not a url"); out.invalid = "accepted"; } catch (e) { out.invalid = e.name; }
    out.redirect = Response.redirect("https://a.example/b/%2e%2e/c?x=/y", 301).headers.get("location");
    out.redirectUrlObject = Response.redirect(new URL("https://A.example/d")).headers.get("location");
    return Response.json(out);
  },
};
