// The http_api credential binding: a worker (and a dynamic worker it loads) calls an
// OpenAPI-described API through env.API while the token stays in loaderd's C++ host. The upstream
// is the mock Cloudflare API sample, which rejects any token but "demo-token".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { scratchDir, writeFiles, startLoaderd, run, LOADERD } from "../../tools/testing/harness.mjs";
import { TOKEN, writeApiConfig } from "./api-fixture.mjs";

const WORKER = `
const BASE = "https://api.cloudflare.com/client/v4";
async function call(api, url, init) {
  try { const r = await api.fetch(url, init); return [r.status, await r.json()]; }
  catch (e) { return e.name + ": " + e.message; }
}
export default {
  async fetch(request, env) {
    const what = new URL(request.url).pathname.slice(1);
    if (what === "dynamic") {
      const stub = env.LOADER.get("agent", () => ({
        compatibilityDate: "2025-06-01",
        mainModule: "agent.js",
        modules: { "agent.js": ${JSON.stringify(`
          export default {
            async fetch(req, env) {
              const r = await env.API.fetch("https://api.cloudflare.com/client/v4/zones?name=example.com");
              const body = await r.json();
              let seen = "";
              try { await env.API.fetch("https://api.cloudflare.com/client/v4/nope"); } catch (e) { seen = e.message; }
              return Response.json({ status: r.status, zone: body.result[0].name, seen,
                                     envKeys: Object.keys(env), dump: JSON.stringify(env) + String(env.API) });
            }
          };`)} },
        env: { API: env.API },
        globalOutbound: null,
      }));
      return stub.getEntrypoint().fetch("http://agent/");
    }
    const out = {};
    out.zones = await call(env.API, BASE + "/zones?name=example.com");
    out.spoofed = await call(env.API, BASE + "/zones", { headers: { authorization: "Bearer stolen", "x-auth-key": "k" } });
    out.post = await call(env.API, BASE + "/accounts/023e105f4ecef8ad9ca31a8372d0c353/storage/kv/namespaces",
                          { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "t1" }) });
    out.unknown = await call(env.API, BASE + "/zonez");
    out.wrongMethod = await call(env.API, BASE + "/zones", { method: "DELETE" });
    out.otherHost = await call(env.API, "https://evil.example.com/client/v4/zones");
    out.otherPort = await call(env.API, "https://api.cloudflare.com:8443/client/v4/zones");
    out.plainHttp = await call(env.API, "http://api.cloudflare.com/client/v4/zones");
    out.outsideBase = await call(env.API, "https://api.cloudflare.com/client/v5/zones");
    out.encodedDots = await call(env.API, BASE + "/zones/%2e%2e/accounts");
    out.dotEscape = await call(env.API, BASE + "/zones/%2e%2e/%2E%2e/%2e./x");
    out.encodedSlash = await call(env.API, BASE + "/zones/a%2fb");
    out.encodedBackslash = await call(env.API, BASE + "/zones/a%5Cb");
    out.spaceInPath = await call(env.API, BASE + "/zones/no%20such%20zone");
    out.envKeys = Object.keys(env);
    out.envDump = JSON.stringify(env) + String(env.API) + Object.getOwnPropertyNames(env.API).join();
    return Response.json(out);
  },
};`;

function config(dir, auth) {
  return writeApiConfig(dir, { "index.js": WORKER }, { auth });
}

const procs = [];
after(async () => { for (const p of procs) await p.stop(); });

async function serve(auth, env) {
  const dir = scratchDir();
  const proc = await startLoaderd(config(dir, auth), { env: { ...process.env, ...env } });
  procs.push(proc);
  return proc;
}

