// Without nodejs_compat there are no node:* modules and no Buffer or process globals. (Only the
// message's first line is compared: loaderd's module loader adds an "imported from" line.)
export default {
  async fetch() {
    const imports = [];
    for (const name of ["node:buffer", "node:events", "node:util", "node:crypto", "node:assert", "node:path", "node:url",
                        "node:string_decoder", "node:async_hooks"]) {
      try { await import(name); imports.push("imported"); } catch (e) { imports.push([e.name, e.message.split("\n")[0]]); }
    }
    return Response.json({ imports, buffer: typeof Buffer, process: typeof process, inGlobal: ["Buffer" in globalThis, "process" in globalThis] });
  },
};
