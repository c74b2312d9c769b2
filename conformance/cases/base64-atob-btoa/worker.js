// atob/btoa: HTML's forgiving-base64 and workerd's InvalidCharacterError messages.
function attempt(f) {
  try { return ["ok", f()]; } catch (e) { return [e.constructor.name, e.name, e.code ?? null, e.message]; }
}
export default {
  fetch() {
    const out = {};
    const inputs = ["", "YQ", "YQ=", "YQ==", "YWI", "YWJj", "YQ===", " Y Q = = ", "Y\tQ\n=\f=\r", "Y\vQ==", "YR==", "YR",
                    "YQ=a", "Y", "YWJjZ", "=", "==", "YQ==YQ==", "YWJj\u00e9", "-_", "+/", "YQ%3D", null, undefined, 123,
                    "YQ\u00a0", "ab=c", "abc=", "ab==", "a===", "YW Jj", "YQ= =", "////", "AAAA"];
    out.atob = inputs.map((i) => [String(i), attempt(() => [...atob(i)].map((c) => c.charCodeAt(0)))]);
    out.btoa = ["", "a", "ab", "abc", "\u00ff\u00fe", "héllo", "\u0100", "\u{1F600}", null, undefined, 12, {}]
      .map((i) => [String(i), attempt(() => btoa(i))]);
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
    out.allBytes = btoa(all);
    out.roundTrip = atob(btoa(all)) === all;
    const big = all.repeat(300);
    out.bigRoundTrip = atob(btoa(big)) === big;
    out.errors = [attempt(() => atob()), attempt(() => btoa()), attempt(() => atob(Symbol())), attempt(() => btoa(Symbol()))];
    out.shape = [typeof atob, typeof btoa, atob.name, btoa.name];
    return Response.json(out);
  },
};
