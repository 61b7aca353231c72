// The public API of Troupe. Everything else is internal.
export { ApplicationBuilder, PipelineBuilder } from "./builder/application-builder.js";
export { tcpSource, tcpSink, defineState, structuredCodec } from "./builder/specs.js";
export type { Codec, Decoder, Encoder, SourceSpec, SinkSpec, StateSpec, StepContext, Step, StateStep, PartitionOptions } from "./builder/specs.js";
export type { Application, PipelineDef, PartitionDef, StageDef } from "./builder/application.js";
export { Node } from "./node/node.js";
export type { NodeOptions, SinkTarget, AppliedEvent } from "./node/node-options.js";
export type { Address, StateMode, Envelope } from "./types.js";
export type { ClusterInfo } from "./node/cluster-info.js";
export type { StateQuery, StateAnswer, StateBody } from "./node/state-lookup.js";
export type { NodeSnapshot, PartitionSnapshot } from "./observability/dashboard/node-snapshot.js";
export type { ClusterFrame } from "./observability/dashboard/dashboard-feed.js";
export type { HotKey } from "./observability/hot-keys.js";
export { EmbeddedCluster } from "./embedded-cluster.js";
export type { EmbeddedClusterOptions } from "./embedded-cluster.js";
export { TestCluster } from "./testkit/test-cluster.js";
export type { TestClusterOptions } from "./testkit/test-cluster.js";
export type { Transport, TransportHandlers, WireContext } from "./transport/transport.js";
export { InProcessHub, InProcessTransport } from "./transport/in-process-transport.js";
export type { Membership, MembershipView, Member, MemberStatus, NodeState } from "./cluster/membership.js";
export { LocalMembership, LocalMembershipBoard } from "./cluster/local-membership.js";
export type { StateStore } from "./state/state-store.js";
export { MemoryStateStore } from "./state/state-store.js";
export { connectNatsCluster } from "./nats/nats-cluster.js";
export type { NatsClusterOptions, NatsClusterParts } from "./nats/nats-cluster.js";
export type { NatsAuthOptions } from "./nats/connection-settings.js";
export type { DeadLetter, DeadLetterReason } from "./observability/dead-letters.js";
export { slotOf, hash32 } from "./placement/hash.js";
export { placeSlots } from "./placement/placement.js";
export { DEFAULT_SLOTS, DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_ACTORS } from "./defaults.js";
export {
  TroupeError,
  AppDefinitionError,
  AppLoadError,
  ConfigError,
  FrameError,
  DecodeError,
  StepError,
  WireError,
  NatsUnavailableError,
  LifecycleError,
  StateStoreError,
  FencedError,
  EventLogError,
  SourceProtocolError,
  LeaseExpiredError,
  EventTooLargeError,
  StateTooLargeError,
  NatsAuthError,
  NatsPermissionError,
  WaitTimeoutError,
} from "./errors.js";
