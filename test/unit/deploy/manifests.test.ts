import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";

// The deploy files are part of the CLI contract: the env names they set must be ones `troupe node` reads.
const CLI_ENV = ["TROUPE_NODE_ID", "TROUPE_NATS_URL", "TROUPE_APP", "TROUPE_SOURCES", "TROUPE_SINKS", "TROUPE_HTTP", "TROUPE_STATE", "TROUPE_LOG_LEVEL", "TROUPE_HEARTBEAT_MS", "TROUPE_FAILURE_TIMEOUT_MS", "TROUPE_ADVERTISE_HTTP", "TROUPE_KV_REPLICAS", "POD_IP", "TROUPE_NATS_USER", "TROUPE_NATS_PASS", "TROUPE_NATS_TLS_CA"];
// The node command's flags: its own, the shared ones (--nats, --cluster) in options.ts, and the NATS credentials'.
const nodeCommand = readFileSync("runtime/cli/node-command.ts", "utf8") + readFileSync("runtime/cli/options.ts", "utf8") + readFileSync("runtime/cli/nats-connection-options.ts", "utf8");

// How long a SIGTERM drain may take: the node's drain timeout (runtime/node/node.ts `drain(timeoutMs = ...)`),
// then the final flushes, the leave and its grace. A grace period must outlast it, or the drain is killed midway.
const nodeSource = readFileSync("runtime/node/node.ts", "utf8");
const DRAIN_S = Number(/async drain\(timeoutMs = ([\d_]+)\)/.exec(nodeSource)?.[1]?.replace(/_/g, "")) / 1000;
const DRAIN_MARGIN_S = 10;

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; [k: string]: unknown };
const K8S_DIR = "deploy/k8s";
const manifests: Array<{ where: string; obj: K8sObject }> = readdirSync(K8S_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, f), "utf8"))
      .map((d, i) => ({ where: `${f}#${i + 1}`, obj: d.toJS() as K8sObject }))
      .filter((m) => m.obj),
  );
const ofKind = (kind: string): K8sObject[] => manifests.filter((m) => m.obj.kind === kind).map((m) => m.obj);
const sts = (): K8sObject => ofKind("StatefulSet")[0]!;
const podSpec = (): any => sts().spec.template.spec;
const worker = (): any => podSpec().containers[0];

/**
 * Strict field validation, as `kubectl apply` does by default (--validate=strict): every field of every
 * object must exist in the API type. The manifests are typed against kubernetes-models' declarations of
 * the Kubernetes API types with the TypeScript checker, which also reports wrong types and missing
 * required fields. Returns one line per problem.
 */
