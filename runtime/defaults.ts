/** Slots per state partition unless the partition says otherwise. */
export const DEFAULT_SLOTS = 256;
/** Virtual points per node on the placement ring. */
export const DEFAULT_VIRTUAL_POINTS = 64;
/** Largest frame a TCP source accepts (bytes of payload). */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
/** Most concurrent connections one TCP source accepts. */
export const DEFAULT_MAX_CONNECTIONS = 1024;
/** Most concurrent connections one TCP source accepts from one remote address. */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
/** A source connection that sends no complete first frame (the hello, on the acknowledged protocol) this long is closed. */
export const DEFAULT_SOURCE_FIRST_FRAME_TIMEOUT_MS = 10_000;
/** Most bytes a source buffers for one connection before dropping it. */
export const DEFAULT_MAX_CONNECTION_BUFFER_BYTES = 4 * 1024 * 1024;
/** A source connection idle this long is closed (slow-loris guard). */
export const DEFAULT_SOURCE_IDLE_TIMEOUT_MS = 5 * 60_000;
/** Most envelopes in one outbound batch before it is flushed. */
export const DEFAULT_BATCH_MAX_ENVELOPES = 1024;
/** Longest an envelope waits in an outbound batch (0 = flush at the end of the I/O turn). */
export const DEFAULT_BATCH_MAX_DELAY_MS = 0;
/**
 * Outbound envelopes in flight above which sources pause reading. A source reads until a probe is high,
 * so at saturation this many envelopes wait, and a bound of 64k held them ~250 ms: long enough to be
 * promoted, which made scavenges copy half of all allocation (`npm run bench`: peak CPU per event down
 * ~30% at 8k). 8k still covers 1M envelopes/s at 8 ms of acknowledgement round trip.
 */
export const DEFAULT_HIGH_WATER_ENVELOPES = 8 * 1024;
/** Sink bytes buffered above which sources pause reading. */
export const DEFAULT_SINK_HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** Most bytes a sink buffers while disconnected; beyond it frames are dropped and counted. */
export const DEFAULT_SINK_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
/** First and largest reconnect delays of a sink (a target gone for good costs a try a minute, not a stream of them). */
export const DEFAULT_SINK_BACKOFF_MIN_MS = 50;
export const DEFAULT_SINK_BACKOFF_MAX_MS = 60_000;
/** A sink that cannot reach its target says so at most once per this window (with the count it left out). */
export const SINK_CONNECT_LOG_WINDOW_MS = 60_000;
/** Active actors per state partition per node (LRU bound). */
export const DEFAULT_MAX_ACTORS = 250_000;
/** At most this many log lines per second per dead-letter reason. */
export const DEFAULT_DEAD_LETTER_LOGS_PER_SECOND = 5;
/** How many recent dead letters a node keeps in memory for inspection. */
export const DEFAULT_DEAD_LETTER_KEEP = 1000;
/** Hops an envelope may be forwarded before it is parked as undeliverable. */
export const DEFAULT_MAX_HOPS = 8;
/** Heartbeat interval and the silence after which a member is removed. */
export const DEFAULT_HEARTBEAT_MS = 1_000;
export const DEFAULT_FAILURE_TIMEOUT_MS = 5_000;
/** Deadline for one slot handoff before it is logged and retried. */
export const DEFAULT_HANDOFF_TIMEOUT_MS = 5_000;
/** A joining member becomes an owner after this even if its slots are not all pre-copied (they then go whole). */
export const DEFAULT_PRECOPY_TIMEOUT_MS = 10_000;
/** Slots whose pre-copy round is in flight at once from one owner (bounds the bytes in flight: waves). */
export const DEFAULT_PRECOPY_SLOTS_IN_FLIGHT = 8;
/** Actor states per `slot-copy` message (a larger round goes in several; the transport fragments big ones). */
export const DEFAULT_PRECOPY_CHUNK_ACTORS = 512;
/** A slot is pre-copied again while more than this many of its actors changed during the last round... */
export const DEFAULT_PRECOPY_DELTA_ACTORS = 4;
/** ...for at most this many rounds. */
export const DEFAULT_PRECOPY_MAX_ROUNDS = 5;
/** Actor states a joining node stages for its future slots at most (beyond it, slots come whole at the switch). */
export const DEFAULT_PRECOPY_MAX_STAGED_ACTORS = 2_000_000;
/** Write-behind interval for snapshot state. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 1_000;
/** Cluster name: separates the subjects and buckets of clusters sharing one NATS. */
export const DEFAULT_CLUSTER_NAME = "troupe";
/** Unacknowledged node-to-node messages are resent after this long. */
export const DEFAULT_ACK_TIMEOUT_MS = 250;
/**
 * V8 flags a node process runs with (the image's TROUPE_V8_FLAGS, and the node processes of the testing
 * kit, `troupe verify` and the benchmarks). GC pauses do their work on the main thread instead of waiting
 * for helper threads, which are not scheduled in time when every core is busy (a container with a CPU
 * limit, several processes per core); and a young generation of a fixed 16 MiB, so a busy node scavenges
 * less often and promotes fewer short-lived objects. Measured: 3 node processes on 2 cores at 13k
 * events/s, p99 source to sink 7-8 ms with them, 14-47 ms without (README "Where the tail came from").
 * No allocation-site pretenuring: V8 decides, from the survivors of a few busy scavenges, to allocate an
 * allocation site's objects straight in the old generation, and does not change its mind; a node's
 * decoded envelopes, their keys and payload views were then all allocated old and died there, growing
 * the old generation 3 MB per scavenge until a full GC. Snapshot mode at 85k events/s: node GC pause
 * 152-184 ms per run instead of 360-367, p99 30-32 ms instead of 52-53; durable mode's GC pause 185
 * instead of 489 ms; memory mode's p99 unchanged within this machine's noise.
 */
