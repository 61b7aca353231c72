import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

// The deploy files are part of the CLI contract: the env names they set must be ones `troupe node` reads.
const CLI_ENV = ["TROUPE_NODE_ID", "TROUPE_NATS_URL", "TROUPE_APP", "TROUPE_SOURCES", "TROUPE_SINKS", "TROUPE_HTTP", "TROUPE_STATE", "TROUPE_LOG_LEVEL", "TROUPE_HEARTBEAT_MS", "TROUPE_FAILURE_TIMEOUT_MS", "TROUPE_ADVERTISE_HTTP", "TROUPE_KV_REPLICAS", "POD_IP"];
const nodeCommand = readFileSync("runtime/cli/node-command.ts", "utf8");

describe("deploy manifests", () => {
  it("the k8s StatefulSet runs non-root, probes /healthz and /readyz, and sets only env the CLI reads", () => {
    const docs = parseAllDocuments(readFileSync("deploy/k8s/troupe.yaml", "utf8")).map((d) => d.toJS());
    const sts = docs.find((d) => d.kind === "StatefulSet");
    expect(sts).toBeDefined();
    const pod = sts.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const c = pod.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    const env = c.env.map((e: { name: string }) => e.name);
    for (const name of env) expect(CLI_ENV).toContain(name);
    for (const name of env.filter((n: string) => n !== "POD_IP")) expect(nodeCommand).toContain(name);
    expect(c.ports.map((p: { containerPort: number }) => p.containerPort).sort()).toEqual([7001, 7002, 8080]);
    expect(docs.filter((d) => d.kind === "Service").map((d) => d.metadata.name).sort()).toEqual(["troupe-sources", "troupe-workers"]);
  });

  it("the compose file has NATS with JetStream, a scalable worker configured by env, a sink and a load generator", () => {
    const compose = parse(readFileSync("deploy/docker-compose.yml", "utf8"));
    expect(Object.keys(compose.services).sort()).toEqual(["email-sink", "loadgen", "nats", "worker"]);
    expect(compose.services.nats.image).toBe("${NATS_IMAGE:-nats:2.10}");
    expect(compose.services.nats.command).toContain("-js");
    const worker = compose.services.worker;
    expect(worker.container_name).toBeUndefined(); // scalable
    expect(worker.ports).toBeUndefined(); // no fixed host ports
    for (const name of Object.keys(worker.environment)) expect(nodeCommand).toContain(name);
    expect(worker.build.args.NODE_IMAGE).toBe("${NODE_IMAGE:-node:20-bookworm-slim}");
  });

  it("the Dockerfile is multi-stage, non-root, with a health check on /healthz", () => {
    const df = readFileSync("deploy/Dockerfile", "utf8");
    expect(df).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(df.match(/^FROM /gm)?.length).toBe(2);
    expect(df).toMatch(/^USER node$/m);
    expect(df).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(df).toMatch(/npm prune --omit=dev/);
  });
});
