// Over 300 lines: the oracle of `troupe verify` (run an app's workload on an embedded cluster, then
// derive and check what every sink must have received). The next split: the sink collector.
import { connect, type Socket } from "node:net";
import type { Application } from "../builder/application.js";
import type { SinkSpec } from "../builder/specs.js";
import { EmbeddedCluster } from "../embedded-cluster.js";
import { VerifyError } from "../errors.js";
import { encodeFrames } from "../io/framing.js";
import type { SinkWriter } from "../io/sink-writer.js";
import type { AppRuntime } from "../node/app-runtime.js";
import type { Node } from "../node/node.js";
import type { DeadLetter } from "../observability/dead-letters.js";

/** One input frame of a workload: the source it is sent to and its payload. */
export interface WorkloadFrame {
  readonly source: string;
  readonly payload: Uint8Array;
}

/** An app's workload: phases of frames; each phase is sent, then applied, before the next. */
export type Workload = ReadonlyArray<ReadonlyArray<WorkloadFrame>>;

/** One output frame of a sink. */
export interface Output {
  readonly sink: string;
  readonly payload: Uint8Array;
}

/** A sink writer that keeps every output in memory, in the order written (the reference run's sinks). */
export class MemorySinkWriter implements SinkWriter {
  readonly stats = { framesOut: 0, dropped: 0 };

  constructor(
    readonly name: string,
    private readonly into: Output[],
  ) {}

  start(): void {}

  write(payload: Uint8Array): void {
    // A copy: a writer may be handed a view of a buffer its caller reuses.
    this.into.push({ sink: this.name, payload: Uint8Array.from(payload) });
    this.stats.framesOut++;
  }

  isHigh(): boolean {
    return false;
  }

  bufferedBytes(): number {
    return 0;
  }

