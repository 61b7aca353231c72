import type { Application } from "../../builder/application.js";
import { AckedSourceClient } from "../../io/acked-client.js";
import type { StateMode } from "../../types.js";
import { prng } from "../../util/random.js";
import { referenceOutputs, type Output, type Workload } from "../oracle.js";
import { compareOutputs } from "../output-comparison.js";
import { VerifyCluster } from "./harness.js";
import { checkPromises, type Finding, type OutputCounts, type RunCounts } from "./promises.js";
import type { Scenario } from "./scenarios.js";

/** One scenario under one seed, as `--json` reports it. */
export interface VerifyRun extends OutputCounts {
  readonly scenario: string;
  readonly seed: number;
  readonly ok: boolean;
  /**
   * From the moment the fault stopped acting (the kill, the heal, SIGCONT, NATS back) until the cluster
   * was whole again (one epoch, every slot served, no handoff) and an output had arrived since (ms).
   */
  readonly recoveryMs: number | null;
  readonly findings: readonly Finding[];
  /** What the fault script did, in order. */
  readonly notes: readonly string[];
}

/** Everything one run needs. */
export interface VerifyRunOptions {
  /** As `troupe node --app` takes it (the node processes load it themselves). */
  readonly appRef: string;
  readonly app: Application;
  readonly workload: Workload;
  /** The outputs of the workload on one embedded node without faults. */
  readonly reference: readonly Output[];
  readonly state: StateMode;
  readonly nodes: number;
  readonly seed: number;
  readonly scenario: Scenario;
  /** Frames per second while the last phase is sent (the fault lands mid-stream). */
  readonly rate?: number;
  readonly progress?: (line: string) => void;
}

const DEFAULT_RATE = 3_000;

/** The reference outputs of an app's workload (one embedded node, no faults). */
export function reference(app: Application, workload: Workload): Promise<Output[]> {
  return referenceOutputs(app, workload);
}

/**
 * Runs one scenario: a fresh cluster, the workload's phases through acknowledged connections (the
 * last one paced, with the fault injected once a quarter of it is accepted), then waits until the
 * cluster is quiet and compares the sinks' outputs with the reference.
 */
export async function runScenario(o: VerifyRunOptions): Promise<VerifyRun> {
  const notes: string[] = [];
  const note = (what: string) => {
    notes.push(what);
    o.progress?.(`${o.scenario.name} seed ${o.seed}: ${what}`);
  };
  const sources = [...o.app.sources.keys()];
  const sinks = [...o.app.sinks.keys()];
  const tag = `${o.scenario.name.replace(/[^A-Za-z0-9]/g, "")}${o.seed}`;
  const cluster = await VerifyCluster.start({ app: o.appRef, sources, sinks, state: o.state, nodes: o.nodes, cluster: `verify-${tag}`.slice(0, 32) });
  const clients = new Map<string, AckedSourceClient>();
  const sent = new Map<string, Uint8Array[]>();
  let recovered = true;
  let recoveryNote: string | undefined;
  let faultEnd = -1;
  let injectedAt = -1;
  try {
    for (const s of sources) {
      const client = new AckedSourceClient({ clientId: `verify-${tag}-${s}`, addresses: () => cluster.sourceAddresses(s), retryMs: 100 });
      await client.start();
      clients.set(s, client);
      sent.set(s, []);
    }
    const phases = o.workload;
    let inputs = 0;
    for (let p = 0; p < phases.length; p++) {
      const phase = phases[p]!;
      const last = p === phases.length - 1;
      note(`phase ${p + 1}/${phases.length}: ${phase.length} frames`);
      const quarter = Math.floor(phase.length / 4);
      let fault: Promise<void> | undefined;
      const rate = last ? (o.rate ?? DEFAULT_RATE) : 0;
      const t0 = performance.now();
      for (let i = 0; i < phase.length; i++) {
        const f = phase[i]!;
        const client = clients.get(f.source);
        if (!client) throw new Error(`the workload sends to source "${f.source}", which the app does not declare (its sources: ${sources.join(", ")})`);
        await client.send(f.payload);
        sent.get(f.source)!.push(f.payload);
        inputs++;
        if (last && i === quarter) {
          fault = o.scenario
            .run({ cluster, state: o.state, random: prng(o.seed), sentFrames: (s) => sent.get(s) ?? [], clientId: (s) => `verify-${tag}-${s}`, note, injected: () => (injectedAt = performance.now()) })
            .then(() => {
              faultEnd = performance.now();
              note("fault over");
            });
        }
        // Paced: the fault lands mid-stream rather than after it.
        if (rate > 0 && i % 50 === 49) {
          const ahead = (i + 1) / rate - (performance.now() - t0) / 1000;
          if (ahead > 0) await new Promise((r) => setTimeout(r, ahead * 1000));
        }
      }
      if (fault) {
        await fault.catch((err: unknown) => {
          recovered = false;
          recoveryNote = `the fault script failed: ${(err as Error).message}`;
        });
      }
      for (const [s, client] of clients) {
        if (!(await client.flush(90_000))) {
          recovered = false;
          recoveryNote ??= `source ${s}: not every frame was acknowledged within 90 s`;
        }
      }
      await cluster.waitQuiet(1_000, 90_000).catch((err: unknown) => {
        recovered = false;
        recoveryNote ??= (err as Error).message;
      });
    }
    const observed: Output[] = [];
    for (const [sink, c] of cluster.collectors) for (const out of c.outputs) observed.push({ sink, payload: out.payload });
    const cmp = compareOutputs(o.app, o.reference, observed);
    const accepted = [...clients.values()].reduce((a, c) => a + c.stats.acked, 0);
    const tallies: OutputCounts = { inputs, accepted, expected: cmp.expected, outputs: cmp.outputs, lost: cmp.lost, duplicated: cmp.duplicated, unexpected: cmp.unexpected, reordered: cmp.reordered };
    const counts: RunCounts = { ...tallies, overlaps: [...cluster.overlaps], recovered, recoveryNote };
    const findings = checkPromises(o.state, o.scenario.kind, counts);
    notes.push(...cmp.samples);
    return {
      scenario: o.scenario.name,
      seed: o.seed,
      ok: findings.length === 0,
      ...tallies,
      recoveryMs: recovery(cluster, injectedAt, faultEnd),
      findings,
      notes,
    };
  } finally {
    for (const c of clients.values()) c.close();
    await cluster.stop();
  }
}

// Milliseconds from the fault's last act until the cluster was whole again and outputs flowed.
function recovery(cluster: VerifyCluster, injectedAt: number, wholeAt: number): number | null {
  if (injectedAt < 0 || wholeAt < 0) return null;
  let first = Infinity;
  for (const c of cluster.collectors.values()) for (const out of c.outputs) if (out.atMs >= injectedAt && out.atMs < first) first = out.atMs;
  // No output came after it (the inputs had all gone through): whole again is recovered.
  return Math.round((first === Infinity ? wholeAt : Math.max(wholeAt, first)) - injectedAt);
}
