import { describe, expect, it } from "vitest";
import { nodeMessageCodec } from "../../../runtime/wire/messages.js";
import { FakeNetwork, isAck, isData, many, one } from "./fake-network.js";

// Two channels, "a" sending to "b", over a network that loses, repeats and reorders on command.
function pair(options: Parameters<FakeNetwork["add"]>[1] = {}) {
  const net = new FakeNetwork();
  const a = net.add("a", options);
  const b = net.add("b", options);
  return { net, a, b, got: net.got.get("b")! };
}

describe("ReliableChannel", () => {
  it("delivers in order and acknowledges cumulatively", () => {
    const { net, a, b, got } = pair();
    for (let i = 1; i <= 5; i++) a.send("b", ...one(i));
    expect(a.inFlight()).toBe(5);
    expect(a.inFlightBytes()).toBeGreaterThan(0);
    net.deliver(net.take());
    expect(got).toEqual([1, 2, 3, 4, 5]);
    net.clock.settle(); // one acknowledgement for all five
    expect(net.queue.filter(isAck).map((m) => m.msg.ack!.seq)).toEqual([5]);
    net.run();
    expect([a.inFlight(), a.inFlightBytes()]).toEqual([0, 0]);
    expect(a.stats.messagesSent).toBe(5);
    expect(b.stats.messagesSent).toBe(1);
    expect(b.stats.messagesReceived).toBe(5);
  });

  it("resends a lost message; the receiver holds what came after it and delivers each once, in order", () => {
    const { net, a, b, got } = pair();
    for (let i = 1; i <= 4; i++) a.send("b", ...one(i));
    net.run(isData(2));
    expect(got).toEqual([1]); // 3 and 4 wait in the window for 2
    expect(a.inFlight()).toBe(3);
    net.clock.advance(100);
    expect(a.stats.retransmitted).toBe(3);
    net.run();
    expect(got).toEqual([1, 2, 3, 4]);
    expect(b.stats.duplicatesDropped).toBe(2); // the resent 3 and 4
    expect(a.inFlight()).toBe(0);
  });

  it("drops repeats and acknowledges them again, so a sender whose acknowledgement was lost stops resending", () => {
    const { net, a, b, got } = pair();
    a.send("b", ...one(1));
    a.send("b", ...one(2));
    const sent = net.take();
    net.deliver([...sent, ...sent, sent[0]!]);
    expect(got).toEqual([1, 2]);
    expect(b.stats.duplicatesDropped).toBe(3);
    net.run(isAck); // the acknowledgement is lost
    expect(a.inFlight()).toBe(2);
    net.clock.advance(100);
    net.run();
    expect(got).toEqual([1, 2]);
    expect(b.stats.duplicatesDropped).toBe(5);
    expect(a.inFlight()).toBe(0);
  });

  it("delivers reordered messages in order", () => {
    const { net, a, b, got } = pair();
    for (let i = 1; i <= 8; i++) a.send("b", ...one(i));
    const sent = net.take();
    net.deliver([sent[0]!, ...sent.slice(1).reverse()]); // the first opens the stream (see the known gap below)
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(b.stats.duplicatesDropped).toBe(0);
    net.run();
    expect(a.inFlight()).toBe(0);
  });

  it("holds at most the reorder window; what fell outside it comes again by resending", () => {
    const { net, a, got } = pair({ reorderWindow: 2 });
    for (let i = 1; i <= 6; i++) a.send("b", ...one(i));
    const sent = net.take();
    net.deliver([sent[0]!, sent[5]!, sent[4]!, sent[3]!, sent[2]!]); // 2 lost; 6 and 5 held, 4 and 3 over the window
    expect(got).toEqual([1]);
    net.clock.advance(100);
    net.run();
    expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.inFlight()).toBe(0);
  });

  it("backs off while resends go unanswered and resets on progress", () => {
    const { net, a } = pair();
    a.send("b", ...one(1));
    net.take(); // lost, and so is every resend below
    const resentAt: number[] = [];
    for (let t = 0; t < 8_000; t += 50) {
      const before = a.stats.retransmitted;
      net.clock.advance(50);
      net.take();
      if (a.stats.retransmitted > before) resentAt.push(net.clock.t);
    }
    // Waits of 100, 200, 400, 800, 1600, then at most 2000 ms.
    expect(resentAt).toEqual([100, 300, 700, 1500, 3100, 5100, 7100]);
    a.send("b", ...one(2));
    net.clock.advance(50);
    net.take(); // 2 lost; the resend of both at the next due time arrives
    net.clock.advance(2_000);
    net.run();
    expect(a.inFlight()).toBe(0); // progress: the backoff is the ack timeout again
    a.send("b", ...one(3));
    net.take();
    const before = a.stats.retransmitted;
    net.clock.advance(100);
    expect(a.stats.retransmitted).toBe(before + 1);
  });

  it("drops messages unacknowledged while not accepting, takes acknowledgements, and delivers once accepting again", () => {
    const { net, a, b, got } = pair();
    b.send("a", ...one(9));
    b.setAccepting(false);
    a.send("b", ...one(1));
    net.run();
    expect(got).toEqual([]);
    expect(b.stats.refusedWhilePaused).toBe(1);
    expect(a.inFlight()).toBe(1);
    expect(b.inFlight()).toBe(0); // a's acknowledgement was taken while b did not accept
    net.clock.advance(100);
    net.run();
    expect(got).toEqual([]);
    expect(b.stats.refusedWhilePaused).toBe(2);
    b.setAccepting(true);
    net.clock.advance(200); // the backoff doubled after the first unanswered resend
    net.run();
    expect(got).toEqual([1]);
    expect(a.inFlight()).toBe(0);
  });

  it("takes unsequenced control messages (troupe drain) even while not accepting", () => {
    const { b, got } = pair();
    b.setAccepting(false);
    b.receive(nodeMessageCodec.encode({ from: "troupe-cli", incarnation: "cli", seq: 0, control: { epochAck: { epoch: 4 } } }));
    expect(got).toEqual([-4]);
  });

  it("forget() returns the unacknowledged events, and a later stream to the same node starts afresh", () => {
    const { net, a, got } = pair();
    a.send("b", ...many([1, 2]));
    net.run();
    a.send("b", ...one(3));
    a.send("b", { control: { epochAck: { epoch: 7 } } });
    a.send("b", ...many([4, 5]));
    net.take();
    expect(a.inFlight()).toBe(3);
    expect(a.forget("b")).toEqual([3, 4, 5]);
    expect([a.inFlight(), a.inFlightBytes(), a.stats.rerouted]).toEqual([0, 0, 3]);
    expect(a.forget("b")).toEqual([]);
    a.send("b", ...one(6)); // a new session: seq 1 again, and b resets for it
    net.run();
    expect(got).toEqual([1, 2, 6]);
    expect(a.inFlight()).toBe(0);
  });

  it("forget() reads back the events of batches kept only as bytes, in order, with the kept ones of fragments and controls", () => {
    const net = new FakeNetwork();
    net.budget = 2_048;
    // Batches that fit one message keep no event objects: forget() decodes their bytes.
    const read: number[][] = [];
    const a = net.add("a", { eventsOfBatch: (envs) => (read.push(envs.map((e) => e.seq)), envs.map((e) => e.seq)) });
    net.add("b");
    a.send("b", ...many([1, 2]));
    a.send("b", ...one(3, 20_000)); // fragmented: its event is kept
    a.send("b", { control: { epochAck: { epoch: 7 } } }, [4]); // a control with events: kept
    a.send("b", ...many(Array.from({ length: 12 }, (_, i) => 5 + i), 200)); // split into batches that fit
    net.take();
    expect(a.inFlight()).toBe(16);
    expect(a.forget("b")).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    // Read from bytes: the first batch and each part of the split one, never the fragment's or the control's.
    expect(read[0]).toEqual([1, 2]);
    expect(read.flat()).toEqual([1, 2, ...Array.from({ length: 12 }, (_, i) => 5 + i)]);
    expect([a.inFlight(), a.stats.rerouted]).toEqual([0, 16]);
  });

  it("a restarted sender (a new incarnation) is met afresh, and acknowledgements of the old one do not count", () => {
    const { net, got } = pair();
    const old = net.channels.get("a")!;
    for (let i = 1; i <= 3; i++) old.send("b", ...one(i));
    net.run();
    old.close();
    const restarted = net.add("a");
    expect(restarted.incarnation).not.toBe(old.incarnation);
    restarted.send("b", ...one(10));
    restarted.send("b", ...one(11));
    net.run();
    expect(got).toEqual([1, 2, 3, 10, 11]);
    expect(restarted.inFlight()).toBe(0);
    const stale = nodeMessageCodec.encode({ from: "b", incarnation: "x", seq: 0, ack: { seq: 99, incarnation: `${old.incarnation}.1`, reset: false } });
    restarted.send("b", ...one(12));
    net.take();
    restarted.receive(stale);
    expect(restarted.inFlight()).toBe(1);
  });

  it("splits a batch over the budget into batches that fit, in order", () => {
    const { net, a, b, got } = pair();
    net.budget = 2_048;
    const seqs = Array.from({ length: 40 }, (_, i) => i + 1);
    a.send("b", ...many(seqs, 200));
    expect(a.stats.batchesSplit).toBe(1);
    expect(net.queue.length).toBeGreaterThan(3);
    expect(net.queue.every((m) => m.bytes.length <= 2_048)).toBe(true);
    expect(a.inFlight()).toBe(40);
    net.run();
    expect(got).toEqual(seqs);
    expect(b.stats.messagesReassembled).toBe(0);
    expect(a.inFlight()).toBe(0);
  });

  it("sends a message over the budget as fragments, joined whole by the receiver even when one is lost", () => {
    const { net, a, b, got } = pair();
    net.budget = 2_048;
    a.send("b", ...one(1, 20_000));
    a.send("b", ...one(2));
    expect(a.stats.messagesFragmented).toBe(1);
    expect(net.queue.every((m) => m.bytes.length <= 2_048)).toBe(true);
    expect(a.inFlight()).toBe(2); // the event rides on the last fragment
    const sent = net.take();
    net.deliver(sent.slice(0, 3));
    expect(b.reassemblyBytes()).toBeGreaterThan(0);
    net.deliver(sent.slice(4)); // the fourth fragment is lost
    expect(got).toEqual([]);
    net.clock.advance(100);
    net.run();
    expect(got).toEqual([1, 2]);
    expect(b.stats.messagesReassembled).toBe(1);
    expect(b.stats.fragmentsReceived).toBe(a.stats.fragmentsSent);
    expect(b.reassemblyBytes()).toBe(0);
    expect(a.inFlight()).toBe(0);
  });

  it("bounds reassembly: a sender does not send what the bound cannot hold, a receiver drops what outgrows it", () => {
    const net = new FakeNetwork();
    net.budget = 2_048;
    const a = net.add("a", { maxReassemblyBytes: 8_000 });
    const b = net.add("b", { maxReassemblyBytes: 1_000_000 });
    a.send("b", ...one(1, 10_000));
    expect(a.stats.tooLargeToSend).toBe(1);
    expect([net.queue.length, a.inFlight()]).toEqual([0, 0]);

    const c = net.add("c", { maxReassemblyBytes: 6_000 });
    b.send("c", ...one(2, 10_000));
    b.send("c", ...one(3));
    net.run();
    expect(c.stats.reassemblyOverflows).toBe(1);
    expect(c.reassemblyBytes()).toBe(0);
    expect(net.got.get("c")).toEqual([3]); // the oversized one is dropped, the link goes on
    expect(b.inFlight()).toBe(0);
  });

  it("a receiver that restarted asks for a new stream and gets what was not acknowledged, once", () => {
    const { net, a, got } = pair();
    a.send("b", ...one(1));
    net.run();
    net.channels.get("b")!.close();
    const fresh = net.add("b");
    a.send("b", ...one(2)); // seq 2 of a's stream: the new b starts there
    net.run();
    expect([got, net.got.get("b")]).toEqual([[1], [2]]);
    expect(fresh.stats.duplicatesDropped).toBe(0);
    expect(a.inFlight()).toBe(0);
  });

  it("a new stream whose first message is lost: the receiver takes nothing mid-way, asks for a new stream, and gets both in order", () => {
    const { net, a, b, got } = pair();
    a.send("b", ...one(1));
    a.send("b", ...one(2));
    let lost = false;
    net.run((m) => !lost && isData(1)(m) && (lost = true)); // the first message is lost once
    expect(got).toEqual([1, 2]);
    expect(b.stats.streamsReset).toBe(1);
    expect(a.inFlight()).toBe(0);
  });

  it("a reset for a stream that already started again is ignored (a late answer)", () => {
    const { net, a, b, got } = pair();
    a.send("b", ...one(1));
    a.send("b", ...one(2));
    const [, second] = net.take(); // 1 is lost
    net.deliver([second!]); // b meets the stream at 2: it answers with a reset
    const answer = net.take();
    expect(answer.map((m) => m.msg.ack?.reset)).toEqual([true]);
    net.deliver(answer); // a starts a new stream: 1 and 2 again
    net.deliver(answer); // the same answer, late: the stream it names is gone, nothing is sent
    net.run();
    expect(got).toEqual([1, 2]);
    expect(a.stats.retransmitted).toBe(2);
    expect(b.stats.streamsReset).toBe(1);
    expect(a.inFlight()).toBe(0);
  });

  it("a message the publish refuses as too large is never resent; the link waits behind it until the peer is forgotten", () => {
    const { net, a, got } = pair();
    a.send("b", ...one(0));
    net.run();
    net.refuseOver = 500;
    a.send("b", ...one(1, 1_000));
    a.send("b", ...one(2));
    expect(a.stats.oversizedRefused).toBe(1);
    net.run();
    net.clock.advance(1_000);
    net.run();
    expect(got).toEqual([0]); // 2 waits in the window for 1
    expect(a.stats.oversizedRefused).toBe(1); // not published again
    expect(a.stats.retransmitted).toBeGreaterThan(0);
    expect(a.forget("b")).toEqual([1, 2]);
  });

  it("counts garbage as malformed, and flush() waits for acknowledgements", async () => {
    const { net, a, b } = pair();
    b.receive(new Uint8Array([0xff, 0xff, 0xff]));
    expect(b.stats.malformed).toBe(1);
    expect(await a.flush(0)).toBe(true);
    a.send("b", ...one(1));
    expect(await a.flush(20)).toBe(false);
    const flushed = a.flush(1_000);
    net.run();
    expect(await flushed).toBe(true);
  });
  describe("acknowledgements riding on messages (piggyback)", () => {
    it("rides on the next message to the sender once the sender has shown it reads them; then none goes on its own", () => {
      const { net, a, b, got } = pair({ ackDelayMs: 50 });
      const gotA = net.got.get("a")!;
      a.send("b", ...one(1));
      net.deliver(net.take());
      // "a" has not shown that it reads piggybacked acknowledgements: "b" carries one and still sends its own.
      b.send("a", ...one(101));
      expect(net.queue.filter(isData()).map((m) => m.msg.piggyback?.seq)).toEqual([1]);
      net.clock.advance(50);
      expect(net.queue.filter(isAck)).toHaveLength(1);
      expect(b.stats.acksPiggybacked).toBe(0);
      // Messages both ways, each turn within the delay: once each has seen a piggyback from the other,
      // every acknowledgement rides on the next message.
      const standalone: number[] = [];
      for (let i = 2; i <= 6; i++) {
        const before = a.stats.acksSent + b.stats.acksSent;
        b.send("a", ...one(100 + i));
        a.send("b", ...one(i));
        net.deliver(net.take());
        net.clock.advance(1);
        net.deliver(net.take());
        standalone.push(a.stats.acksSent + b.stats.acksSent - before);
      }
      expect(standalone.slice(-3)).toEqual([0, 0, 0]);
      net.clock.advance(50);
      net.run();
      expect(got).toEqual([1, 2, 3, 4, 5, 6]);
      expect(gotA).toEqual([101, 102, 103, 104, 105, 106]);
      expect([a.inFlight(), b.inFlight()]).toEqual([0, 0]);
      expect(a.stats.acksPiggybacked).toBeGreaterThanOrEqual(3);
      expect(b.stats.acksPiggybacked).toBeGreaterThanOrEqual(3);
    });

    it("an older peer that ignores piggybacks is still acknowledged on its own, so it never resends", () => {
      const { net, a, b, got } = pair();
      for (let round = 1; round <= 3; round++) {
        a.send("b", ...one(round));
        b.send("a", ...one(100 + round));
        // "a" plays an older node: what it sends carries no piggyback, and it ignores what it receives.
        const sent = net.take().map((m) => {
          if (!m.msg.piggyback) return m;
          const msg = { ...m.msg, piggyback: undefined };
          return { ...m, msg, bytes: nodeMessageCodec.encode(msg) };
        });
        net.deliver(sent);
        net.run();
      }
      expect(got).toEqual([1, 2, 3]);
      expect([a.inFlight(), b.inFlight()]).toEqual([0, 0]);
      expect(b.stats.acksPiggybacked).toBe(0);
      expect(a.stats.retransmitted + b.stats.retransmitted).toBe(0);
    });

    it("an acknowledgement owed with no message to ride on goes on its own after the delay, once for all that came", () => {
      const { net, a, got } = pair({ ackDelayMs: 2 });
      for (let i = 1; i <= 3; i++) {
        a.send("b", ...one(i));
        net.deliver(net.take());
        net.clock.settle();
      }
      expect(got).toEqual([1, 2, 3]);
      expect(net.queue.filter(isAck)).toHaveLength(0);
      net.clock.advance(2);
      expect(net.queue.filter(isAck).map((m) => m.msg.ack!.seq)).toEqual([3]);
      net.run();
      expect(a.inFlight()).toBe(0);
    });
  });
});
