import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectError, redactUrls, resolveNatsConnection } from "../../../runtime/nats/connection-settings.js";
import { ConfigError, NatsAuthError } from "../../../runtime/errors.js";

const dir = mkdtempSync(join(tmpdir(), "troupe-conn-"));
const file = (name: string, text: string, mode: number) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  chmodSync(f, mode);
  return f;
};

describe("NATS connection settings", () => {
  it("takes a user and password out of the --nats URL, and names the servers without them", () => {
    const r = resolveNatsConnection("nats://troupe-node:s3cret@10.0.0.1:4222, nats://troupe-node:s3cret@10.0.0.2:4222");
    expect(r.options).toMatchObject({ servers: ["nats://10.0.0.1:4222", "nats://10.0.0.2:4222"], user: "troupe-node", pass: "s3cret" });
    expect(r.where).toBe("nats://10.0.0.1:4222,nats://10.0.0.2:4222");
    expect(r.who).toBe('user "troupe-node"');
    expect(redactUrls("tls://tok@h:1")).toBe("tls://h:1");
    expect(resolveNatsConnection("tok3n@h:4222").options).toMatchObject({ servers: ["h:4222"], token: "tok3n" });
  });

  it("refuses two credentials, half a password pair or half a client certificate, naming the flags", () => {
    expect(() => resolveNatsConnection("nats://u:p@h:1", { token: "t" })).toThrow(/URL carries credentials and --nats-token/);
    expect(() => resolveNatsConnection("nats://h:1", { token: "t", user: "u", pass: "p" })).toThrow(/--nats-user and --nats-token/);
    expect(() => resolveNatsConnection("nats://h:1", { user: "u" })).toThrow(/needs --nats-pass/);
    expect(() => resolveNatsConnection("nats://h:1", { tlsCert: "/x" })).toThrow(/both --nats-tls-cert and --nats-tls-key/);
    expect(() => resolveNatsConnection("nats://h:1", { creds: join(dir, "missing.creds") })).toThrow(ConfigError);
    expect(() => resolveNatsConnection("nats://h:1", { nkey: file("bad.nk", "not a seed\n", 0o600) })).toThrow(/not an nkey user seed/);
  });

  it("warns about a secret file that other users can read, and not about one only its owner can", () => {
    const seed = "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4";
    const warnings: string[] = [];
    resolveNatsConnection("nats://h:1", { nkey: file("open.nk", seed, 0o644) }, (m) => warnings.push(m));
    resolveNatsConnection("nats://h:1", { nkey: file("closed.nk", seed, 0o600) }, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/open\.nk can be read by other users: chmod 600/)]);
  });

  it("turns a refusal into an error that names the server and the fix, with the password scrubbed", () => {
    const conn = resolveNatsConnection("nats://troupe-node:hunter2@h:4222");
    const err = connectError(Object.assign(new Error("Authorization Violation hunter2"), { name: "AuthorizationError" }), conn);
    expect(err).toBeInstanceOf(NatsAuthError);
    expect(err.message).toMatch(/^NATS at nats:\/\/h:4222 refused user "troupe-node": Authorization Violation \*\*\*\. Give the credentials/);
    expect(err.message).not.toContain("hunter2");
    expect(connectError(new Error("self-signed certificate in certificate chain"), conn).message).toMatch(/--nats-tls-ca FILE/);
  });
});
