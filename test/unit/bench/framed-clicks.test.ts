import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { framePayloads, sendFramed } from "../../../bench/framed-clicks.js";
import { FrameDecoder } from "../../../runtime/io/frame-decoder.js";

describe("framePayloads", () => {
  it("frames payloads end to end, each after its length, with where each starts", () => {
    const f = framePayloads([Buffer.from("ab"), Buffer.alloc(0), Buffer.from("xyz")]);
    expect(f.count).toBe(3);
    expect([...f.at]).toEqual([0, 6, 10, 17]);
    expect([...f.bytes]).toEqual([0, 0, 0, 2, 97, 98, 0, 0, 0, 0, 0, 0, 0, 3, 120, 121, 122]);
  });
});

describe("sendFramed", () => {
  it("writes frames [from, to) in order, stamping every frame once as it goes", async () => {
    const payloads = Array.from({ length: 5000 }, (_, i) => Buffer.from(`frame-${i}`));
    const framed = framePayloads(payloads);
    const got: string[] = [];
    const server = createServer((socket) => {
      const decoder = new FrameDecoder(1024);
      socket.on("data", (chunk: Buffer) => decoder.push(chunk, (p) => got.push(p.toString())));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const stamped = new Uint8Array(payloads.length);
    try {
      // paced: 100k frames a second in chunks of 500
      const sent = await sendFramed({ host: "127.0.0.1", port }, framed, 1000, 4500, 100_000, (first, count) => {
        for (let i = first; i < first + count; i++) stamped[i]!++;
      });
      expect(sent).toBe(3500);
      await expect.poll(() => got.length).toBe(3500);
      expect(got).toEqual(payloads.slice(1000, 4500).map(String));
      expect([...stamped].map((s, i) => (i >= 1000 && i < 4500 ? s === 1 : s === 0)).every(Boolean)).toBe(true);
      expect(await sendFramed({ host: "127.0.0.1", port }, framed, 10, 10, 0)).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