test("the token from the environment authenticates calls and never reaches JavaScript", async () => {
  const proc = await serve(`{ header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN, prefix: "Bearer " }`,
                           { LOADERD_TEST_CF_TOKEN: TOKEN });
  const r = await proc.fetch("/");
  const text = await r.text();
  assert.ok(!text.includes(TOKEN), "the token appears in what the worker could see");
  const out = JSON.parse(text);
  assert.equal(out.zones[0], 200);
  assert.equal(out.zones[1].result[0].name, "example.com");
  // A worker-supplied Authorization header is replaced by the real credential, not forwarded.
  assert.equal(out.spoofed[0], 200);
  assert.equal(out.spoofed[1].success, true);
  assert.equal(out.post[0], 200);
  assert.equal(out.post[1].result.title, "t1");
  assert.match(out.unknown, /^TypeError: The API spec has no operation GET \/zonez\. Closest: GET \/zones/);
  assert.match(out.wrongMethod, /^TypeError: The API spec has no DELETE \/zones \(the path exists with other methods\)/);
  for (const k of ["otherHost", "otherPort", "plainHttp", "outsideBase"]) {
    assert.match(out[k], /^TypeError: The API binding only calls https:\/\/api\.cloudflare\.com\/client\/v4; refused/, k);
  }
  // Encoded dot segments resolve the way the URL Standard says (so this is GET /accounts) ...
  assert.equal(out.encodedDots[0], 200);
  assert.equal(out.encodedDots[1].result[0].name, "Example Account");
  // ... and cannot climb out of the base path; an encoded slash is refused outright.
  assert.match(out.dotEscape, /^TypeError: The API binding only calls .*refused a request to https:\/\/api\.cloudflare\.com\/x\.$/);
  assert.match(out.encodedBackslash, /^TypeError: The API binding refuses the path/);
  // Other escapes are ordinary path parameters and reach the API.
  assert.equal(out.spaceInPath[0], 404);
  assert.match(out.encodedSlash, /^TypeError: The API binding refuses the path \/zones\/a%2fb\.$/);
  assert.deepEqual(out.envKeys.sort(), ["API", "LOADER"]);
  assert.ok(!proc.stdout.includes(TOKEN) && !proc.stderr.includes(TOKEN));
});

test("a dynamic worker given env.API calls the API without the token", async () => {
  const proc = await serve(`{ header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN, prefix: "Bearer " }`,
                           { LOADERD_TEST_CF_TOKEN: TOKEN });
  const r = await proc.fetch("/dynamic");
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.ok(!text.includes(TOKEN));
  const out = JSON.parse(text);
  assert.equal(out.status, 200);
  assert.equal(out.zone, "example.com");
  assert.match(out.seen, /no operation GET \/nope/);
  assert.deepEqual(out.envKeys, ["API"]);
});

test("the token can come from a file; a wrong token reaches the API as an auth error", async () => {
  const dir = scratchDir();
  writeFiles(dir, { "token": `${TOKEN}\n` });
  let proc = await serve(`{ header: Authorization, value_from_file: ${JSON.stringify(path.join(dir, "token"))}, prefix: "Bearer " }`);
  let out = await (await proc.fetch("/")).json();
  assert.equal(out.zones[1].result[0].name, "example.com");
  proc = await serve(`{ header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN, prefix: "Bearer " }`,
                     { LOADERD_TEST_CF_TOKEN: "wrong" });
  out = await (await proc.fetch("/")).json();
  assert.deepEqual(out.zones[1].errors, [{ code: 10000, message: "Authentication error" }]);
  // value_default stands in when the variable is unset (demos), and only then.
  const withDefault = `{ header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN, value_default: ${TOKEN}, prefix: "Bearer " }`;
  proc = await serve(withDefault, { LOADERD_TEST_CF_TOKEN: "" });
  out = await (await proc.fetch("/")).json();
  assert.equal(out.zones[1].result[0].name, "example.com");
  assert.match(proc.stderr, /LOADERD_TEST_CF_TOKEN is not set; using the configured value_default/);
  assert.ok(!proc.stderr.includes(TOKEN));
  proc = await serve(withDefault, { LOADERD_TEST_CF_TOKEN: "wrong" });
  out = await (await proc.fetch("/")).json();
  assert.deepEqual(out.zones[1].errors, [{ code: 10000, message: "Authentication error" }]);
});

test("a missing secret or spec is one clear startup error", async () => {
  const env = { ...process.env };
  delete env.LOADERD_TEST_CF_TOKEN;
  const dir = scratchDir();
  let file = config(dir, `{ header: Authorization, value_from_env: LOADERD_TEST_CF_TOKEN }`);
  let res = await run(LOADERD, ["check", file], { env });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /LOADERD_TEST_CF_TOKEN/);
  assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
  file = config(scratchDir(), `{ header: Authorization, value_from_file: /x, value_default: d }`);
  res = await run(LOADERD, ["check", file], { env });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /value_default: only goes with value_from_env/);
  file = config(scratchDir(), `{ header: Authorization, value_from_file: /nonexistent/token }`);
  res = await run(LOADERD, ["check", file], { env });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /\/nonexistent\/token/);
});
