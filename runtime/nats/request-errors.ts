import { errors } from "@nats-io/transport-node";
import { NatsPermissionError, NatsUnavailableError } from "../errors.js";

/** The error for a failed admin request: a permission refusal names the role it needs. */
export function requestError(err: unknown, subject: string, action: string, target: string): Error {
  // nats.js wraps a request's failure in a RequestError (its cause) when it keeps async traces.
  const is = (type: abstract new (...args: never[]) => Error) => err instanceof type || (err as Error | undefined)?.cause instanceof type;
  if (is(errors.PermissionViolationError)) {
    return new NatsPermissionError(`NATS refused this user permission to publish to ${subject}: to ${action} connect as troupe-admin (see README "Security")`, { cause: err });
  }
  if (is(errors.NoRespondersError)) return new NatsUnavailableError(`nothing answers on ${subject}: is ${target} running (and a version that serves it)?`, { cause: err });
  if (is(errors.TimeoutError)) return new NatsUnavailableError(`${target} did not answer on ${subject} in time`, { cause: err });
  return err as Error;
}