function strictFieldErrors(objects: Array<{ where: string; obj: K8sObject }>): string[] {
  const file = resolve("__k8s_manifests__.ts");
  const lines: string[] = [];
  objects.forEach(({ obj }, i) => {
    lines.push(`import type { I${obj.kind} as T${i} } from "kubernetes-models/${obj.apiVersion}/${obj.kind}";`);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(obj)};`);
  });
  const source = lines.join("\n");
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang, true) : getSourceFile(name, lang, ...rest));
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file)!;
  const out: string[] = [];
  // The manifest an AST node belongs to (its variable is o<index>).
  const which = (node: ts.Node): string => {
    let n: ts.Node | undefined = node;
    while (n && !ts.isVariableDeclaration(n)) n = n.parent;
    const i = n ? Number(/^o(\d+)$/.exec(n.name.getText(sf))?.[1]) : NaN;
    return objects[i]?.where ?? "(imports)";
  };
  const propName = (p: ts.PropertyAssignment): string => (ts.isStringLiteral(p.name) ? p.name.text : p.name.getText(sf));
  // The field path of an AST node inside its manifest (.spec.template.spec.containers[0]...).
  const pathOf = (node: ts.Node): string => {
    const parts: string[] = [];
    for (let n: ts.Node = node; n.parent && !ts.isVariableDeclaration(n); n = n.parent) {
      const p = n.parent;
      if (ts.isPropertyAssignment(p)) parts.unshift(`.${propName(p)}`);
      else if (ts.isArrayLiteralExpression(p)) parts.unshift(`[${p.elements.indexOf(n as ts.Expression)}]`);
    }
    return parts.join("");
  };
  // The innermost AST node at a position (where a diagnostic points).
  const nodeAt = (pos: number): ts.Node => {
    let found: ts.Node = sf;
    const visit = (n: ts.Node): void => {
      if (pos >= n.getStart(sf) && pos < n.getEnd()) {
        found = n;
        ts.forEachChild(n, visit);
      }
    };
    ts.forEachChild(sf, visit);
    return found;
  };
  // Every property of every object literal must be a property of its contextual (API) type.
  const known = (type: ts.Type, name: string): boolean => {
    const t = type.getNonNullableType();
    if (t.isUnion()) return t.types.some((u) => known(u, name));
    return checker.getPropertyOfType(t, name) !== undefined || checker.getIndexInfosOfType(t).length > 0;
  };
  const visit = (node: ts.Node, path: string): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const type = checker.getContextualType(node);
      for (const p of node.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const name = propName(p);
        if (type && !known(type, name)) out.push(`${which(node)}: unknown field ${path}.${name}`);
        visit(p.initializer, `${path}.${name}`);
      }
    } else if (ts.isArrayLiteralExpression(node)) node.elements.forEach((e, i) => visit(e, `${path}[${i}]`));
    else ts.forEachChild(node, (c) => visit(c, path));
  };
  for (const st of sf.statements) if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (d.initializer) visit(d.initializer, "");
  for (const d of ts.getPreEmitDiagnostics(program, sf)) {
    const token = d.start !== undefined ? nodeAt(d.start) : undefined;
    out.push(`${token ? `${which(token)} at ${pathOf(token)}` : "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }
  return out;
}

/** A Kubernetes quantity in base units (cores, bytes). */
function quantity(q: string | number): number {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) throw new Error(`not a quantity: ${q}`);
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2] ?? ""] ?? 1;
  return Number(m[1]) * unit;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