  async flush(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

/** Options of `referenceOutputs`. */
export interface ReferenceOptions {
  /** Longest wait for one phase to be taken in and applied (default 120 s). */
  readonly phaseTimeoutMs?: number;
  /** How long the node must stay idle with no counter moving before a phase counts as applied (default 50 ms). */
  readonly settleMs?: number;
}

const DEFAULT_PHASE_TIMEOUT_MS = 120_000;
const DEFAULT_SETTLE_MS = 50;
// Frames per write: large enough to be cheap, small enough to let the source's backpressure act.
const FRAMES_PER_WRITE = 512;

/**
 * The outputs of `workload` on one embedded node in memory mode with no faults: the truth a faulted
 * run is compared with (steps are deterministic functions of state and event). Frames go through the
 * app's TCP sources, one connection per source, in workload order (a run of frames for one source is
 * taken in before frames for another are sent, so every key sees its events in workload order); each
 * phase is applied before the next is sent. Outputs come back in the order the sinks were written.
 */
export async function referenceOutputs(app: Application, workload: Workload, options: ReferenceOptions = {}): Promise<Output[]> {
  const phaseTimeoutMs = options.phaseTimeoutMs ?? DEFAULT_PHASE_TIMEOUT_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const outputs: Output[] = [];
  const letters: DeadLetter[] = [];
  const sinks: Record<string, SinkWriter> = {};
  for (const name of app.sinks.keys()) sinks[name] = new MemorySinkWriter(name, outputs);
  const sources: Record<string, { host: string; port: number }> = {};
  for (const name of app.sources.keys()) sources[name] = { host: "127.0.0.1", port: 0 };
  const cluster = await EmbeddedCluster.start({
    apps: [app],
    nodes: 1,
    nodeOptions: () => ({
      mode: "memory",
      sources,
      sinks,
      onDeadLetter: (l) => {
        if (letters.length < 5) letters.push(l);
      },
    }),
  });
  const feeds = new Map<string, FrameFeed>();
  const where = (p: number) => `reference run of app "${app.name}", phase ${p + 1} of ${workload.length}`;
  try {
    const node = [...cluster.nodes.values()][0]!;
    const runtime = node.apps.get(app.name)!;
    const sent = new Map<string, number>();
    for (let p = 0; p < workload.length; p++) {
      const phase = workload[p]!;
      const deadline = Date.now() + phaseTimeoutMs;
      for (let i = 0; i < phase.length; ) {
        const source = phase[i]!.source;
        let j = i + 1;
        while (j < phase.length && phase[j]!.source === source) j++;
        let feed = feeds.get(source);
        if (!feed) {
          const addr = node.sourceAddressesBound.get(source);
          if (!addr) throw new VerifyError(`${where(p)}: frame ${i + 1} is for source "${source}", which the app does not declare (its sources: ${[...app.sources.keys()].join(", ")})`);
          feeds.set(source, (feed = await FrameFeed.open(source, addr)));
        }
        await feed.send(phase, i, j);
        const total = (sent.get(source) ?? 0) + (j - i);
        sent.set(source, total);
        // Taken in before the next run of frames goes to another source: the workload's order is the order applied.
        await until(deadline, () => {
          if ((runtime.counters.eventsIn.get(source) ?? 0) >= total) return true;
          if (feed.closed) throw new VerifyError(`${where(p)}: the node closed the connection to source "${source}" after taking ${runtime.counters.eventsIn.get(source) ?? 0} of ${total} frames${lettersNote(letters)}`);
          return false;
        }, () => `${where(p)}: source "${source}" took ${runtime.counters.eventsIn.get(source) ?? 0} of ${total} frames within ${phaseTimeoutMs} ms${lettersNote(letters)}`);
        i = j;
      }
      await settled(node, runtime, outputs, deadline, settleMs, () => where(p));
    }
    return outputs;
  } finally {
    for (const f of feeds.values()) f.close();
    await cluster.stop();
  }
}

// Resolves once `cond` holds, polling; throws `message()` at the deadline.
async function until(deadline: number, cond: () => boolean, message: () => string): Promise<void> {
  while (!cond()) {
    if (Date.now() > deadline) throw new VerifyError(message());
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * Waits until a phase is applied: nothing parked, held, in flight or queued on the node, every actor
 * idle (no event running, loading or queued), and no counter (steps run, events applied, outputs,
 * dead letters) moving for `settleMs`. The last part covers async stateless steps, which no counter
 * shows in flight: one slower than `settleMs` is not waited for.
 */
async function settled(node: Node, runtime: AppRuntime, outputs: readonly Output[], deadline: number, settleMs: number, where: () => string): Promise<void> {
  let last = "";
  let since = performance.now();
  let pending: string | undefined;
  for (;;) {
    pending = pendingWork(node, runtime);
    const now = performance.now();
    const sig = pending ?? signature(node, runtime, outputs);
    if (sig !== last) {
      last = sig;
      since = now;
    } else if (pending === undefined && now - since >= settleMs) return;
    if (Date.now() > deadline) throw new VerifyError(`${where()}: not applied in time (${pending ?? "outputs were still coming"})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// What the node still has to do, or undefined when nothing is visible.
function pendingWork(node: Node, runtime: AppRuntime): string | undefined {
  if (node.dispatcher.parkedCount() > 0) return `${node.dispatcher.parkedCount()} envelopes parked`;
  if (node.seat.heldCount() > 0) return `${node.seat.heldCount()} events held while the lease is out`;
  if (node.transport.inFlight() > 0) return `${node.transport.inFlight()} envelopes in flight`;
  if (node.router.queued() > 0) return `${node.router.queued()} envelopes queued to send`;
  if (node.handoff.inTransition() > 0) return `${node.handoff.inTransition()} slots in handoff`;
  if (node.evictingCount() > 0) return `${node.evictingCount()} evicted actors not yet passive`;
  for (const host of runtime.hosts) {
    for (let slot = 0; slot < host.partition.slots; slot++) {
      if (!host.isSlotIdle(slot)) return `actors of partition "${host.partition.name}" slot ${slot} still running or with events queued`;
    }
  }
  return undefined;
}

function signature(node: Node, runtime: AppRuntime, outputs: readonly Output[]): string {
  let steps = 0;
  for (const n of runtime.counters.stageEvents) steps += n;
  let applied = 0;
  for (const h of runtime.hosts) applied += h.applied;
  return `${steps}/${applied}/${outputs.length}/${node.deadLetters.total()}`;
}

function lettersNote(letters: readonly DeadLetter[]): string {
  return letters.length ? `; first dead letters: ${letters.map((l) => `${l.reason} at ${l.where}: ${l.message}`).join("; ")}` : "";
}

// One plain client connection to a source: frames written in order, waiting for the socket to drain.
class FrameFeed {
  closed = false;

  private constructor(
    readonly source: string,
    private readonly socket: Socket,
  ) {
    socket.on("close", () => (this.closed = true));
    // A reset shows as `closed`, which the caller reports with what the node took.
    socket.on("error", () => undefined);
  }

  static async open(source: string, addr: { host: string; port: number }): Promise<FrameFeed> {
    const socket = connect(addr.port, addr.host);
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", (err) => reject(new VerifyError(`reference run: cannot connect to source "${source}" at ${addr.host}:${addr.port}: ${err.message}`, { cause: err })));
    });
    return new FrameFeed(source, socket);
  }

  async send(frames: ReadonlyArray<WorkloadFrame>, from: number, to: number): Promise<void> {
    for (let i = from; i < to; i += FRAMES_PER_WRITE) {
      if (this.closed) return;
      const end = Math.min(to, i + FRAMES_PER_WRITE);
      const payloads: Uint8Array[] = [];
      for (let k = i; k < end; k++) payloads.push(frames[k]!.payload);
      if (!this.socket.write(encodeFrames(payloads))) await this.drained();
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off("drain", done);
        this.socket.off("close", done);
        resolve();
      };
      this.socket.on("drain", done);
      this.socket.on("close", done);
    });
  }
}

/** Output counts of a comparison (of one sink, or summed over sinks). */
export interface OutputCounts {
  /** Outputs of the reference run. */
  readonly expected: number;
  /** Outputs observed. */
  readonly outputs: number;
  /** Reference outputs never observed (an identity observed fewer times than the reference has it: the missing copies). */
  readonly lost: number;
  /** Extra copies: an identity observed more times than the reference has it. */
  readonly duplicated: number;
  /** Observed outputs the reference does not have: an unknown identity, a frame that does not decode, or a `mismatched` one. */
  readonly unexpected: number;
  /** Of `unexpected`: observed outputs whose id the reference has with different content (the state behind them was wrong). */
  readonly mismatched: number;
  /** Outputs out of their key's order: per key, the fewest observed outputs that would have to move to restore the reference order. */
  readonly reordered: number;
  /** Keys with at least one output out of order. */
  readonly reorderedKeys: number;
}

/** A few examples of each kind of difference, for the report. */
export interface OutputSamples {
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly unexpected: readonly string[];
  readonly mismatched: readonly string[];
  readonly reordered: readonly string[];
}

/** The comparison of one sink's outputs. */
export interface SinkComparison extends OutputCounts {
  readonly sink: string;
  /** How outputs are identified: by the sink's `id` (it declares `id` and `decode`) or by payload bytes. */
  readonly identity: "id" | "bytes";
  /** Whether order is checked per key (the sink declares `key` and `decode`). */
  readonly perKeyOrder: boolean;
  readonly samples: OutputSamples;
}

/** Observed outputs against the reference run's, summed over sinks and per sink. */
export interface VerifyComparison extends OutputCounts {
  readonly sinks: readonly SinkComparison[];
  /** A few examples of every difference, one line each, prefixed with the sink and kind. */
  readonly samples: readonly string[];
}

const SAMPLES = 5;
const SHOWN_CHARS = 160;

interface ReadOutput {
  readonly identity: string;
  readonly key: string | undefined;
  /** What must equal the reference's for the same identity. */
  readonly content: string;
  /** How samples show it. */
  readonly label: string;
  readonly shown: string;
}

/**
 * Compares the outputs of a run with the reference run's, per sink. An output's identity is its
 * sink's `id` (scoped by `key` when the sink declares one) where the sink declares `id` and `decode`,
 * else its payload bytes; with an id, its content (the sink's `content`, or the payload bytes) must
 * also equal the reference's. Per key (where the sink declares `key` and `decode`) the order of the
 * first occurrences of the observed identities must be the reference's; `reordered` counts the
 * outputs out of place (observed minus the longest run in reference order), not keys. Pure.
 */
export function compareOutputs(app: Application, reference: readonly Output[], observed: readonly Output[]): VerifyComparison {
  const names: string[] = [...app.sinks.keys()];
  for (const o of [...reference, ...observed]) if (!names.includes(o.sink)) names.push(o.sink);
  const sinks = names.map((name) =>
    compareSink(
      name,
      app.sinks.get(name),
      reference.filter((o) => o.sink === name),
      observed.filter((o) => o.sink === name),
    ),
  );
  const sum = (k: keyof OutputCounts) => sinks.reduce((a, s) => a + s[k], 0);
  const samples: string[] = [];
  for (const s of sinks) for (const kind of ["lost", "duplicated", "unexpected", "mismatched", "reordered"] as const) for (const line of s.samples[kind]) samples.push(`${s.sink}: ${kind} ${line}`);
  return {
    expected: sum("expected"),
    outputs: sum("outputs"),
    lost: sum("lost"),
    duplicated: sum("duplicated"),
    unexpected: sum("unexpected"),
    mismatched: sum("mismatched"),
    reordered: sum("reordered"),
    reorderedKeys: sum("reorderedKeys"),
    sinks,
    samples,
  };
}

function compareSink(sink: string, spec: SinkSpec<unknown> | undefined, reference: readonly Output[], observed: readonly Output[]): SinkComparison {
  const byId = spec?.id !== undefined && spec.decode !== undefined;
  const perKeyOrder = spec?.key !== undefined && spec.decode !== undefined;
  const samples = { lost: [] as string[], duplicated: [] as string[], unexpected: [] as string[], mismatched: [] as string[], reordered: [] as string[] };
  const sample = (kind: keyof typeof samples, line: string) => {
    if (samples[kind].length < SAMPLES) samples[kind].push(line);
  };

  // The reference: per identity its copies and contents; per key its identities in order.
  const ref = new Map<string, { count: number; contents: Map<string, string>; label: string }>();
  const refOrder = new Map<string, string[]>();
  reference.forEach((o, i) => {
    let r: ReadOutput;
    try {
      r = readOutput(spec, o.payload, byId, perKeyOrder);
    } catch (err) {
      throw new VerifyError(`sink "${sink}": reference output ${i + 1} cannot be read back (${(err as Error).message}); the sink's decode, id, key or content does not fit its encoder`, { cause: err });
    }
    let e = ref.get(r.identity);
    if (!e) {
      ref.set(r.identity, (e = { count: 0, contents: new Map(), label: r.label }));
      if (r.key !== undefined) {
        let list = refOrder.get(r.key);
        if (!list) refOrder.set(r.key, (list = []));
        list.push(r.identity);
      }
    }
    e.count++;
    if (!e.contents.has(r.content)) e.contents.set(r.content, r.shown);
  });

  // The observed outputs: counted per identity; first occurrences in order per key.
  const seen = new Map<string, number>();
  const seenOrder = new Map<string, string[]>();
  let unexpected = 0;
  let mismatched = 0;
  observed.forEach((o, i) => {
    let r: ReadOutput;
    try {
      r = readOutput(spec, o.payload, byId, perKeyOrder);
    } catch (err) {
      unexpected++;
      sample("unexpected", `output ${i + 1} does not decode (${(err as Error).message}): ${shorten(Buffer.from(o.payload).toString("hex"))}`);
      return;
    }
    const e = ref.get(r.identity);
    if (!e) {
      unexpected++;
      sample("unexpected", `${r.label}: ${r.shown}`);
      return;
    }
    const n = (seen.get(r.identity) ?? 0) + 1;
    seen.set(r.identity, n);
    if (!e.contents.has(r.content)) {
      mismatched++;
      unexpected++;
      sample("mismatched", `${r.label}: ${r.shown}, where the reference has ${[...e.contents.values()][0]}`);
    }
    if (n === 1 && r.key !== undefined) {
      let list = seenOrder.get(r.key);
      if (!list) seenOrder.set(r.key, (list = []));
      list.push(r.identity);
    }
  });

  let lost = 0;
  let duplicated = 0;
  for (const [identity, e] of ref) {
    const n = seen.get(identity) ?? 0;
    if (n < e.count) {
      lost += e.count - n;
      sample("lost", e.count > 1 ? `${e.label} (${e.count - n} of ${e.count} copies)` : e.label);
    } else if (n > e.count) {
      duplicated += n - e.count;
      sample("duplicated", `${e.label} (${n} times, the reference has ${e.count})`);
    }
  }

  let reordered = 0;
  let reorderedKeys = 0;
  for (const [key, order] of seenOrder) {
    const refList = refOrder.get(key) ?? [];
    const position = new Map(refList.map((id, i) => [id, i]));
    const positions = order.map((id) => position.get(id)).filter((p): p is number => p !== undefined);
    const out = positions.length - longestIncreasing(positions);
    if (out > 0) {
      reordered += out;
      reorderedKeys++;
      const show = (ids: readonly string[]) => shorten(ids.map((id) => ref.get(id)?.label ?? id).join(", "));
      sample("reordered", `key ${key}: ${out} of ${positions.length} out of order; observed ${show(order.filter((id) => position.has(id)))}; reference ${show(refList.filter((id) => seen.has(id)))}`);
    }
  }

  return {
    sink,
    identity: byId ? "id" : "bytes",
    perKeyOrder,
    expected: reference.length,
    outputs: observed.length,
    lost,
    duplicated,
    unexpected,
    mismatched,
    reordered,
    reorderedKeys,
    samples,
  };
}

// Identity, key and content of one output frame, by what its sink declares.
function readOutput(spec: SinkSpec<unknown> | undefined, payload: Uint8Array, byId: boolean, perKeyOrder: boolean): ReadOutput {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64");
  if (!spec?.decode) return { identity: bytes, key: undefined, content: bytes, label: `bytes ${shorten(bytes)}`, shown: shorten(bytes) };
  const value = spec.decode(payload);
  const key = perKeyOrder ? String(spec.key!(value)) : undefined;
  if (!byId) {
    const shown = shorten(canonical(value));
    return { identity: bytes, key, content: bytes, label: key === undefined ? `output ${shown}` : `output ${shown} (key ${key})`, shown };
  }
  const id = String(spec.id!(value));
  // Ids need only be unique per key (the sequencer's are per key and stream).
  const identity = key === undefined ? id : `${key}\u0000${id}`;
  const content = spec.content ? canonical(spec.content(value)) : bytes;
  const shown = shorten(spec.content ? content : canonical(value));
  return { identity, key, content, label: key === undefined ? `id ${id}` : `id ${id} (key ${key})`, shown };
}

/** A stable text form of a value: object keys sorted, bytes as base64, bigints as text. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? "undefined";
}

function normalise(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [normalise(k), normalise(x)]).sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1)) };
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = normalise((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function shorten(s: string): string {
  return s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 3)}...` : s;
}

// Length of the longest strictly increasing subsequence (patience sorting, O(n log n)).
function longestIncreasing(xs: readonly number[]): number {
  const tails: number[] = [];
  for (const x of xs) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}
