// Certificates for TLS tests, made with openssl (installed by tools/install.sh) in a scratch
// folder: a self-signed one, and a private CA with a certificate for localhost it signed.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { scratchDir } from "./harness.mjs";

function inScratch() {
  const dir = scratchDir();
  const ssl = (...args) => execFileSync("openssl", args, { stdio: "ignore", cwd: dir });
  return { dir, ssl, read: (f) => readFileSync(`${dir}/${f}`) };
}

// { key, cert } of a self-signed certificate for localhost (trusted by nobody).
export function selfSignedCertificate() {
  const { ssl, read } = inScratch();
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
      "-days", "1", "-subj", "/CN=localhost");
  return { key: read("key.pem"), cert: read("cert.pem") };
}

// { caPath, key, cert }: the CA's certificate file (for outbound.trusted_certificates), and a
// key and certificate for localhost the CA signed.
export function privateCa() {
  const { dir, ssl, read } = inScratch();
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
      "-subj", "/CN=loaderd test CA", "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(`${dir}/ext.cnf`, "subjectAltName=DNS:localhost\n");
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
      "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf");
  return { caPath: `${dir}/ca.pem`, key: read("server.key"), cert: read("server.pem") };
}
