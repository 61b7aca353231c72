import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { ClickEmailCounter, clickNumberAt } from "../../../bench/click-email-counter.js";
import { promotionEmailCodec } from "../../../apps/loyalty/messages.js";

const email = (clickId: string) => Buffer.from(promotionEmailCodec.encode({ clickId, customerId: "cust-1", email: "a@b", adId: "ad-1", promotion: "p", clickTsMs: 1 }));
// A whole buffer that is one email.
const clickNumber = (b: Buffer) => clickNumberAt(b, 0, b.length);
const framed = (payloads: Buffer[]) => Buffer.concat(payloads.flatMap((p) => [Buffer.from([p.length >>> 24, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255]), p]));

describe("clickNumber", () => {
  it("reads the click number out of an email as the nodes encode it", () => {
    for (const n of [0, 7, 42, 999_999, 12_345_678]) {
      const b = email(`click-${n}`);
      expect(clickNumber(b)).toBe(n);
    }
  });

  it("decodes an email whose fields come in another order", () => {
    // field 2 (customer_id) before field 1 (click_id): valid protobuf, not the fast layout
    const b = Buffer.from([0x12, 1, 0x63, 0x0a, 8, ...Buffer.from("click-17")]);
    expect(clickNumber(b)).toBe(17);
  });

  it("gives -1 for an email without a click number, and for bytes that are not an email", () => {
    for (const b of [email("promo-3"), email("click-"), email("click-1x"), Buffer.from([0xff, 0xff, 0xff])]) expect(clickNumber(b)).toBe(-1);
  });
});

describe("ClickEmailCounter", () => {
  it("counts frames split across reads, repeats, unexpected and missing clicks", async () => {
    const expected = Uint8Array.from([1, 1, 0, 1]);
    const counter = new ClickEmailCounter(expected);
    const seen: number[] = [];
    counter.onEmail = (n) => seen.push(n);
    const addr = await counter.start();
    try {
      const bytes = framed([email("click-0"), email("click-2"), email("click-0"), email("click-1")]);
      const socket = connect(addr.port, addr.host);
      await new Promise((r) => socket.once("connect", r));
      // one byte at a time for the first frames: headers and payloads cut anywhere
      for (let i = 0; i < 40; i++) {
        await new Promise<void>((r) => socket.write(bytes.subarray(i, i + 1), () => r()));
      }
      socket.end(bytes.subarray(40));
      await expect.poll(() => counter.summary().received).toBe(4);
      expect(seen).toEqual([0, 2, 0, 1]);
      expect(counter.summary()).toEqual({ received: 4, unique: 3, duplicates: 1, unexpected: 1, missing: 1, expected: 3, malformed: 0 });
      expect(counter.complete()).toBe(false);
    } finally {
      await counter.close();
    }
  });
});

describe("clickNumberAt", () => {
  it("reads an email where it lies among other bytes, and never past its end", () => {
    const a = email("click-31");
    const b = email("click-4096");
    const buf = Buffer.concat([Buffer.from([9, 9]), a, b]);
    expect(clickNumberAt(buf, 2, 2 + a.length)).toBe(31);
    expect(clickNumberAt(buf, 2 + a.length, buf.length)).toBe(4096);
    // the click id's declared length runs past the range's end: not an email of the fast layout, nor a valid one
    expect(clickNumberAt(buf, 2, 2 + 6)).toBe(-1);
  });
});
