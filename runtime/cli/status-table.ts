import type { MembershipView } from "../cluster/membership.js";
import type { ClusterInfo } from "../node/cluster-info.js";

/** One row of `troupe status`: every cell a string ("?" where a member did not answer). */
export type StatusRow = Record<"node" | "status" | "http" | "epoch" | "slots" | "handoff" | "actors" | "in/s" | "out/s" | "applied/s", string>;

/** The rows of `troupe status` from two readings of each member's `/cluster` a second apart. */
export function statusRows(view: MembershipView, first: ReadonlyArray<ClusterInfo | undefined>, second: ReadonlyArray<ClusterInfo | undefined>): StatusRow[] {
  return view.members.map((m, i) => {
    const a = first[i];
    const b = second[i];
    const rate = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? "?" : String(Math.max(0, y - x)));
    return {
      node: m.id,
      status: m.status,
      http: m.http ?? "",
      epoch: b ? String(b.epoch) : "?",
      slots: b ? String(b.slotsOwned) : "?",
      handoff: b ? String(b.slotsInHandoff) : "?",
      actors: b ? String(b.activeActors) : "?",
      "in/s": rate(a?.eventsIn, b?.eventsIn),
      "out/s": rate(a?.eventsOut, b?.eventsOut),
      "applied/s": rate(applied(a), applied(b)),
    };
  });
}

/** The table as text: a heading line, then the rows in aligned columns. */
export function renderStatus(cluster: string, view: MembershipView, rows: readonly StatusRow[]): string {
  const head = `cluster "${cluster}" epoch ${view.epoch}, ${view.members.length} member(s)\n`;
  if (rows.length === 0) return head;
  const cols = Object.keys(rows[0]!) as Array<keyof StatusRow>;
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ").trimEnd() + "\n";
  return head + line(cols) + rows.map((r) => line(cols.map((c) => r[c]))).join("");
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

/** Fetches a member's `/cluster` (undefined when it does not answer). */
export async function fetchInfo(http: string | undefined): Promise<ClusterInfo | undefined> {
  if (!http) return undefined;
  try {
    const res = await fetch(`http://${http.replace(/^0\.0\.0\.0:/, "127.0.0.1:")}/cluster`, { signal: AbortSignal.timeout(2000) });
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
