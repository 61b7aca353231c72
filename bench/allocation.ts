// Bytes the hot path allocates per event, and where: V8's sampling heap profiler, counting what the
// young and old generation collections took again (a live-heap profile would miss short-lived objects,
// which are exactly the per-event ones). Start-up and actor activation are taken out by difference:
// a short run and a long one over the same keys, and only the extra events of the long one count.
import { Session } from "node:inspector/promises";

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Bytes allocated per event in steady state, in total and by allocating function. */
export interface AllocationPerEvent {
  bytesPerEvent: number;
  /** The largest allocating functions: bytes per event each, largest first. */
  sites: Array<{ site: string; bytesPerEvent: number }>;
}

/**
 * Runs `run(short)` and `run(long)` under the sampling heap profiler and divides what the long run
 * allocated beyond the short one by `long - short` events. Sampling: the figures are estimates (a
 * sample every 512 bytes; repeat runs agree to a few percent).
 */
export async function allocationPerEvent(run: (events: number) => Promise<unknown>, short: number, long: number, top = 8): Promise<AllocationPerEvent> {
  const session = new Session();
  session.connect();
  try {
    await session.post("HeapProfiler.enable");
    const bySite = async (events: number) => {
      await session.post("HeapProfiler.startSampling", { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      await run(events);
      const { profile } = await session.post("HeapProfiler.stopSampling");
      const sites = new Map<string, number>();
      const walk = (n: SamplingNode) => {
        const f = n.callFrame;
        const site = `${f.functionName || "(anonymous)"} ${f.url ? `${f.url.replace(/^.*\/(node_modules|dist)\//, "")}:${f.lineNumber + 1}` : "(native)"}`;
        if (n.selfSize > 0) sites.set(site, (sites.get(site) ?? 0) + n.selfSize);
        for (const c of n.children) walk(c);
      };
      walk(profile.head as SamplingNode);
      return sites;
    };
    const a = await bySite(short);
    const b = await bySite(long);
    const extra = long - short;
    const perSite = [...b].map(([site, bytes]) => ({ site, bytesPerEvent: (bytes - (a.get(site) ?? 0)) / extra }));
    return {
      bytesPerEvent: perSite.reduce((s, x) => s + x.bytesPerEvent, 0),
      sites: perSite.sort((x, y) => y.bytesPerEvent - x.bytesPerEvent).slice(0, top),
    };
  } finally {
    await session.post("HeapProfiler.disable").catch(() => undefined);
    session.disconnect();
  }
}
