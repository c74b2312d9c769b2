// ResourceLimits conversion, in load() (WorkerCode.limits) and in getEntrypoint()'s options (the
// second part of each answer: entrypoint "x" does not exist, so a valid value gets that error).
const W = (limits) => ({ compatibilityDate: "2025-01-01", mainModule: "m.js", modules: { "m.js": "export default { run(x) { return 'ran'; } }" }, limits });
const CASES = {
  cpuInfinity: { cpuMs: Infinity }, cpuNegative: { cpuMs: -1 }, cpuHuge: { cpuMs: 1e12 }, cpuString: { cpuMs: "10" }, cpuNaN: { cpuMs: NaN }, cpu2e9: { cpuMs: 2 ** 32 },
  subInfinity: { subRequests: Infinity }, subNegative: { subRequests: -1 }, subString: { subRequests: "3" },
  limitsNull: null, limitsString: "x",
};
export default {
  async fetch(request, env) {
    const item = new URL(request.url).searchParams.get("item");
    let r;
    try { r = await env.LOADER.load(W(CASES[item])).getEntrypoint().run(1); } catch (e) { r = `${e.name}: ${e.message}`; }
    try { r += " | " + await env.LOADER.load(W(undefined)).getEntrypoint("x", { limits: CASES[item] }).run(1); } catch (e) { r += ` | ${e.name}: ${e.message}`; }
    return Response.json({ [item]: r });
  },
};
