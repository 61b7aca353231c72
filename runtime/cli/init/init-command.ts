import type { Command } from "commander";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../../errors.js";
import { ownPackage } from "../package-root.js";
import { appFiles, type TemplateValues } from "./template-app.js";
import { deployFiles } from "./template-deploy.js";

interface InitFlags {
  name?: string;
  troupe?: string;
}

/** `troupe init DIR`: a new app project (a two-stream join, its tests, a Dockerfile and compose file). */
export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("create an app project in DIR: a two-stream join in TypeScript, JSON codecs, tests, Dockerfile, compose file, README")
    .argument("<dir>", "an empty or new directory")
    .option("--name <name>", "the app's name (default: the directory's name)")
    .option("--troupe <spec>", "how the project depends on Troupe: an npm spec, e.g. a tarball from `npm pack` (default: this installation's folder)")
    .action((dir: string, f: InitFlags) => {
      const target = resolve(dir);
      if (existsSync(target) && readdirSync(target).length > 0) throw new ConfigError(`init: ${target} is not empty; give a new or empty directory`);
      const name = f.name ?? basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
      if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) throw new ConfigError(`init: "${name}" is not an app name (1-64 of a-z, 0-9, -, starting with a letter): pass --name`);
      const own = ownPackage();
      const values: TemplateValues = {
        name,
        troupeSpec: troupeSpec(f.troupe, own.root),
        // Troupe's own dev dependencies: what it is tested with, and what an install finds in npm's cache.
        typescript: own.devDependencies.typescript ?? "^5.9.3",
        typesNode: own.devDependencies["@types/node"] ?? "^20.19.43",
      };
      const files = { ...deployFiles(values), ...appFiles(values) };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(target, path)), { recursive: true });
        writeFileSync(join(target, path), text);
      }
      process.stdout.write(`created ${name} in ${target} (${Object.keys(files).length} files); next:\n  cd ${dir} && npm install && npm test\n`);
    });
}

/** A local path (a tarball, a folder) becomes an absolute `file:` spec, so the project installs from anywhere. */
function troupeSpec(given: string | undefined, root: string): string {
  if (given === undefined) return `file:${root}`;
  const path = given.startsWith("file:") ? given.slice(5) : given;
  if (given.startsWith("file:") || path.endsWith(".tgz") || path.startsWith(".") || path.startsWith("/")) {
    if (!existsSync(path)) throw new ConfigError(`--troupe ${given}: no such file or folder`);
    return `file:${resolve(path)}`;
  }
  return given;
}
