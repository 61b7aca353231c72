import type { SourceConnection, TcpSource } from "../io/tcp-source.js";

/** Where an event entered: the source connection and its source (events made by steps have none). */
export interface Origin {
  readonly conn: SourceConnection;
  readonly source: TcpSource;
}
