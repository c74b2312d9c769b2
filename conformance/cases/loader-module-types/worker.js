// Every module type of a dynamic worker (workerd's moduleTypes and wasmModules), bytes copied
// at load() time. A WebAssembly.Module passed as a module value comes from the parent's own
// wasm module: compiling wasm from bytes at run time is refused, on both runtimes.
import mathWasm from "./math.wasm";

const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1,
  0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);

const MAIN = `
import text from "./t.txt";
import data from "./d.bin";
import json from "./j.json";
import cjs from "./c.cjs";
import wasm from "./math.wasm";
import wasm2 from "./lib/other.wasm";
import { sub } from "./lib/sub.js";
export default {
  run(x) {
    const add = new WebAssembly.Instance(wasm).exports.add;
    const add2 = new WebAssembly.Instance(wasm2).exports.add;
    return {
      text, dataType: Object.prototype.toString.call(data), data: [...new Uint8Array(data)],
      json, cjs: cjs.value, wasmIsModule: wasm instanceof WebAssembly.Module,
      add: add(5, 7), add2: add2(100, 42), sub: sub(),
    };
  },
};`;

export default {
  async fetch(request, env) {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const stub = env.LOADER.load({
      compatibilityDate: "2025-01-01",
      mainModule: "m.js",
      modules: {
        "m.js": MAIN,
        "t.txt": { text: "Hello, " },
        "d.bin": { data: bytes },
        "j.json": { json: { a: [1, "two"], b: null } },
        "c.cjs": { cjs: "module.exports = { value: 'from cjs' };" },
        "math.wasm": { wasm: WASM },
        "lib/other.wasm": mathWasm,
        "lib/sub.js": "export function sub() { return 'sub module'; }",
      },
    });
    bytes[0] = 99;  // copied at load(): the child must not see this
    const result = await stub.getEntrypoint().run(1);
    try { new WebAssembly.Module(WASM); result.runtimeCompile = "allowed"; }
    catch (e) { result.runtimeCompile = `${e.name}: ${e.message}`; }
    return Response.json(result);
  },
};