export const DEFAULT_NODE_V8_FLAGS = "--single-threaded-gc --min-semi-space-size=16 --max-semi-space-size=16 --no-allocation-site-pretenuring";
/** A receiver waits this long before sending an acknowledgement on its own: most ride on a message it sends that way meanwhile. */
export const DEFAULT_ACK_DELAY_MS = 2;
/** Out-of-order messages a receiver holds per sender while it waits for a gap to fill. */
export const DEFAULT_REORDER_WINDOW = 4096;
/** Durable mode: JetStream de-duplicates a repeated event id within this window. */
export const DEFAULT_DEDUP_WINDOW_MS = 2 * 60_000;
/** Durable mode: an append not acknowledged by JetStream this long is published again (same id: stored once). */
export const DEFAULT_APPEND_RETRY_MS = 2_000;
/** Durable mode: trim a slot's events below its checkpoint at most this often. */
export const DEFAULT_TRIM_INTERVAL_MS = 5_000;
/** Acknowledged source protocol: frames a client keeps unacknowledged before it waits. */
export const DEFAULT_CLIENT_WINDOW = 16_384;
/** Acknowledged source protocol: longest a source delays a cumulative acknowledgement. */
export const DEFAULT_SOURCE_ACK_DELAY_MS = 2;
/** Longest actor key (UTF-8 bytes): an event whose key is longer is dead-lettered (`key_too_long`). */
export const DEFAULT_MAX_KEY_BYTES = 16 * 1024;
/** Actor keys whose KV form would be longer than this many characters are stored under a hash of the key. */
export const MAX_PLAIN_KV_KEY_CHARS = 200;
/** First and longest delay between attempts to load an actor's state while the store is unreachable. */
export const STATE_LOAD_RETRY_MIN_MS = 50;
export const STATE_LOAD_RETRY_MAX_MS = 2_000;
/** NATS max payload assumed until the server's INFO says otherwise (the server's own default). */
export const DEFAULT_NATS_MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Bytes of the server's max payload kept free for headers and framing (at most an eighth of it). */
export const DEFAULT_PAYLOAD_HEADROOM_BYTES = 4 * 1024;
/** Most bytes a node buffers to reassemble one fragmented node-to-node message (per sender). */
export const DEFAULT_MAX_REASSEMBLY_BYTES = 128 * 1024 * 1024;
/** A graceful leave waits this long for other nodes leaving at the same moment, so that all leave in one membership change. */
export const DEFAULT_LEAVE_COALESCE_MS = 250;
/** Bytes sent to other nodes and not yet acknowledged above which sources pause reading. */
export const DEFAULT_HIGH_WATER_BYTES = 32 * 1024 * 1024;
/** Envelopes parked (waiting for a view or an owner) above which sources pause reading. */
export const DEFAULT_MAX_PARKED_ENVELOPES = 64 * 1024;
/** Evicted actors whose state writes are on their way, above which sources and intake pause (bounds the memory of writes in flight). */
export const DEFAULT_MAX_EVICTING = 4_096;
/** State reads in flight at most; further activations wait their turn (bounds the memory of reads in flight). */
export const DEFAULT_MAX_STATE_READS = 1_024;
/** Longest a NATS server may take to answer a connection's handshake before the client tries the next. */
export const NATS_CONNECT_TIMEOUT_MS = 2_000;
/** How long a node keeps trying to open its membership buckets at start (a NATS cluster electing its JetStream leaders). */
export const MEMBERSHIP_OPEN_TIMEOUT_MS = 60_000;
/** How long a pipelined JetStream publish or KV read may wait for its answer (the KV state store's writes and reads fail after it). */
export const DEFAULT_JETSTREAM_ANSWER_TIMEOUT_MS = 5_000;
/** Durable mode: first and longest delay between attempts to read a producer's last batch while JetStream does not answer. */
export const EVENT_LOG_LOOKUP_RETRY_MIN_MS = 500;
export const EVENT_LOG_LOOKUP_RETRY_MAX_MS = 5_000;

/** How long `troupe send` keeps trying to connect to a source that is not listening yet (a cluster still starting). */
export const DEFAULT_SEND_CONNECT_TIMEOUT_MS = 30_000;

/** How long `troupe drain --wait` waits for the node to leave (a drain itself gives up after 30 s, then leaves). */
export const DEFAULT_DRAIN_WAIT_MS = 60_000;

// Dashboard, hot keys and state lookup (issue 18).
/** The hot-keys sketch looks at one event in this many per partition (the rest cost one decrement). */
export const DEFAULT_HOT_KEYS_SAMPLE_EVERY = 16;
/** Keys a hot-keys sketch tracks per partition (space-saving counters; the top 10 are shown). */
export const DEFAULT_HOT_KEYS_CAPACITY = 64;
/** How long a hot-keys window lasts (ms): rates are from the last full window. */
export const DEFAULT_HOT_KEYS_WINDOW_MS = 5_000;
/** Per-second samples a node keeps for the dashboard's sparklines (3 minutes). */
export const DEFAULT_DASHBOARD_HISTORY_SECONDS = 180;
/** Browsers a node streams the dashboard to at once; more are refused with 503. */
export const DEFAULT_DASHBOARD_MAX_CLIENTS = 16;
/** How long a node waits for another member's dashboard snapshot or a state lookup's answer. */
export const DEFAULT_PEER_ASK_TIMEOUT_MS = 2_000;
