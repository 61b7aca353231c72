import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { natsServerConfig } from "../nats/nats-server-config.js";
import { ROLES, type Role } from "../nats/permissions.js";
import { loadApp, type AppRegistry } from "./app-loader.js";
import { clusterFlag, repeatableFlag } from "./options.js";

/** `troupe nats-config`: prints a nats-server config with the three roles' permissions for the given apps. */
export function registerNatsConfigCommand(program: Command, registry: AppRegistry): void {
  program
    .command("nats-config")
    .description("print a nats-server config (JetStream, TLS, the troupe-node/admin/viewer roles) for these apps")
    .addOption(repeatableFlag<string[]>("--app <name|path>", "app the cluster runs (repeatable)", (items, _what, previous = []) => [...previous, ...items]))
    .addOption(clusterFlag())
    .addOption(repeatableFlag<Partial<Record<Role, string>>>("--nkey <role=public-key>", "this role authenticates with an nkey (public key U...) instead of a password (repeatable)", (items, what, previous = {}) => ({ ...previous, ...Object.fromEntries(items.map((i) => parseNkey(i, what))) })))
    .action(async (f: { app?: string[]; cluster: string; nkey?: Partial<Record<Role, string>> }) => {
      if (!f.app?.length) throw new ConfigError("troupe nats-config needs --app NAME (each app the cluster runs: its buckets and streams are named in the permissions)");
      const apps = await Promise.all(f.app.map((name) => loadApp(name, registry)));
      process.stdout.write(natsServerConfig({ cluster: f.cluster, apps: apps.map((a) => ({ name: a.name, partitions: a.partitions.map((p) => p.name) })), nkeys: f.nkey }));
    });
}

function parseNkey(value: string, what: string): [Role, string] {
  const [role, key] = value.split("=", 2);
  if (!(ROLES as readonly string[]).includes(role ?? "")) throw new ConfigError(`${what}: "${role}" is not a role; one of ${ROLES.join(", ")}`);
  if (!/^U[A-Z2-7]{55}$/.test(key ?? "")) throw new ConfigError(`${what}: "${key}" is not an nkey user public key (56 characters starting with U; \`nk -gen user -pubout\` prints one)`);
  return [role as Role, key!];
}
