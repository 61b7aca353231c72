import type { SourceAcks } from "./source-acks.js";

/** One client connection of a source, as the source's user sees it. */
export interface SourceConnection {
  readonly id: number;
  readonly remote: string;
  readonly source: string;
  /** Acknowledged protocol: the client's stable id (undefined on a plain connection). */
  readonly clientId: string | undefined;
  /** Acknowledged protocol: numbering and acknowledgements of the client's frames. */
  readonly acks: SourceAcks | undefined;
  /** When the bytes of the frame being handed on were read (epoch ms; one clock read per socket read, not per frame). */
  readonly readAtMs: number;
  /** Whatever the source's user keeps with the connection (set once, read per frame: cheaper than a map). */
  user: unknown;
}

/** Why a source dropped input (frame-level, a dead letter each; `idle_timeout`: a frame left unfinished for the idle timeout). */
export type SourceBadInput = "oversized_frame" | "buffer_overflow" | "idle_timeout" | "truncated_frame" | "bad_hello";

/** Why a source refused or closed a connection that lost no input (connection-level: counted in `stats.refused`, never a dead letter). */
export type SourceRefusal = "max_connections" | "max_connections_per_address" | "evicted_silent" | "first_frame_timeout" | "idle_timeout";
