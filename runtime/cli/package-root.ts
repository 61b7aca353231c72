import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";

/** What the CLI reads from Troupe's own package.json. */
export interface OwnPackage {
  readonly root: string;
  readonly version: string;
  readonly devDependencies: Readonly<Record<string, string>>;
}

let found: OwnPackage | undefined;

/** This Troupe installation: its folder (the one with its package.json), version and dev dependencies. */
export function ownPackage(): OwnPackage {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string; devDependencies?: Record<string, string> };
      if (pkg.name === "troupe") return (found = { root: dir, version: pkg.version ?? "0.0.0", devDependencies: pkg.devDependencies ?? {} });
    }
    const up = dirname(dir);
    if (up === dir) throw new ConfigError("cannot find Troupe's package.json above its modules; reinstall Troupe");
    dir = up;
  }
}
