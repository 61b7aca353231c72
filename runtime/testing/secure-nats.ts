import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ROLE_PASSWORD_VARS, SERVER_TLS_VARS } from "../nats/nats-server-config.js";
import type { Role } from "../nats/permissions.js";
import { startNatsServer, type NatsServer } from "./nats-server.js";

/** Certificates made by deploy/tls/make-certs.sh: a CA, the server's, and a client's (mutual TLS). */
export interface TestCerts {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** A nats-server started with the shipped deploy/nats config (TLS and the three roles), random passwords. */
export interface SecureNats {
  readonly server: NatsServer;
  readonly certs: TestCerts;
  readonly passwords: Readonly<Record<Role, string>>;
  /** TROUPE_NATS_* variables that connect as `role` over TLS (with the client certificate when `clientCert`). */
  env(role: Role, clientCert?: boolean): Record<string, string>;
  stop(): Promise<void>;
}

/** The package directory (with deploy/), whether this module runs from source or from dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) if (existsSync(resolve(dir, "deploy", "nats", "nats-server.conf"))) return dir;
  throw new Error("cannot find deploy/nats/nats-server.conf above " + fileURLToPath(import.meta.url));
}

/** Makes a CA and certificates in a temp dir with the shipped script (needs openssl). */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "troupe-tls-"));
  const r = spawnSync("bash", [join(packageRoot(), "deploy", "tls", "make-certs.sh"), dir, "localhost", "127.0.0.1"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`deploy/tls/make-certs.sh failed (is openssl installed? apt-get install -y openssl): ${r.stderr}`);
  const f = (name: string) => join(dir, name);
  return { dir, ca: f("ca.pem"), serverCert: f("server-cert.pem"), serverKey: f("server-key.pem"), clientCert: f("client-cert.pem"), clientKey: f("client-key.pem") };
}

/**
 * Starts nats-server with deploy/nats/nats-server.conf (`mutualTls`: nats-server-mtls.conf, clients must present a
 * certificate; `configText`: that config instead, e.g. one `troupe nats-config --nkey` made), with TLS files and passwords.
 */
export async function startSecureNats(options: { mutualTls?: boolean; configText?: string } = {}): Promise<SecureNats> {
  const certs = makeTestCerts();
  const passwords = { "troupe-node": secret(), "troupe-admin": secret(), "troupe-viewer": secret() };
  const env: Record<string, string> = { [SERVER_TLS_VARS.cert]: certs.serverCert, [SERVER_TLS_VARS.key]: certs.serverKey, [SERVER_TLS_VARS.ca]: certs.ca };
  for (const [role, v] of Object.entries(ROLE_PASSWORD_VARS)) env[v] = passwords[role as Role];
  let configFile = join(packageRoot(), "deploy", "nats", options.mutualTls ? "nats-server-mtls.conf" : "nats-server.conf");
  if (options.configText !== undefined) writeFileSync((configFile = join(certs.dir, "nats-server.conf")), options.configText);
  const server = await startNatsServer({ configFile, env });
  return {
    server,
    certs,
    passwords,
    env: (role, clientCert = false) => ({
      TROUPE_NATS_USER: role,
      TROUPE_NATS_PASS: passwords[role],
      TROUPE_NATS_TLS_CA: certs.ca,
      ...(clientCert ? { TROUPE_NATS_TLS_CERT: certs.clientCert, TROUPE_NATS_TLS_KEY: certs.clientKey } : {}),
    }),
    stop: async () => {
      await server.stop();
      rmSync(certs.dir, { recursive: true, force: true });
    },
  };
}

// Long and distinctive, so a test that greps logs for it finds any leak.
function secret(): string {
  return `pw-${randomBytes(12).toString("hex")}`;
}
