import { readFileSync, statSync } from "node:fs";
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from "@nats-io/transport-node";
import { ConfigError, NatsAuthError, NatsUnavailableError, type TroupeError } from "../errors.js";

/** How a client proves who it is to NATS and checks the server: at most one credential, and TLS files. */
export interface NatsAuthOptions {
  /** A NATS `.creds` file (user JWT and nkey seed). */
  readonly creds?: string;
  /** A file holding an nkey seed (`SU...`). */
  readonly nkey?: string;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** CA certificate(s) that signed the server's certificate (PEM). */
  readonly tlsCa?: string;
  /** Client certificate and key (PEM), for a server that verifies clients (mutual TLS). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** A connection ready for `connect()`, and how to name it in messages without any secret. */
export interface ResolvedNatsConnection {
  readonly options: ConnectionOptions;
  /** The server URLs with any user, password or token taken out. */
  readonly where: string;
  /** Who connects, e.g. `user "troupe-node"` or `creds file /run/x.creds` (never a secret). */
  readonly who: string;
  /** Secret strings to scrub from any message that quotes a server or library error. */
  readonly secrets: readonly string[];
}

/** Something to tell about a setting that works but is unsafe (a secret file others can read). */
export type ConnectionWarning = (message: string, fields: Record<string, unknown>) => void;

/**
 * Turns `--nats` URLs and the `--nats-*` credential and TLS settings into nats.js connection options. A user and
 * password (or a token) written into the URL are taken out of it and passed the way the client sends them.
 */
export function resolveNatsConnection(url: string, auth: NatsAuthOptions = {}, warn: ConnectionWarning = () => undefined): ResolvedNatsConnection {
  const servers: string[] = [];
  let fromUrl: { user: string; pass?: string } | undefined;
  for (const raw of url.split(",").map((s) => s.trim()).filter(Boolean)) {
    const { server, user, pass } = splitUserInfo(raw);
    servers.push(server);
    if (user === undefined) continue;
    if (fromUrl && (fromUrl.user !== user || fromUrl.pass !== pass)) throw new ConfigError("--nats: the URLs carry different credentials; give one set with --nats-user/--nats-pass or --nats-token");
    fromUrl = { user, pass };
  }
  if (servers.length === 0) throw new ConfigError("--nats: no server URL given (e.g. nats://127.0.0.1:4222)");
  const where = servers.join(",");
  const given = (["creds", "nkey", "user", "token"] as const).filter((k) => auth[k]);
  if (fromUrl && given.length > 0) throw new ConfigError(`--nats: the URL carries credentials and --nats-${given[0]} is given too; give them once`);
  if (given.length > 1) throw new ConfigError(`give one NATS credential, not ${given.map((k) => `--nats-${k}`).join(" and ")}`);
  if (auth.pass && !auth.user) throw new ConfigError("--nats-pass needs --nats-user (TROUPE_NATS_USER)");
  if (auth.user && !auth.pass) throw new ConfigError(`--nats-user ${auth.user} needs --nats-pass (TROUPE_NATS_PASS)`);

  const options: ConnectionOptions = { servers };
  const secrets: string[] = [];
  let who = "a client without credentials";
  const user = fromUrl?.pass !== undefined ? fromUrl.user : auth.user;
  const pass = fromUrl?.pass ?? auth.pass;
  const token = fromUrl && fromUrl.pass === undefined ? fromUrl.user : auth.token;
  if (user !== undefined && pass !== undefined) {
    Object.assign(options, { user, pass });
    secrets.push(pass);
    who = `user "${user}"`;
  } else if (token) {
    options.token = token;
    secrets.push(token);
    who = "a token";
  } else if (auth.creds) {
    options.authenticator = credsAuthenticator(readSecretFile(auth.creds, "--nats-creds", warn));
    who = `creds file ${auth.creds}`;
  } else if (auth.nkey) {
    const seed = new TextDecoder().decode(readSecretFile(auth.nkey, "--nats-nkey", warn)).trim();
    if (!/^SU[A-Z2-7]+$/.test(seed)) throw new ConfigError(`--nats-nkey ${auth.nkey}: not an nkey user seed (one line starting with SU; make one with \`nk -gen user\`)`);
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
    who = `nkey file ${auth.nkey}`;
  }

  if (auth.tlsCert || auth.tlsKey) {
    if (!auth.tlsCert || !auth.tlsKey) throw new ConfigError("mutual TLS needs both --nats-tls-cert and --nats-tls-key");
    readableFile(auth.tlsCert, "--nats-tls-cert");
    readSecretFile(auth.tlsKey, "--nats-tls-key", warn);
  }
  if (auth.tlsCa) readableFile(auth.tlsCa, "--nats-tls-ca");
  if (auth.tlsCa || auth.tlsCert) options.tls = { ...(auth.tlsCa ? { caFile: auth.tlsCa } : {}), ...(auth.tlsCert ? { certFile: auth.tlsCert, keyFile: auth.tlsKey } : {}) };
  return { options, where, who, secrets };
}

/** The error to raise for a failed connect: refused credentials and TLS failures say what to fix; no secret in it. */
export function connectError(err: unknown, conn: ResolvedNatsConnection): TroupeError {
  const reason = scrub(String((err as Error)?.message ?? err), conn.secrets);
  const name = (err as Error)?.name ?? "";
  if (/AuthorizationError|UserAuthenticationExpiredError/.test(name) || /authori[sz]ation violation|authentication/i.test(reason)) {
    return new NatsAuthError(
      `NATS at ${conn.where} refused ${conn.who}: ${reason}. Give the credentials of a Troupe role (--nats-user/--nats-pass, --nats-creds FILE, --nats-nkey FILE or --nats-token, or their TROUPE_NATS_* variables; see README "Security")`,
      { cause: err },
    );
  }
  if (/tls|ssl|certificate|self[- ]signed/i.test(reason)) {
    return new NatsAuthError(
      `TLS with NATS at ${conn.where} failed: ${reason}. Pass --nats-tls-ca FILE (TROUPE_NATS_TLS_CA) with the CA that signed the server's certificate, and --nats-tls-cert/--nats-tls-key when the server verifies clients`,
      { cause: err },
    );
  }
  // A server that requires client certificates drops a client without one in the handshake: nats.js sees a timeout.
  const mtlsHint = /timeout/i.test(reason) && !conn.options.tls?.certFile ? " (a server that requires client certificates also ends a connection like this: then pass --nats-tls-cert/--nats-tls-key)" : "";
  return new NatsUnavailableError(`cannot connect to NATS at ${conn.where}: ${reason}${mtlsHint}. Start a server with JetStream (nats-server -js) or fix --nats / TROUPE_NATS_URL`, { cause: err });
}

/** The `--nats` URLs with any user, password or token taken out (for messages). */
export function redactUrls(url: string): string {
  return url
    .split(",")
    .map((s) => splitUserInfo(s.trim()).server)
    .join(",");
}

/** `text` with every secret replaced by `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}

// `nats://user:pass@host:4222` (or `user@host`, a token) -> the server without them, and what they were.
function splitUserInfo(raw: string): { server: string; user?: string; pass?: string } {
  const at = raw.lastIndexOf("@");
  if (at < 0) return { server: raw };
  const scheme = /^[a-z]+:\/\//i.exec(raw)?.[0] ?? "";
  const info = raw.slice(scheme.length, at);
  const colon = info.indexOf(":");
  const user = decodeURIComponent(colon < 0 ? info : info.slice(0, colon));
  const pass = colon < 0 ? undefined : decodeURIComponent(info.slice(colon + 1));
  return { server: scheme + raw.slice(at + 1), user, pass };
}

function readableFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${what} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}

// A secret file others can read still works, but say so: on a shared machine anyone could take the role.
function readSecretFile(file: string, what: string, warn: ConnectionWarning): Uint8Array {
  const bytes = readableFile(file, what);
  if ((statSync(file).mode & 0o077) !== 0) warn(`${what} ${file} can be read by other users: chmod 600 it`, { file, flag: what });
  return bytes;
}
