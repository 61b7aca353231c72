import { connect } from "node:net";
import { once } from "node:events";
import { encodeFrame, encodeFrames } from "../../io/framing.js";
import { ACKED_SOURCE_MARKER } from "../../io/source-acks.js";
import type { StateMode } from "../../types.js";
import { sourceHelloCodec } from "../../wire/messages.js";
import { waitUntil } from "../wait.js";
import type { VerifyCluster } from "./harness.js";

/**
 * What a fault costs by the README's guarantee table: `planned` changes lose and repeat nothing in
 * any mode; `crash` (SIGKILL), `pause` (a zombie) and `network` faults lose nothing accepted in
 * durable mode (outputs of re-run events may repeat), and in memory and snapshot mode may lose the
 * state effects the guarantees say they may.
 */
export type FaultKind = "planned" | "crash" | "pause" | "network";

/** What a scenario can reach while it runs. */
export interface ScenarioContext {
  readonly cluster: VerifyCluster;
  readonly state: StateMode;
  /** Seeded randomness: a run reproduces from its seed. */
  readonly random: () => number;
  /** Frames of the current phase sent so far, per source. */
  readonly sentFrames: (source: string) => readonly Uint8Array[];
  /** The acknowledged-client id of a source's client in this run. */
  readonly clientId: (source: string) => string;
  /** Reports progress ("killing node-2"). */
  readonly note: (what: string) => void;
  /** Marks the moment the fault stopped acting (the kill, the heal, SIGCONT): recovery is measured from here. */
  readonly injected: () => void;
}

/** One fault script. `run` starts when a quarter of the last phase is accepted and returns once the fault is over. */
export interface Scenario {
  readonly name: string;
  readonly kind: FaultKind;
  readonly description: string;
  /** False where the scenario means nothing for a state mode. */
  readonly applies: (state: StateMode) => boolean;
  readonly run: (ctx: ScenarioContext) => Promise<void>;
}

const always = (): boolean => true;

