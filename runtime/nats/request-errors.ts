import { errors } from "@nats-io/transport-node";
import { NatsPermissionError, NatsUnavailableError } from "../errors.js";

// nats.js wraps a request's failure in a RequestError when it keeps async traces, and Troupe's errors wrap
// what they report: the server's answer is somewhere down the cause chain.
function find<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as Error).cause, depth++) if (e instanceof type) return e;
  return undefined;
}

/** A permission refusal from the server as a Troupe error naming the role that may do `action`; other errors as they are. */
export function permissionError(err: unknown, action: string, role: string): Error {
  const pe = find(err, errors.PermissionViolationError);
  if (!pe) return err as Error;
  const what = pe.operation === "subscription" ? "subscribe to" : "publish to";
  return new NatsPermissionError(`NATS refused this user permission to ${what} ${pe.subject}: to ${action} connect as ${role} (see README "Security")`, { cause: err });
}

/** The error for a failed admin request: a permission refusal names the role it needs. */
export function requestError(err: unknown, subject: string, action: string, target: string): Error {
  if (find(err, errors.PermissionViolationError)) return permissionError(err, action, "troupe-admin");
  if (find(err, errors.NoRespondersError)) return new NatsUnavailableError(`nothing answers on ${subject}: is ${target} running (and a version that serves it)?`, { cause: err });
  if (find(err, errors.TimeoutError)) return new NatsUnavailableError(`${target} did not answer on ${subject} in time`, { cause: err });
  return err as Error;
}
