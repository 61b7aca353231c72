import { createServer } from "node:net";

// Ports handed out by this process lately: the OS may give a just-closed port again at once, and two
// callers (a node's HTTP port and its source port) then collide with EADDRINUSE.
const recent: number[] = [];
const RECENT_PORTS = 256;

/** A TCP port that was free a moment ago on 127.0.0.1, and not handed out by this process among its last 256. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (recent.includes(port)) continue;
    recent.push(port);
    if (recent.length > RECENT_PORTS) recent.shift();
    return port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
