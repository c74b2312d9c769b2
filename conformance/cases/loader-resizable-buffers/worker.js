// Ported from workerd's worker-loader-rab-test.js: load() must copy module bytes before it
// returns, since a resizable ArrayBuffer can lose them (resize(0)) before the child compiles.

// A wasm module exporting add(i32, i32) -> i32.
const WASM_ADD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f,
  0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);
const TEXT = "Hello from resizable ArrayBuffer!";

async function dataModule(env) {
  const rab = new ArrayBuffer(64, { maxByteLength: 128 });
  new Uint8Array(rab).set(new TextEncoder().encode(TEXT));
  const worker = env.LOADER.load({
    compatibilityDate: "2025-01-01",
    mainModule: "main.js",
    modules: {
      "main.js": { js: `
        import { WorkerEntrypoint } from "cloudflare:workers";
        import bytes from "./data.bin";
        export default class extends WorkerEntrypoint {
          getData() { return new TextDecoder().decode(bytes.slice(0, ${TEXT.length})); }
        }` },
      "data.bin": { data: rab },
    },
  });
  rab.resize(0);
  const result = await worker.getEntrypoint().getData();
  return { resizable: rab.resizable, afterShrink: rab.byteLength, result };
}

async function wasmModule(env) {
  const rab = new ArrayBuffer(WASM_ADD.byteLength, { maxByteLength: WASM_ADD.byteLength * 2 });
  new Uint8Array(rab).set(WASM_ADD);
  const worker = env.LOADER.load({
    compatibilityDate: "2025-01-01",
    mainModule: "main.js",
    modules: {
      "main.js": { js: `
        import { WorkerEntrypoint } from "cloudflare:workers";
        import math from "./math.wasm";
        export default class extends WorkerEntrypoint {
          async add(a, b) { return (await WebAssembly.instantiate(math)).exports.add(a, b); }
        }` },
      "math.wasm": { wasm: rab },
    },
  });
  rab.resize(0);
  const result = await worker.getEntrypoint().add(3, 4);
  return { resizable: rab.resizable, afterShrink: rab.byteLength, result };
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    return Response.json(pathname === "/data" ? await dataModule(env) : await wasmModule(env));
  },
};
