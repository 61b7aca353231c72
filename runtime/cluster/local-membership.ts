import type { Member, Membership, MembershipView } from "./membership.js";

/** Membership for nodes in one process (the embedded cluster): a shared, totally ordered view. */
export class LocalMembershipBoard {
  private view: MembershipView = { epoch: 0, members: [] };
  private seq = 0;
  private readonly listeners = new Set<(view: MembershipView) => void>();

  /** The latest view. */
  current(): MembershipView {
    return this.view;
  }

  /** Applies one change and announces the new epoch (synchronously, in order). */
  change(mutate: (members: Member[]) => Member[]): MembershipView {
    const previous = this.view.members;
    const members = mutate([...previous]);
    this.view = { epoch: this.view.epoch + 1, members, previous };
    for (const l of [...this.listeners]) l(this.view);
    return this.view;
  }

  /** Next join sequence number. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Subscribes to changes. */
  subscribe(listener: (view: MembershipView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One node's handle on a `LocalMembershipBoard`. */
export class LocalMembership implements Membership {
  private readonly offs: Array<() => void> = [];
  constructor(private readonly board: LocalMembershipBoard) {}

  async join(nodeId: string, info: { http?: string; warm?: boolean }): Promise<MembershipView> {
    const joinedSeq = this.board.nextSeq();
    const http = info.http ? { http: info.http } : {};
    return this.board.change((ms) => {
      const others = ms.filter((m) => m.id !== nodeId);
      const status = info.warm && others.some((m) => m.status === "up") ? ("joining" as const) : ("up" as const);
      return [...others, { id: nodeId, joinedSeq, status, ...http }];
    });
  }

  async markUp(nodeId: string): Promise<void> {
    if (this.board.current().members.find((m) => m.id === nodeId)?.status !== "joining") return;
    this.board.change((ms) => ms.map((m) => (m.id === nodeId && m.status === "joining" ? { ...m, status: "up" as const } : m)));
  }

  async markLeaving(nodeId: string): Promise<void> {
    this.board.change((ms) => ms.map((m) => (m.id === nodeId ? { ...m, status: "leaving" as const } : m)));
  }

  async leave(nodeId: string): Promise<void> {
    this.board.change((ms) => ms.filter((m) => m.id !== nodeId));
  }

  current(): MembershipView {
    return this.board.current();
  }

  subscribe(listener: (view: MembershipView) => void): () => void {
    // Deliver on a later turn so that a change never re-enters the node that made it.
    const off = this.board.subscribe((v) => setImmediate(() => listener(v)));
    this.offs.push(off);
    return off;
  }

  async close(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
  }
}
