import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { ROLE_PASSWORD_VARS, SERVER_TLS_VARS } from "../../../runtime/nats/nats-server-config.js";

// Auth and TLS are the deployments' default: checked on the files users run, without Docker (the docker suite runs them).
const compose = parse(readFileSync("deploy/docker-compose.yml", "utf8"));
const natsCluster = parse(readFileSync("deploy/docker-compose.nats-cluster.yml", "utf8"));
const natsOptions = readFileSync("runtime/cli/nats-connection-options.ts", "utf8");
const localSecrets = readFileSync("deploy/tls/make-local-secrets.sh", "utf8");

describe("deployments with NATS auth and TLS on", () => {
  it("compose starts every NATS server with the shipped config, its passwords and TLS files from deploy/local", () => {
    const servers = [compose.services.nats, ...["nats", "nats-2", "nats-3"].map((s) => ({ ...compose.services[s], ...natsCluster.services[s] }))];
    for (const s of servers) {
      const cmd: string[] = s.command;
      expect(cmd[cmd.indexOf("-c") + 1]).toBe("/etc/nats/nats-server.conf");
      expect(s.env_file ?? natsCluster["x-nats"].env_file).toBe("local/nats.env");
      expect(s.volumes).toEqual(expect.arrayContaining(["./nats:/etc/nats:ro", "./local/tls:/etc/troupe/tls:ro"]));
    }
    // The script writes every variable the config reads.
    for (const v of [...Object.values(ROLE_PASSWORD_VARS), ...Object.values(SERVER_TLS_VARS)]) expect(localSecrets).toContain(v);
  });

  it("compose workers connect as troupe-node over TLS and the load generator as troupe-viewer, with no password in the file", () => {
    const w = compose.services.worker;
    expect(w.environment).toMatchObject({ TROUPE_NATS_USER: "troupe-node", TROUPE_NATS_TLS_CA: "/etc/troupe/tls/ca.pem" });
    expect(w.env_file).toBe("local/node.env");
    expect(compose.services.loadgen.env_file).toBe("local/viewer.env");
    for (const name of [...Object.keys(w.environment).filter((n) => n.startsWith("TROUPE_NATS_") && n !== "TROUPE_NATS_URL"), "TROUPE_NATS_PASS"]) expect(natsOptions).toContain(`"${name}"`);
    expect(readFileSync("deploy/docker-compose.yml", "utf8")).not.toMatch(/PASS(WORD)?:\s*\S/);
    expect(readFileSync(".gitignore", "utf8")).toMatch(/^deploy\/local\/$/m);
  });

  it("the Kubernetes workers read the troupe-node password and the CA from Secrets", () => {
    const sts = parseAllDocuments(readFileSync("deploy/k8s/troupe.yaml", "utf8"))
      .map((d) => d.toJS() as { kind: string; spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string; valueFrom?: unknown }> }>; volumes: Array<{ secret?: { secretName: string } }> } } } })
      .find((o) => o.kind === "StatefulSet")!;
    const env = Object.fromEntries(sts.spec.template.spec.containers[0]!.env.map((e) => [e.name, e]));
    expect(env.TROUPE_NATS_USER?.value).toBe("troupe-node");
    expect(env.TROUPE_NATS_PASS).toEqual({ name: "TROUPE_NATS_PASS", valueFrom: { secretKeyRef: { name: "troupe-nats", key: "node-password" } } });
    expect(sts.spec.template.spec.volumes.map((v) => v.secret?.secretName)).toContain("troupe-nats-tls");
  });
});
