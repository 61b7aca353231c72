const isTty = process.stderr.isTTY === true;
let last = 0;

/** Writes a progress line to stderr: redrawn in place on a terminal, every 2 s otherwise. */
export function progressLine(text: string, fraction: number, final = false): void {
  const now = Date.now();
  if (isTty) {
    const width = 24;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K${final ? "\n" : ""}`);
    return;
  }
  if (final || now - last >= 2000) {
    last = now;
    if (text) process.stderr.write(`${text}\n`);
  }
}
