// The oracle of `troupe verify`: runs an app's workload on an embedded cluster and keeps what every sink
// must receive (output-comparison.ts checks a run's outputs against it).
import { connect, type Socket } from "node:net";
import type { Application } from "../builder/application.js";
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
