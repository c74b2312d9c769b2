// Shared by the Code Mode tests: a loaderd.yaml whose host worker has a worker loader and an
// http_api binding `API` over the Cloudflare spec, forwarding to the mock Cloudflare API sample
// (which accepts only "demo-token").
import path from "node:path";
import { ROOT, writeFiles } from "../../tools/testing/harness.mjs";

export const SPEC = path.resolve(ROOT, "../shared/data/cloudflare-openapi-2024-08-06.json");
export const BASE = "https://api.cloudflare.com/client/v4";
export const TOKEN = "demo-token";
export const TOKEN_ENV = "LOADERD_TEST_CF_TOKEN";
export const ENV_AUTH = `{ header: Authorization, value_from_env: ${TOKEN_ENV}, prefix: "Bearer " }`;

// Writes `files` (the host's modules, main module index.js) and the config into dir; returns the
// config's path.
export function writeApiConfig(dir, files, { auth = ENV_AUTH } = {}) {
  writeFiles(dir, {
    ...files,
    "loaderd.yaml": `main: host
workers:
  host:
    main: index.js
    compatibility_date: "2025-06-01"
    bindings:
      LOADER: { worker_loader: {} }
      API:
        http_api:
          base_url: "${BASE}"
          spec: ${JSON.stringify(SPEC)}
          auth: ${auth}
          upstream: mock
  mock:
    main: ${JSON.stringify(path.join(ROOT, "samples/mock-cloudflare-api/index.js"))}
    compatibility_date: "2025-06-01"
    bindings:
      API_TOKEN: { text: "${TOKEN}" }
`,
  });
  return path.join(dir, "loaderd.yaml");
}
