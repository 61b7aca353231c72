import type { Application } from "./builder/application.js";
import { LocalMembership, LocalMembershipBoard } from "./cluster/local-membership.js";
import { silentLogger, type Logger } from "./logger.js";
import { Node } from "./node/node.js";
import type { NodeOptions } from "./node/node-options.js";
import { InProcessHub, InProcessTransport } from "./transport/in-process-transport.js";
import type { Transport } from "./transport/transport.js";
import type { Membership } from "./cluster/membership.js";

/** Options of an embedded cluster: several nodes in one process on the in-process transport. */
export interface EmbeddedClusterOptions {
  readonly apps: readonly Application[];
  /** Nodes to start with (default 3). */
  readonly nodes?: number;
  readonly logger?: Logger;
  /** Extra options per node (sources, sinks, limits), by node id. */
  readonly nodeOptions?: (nodeId: string) => Partial<NodeOptions>;
  /** Transport and membership per node (default: in-process); e.g. NATS connections for `demo --nats`. */
  readonly connect?: (nodeId: string) => Promise<{ transport: Transport; membership: Membership; close(): Promise<void> }>;
}

/** Several nodes in one process, joined through an in-process membership board and transport hub. */
export class EmbeddedCluster {
  readonly hub = new InProcessHub();
  readonly board = new LocalMembershipBoard();
  readonly nodes = new Map<string, Node>();
  private counter = 0;
  private readonly closers = new Map<string, () => Promise<void>>();

  private constructor(private readonly options: EmbeddedClusterOptions) {}

  /** Starts a cluster of `options.nodes` nodes (node-1, node-2, ...). */
  static async start(options: EmbeddedClusterOptions): Promise<EmbeddedCluster> {
    const c = new EmbeddedCluster(options);
    for (let i = 0; i < (options.nodes ?? 3); i++) await c.addNode();
    await c.waitForStable();
    return c;
  }

  /** Adds and starts a node; it joins and takes its share of slots. */
  async addNode(id = `node-${++this.counter}`, extra: Partial<NodeOptions> = {}): Promise<Node> {
    const parts = this.options.connect
      ? await this.options.connect(id)
      : { transport: new InProcessTransport(this.hub), membership: new LocalMembership(this.board), close: async () => undefined };
    this.closers.set(id, parts.close);
    const node = Node.create({
      nodeId: id,
      apps: this.options.apps,
      transport: parts.transport,
      membership: parts.membership,
      logger: this.options.logger ?? silentLogger(),
      ...this.options.nodeOptions?.(id),
      ...extra,
    });
    this.nodes.set(id, node);
    await node.start();
    return node;
  }

  /** Gracefully removes a node: it hands off its slots, then stops. */
  async drainNode(id: string): Promise<void> {
    const node = this.mustGet(id);
    await node.drain();
    this.nodes.delete(id);
  }

  /** Stops a node abruptly (no handoff) and removes it from membership, as failure detection would. */
  async killNode(id: string): Promise<void> {
    const node = this.mustGet(id);
    await node.stop();
    this.nodes.delete(id);
    this.board.change((ms) => ms.filter((m) => m.id !== id));
  }

  /** Resolves once every node has applied the latest epoch and no slot is in handoff. */
  async waitForStable(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const nodes = [...this.nodes.values()];
      const epoch = this.options.connect ? Math.max(...nodes.map((n) => n.handoff.epoch)) : this.board.current().epoch;
      const members = nodes[0]?.handoff.view.members.length;
      if (nodes.every((n) => n.handoff.epoch === epoch && n.handoff.inTransition() === 0 && n.handoff.view.members.length === members)) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`embedded cluster did not stabilise within ${timeoutMs} ms`);
  }

  /** Stops every node. */
  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.stop()));
    this.nodes.clear();
    await Promise.all([...this.closers.values()].map((c) => c().catch(() => undefined)));
    this.closers.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private mustGet(id: string): Node {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node "${id}" in this embedded cluster; nodes: ${[...this.nodes.keys()].join(", ")}`);
    return n;
  }
}
