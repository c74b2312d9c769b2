// Starts real loaderd and workerd processes on loopback for tests, conformance and benchmarks.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const LOADERD = process.env.LOADERD ?? path.join(ROOT, "build/loaderd");
export const WORKERD = path.join(ROOT, "node_modules/.bin/workerd");

// Scratch folders, removed when the process exits.
const scratch = [];
process.on("exit", () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
export function scratchDir(prefix = "loaderd-test-") {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

// Writes files ({relativePath: content}) under dir.
export function writeFiles(dir, files) {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

// Runs a command to completion; returns {code, stdout, stderr}.
export function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

class Process {
  constructor(child, url) {
    this.child = child;
    this.url = url;
    this.stderr = "";
    this.stdout = "";
    child.stderr.on("data", (d) => (this.stderr += d));
    child.stdout.on("data", (d) => (this.stdout += d));
  }
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }
  fetch(pathname, init) {
    return fetch(new URL(pathname, this.url), init);
  }
}

// The loaderd.yaml of a single worker `w` whose main module is index.js.
export const ONE_WORKER_CONFIG =
  "workers:\n  w:\n    main: index.js\n    compatibility_date: 2025-06-01\n";

// Serves `source` as index.js of a fresh folder with `config` (default: ONE_WORKER_CONFIG).
export function serveWorker(source, config = ONE_WORKER_CONFIG, options = {}) {
  const dir = scratchDir();
  writeFiles(dir, { "index.js": source, "loaderd.yaml": config });
  return startLoaderd(dir, options);
}

// Starts `loaderd serve CONFIG --listen 127.0.0.1:0` and waits for its "serving" line.
export async function startLoaderd(config, { timeoutMs = 10000, env } = {}) {
  const child = spawn(LOADERD, ["serve", config, "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: env ?? process.env,
  });
  return waitForUrl(child, "loaderd", (out) => out.match(/serving worker "[^"]*" on (http:\/\/\S+)/),
                    timeoutMs);
}

// Starts `workerd serve CONFIG` on the given port and waits until it accepts connections.
export async function startWorkerd(configFile, port, { timeoutMs = 10000 } = {}) {
  const child = spawn(WORKERD, ["serve", configFile, "--experimental"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc = new Process(child, `http://127.0.0.1:${port}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`workerd exited with ${child.exitCode}: ${proc.stderr}`);
    }
    if (await canConnect(port)) return proc;
    await new Promise((r) => setTimeout(r, 25));
  }
  await proc.stop();
  throw new Error(`workerd did not listen within ${timeoutMs} ms: ${proc.stderr}`);
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => { socket.destroy(); resolve(true); });
    socket.on("error", () => resolve(false));
  });
}

function waitForUrl(child, what, match, timeoutMs) {
  return new Promise((resolve, reject) => {
    let out = "", err = "";
    const proc = new Process(child, null);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${what} did not start within ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stdout.on("data", (d) => {
      out += d;
      const m = match(out);
      if (m && !proc.url) {
        clearTimeout(timer);
        proc.url = m[1];
        resolve(proc);
      }
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!proc.url) reject(new Error(`${what} exited with ${code}: ${err}`));
    });
  });
}

// Lists files under dir, relative, sorted.
export function listFiles(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(path.join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(path.join(dir, rel)).isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}
