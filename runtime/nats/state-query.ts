import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { DEFAULT_PEER_ASK_TIMEOUT_MS } from "../defaults.js";
import type { Logger } from "../logger.js";
import type { StateAnswer, StateLookup, StateQuery } from "../node/state-lookup.js";
import { stateAnswerCodec, stateQueryCodec } from "../wire/messages.js";
import { stateQuerySubject } from "./subjects.js";

/** Asks node `nodeId` a state lookup over NATS request/reply. */
export async function askState(nc: NatsConnection, cluster: string, nodeId: string, query: StateQuery, timeoutMs = DEFAULT_PEER_ASK_TIMEOUT_MS): Promise<StateAnswer> {
  const msg = await nc.request(stateQuerySubject(cluster, nodeId), stateQueryCodec.encode({ app: query.app, partition: query.partition, key: query.key, forwarded: query.forwarded ?? false }), { timeout: timeoutMs });
  const answer = stateAnswerCodec.decode(msg.data);
  return { status: answer.status, body: JSON.parse(answer.json) as StateAnswer["body"] };
}

/**
 * Serves state lookups for this node on its subject, and lets `lookup` ask other owners the same way.
 * Returns the subscription (closed with the connection).
 */
export function serveStateQueries(nc: NatsConnection, cluster: string, nodeId: string, lookup: StateLookup, log: Logger): Subscription {
  lookup.setAsk((owner, query) => askState(nc, cluster, owner, query));
  return nc.subscribe(stateQuerySubject(cluster, nodeId), {
    callback: (err, msg) => {
      if (err) {
        log.warn({ err }, "state query subscription failed");
        return;
      }
      let query: StateQuery;
      try {
        query = stateQueryCodec.decode(msg.data);
      } catch (e) {
        msg.respond(stateAnswerCodec.encode({ status: 400, json: JSON.stringify({ error: `bad state query: ${(e as Error).message}`, code: "TROUPE_WIRE" }) }));
        return;
      }
      void lookup.lookup(query).then((a) => msg.respond(stateAnswerCodec.encode({ status: a.status, json: JSON.stringify(a.body) })));
    },
  });
}
