import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// The packed tarball of this repository, as a user gets it from `npm pack` (dist/ is built by global setup).
let packed: string | undefined;

/** Packs this repository once per test file (without the prepack build: global setup built dist/); returns the tarball's path. */
export function packTroupe(): string {
  if (packed) return packed;
  const dir = mkdtempSync(join(tmpdir(), "troupe-pack-"));
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { stdio: ["ignore", "ignore", "inherit"] });
  const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack wrote no tarball to ${dir}`);
  packed = join(dir, tgz);
  return packed;
}

/** `npm install` in `dir`, from npm's cache where it can (CI ran `npm ci` first, so every dependency is there). */
export function npmInstall(dir: string, args: readonly string[] = []): void {
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error", ...args], { cwd: dir, stdio: ["ignore", "ignore", "inherit"], timeout: 240_000 });
}

/** This repository's TypeScript compiler (a generated project would bring its own). */
export const TSC = resolve("node_modules/typescript/bin/tsc");
