import type { Membership } from "../cluster/membership.js";
import type { Router } from "../cluster/router.js";
import type { Logger } from "../logger.js";
import type { Transport } from "../transport/transport.js";
import type { AppRuntime } from "./app-runtime.js";
import type { HandoffCoordinator } from "../rebalance/handoff-coordinator.js";
import type { Ingress } from "./ingress.js";
import type { SinkSet } from "./sink-set.js";
import type { WriteBehind } from "./write-behind.js";

/** What a drain needs from its node. */
export interface DrainHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly membership: Membership;
  readonly transport: Transport;
  readonly router: Router;
  readonly handoff: HandoffCoordinator;
  readonly ingress: Ingress;
  readonly sinks: SinkSet;
  readonly writeBehind: WriteBehind;
  /** Durable mode: the last node out stores states and checkpoints itself. */
  readonly durable: boolean;
  ownedSlots(): number;
}

// After leaving, the node stays reachable this long: stragglers from senders that have not seen the
// leave yet are forwarded (and acknowledged) instead of being re-routed by them as unacknowledged.
const DRAIN_GRACE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A graceful leave: stop reading sources (acknowledging what was taken), mark the node leaving (with
 * others leaving at the same moment, in one change), wait until every slot is handed off, write the
 * last outputs and states, leave the view, and linger a moment for stragglers. The caller stops the node.
 */
export async function drain(host: DrainHost, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  host.log.info("draining");
  await host.ingress.closeGracefully();
  host.router.flush();
  const others = () => host.handoff.view.members.some((m) => m.id !== host.nodeId && m.status === "up");
  // Last node out: states and checkpoints while its slots are still its own (once it is marked leaving
  // they are losing, and write-behind leaves them to a handoff that has nobody to go to).
  if (!others() && host.durable) await host.writeBehind.now();
  await host.membership.markLeaving(host.nodeId);
  const deadline = Date.now() + timeoutMs;
  let nextReport = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const owned = host.ownedSlots();
    const status = host.handoff.view.members.find((m) => m.id === host.nodeId)?.status;
    if (status === "leaving" && owned === 0 && host.handoff.inTransition() === 0) break;
    if (!others()) break; // last node: nobody to hand to
    if (Date.now() > nextReport) {
      nextReport += 5_000;
      host.log.warn({ epoch: host.handoff.epoch, status, owned, inTransition: host.handoff.inTransition() }, "drain still waiting for its slots to be handed off");
    }
    // Woken by the next slot or view change (a handoff sent or received, the leave applied), or to report.
    await host.handoff.changed(Math.min(deadline, nextReport) - Date.now());
  }
  host.log.info({ ms: Math.round(performance.now() - t0), owned: host.ownedSlots() }, "slots handed off; flushing and leaving");
  if (!others() && host.durable) {
    // Again for the slots it still owns (a restarted cluster replays only what came after).
    await host.writeBehind.now();
  } else if (!others()) {
    for (const app of host.apps.values()) for (const h of app.hosts) await h.flushDirty().catch((err: unknown) => host.log.error({ err }, "final state flush failed"));
  }
  host.router.flush();
  const t1 = performance.now();
  const delivered = await host.transport.flush(Math.max(0, deadline - Date.now()));
  const t2 = performance.now();
  const written = await host.sinks.flush(Math.max(100, deadline - Date.now()));
  host.log.info({ delivered, transportMs: Math.round(t2 - t1), written, sinksMs: Math.round(performance.now() - t2) }, "drain flushed");
  await host.membership.leave(host.nodeId);
  await sleep(DRAIN_GRACE_MS);
  host.router.flush();
  await host.transport.flush(1000);
  host.log.info({ ms: Math.round(performance.now() - t0) }, "drained");
}
