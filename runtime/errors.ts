/** Every error Troupe raises: a stable `code`, a message that says what to do, and `cause`. */
export class TroupeError extends Error {
  /** Stable machine-readable code, e.g. `TROUPE_BAD_FLAG`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An application definition is invalid (raised by `ApplicationBuilder.build`). */
export class AppDefinitionError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_APP_DEFINITION", message, options);
  }
}

/** An application module could not be found or loaded. */
export class AppLoadError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_APP_LOAD", message, options);
  }
}

/** A command-line flag, environment variable or option has a bad value. */
export class ConfigError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_CONFIG", message, options);
  }
}

/** A TCP frame violated the framing rules (oversized, truncated). */
export class FrameError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_FRAME", message, options);
  }
}

/** An application decoder threw on a frame. */
export class DecodeError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_DECODE", message, options);
  }
}

/** An application step threw or rejected. */
export class StepError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_STEP", message, options);
  }
}

/** A wire message (batch, envelope, control) could not be decoded. */
export class WireError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_WIRE", message, options);
  }
}

/** NATS could not be reached or a NATS operation failed. */
export class NatsUnavailableError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_NATS_UNAVAILABLE", message, options);
  }
}

/** A lifecycle method was called in a state that does not allow it. */
export class LifecycleError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_LIFECYCLE", message, options);
  }
}

/** A state store read or write failed (including a fenced, stale write). */
export class StateStoreError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_STATE_STORE", message, options);
  }
}

/** A write was rejected because a newer owner holds the slot (fencing). */
export class FencedError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_FENCED", message, options);
  }
}

/** The durable event log (JetStream stream) refused or lost an append, or could not be read. */
export class EventLogError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_EVENT_LOG", message, options);
  }
}

/** A client of the acknowledged source protocol broke it (bad hello). */
export class SourceProtocolError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_SOURCE_PROTOCOL", message, options);
  }
}

/** This node's ownership lease has run out (it could not renew its heartbeat in time): it writes nothing until it is renewed. */
export class LeaseExpiredError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_LEASE_EXPIRED", message, options);
  }
}

/** A message can never be sent: even alone it is over the NATS server's max payload. */
export class EventTooLargeError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_TOO_LARGE", message, options);
  }
}

/** An actor's state is too large for the state store (over the NATS server's max payload): it stays in memory, unsaved, until it shrinks. */
export class StateTooLargeError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_STATE_TOO_LARGE", message, options);
  }
}

/** Durable mode: a state was not written because the outputs of the events it reflects could not be written to their sinks first (it stays dirty and is written once they are). */
export class OutputsNotWrittenError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_OUTPUTS_NOT_WRITTEN", message, options);
  }
}

/** `troupe verify` could not do what it checks: a reference run that did not finish, a workload or an output it cannot read. */
export class VerifyError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_VERIFY", message, options);
  }
}

/** The NATS server refused this client's credentials or TLS handshake. */
export class NatsAuthError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_NATS_AUTH", message, options);
  }
}

/** The NATS server refused an operation: this client's user has no permission for that subject. */
export class NatsPermissionError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_NATS_PERMISSION", message, options);
  }
}

/** Something a command waits for did not happen in time (e.g. `troupe drain --wait`: the node has not left). */
export class WaitTimeoutError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_TIMEOUT", message, options);
  }
}

/** What was asked for does not exist: an unknown app, partition or key (`troupe state get`, `GET /state/...`). */
export class NotFoundError extends TroupeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TROUPE_NOT_FOUND", message, options);
  }
}
