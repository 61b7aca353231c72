import type { TcpSource } from "../io/tcp-source.js";
import type { SourceConnection } from "../io/source-connection.js";

/** Where an event entered: the source connection and its source (events made by steps have none). */
export interface Origin {
  readonly conn: SourceConnection;
  readonly source: TcpSource;
}