describe("Kubernetes manifests, checked the way a cluster would (deploy/k8s/*.yaml)", () => {
  beforeAll(() => {
    expect(manifests.length).toBeGreaterThan(0);
    expect(DRAIN_S).toBeGreaterThan(0); // found the drain timeout in runtime/node/node.ts
  });

  it("every object validates against the Kubernetes OpenAPI schema of its kind (kubernetes-models)", async () => {
    const problems: string[] = [];
    for (const { where, obj } of manifests) {
      // kubernetes-models ships one model per kind, with the API's schema compiled into its validate().
      const mod = (await import(/* @vite-ignore */ `kubernetes-models/${obj.apiVersion}/${obj.kind}`).catch(() => undefined)) as Record<string, new (d: unknown) => { validate(): void }> | undefined;
      const Model = mod?.[obj.kind];
      if (!Model) {
        problems.push(`${where}: ${obj.apiVersion} ${obj.kind} is not a kind the API serves`);
        continue;
      }
      try {
        new Model(obj).validate();
      } catch (err) {
        problems.push(`${where} (${obj.kind} ${obj.metadata?.name}): ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("every field is one the API knows, with the right type (strict field validation, as kubectl apply does)", () => {
    expect(strictFieldErrors(manifests)).toEqual([]);
    // The check itself catches a misspelt field, a wrong type and a misspelt nested field.
    const broken = structuredClone(manifests.find((m) => m.obj.kind === "StatefulSet")!);
    broken.obj.spec.template.spec.terminationGracePeriodSecond = 60;
    broken.obj.spec.template.spec.containers[0].readinesProbe = { httpGet: { path: "/readyz", port: "http" } };
    broken.obj.spec.replicas = "3";
    const errors = strictFieldErrors([broken]).join("\n");
    expect(errors).toMatch(/unknown field .spec.template.spec.terminationGracePeriodSecond/);
    expect(errors).toMatch(/unknown field .spec.template.spec.containers\[0\].readinesProbe/);
    expect(errors).toMatch(/at .spec.replicas: Type 'string' is not assignable to type 'number'/);
  });

  it("passes the API server's own checks: names, selectors, named ports, env references, requests within limits", () => {
    for (const { where, obj } of manifests) {
      const nameRule = obj.kind === "Service" ? DNS1035_LABEL : DNS1123_LABEL;
      expect(obj.metadata.name, `${where}: metadata.name`).toMatch(nameRule);
    }
    const s = sts();
    const podLabels = s.spec.template.metadata.labels as Record<string, string>;
    // apps/v1: the selector must match the template's labels (the API rejects the StatefulSet otherwise).
    for (const [k, v] of Object.entries(s.spec.selector.matchLabels as Record<string, string>)) expect(podLabels[k], `selector ${k}`).toBe(v);
    // serviceName names a headless Service in the same files.
    const governing = ofKind("Service").find((x) => x.metadata.name === s.spec.serviceName);
    expect(governing?.spec.clusterIP).toBe("None");
    for (const c of podSpec().containers) {
      const portNames = new Set<string>();
      for (const p of c.ports ?? []) {
        if (p.name) {
          expect(p.name, `container port name ${p.name}`).toMatch(IANA_SVC_NAME);
          expect(portNames.has(p.name), `duplicate port name ${p.name}`).toBe(false);
          portNames.add(p.name);
        }
      }
      // A probe's named port is one of the container's ports.
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === "string") expect(portNames.has(port), `${probe} port ${port}`).toBe(true);
      }
      // $(VAR) in an env value refers to a variable defined before it (Kubernetes expands only those).
      const defined = new Set<string>();
      for (const e of c.env ?? []) {
        for (const [, ref] of String(e.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) expect(defined.has(ref!), `env ${e.name} refers to $(${ref}) defined earlier`).toBe(true);
        defined.add(e.name);
      }
      // requests <= limits for every resource that has both (the API rejects a request above its limit).
      for (const [r, limit] of Object.entries((c.resources?.limits ?? {}) as Record<string, string>)) {
        const req = c.resources?.requests?.[r];
        if (req !== undefined) expect(quantity(req), `${r} request within limit`).toBeLessThanOrEqual(quantity(limit));
      }
    }
    // Every Service selects the worker pods, and a named targetPort is one of their container ports.
    const containerPorts = new Set(podSpec().containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name)));
    for (const svc of ofKind("Service")) {
      for (const [k, v] of Object.entries(svc.spec.selector as Record<string, string>)) expect(podLabels[k], `${svc.metadata.name} selector ${k}`).toBe(v);
      for (const p of svc.spec.ports) if (typeof p.targetPort === "string") expect(containerPorts.has(p.targetPort), `${svc.metadata.name} targetPort ${p.targetPort}`).toBe(true);
    }
  });

  it("the worker StatefulSet probes /healthz and /readyz, outlasts a drain, sets resources, and runs under the restricted Pod Security Standard", () => {
    const pod = podSpec();
    const c = worker();
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.startupProbe.httpGet.path).toBe("/healthz");
    // terminationGracePeriodSeconds must be longer than a drain (default drain timeout + flushes and leave).
    expect(pod.terminationGracePeriodSeconds, `grace period vs a ${DRAIN_S} s drain`).toBeGreaterThanOrEqual(DRAIN_S + DRAIN_MARGIN_S);
    // Resources: CPU and memory requested, memory bounded.
    expect(quantity(c.resources.requests.cpu)).toBeGreaterThan(0);
    expect(quantity(c.resources.requests.memory)).toBeGreaterThan(0);
    expect(quantity(c.resources.limits.memory)).toBeGreaterThanOrEqual(quantity(c.resources.requests.memory));
    // Restricted Pod Security Standard: non-root, no privilege escalation, every capability dropped, a seccomp profile.
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile.type).toBe("RuntimeDefault");
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(c.securityContext.capabilities.drop).toEqual(["ALL"]);
    // Node ids are pod names: pods must be replaceable by name (StatefulSet) and start together (Parallel).
    expect(sts().spec.podManagementPolicy).toBe("Parallel");
  });

  it("a PodDisruptionBudget covers the workers and lets voluntary evictions take one at a time", () => {
    const pdbs = ofKind("PodDisruptionBudget");
    expect(pdbs).toHaveLength(1);
    const pdb = pdbs[0]!;
    expect(pdb.apiVersion).toBe("policy/v1");
    // Exactly one of minAvailable and maxUnavailable (the API rejects both).
    expect([pdb.spec.minAvailable, pdb.spec.maxUnavailable].filter((x) => x !== undefined)).toHaveLength(1);
    expect(pdb.spec.maxUnavailable).toBe(1);
    const podLabels = sts().spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels as Record<string, string>)) expect(podLabels[k]).toBe(v);
  });

  it("the StatefulSet sets only env the CLI reads and exposes the source and HTTP ports", () => {
    const c = worker();
    const env = c.env.map((e: { name: string }) => e.name);
    for (const name of env) expect(CLI_ENV).toContain(name);
    for (const name of env.filter((n: string) => n !== "POD_IP")) expect(nodeCommand).toContain(name);
    expect(c.ports.map((p: { containerPort: number }) => p.containerPort).sort()).toEqual([7001, 7002, 8080]);
    expect(ofKind("Service").map((d) => d.metadata.name).sort()).toEqual(["troupe-sources", "troupe-workers"]);
  });
});

describe("compose and Docker files", () => {
  it("the compose file has NATS with JetStream, a scalable worker configured by env, a sink and a load generator", () => {
    const compose = parse(readFileSync("deploy/docker-compose.yml", "utf8"));
    expect(Object.keys(compose.services).sort()).toEqual(["email-sink", "loadgen", "nats", "worker"]);
    expect(compose.services.nats.image).toBe("${NATS_IMAGE:-nats:2.10}");
    expect(compose.services.nats.command).toContain("-js");
    const worker = compose.services.worker;
    expect(worker.container_name).toBeUndefined(); // scalable
    expect(worker.ports).toBeUndefined(); // no fixed host ports (the docker suite publishes ephemeral ones in its own override)
    for (const name of Object.keys(worker.environment)) expect(nodeCommand).toContain(name);
    expect(worker.build.args.NODE_IMAGE).toBe("${NODE_IMAGE:-node:22-bookworm-slim}");
    // compose stops a worker with SIGTERM and kills it after stop_grace_period: longer than a drain.
    expect(Number(/^(\d+)s$/.exec(worker.stop_grace_period)?.[1])).toBeGreaterThanOrEqual(DRAIN_S + DRAIN_MARGIN_S);
  });

  it("the NATS-cluster override runs three servers in one cluster with replicated buckets", () => {
    const o = parse(readFileSync("deploy/docker-compose.nats-cluster.yml", "utf8"));
    const servers = ["nats", "nats-2", "nats-3"];
    expect(Object.keys(o.services).filter((s) => s.startsWith("nats")).sort()).toEqual(servers);
    for (const s of servers) {
      const cmd: string[] = o.services[s].command;
      expect(cmd).toContain("-js");
      expect(cmd[cmd.indexOf("--cluster_name") + 1]).toBe("troupe");
      const routes = cmd[cmd.indexOf("--routes") + 1]!.split(",");
      expect(routes.sort()).toEqual(servers.filter((x) => x !== s).map((x) => `nats://${x}:6222`).sort());
    }
    expect(o.services.worker.environment.TROUPE_KV_REPLICAS).toBe("3");
    expect(o.services.worker.environment.TROUPE_NATS_URL.split(",")).toHaveLength(3);
  });

  it("the Dockerfile is multi-stage, non-root, with a health check on /healthz", () => {
    const df = readFileSync("deploy/Dockerfile", "utf8");
    expect(df).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect(df.match(/^FROM /gm)?.length).toBe(2);
    expect(df).toMatch(/^USER node$/m);
    expect(df).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(df).toMatch(/npm prune --omit=dev/);
  });
});
