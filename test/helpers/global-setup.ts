import { execFileSync } from "node:child_process";

// Integration tests spawn `node dist/...` processes: build once before any test runs.
export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
