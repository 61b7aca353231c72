import { hostname, networkInterfaces } from "node:os";
import type { Address } from "../types.js";

/** The HTTP address other nodes and tools use for this one: the one given, else the bound one, else (bound to every interface) this machine's first external IPv4 address. */
export function advertisedHttp(advertise: string | undefined, http: Address | undefined): string | undefined {
  if (advertise) return advertise;
  if (!http) return undefined;
  if (http.host !== "0.0.0.0" && http.host !== "::") return `${http.host}:${http.port}`;
  // Bound to every interface: advertise an address others can dial (a container's IP), not 0.0.0.0.
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
  return `${ip ?? hostname()}:${http.port}`;
}
