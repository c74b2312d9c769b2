// "xn--" labels are decoded and checked even when the whole host is ASCII, as the URL Standard's
// domain to ASCII requires (the WPT urltestdata and toascii cases).
const HOSTS = ["xn--a", "xn--a.xn--zca", "xn--ls8h=", "xn--1ug.example", "xn--a-yoc", "xn--zn7c.com",
  "xn--", "a.b.c.XN--pokxncvks", "10.0.0.xn--pokxncvks", "xn--zca.xn--zca", "XN--NXASMM1C.gr", "xn--mhb.1"];

export default {
  fetch() {
    return Response.json(Object.fromEntries(HOSTS.map((host) => {
      try { return [host, new URL(`https://${host}/`).host]; } catch (e) { return [host, e.message]; }
    })));
  },
};
