import type { AppRuntime } from "./app-runtime.js";
import { slotOf } from "../placement/hash.js";

/** A state lookup: one key of one partition of one app. */
export interface StateQuery {
  readonly app: string;
  readonly partition: string;
  readonly key: string;
  /** Set by the node that forwarded it to the owner: the owner answers, it does not forward again. */
  readonly forwarded?: boolean;
}

/** A key's state as `GET /state/...` and `troupe state get` show it. */
export interface StateBody {
  readonly app: string;
  readonly partition: string;
  readonly key: string;
  readonly slot: number;
  readonly owner: string;
  readonly epoch: number;
  /** `active`: the actor is in the owner's memory; `stored`: read from the owner's state store. */
  readonly actor: "active" | "stored";
  /** The state, as JSON (a stored state is read through the partition's codec). */
  readonly state: unknown;
}

/** An answer: an HTTP status (200, 404 unknown app/partition/key, 502 store failed, 503 no owner reachable) and its body. */
export interface StateAnswer {
  readonly status: number;
  readonly body: StateBody | { readonly error: string; readonly code: string };
}

/** What the lookup reads of its node. */
export interface StateLookupHost {
  readonly id: string;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly handoff: { readonly epoch: number };
}

/** Asks another node (the key's owner) a query; see `nats/state-query.ts`. */
export type AskOwner = (owner: string, query: StateQuery) => Promise<StateAnswer>;

const fail = (status: number, code: string, error: string): StateAnswer => ({ status, body: { error, code } });

/**
 * Answers state lookups from any node: the key's owner reads its actor (active) or its store (stored);
 * another node asks the owner once through `ask` (NATS request/reply), set when the node has NATS.
 */
export class StateLookup {
  private ask: AskOwner | undefined;

  constructor(private readonly host: StateLookupHost) {}

  /** How this node reaches other owners (unset: it can answer only for keys it owns). */
  setAsk(ask: AskOwner | undefined): void {
    this.ask = ask;
  }

  /** Looks `query` up; never throws (failures are answers with a status). */
  async lookup(query: StateQuery): Promise<StateAnswer> {
    const app = this.host.apps.get(query.app);
    if (!app) return fail(404, "TROUPE_NOT_FOUND", `no app "${query.app}" on this cluster; apps: ${[...this.host.apps.keys()].join(", ")}`);
    const pi = app.partitionIndex(query.partition);
    if (pi === undefined) return fail(404, "TROUPE_NOT_FOUND", `app "${query.app}" has no partition "${query.partition}"; partitions: ${app.app.partitions.map((p) => p.name).join(", ")}`);
    const partition = app.app.partitions[pi]!;
    const slot = slotOf(query.key, partition.slots);
    const owner = app.tables[pi]!.owners[slot];
    if (!owner) return fail(503, "TROUPE_NO_OWNER", `slot ${slot} has no owner yet (the cluster is starting); try again`);
    if (owner !== this.host.id) {
      if (query.forwarded) return fail(503, "TROUPE_NO_OWNER", `node ${this.host.id} no longer owns slot ${slot} (the view moved); try again`);
      if (!this.ask) return fail(503, "TROUPE_NO_OWNER", `the key's owner is ${owner}, and node ${this.host.id} has no NATS connection to ask it`);
      try {
        return await this.ask(owner, { ...query, forwarded: true });
      } catch (err) {
        return fail(503, "TROUPE_NO_OWNER", `the key's owner ${owner} did not answer: ${(err as Error).message}`);
      }
    }
    // Gaining: the old owner has not handed the slot over yet, so neither memory nor the store is sure to be current.
    if (app.tables[pi]!.state(slot) === "gaining") return fail(503, "TROUPE_NO_OWNER", `slot ${slot} is being handed over to ${owner}; try again in a moment`);
    const host = app.hosts[pi]!;
    const active = host.isActive(query.key, slot);
    let state: unknown;
    try {
      state = await host.peek(query.key, slot);
    } catch (err) {
      return fail(502, "TROUPE_STATE_STORE", `reading the state of "${query.key}" failed: ${(err as Error).message}`);
    }
    if (state === undefined) return fail(404, "TROUPE_NOT_FOUND", `no state for key "${query.key}" in ${query.app}/${query.partition} (slot ${slot}, owner ${owner})`);
    return { status: 200, body: { app: query.app, partition: query.partition, key: query.key, slot, owner, epoch: this.host.handoff.epoch, actor: active ? "active" : "stored", state: toJson(state) } };
  }
}

// State objects may hold what JSON cannot: bigints as strings, maps and sets as objects and arrays, bytes as base64.
function toJson(state: unknown): unknown {
  return JSON.parse(
    JSON.stringify(state, (_k, v: unknown) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
      return v;
    }) ?? "null",
  );
}