/** Every fault `troupe verify` knows, in the order it runs them. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "owner-kill",
    kind: "crash",
    description: "SIGKILL the node owning the most slots mid-stream; a replacement joins",
    applies: always,
    run: async (ctx) => {
      const victim = await ctx.cluster.busiest();
      ctx.note(`SIGKILL ${victim}`);
      ctx.cluster.kill(victim);
      ctx.injected();
      await ctx.cluster.addNode();
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "kill-old-owner-in-handoff",
    kind: "crash",
    description: "a node joins; SIGKILL a node the moment it starts handing slots to it",
    applies: always,
    run: async (ctx) => {
      const before = ctx.cluster.live();
      const losing = ctx.cluster.nextLog(/"slotsLost":[1-9][^}]*"msg":"epoch changed"/, 30_000, before);
      const joiner = ctx.cluster.addNode(undefined, false);
      const victim = await losing;
      ctx.cluster.kill(victim.id);
      ctx.injected();
      ctx.note(`SIGKILL ${victim.id} (handing slots off)`);
      await joiner;
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "kill-new-owner-in-handoff",
    kind: "crash",
    description: "a node joins; SIGKILL it the moment slots start coming to it",
    applies: always,
    run: (ctx) => killJoinerAt(ctx, /"slotsGained":[1-9][^}]*"msg":"epoch changed"/, "gaining slots"),
  },
  {
    name: "kill-joiner-in-pre-copy",
    kind: "crash",
    description: "a node joins; SIGKILL it while the owners pre-copy its future slots (before it owns any)",
    applies: always,
    run: (ctx) => killJoinerAt(ctx, /:joining"[^}]*"msg":"epoch changed"/, "joining: being pre-copied to"),
  },
  {
    name: "zombie",
    kind: "pause",
    description: "SIGSTOP the busiest node past the failure timeout, then SIGCONT",
    applies: always,
    run: async (ctx) => {
      const victim = await ctx.cluster.busiest();
      ctx.note(`SIGSTOP ${victim}`);
      ctx.cluster.pause(victim);
      const others = ctx.cluster.live().filter((n) => n.id !== victim);
      await waitUntil(async () => (await others[0]!.info()).members.every((m) => m.id !== victim), 20_000, `${victim} to be removed`);
      await new Promise((r) => setTimeout(r, 1_000));
      ctx.note(`SIGCONT ${victim}`);
      ctx.cluster.resume(victim);
      ctx.injected();
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "partition",
    kind: "network",
    description: "cut the busiest node from NATS for 15 s (its sockets stay open), then heal",
    applies: always,
    run: async (ctx) => {
      const victim = await ctx.cluster.busiest();
      ctx.note(`partition ${victim} from NATS`);
      ctx.cluster.proxies.get(victim)!.blackhole();
      await new Promise((r) => setTimeout(r, 15_000));
      ctx.note(`heal ${victim}`);
      ctx.cluster.proxies.get(victim)!.pass();
      ctx.injected();
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "nats-restart",
    kind: "network",
    description: "kill -9 the NATS server; start it again on the same store 2 s later",
    applies: always,
    run: async (ctx) => {
      ctx.note("kill -9 NATS");
      await ctx.cluster.nats.crash(2_000);
      ctx.injected();
      ctx.note("NATS back");
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "all-restart",
    kind: "crash",
    description: "SIGKILL every node at once; start them again with the same ids",
    applies: always,
    run: async (ctx) => {
      const ids = ctx.cluster.live().map((n) => n.id);
      ctx.note(`SIGKILL ${ids.join(", ")}`);
      for (const id of ids) ctx.cluster.kill(id);
      ctx.injected();
      await Promise.all(ids.map((id) => ctx.cluster.addNode(id, false)));
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "join-leave",
    kind: "planned",
    description: "a node joins under load, then another leaves (SIGTERM)",
    applies: always,
    run: async (ctx) => {
      ctx.injected();
      const joined = await ctx.cluster.addNode();
      ctx.note(`${joined.id} joined`);
      await ctx.cluster.waitStable();
      const leaver = ctx.cluster.live().find((n) => n.id !== joined.id)!.id;
      ctx.note(`SIGTERM ${leaver}`);
      const code = await ctx.cluster.terminate(leaver);
      if (code !== 0) throw new Error(`${leaver} exited with ${code} after SIGTERM`);
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "stalled-sink",
    kind: "planned",
    description: "every sink receiver stops reading for 5 s",
    applies: always,
    run: async (ctx) => {
      ctx.note("sinks stall");
      for (const c of ctx.cluster.collectors.values()) c.stall();
      await new Promise((r) => setTimeout(r, 5_000));
      ctx.note("sinks read again");
      for (const c of ctx.cluster.collectors.values()) c.resume();
      ctx.injected();
      await ctx.cluster.waitStable();
    },
  },
  {
    name: "client-resend",
    kind: "planned",
    description: "a client resends frames already acknowledged (durable mode stores each once)",
    applies: (state) => state === "durable",
    run: async (ctx) => {
      // A second connection of the same client id sends again the first frames it already sent.
      for (const source of ctx.cluster.options.sources) {
        const frames = ctx.sentFrames(source).slice(0, 500);
        if (frames.length === 0) continue;
        const addr = ctx.cluster.sourceAddresses(source)[0]!;
        ctx.note(`resend ${frames.length} ${source} frames`);
        const socket = connect(addr.port, addr.host);
        socket.on("error", () => undefined);
        await once(socket, "connect");
        socket.write(Buffer.concat([ACKED_SOURCE_MARKER, encodeFrame(sourceHelloCodec.encode({ clientId: ctx.clientId(source), nextSeq: 1 })), encodeFrames(frames)]));
        await new Promise((r) => setTimeout(r, 1_000));
        socket.destroy();
      }
      ctx.injected();
    },
  },
];

/** Scenarios by name, failing on an unknown one with the list of known ones. */
export function pickScenarios(names: readonly string[] | undefined, state: StateMode): Scenario[] {
  if (!names || names.length === 0) return SCENARIOS.filter((s) => s.applies(state));
  return names.map((name) => {
    const s = SCENARIOS.find((x) => x.name === name);
    if (!s) throw new Error(`no scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(", ")}`);
    return s;
  });
}

// A node joins; SIGKILL it as it logs `moment`, then wait for the cluster to be whole again.
async function killJoinerAt(ctx: ScenarioContext, moment: RegExp, what: string): Promise<void> {
  const joiner = await ctx.cluster.addNode(undefined, false);
  await ctx.cluster.nextLog(moment, 30_000, [joiner]);
  ctx.cluster.kill(joiner.id);
  ctx.injected();
  ctx.note(`SIGKILL ${joiner.id} (${what})`);
  await ctx.cluster.waitStable();
}
