import type { MembershipView } from "../cluster/membership.js";
import type { ClusterInfo } from "../node/cluster-info.js";

/** One member in `troupe status`: numbers are numbers (null where the member did not answer), keys stable (`--json` prints these). */
export interface StatusRow {
  readonly node: string;
  readonly status: string;
  readonly http: string;
  readonly epoch: number | null;
  readonly slots: number | null;
  readonly slotsInHandoff: number | null;
  readonly actors: number | null;
  readonly inPerSecond: number | null;
  readonly outPerSecond: number | null;
  readonly appliedPerSecond: number | null;
}

/** The rows of `troupe status` from two readings of each member's `/cluster` a second apart. */
export function statusRows(view: MembershipView, first: ReadonlyArray<ClusterInfo | undefined>, second: ReadonlyArray<ClusterInfo | undefined>): StatusRow[] {
  return view.members.map((m, i) => {
    const a = first[i];
    const b = second[i];
    const rate = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? null : Math.max(0, y - x));
    return {
      node: m.id,
      status: m.status,
      http: m.http ?? "",
      epoch: b ? b.epoch : null,
      slots: b ? b.slotsOwned : null,
      slotsInHandoff: b ? b.slotsInHandoff : null,
      actors: b ? b.activeActors : null,
      inPerSecond: rate(a?.eventsIn, b?.eventsIn),
      outPerSecond: rate(a?.eventsOut, b?.eventsOut),
      appliedPerSecond: rate(applied(a), applied(b)),
    };
  });
}

// The table's headers, in the rows' key order (the headers may change; the JSON keys do not).
const HEADERS = ["node", "status", "http", "epoch", "slots", "handoff", "actors", "in/s", "out/s", "applied/s"];

/** The table as text: a heading line, then the rows in aligned columns ("?" where a member did not answer). */
export function renderStatus(cluster: string, view: MembershipView, rows: readonly StatusRow[]): string {
  const head = `cluster "${cluster}" epoch ${view.epoch}, ${view.members.length} member(s)\n`;
  if (rows.length === 0) return head;
  const cells = rows.map((r) => Object.values(r).map((v) => (v === null ? "?" : String(v))));
  const width = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (cs: string[]) => cs.map((c, i) => c.padEnd(width[i]!)).join("  ").trimEnd() + "\n";
  return head + line(HEADERS) + cells.map(line).join("");
}

/** The slots in motion, one line per node and partition that gains or loses slots now. */
export function motionLines(infos: ReadonlyArray<ClusterInfo | undefined>): string[] {
  const out: string[] = [];
  for (const i of infos) {
    if (!i) continue;
    for (const app of i.apps) {
      for (const p of app.partitions) {
        if (p.gaining) out.push(`  ${i.node} gaining ${p.gaining} slot(s) of ${app.name}/${p.name}`);
        if (p.losing) out.push(`  ${i.node} handing off ${p.losing} slot(s) of ${app.name}/${p.name}`);
      }
    }
  }
  return out;
}

/** Fetches a member's `/cluster` (undefined when it does not answer), with the nodes' `--http-token` if they have one. */
export async function fetchInfo(http: string | undefined, token?: string): Promise<ClusterInfo | undefined> {
  if (!http) return undefined;
  try {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    const res = await fetch(`http://${http.replace(/^0\.0\.0\.0:/, "127.0.0.1:")}/cluster`, { headers, signal: AbortSignal.timeout(2000) });
    return (await res.json()) as ClusterInfo;
  } catch {
    return undefined;
  }
}

function applied(i: ClusterInfo | undefined): number | undefined {
  if (!i) return undefined;
  let n = 0;
  for (const a of i.apps) for (const v of Object.values(a.steps)) n += v;
  return n;
}
