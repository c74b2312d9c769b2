// The `process` global with nodejs_compat (workerd's process v2, from 2025-09-15): versions,
// platform, env, nextTick ordering and arguments, hrtime, emitWarning, getBuiltinModule.
import { EventEmitter } from "node:events";
import { Buffer } from "node:buffer";

export default {
  async fetch() {
    const order = [];
    process.nextTick(() => order.push("tick"));
    queueMicrotask(() => order.push("micro"));
    Promise.resolve().then(() => order.push("then"));
    process.nextTick((a, b) => order.push(a + b), 1, 2);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const warnings = [];
    process.on("warning", (w) => warnings.push([w.name, w.message, w.code ?? null]));
    process.emitWarning("careful");
    process.emitWarning("old", "DeprecationWarning", "DEP0001");
    process.emitWarning(new Error("as error"));
    await new Promise((resolve) => setTimeout(resolve, 1));
    process.removeAllListeners("warning");
    const [sec, nsec] = process.hrtime();
    const diff = process.hrtime([sec, nsec]);
    let nextTickError;
    try { process.nextTick(5); } catch (e) { nextTickError = [e.name, e.code, e.message]; }
    return Response.json({
      version: process.version, node: process.versions.node, versionsNodeMatches: process.version === `v${process.versions.node}`,
      platform: process.platform, arch: process.arch, env: process.env, envIsObject: Object.getPrototypeOf(process.env) === Object.prototype,
      tag: Object.prototype.toString.call(process), isEmitter: process instanceof EventEmitter,
      argv: [Array.isArray(process.argv), process.argv.length, typeof process.argv[0]], execArgv: process.execArgv,
      cwd: process.cwd(), order, warnings,
      hrtime: [Number.isInteger(sec), Number.isInteger(nsec), nsec < 1e9, diff[0] >= 0, typeof process.hrtime.bigint()],
      memory: Object.keys(process.memoryUsage()), uptime: typeof process.uptime(),
      builtin: [process.getBuiltinModule("node:buffer").Buffer === Buffer, process.getBuiltinModule("buffer") === process.getBuiltinModule("node:buffer"),
                process.getBuiltinModule("node:nonexistent") ?? null],
      nextTickError, release: process.release.name,
    });
  },
};
