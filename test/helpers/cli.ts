import { execFile } from "node:child_process";

/** Runs the built `troupe` CLI and resolves with its exit code and output (never rejects on a non-zero exit); `env` is added to this process's environment. */
export function runCli(args: readonly string[], timeoutMs = 30_000, env: Readonly<Record<string, string>> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/troupe.js", ...args], { timeout: timeoutMs, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
