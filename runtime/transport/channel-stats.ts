/** A reliable channel's counters: plain numbers on the hot path, read by metrics at scrape time. */
export type ChannelStats = ReturnType<typeof channelStats>;

/** A new set of counters, all zero. */
export function channelStats() {
  return {
    messagesSent: 0,
    messagesReceived: 0,
    retransmitted: 0,
    duplicatesDropped: 0,
    malformed: 0,
    rerouted: 0,
    bytesSent: 0,
    bytesReceived: 0,
    /** Batches over the budget sent as several batch messages. */
    batchesSplit: 0,
    /** Messages over the budget sent as fragments, and the fragments. */
    messagesFragmented: 0,
    fragmentsSent: 0,
    /** Fragments received, and messages joined from them. */
    fragmentsReceived: 0,
    messagesReassembled: 0,
    /** Fragmented messages dropped because they outgrew the reassembly bound. */
    reassemblyOverflows: 0,
    /** Messages not sent because even fragmented they would outgrow the receiver's reassembly bound. */
    tooLargeToSend: 0,
    /** Publishes refused as too large (never retried). */
    oversizedRefused: 0,
    /** Messages dropped unacknowledged while this node did not accept (its lease ran out, or its sinks were full). */
    refusedWhilePaused: 0,
    /** Streams of other nodes met mid-way and sent back to start again (see `Ack.reset`). */
    streamsReset: 0,
    /** Acknowledgements sent on their own, and ones that rode on a message to their sender. */
    acksSent: 0,
    acksPiggybacked: 0,
  };
}
