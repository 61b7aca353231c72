import { readFileSync } from "node:fs";

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

/** The top functions by self time in a V8 .cpuprofile, as "share%  function  file:line" lines. */
export function topSelfTime(file: string, top = 12): string[] {
  const p = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };
  const total = p.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
  const by = new Map<string, number>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${f.lineNumber + 1}` : "";
    const name = `${f.functionName || "(anonymous)"}  ${where}`;
    by.set(name, (by.get(name) ?? 0) + (n.hitCount ?? 0));
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
}
