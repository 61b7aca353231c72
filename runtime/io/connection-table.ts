/** What the table needs of a connection: its remote address and whether it has spoken yet. */
export interface TableEntry {
  /** The remote address without its port: the key of the per-address cap. */
  readonly address: string;
  /** No complete first frame yet: it may be evicted for a new connection, and the first-frame deadline applies. */
  silent: boolean;
  /** Still counted against the caps (false once it left the table). */
  counted: boolean;
}

/** Whether a new connection fits under the caps (`room`), and if not, the cap it meets. */
export type Admission<C> =
  | { readonly fits: true }
  | {
      readonly fits: false;
      readonly cap: "max_connections" | "max_connections_per_address";
      /** The oldest silent connection under that cap, which may make room (undefined: none; refuse). */
      readonly victim: C | undefined;
      readonly detail: string;
    };

/**
 * A source's connections counted against its caps: every open one, the silent ones (no complete
 * first frame yet, oldest first: the ones evicted to make room, and the first-frame deadline's), and
 * both per remote address. Idle connections cannot lock out a client that sends: at a cap, the oldest
 * silent connection under it makes room.
 */
export class ConnectionTable<C extends TableEntry> {
  /** Every counted connection, in accept order. */
  readonly all = new Set<C>();
  /** The silent ones; insertion order is accept order, so the first is the oldest. */
  readonly silent = new Set<C>();
  private readonly peers = new Map<string, { open: number; readonly silent: Set<C> }>();

  constructor(
    private readonly maxConns: number,
    private readonly maxPerAddress: number,
  ) {}

  /** Whether a connection from `address` fits now; at a cap, which connection may make room. */
  room(address: string): Admission<C> {
    const peer = this.peers.get(address);
    if (peer && peer.open >= this.maxPerAddress) {
      return { fits: false, cap: "max_connections_per_address", victim: oldest(peer.silent), detail: `already ${peer.open} connections from ${address} (max ${this.maxPerAddress}), none of them silent` };
    }
    if (this.all.size >= this.maxConns) {
      return { fits: false, cap: "max_connections", victim: oldest(this.silent), detail: `already ${this.all.size} connections (max ${this.maxConns}), none of them silent` };
    }
    return { fits: true };
  }

  /** Counts a new, silent connection. */
  add(conn: C): void {
    conn.silent = true;
    conn.counted = true;
    this.all.add(conn);
    this.silent.add(conn);
    let p = this.peers.get(conn.address);
    if (!p) this.peers.set(conn.address, (p = { open: 0, silent: new Set<C>() }));
    p.open++;
    p.silent.add(conn);
  }

  /** The connection sent its first complete frame (or hello): it is no longer evictable. */
  heard(conn: C): void {
    conn.silent = false;
    this.silent.delete(conn);
    this.peers.get(conn.address)?.silent.delete(conn);
  }

  /** Takes a connection off the caps at once, so the room it leaves is there for the next accept (its close event comes later). */
  forget(conn: C): void {
    if (!conn.counted) return;
    conn.counted = false;
    this.all.delete(conn);
    this.silent.delete(conn);
    const peer = this.peers.get(conn.address);
    if (!peer) return;
    peer.silent.delete(conn);
    if (--peer.open <= 0) this.peers.delete(conn.address);
  }
}

function oldest<C>(set: ReadonlySet<C>): C | undefined {
  return set.values().next().value;
}
