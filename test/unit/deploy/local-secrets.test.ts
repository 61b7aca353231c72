import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// nats-server parses an environment variable's value as a config value: a password that starts with a
// digit ("986e7a...") is read as a number and the server refuses its whole config (seen in the docker
// suite, one run in a few). The compose secrets script must only make passwords that start with a letter.
describe("deploy/tls/make-local-secrets.sh", () => {
  it("makes role passwords that start with a letter (a leading digit makes nats-server refuse its config)", () => {
    const out = execFileSync("bash", ["-c", 'eval "$(grep "^pw()" deploy/tls/make-local-secrets.sh)"; for i in $(seq 1 50); do pw; done'], { encoding: "utf8" });
    const passwords = out.trim().split("\n");
    expect(passwords).toHaveLength(50);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z][A-Za-z0-9-]{20,}$/);
    expect(new Set(passwords).size).toBe(50);
  });
});
