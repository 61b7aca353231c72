import type { Command, Option } from "commander";
import { ConfigError } from "../errors.js";
import type { NatsTarget } from "../nats/nats-cluster.js";
import { flag, natsFlag } from "./options.js";

/** The NATS connection flags once parsed: where, and as whom. */
export interface NatsFlags {
  readonly nats?: string;
  readonly natsCreds?: string;
  readonly natsNkey?: string;
  readonly natsUser?: string;
  readonly natsPass?: string;
  readonly natsToken?: string;
  readonly natsTlsCa?: string;
  readonly natsTlsCert?: string;
  readonly natsTlsKey?: string;
}

const text = (value: string) => value.trim();

/**
 * Adds `--nats` and the credential and TLS flags, each with its TROUPE_NATS_* variable, to a command that
 * talks to NATS. Every such command takes them from here, so they are the same everywhere. `url`: the description
 * of `--nats`, or a `--nats` option of the command's own.
 */
export function addNatsOptions(command: Command, url: string | Option = natsFlag()): Command {
  return command
    .addOption(typeof url === "string" ? natsFlag(url) : url)
    .addOption(flag("--nats-creds <file>", "NATS .creds file (user JWT and nkey seed)", text).env("TROUPE_NATS_CREDS"))
    .addOption(flag("--nats-nkey <file>", "file holding an nkey user seed", text).env("TROUPE_NATS_NKEY"))
    .addOption(flag("--nats-user <user>", "NATS user (with --nats-pass)", text).env("TROUPE_NATS_USER"))
    .addOption(flag("--nats-pass <password>", "NATS password (prefer the variable: flags show in ps)", (v) => v).env("TROUPE_NATS_PASS"))
    .addOption(flag("--nats-token <token>", "NATS token (prefer the variable: flags show in ps)", (v) => v).env("TROUPE_NATS_TOKEN"))
    .addOption(flag("--nats-tls-ca <file>", "CA certificate that signed the NATS server's certificate (PEM)", text).env("TROUPE_NATS_TLS_CA"))
    .addOption(flag("--nats-tls-cert <file>", "client certificate for mutual TLS (PEM, with --nats-tls-key)", text).env("TROUPE_NATS_TLS_CERT"))
    .addOption(flag("--nats-tls-key <file>", "client key for mutual TLS (PEM)", text).env("TROUPE_NATS_TLS_KEY"));
}

/** Where and as whom to connect, or undefined without `--nats`. */
export function natsTarget(f: NatsFlags): NatsTarget | undefined {
  if (!f.nats) return undefined;
  return {
    url: f.nats,
    auth: { creds: f.natsCreds, nkey: f.natsNkey, user: f.natsUser, pass: f.natsPass, token: f.natsToken, tlsCa: f.natsTlsCa, tlsCert: f.natsTlsCert, tlsKey: f.natsTlsKey },
  };
}

/** Like {@link natsTarget}, for a command that cannot run without NATS. */
export function requireNatsTarget(f: NatsFlags, command: string): NatsTarget {
  const target = natsTarget(f);
  if (!target) throw new ConfigError(`troupe ${command} needs --nats URL (or TROUPE_NATS_URL)`);
  return target;
}
