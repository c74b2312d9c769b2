// SharedArrayBuffers, WebAssembly objects and transfer lists in JS RPC and structuredClone, as on
// workerd (probed there item by item); one item per request.
import { WorkerEntrypoint } from "cloudflare:workers";
export class Peer extends WorkerEntrypoint {
  wasmError(kind) { throw new WebAssembly[kind]("w " + kind); }
  echo(x) { return Object.prototype.toString.call(x); }
  give(kind) {
    if (kind === "sab") return new SharedArrayBuffer(8);
    if (kind === "view") return new Uint8Array(new SharedArrayBuffer(8));
    if (kind === "nested") return { a: [new SharedArrayBuffer(4)] };
    if (kind === "resizable") return new ArrayBuffer(4, { maxByteLength: 16 });
    if (kind === "wasmMemory") return new WebAssembly.Memory({ initial: 1 });
    if (kind === "growable") return new SharedArrayBuffer(4, { maxByteLength: 16 });
    if (kind === "wasmModule") return new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    if (kind === "wasmTable") return new WebAssembly.Table({ initial: 1, element: "anyfunc" });
    if (kind === "wasmGlobal") return new WebAssembly.Global({ value: "i32" }, 1);
    if (kind === "sharedMemory") return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  }
}
const show = (e) => `${e?.constructor?.name}: ${e?.message}${e?.remote ? " (remote)" : ""}`;
async function outcome(f) { try { return "ok " + String(await f()); } catch (e) { return "err " + show(e); } }
const ITEMS = {
  argSab: (env) => outcome(() => env.SELF_PEER.echo(new SharedArrayBuffer(8))),
  argView: (env) => outcome(() => env.SELF_PEER.echo(new Int32Array(new SharedArrayBuffer(8)))),
  argNested: (env) => outcome(() => env.SELF_PEER.echo({ x: [new SharedArrayBuffer(8)] })),
  argResizable: (env) => outcome(() => env.SELF_PEER.echo(new ArrayBuffer(4, { maxByteLength: 16 }))),
  argWasmMemory: (env) => outcome(() => env.SELF_PEER.echo(new WebAssembly.Memory({ initial: 1 }))),
  retSab: (env) => outcome(() => env.SELF_PEER.give("sab")),
  retView: (env) => outcome(() => env.SELF_PEER.give("view")),
  retNested: (env) => outcome(() => env.SELF_PEER.give("nested")),
  retWasmMemory: (env) => outcome(() => env.SELF_PEER.give("wasmMemory")),
  retWasmModule: (env) => outcome(() => env.SELF_PEER.give("wasmModule")),
  argWasmModule: (env) => outcome(() => env.SELF_PEER.echo(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])))),
  cloneWasmModule: () => outcome(() => Object.prototype.toString.call(structuredClone(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))))),
  wasmErrors: async (env) => [await outcome(() => env.SELF_PEER.wasmError("RuntimeError")), await outcome(() => env.SELF_PEER.wasmError("LinkError")), await outcome(() => env.SELF_PEER.wasmError("CompileError")), await outcome(async () => { try { await env.SELF_PEER.wasmError("RuntimeError"); } catch (e) { return [e instanceof WebAssembly.RuntimeError, e.name, e instanceof Error].join(); } })],
  retWasmTable: (env) => outcome(() => env.SELF_PEER.give("wasmTable")),
  retWasmGlobal: (env) => outcome(() => env.SELF_PEER.give("wasmGlobal")),
  retSharedMemory: (env) => outcome(() => env.SELF_PEER.give("sharedMemory")),
  argWasmTable: (env) => outcome(() => env.SELF_PEER.echo(new WebAssembly.Table({ initial: 1, element: "anyfunc" }))),
  argWasmGlobal: (env) => outcome(() => env.SELF_PEER.echo(new WebAssembly.Global({ value: "i32" }, 1))),
  cloneWasmTable: () => outcome(() => Object.prototype.toString.call(structuredClone(new WebAssembly.Table({ initial: 1, element: "anyfunc" })))),
  cloneWasmGlobal: () => outcome(() => Object.prototype.toString.call(structuredClone(new WebAssembly.Global({ value: "i32" }, 1)))),
  cloneSharedMemory: () => outcome(() => Object.prototype.toString.call(structuredClone(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true })))),
  cloneSabShares: () => outcome(() => { const a = new Int32Array(new SharedArrayBuffer(8)); const b = structuredClone(a); b[0] = 5; return [a[0], b.buffer === a.buffer, b.buffer.byteLength]; }),
  cloneSabTwice: () => outcome(() => { const s = new SharedArrayBuffer(8); const r = structuredClone({ x: s, y: s }); return [r.x === r.y, r.x === s]; }),
  cloneSabTransfer: () => outcome(() => { const s = new SharedArrayBuffer(8); return Object.prototype.toString.call(structuredClone(s, { transfer: [s] })); }),
  transferAb: () => outcome(() => { const ab = new ArrayBuffer(8); new Uint8Array(ab)[0] = 7; const r = structuredClone(ab, { transfer: [ab] }); return [ab.byteLength, r.byteLength, new Uint8Array(r)[0], r === ab]; }),
  transferView: () => outcome(() => { const ab = new ArrayBuffer(8); const v = new Uint8Array(ab); const r = structuredClone({ v }, { transfer: [ab] }); return [ab.byteLength, v.length, r.v.length, r.v.buffer.byteLength]; }),
  transferTwice: () => outcome(() => { const ab = new ArrayBuffer(8); structuredClone(ab, { transfer: [ab, ab] }); return "no error"; }),
  transferObj: () => outcome(() => structuredClone({}, { transfer: [{}] })),
  transferNotIterable: () => outcome(() => structuredClone({}, { transfer: 5 })),
  transferNull: () => outcome(() => structuredClone(1, { transfer: null })),
  optionsBad: () => outcome(() => structuredClone(1, 5)),
  optionsNull: () => outcome(() => structuredClone(1, null)),
  transferDetached: () => outcome(() => { const ab = new ArrayBuffer(8); structuredClone(ab, { transfer: [ab] }); return structuredClone(ab, { transfer: [ab] }); }),
  cloneDetached: () => outcome(() => { const ab = new ArrayBuffer(8); structuredClone(ab, { transfer: [ab] }); return structuredClone(ab); }),
  transferUnused: () => outcome(() => { const ab = new ArrayBuffer(8); const r = structuredClone(1, { transfer: [ab] }); return [r, ab.byteLength]; }),
  transferWasmMemoryBuffer: () => outcome(() => { const m = new WebAssembly.Memory({ initial: 1 }); return structuredClone(m.buffer, { transfer: [m.buffer] }).byteLength; }),
  cloneSab: () => outcome(() => Object.prototype.toString.call(structuredClone(new SharedArrayBuffer(8)))),
  cloneView: () => outcome(() => Object.prototype.toString.call(structuredClone(new Uint8Array(new SharedArrayBuffer(8))))),
  cloneWasmMemory: () => outcome(() => Object.prototype.toString.call(structuredClone(new WebAssembly.Memory({ initial: 1 })))),
};
export default {
  async fetch(request, env, ctx) {
    const item = new URL(request.url).searchParams.get("item");
    return Response.json({ [item]: await ITEMS[item](env, ctx) });
  },
};
