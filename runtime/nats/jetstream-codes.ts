import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";

// The codes Troupe acts on, in one place. Five digits: JetStream API error codes (`err_code`, as the
// server and nats.js name them). Three digits: how a publish failed before JetStream could answer,
// numbered like the NATS statuses they stand for.

/** JetStream: a `Nats-Expected-Last-Subject-Sequence` condition failed (the subject holds another last message). */
export const WRONG_LAST_SEQUENCE = JetStreamApiCodes.StreamWrongLastSequence;
/** JetStream: the same refusal in its constant form (newer servers); nats.js's KV treats both alike, and so do we. */
export const WRONG_LAST_SEQUENCE_CONSTANT = JetStreamApiCodes.StreamWrongLastSequenceUnknown;
/** JetStream: a message get found no message (e.g. `last_by_subj` of a subject never written). */
export const NO_MESSAGE_FOUND = JetStreamApiCodes.NoMessageFound;
/** JetStream: a message delete failed; its description says why ("no message found" for a sequence not in the stream). */
export const MSG_DELETE_FAILED = 10057;
/** JetStream: a stream of that name exists with another configuration. */
export const STREAM_NAME_IN_USE = 10058;

/** A publish got no answer in time (it may still be stored). */
export const NO_ANSWER = 408;
/** A publish was refused before it was sent: headers and data are over the server's max payload (it can never be stored). */
export const PAYLOAD_TOO_LARGE = 413;
/** The client could not send a publish (its connection is closed). */
export const NOT_SENT = 500;
/** JetStream's answer to a publish could not be read. */
export const BAD_ANSWER = 502;
/** No JetStream stream listens on the subject (JetStream down, or the stream missing). */
export const NO_RESPONDERS = 503;

/** True for a failed expected-last-sequence condition, in either of its codes. */
export function isWrongLastSequence(code: number): boolean {
  return code === WRONG_LAST_SEQUENCE || code === WRONG_LAST_SEQUENCE_CONSTANT;
}

/** True when a failure is one that sending the same message again may cure (its answer was lost, or JetStream was away). */
export function isTransient(code: number): boolean {
  return code === NO_ANSWER || code === NOT_SENT || code === BAD_ANSWER || code === NO_RESPONDERS;
}

/** True when a JetStream API call failed with `code` (an `err_code`). */
export function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

/** True when deleting a stream message failed because no message has that sequence (servers answer either code). */
export function isNoSuchMessage(err: unknown): boolean {
  return isApiError(err, NO_MESSAGE_FOUND) || (isApiError(err, MSG_DELETE_FAILED) && /no message found/i.test((err as Error).message));
}
