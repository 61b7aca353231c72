import type { Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Application } from "../builder/application.js";
import { AppLoadError } from "../errors.js";
import type { Workload } from "../testing/oracle.js";

/** What an app's module exports: the built app as default, and `workload(seed)` if `troupe verify` may run it. */
export interface AppModuleExports {
  readonly default?: unknown;
  readonly workload?: unknown;
}

/** An app that `--app NAME` finds by name: its module, loaded on demand, and any commands it adds to `troupe`. */
export interface RegisteredApp {
  readonly load: () => Promise<AppModuleExports>;
  /** Adds the app's own commands (e.g. `troupe demo`); called once, before the command line is parsed. */
  readonly commands?: (program: Command) => void;
}

/** Apps by name, as the composition (bin/troupe.js) hands them to the CLI; the runtime knows none itself. */
export type AppRegistry = Readonly<Record<string, RegisteredApp>>;

/** An app module as `troupe verify` uses it: the built app, and its `workload(seed)` export if it has one. */
export interface AppModule {
  readonly app: Application;
  /** Phases of frames for `seed` (checked: each frame names a source of the app and carries bytes). */
  readonly workload?: (seed: number) => Workload;
}

/** Loads an app by name from `apps` (`loyalty`) or by path to a module whose default export is a built app. */
export async function loadApp(nameOrPath: string, apps: AppRegistry): Promise<Application> {
  const { mod, where } = await importApp(nameOrPath, apps);
  return checkApp(mod.default, where);
}

/** Loads an app and its optional `workload(seed)` export, by name from `apps` or by module path. */
export async function loadAppModule(nameOrPath: string, apps: AppRegistry): Promise<AppModule> {
  const { mod, where } = await importApp(nameOrPath, apps);
  const app = checkApp(mod.default, where);
  const workload = mod.workload;
  if (workload === undefined) return { app };
  if (typeof workload !== "function") throw new AppLoadError(`${where}: its "workload" export must be a function (seed: number) => phases of { source, payload } frames`);
  const fn = workload as (seed: number) => unknown;
  return { app, workload: (seed: number) => checkWorkload(app, fn(seed), `${where}: workload(${seed})`) };
}

async function importApp(nameOrPath: string, apps: AppRegistry): Promise<{ mod: AppModuleExports; where: string }> {
  // Own keys only: `--app constructor` must not find Object.prototype.constructor.
  const registered = Object.hasOwn(apps, nameOrPath) ? apps[nameOrPath] : undefined;
  if (registered) {
    const where = `registered app "${nameOrPath}"`;
    try {
      return { mod: await registered.load(), where };
    } catch (err) {
      throw new AppLoadError(`${where} failed to load: ${(err as Error).message}`, { cause: err });
    }
  }
  const looksLikePath = nameOrPath.includes("/") || nameOrPath.endsWith(".js") || nameOrPath.endsWith(".mjs");
  if (!looksLikePath) {
    const names = Object.keys(apps);
    throw new AppLoadError(`no app named "${nameOrPath}"; registered apps: ${names.length ? names.join(", ") : "none"}. To load your own, pass a path to a module (e.g. --app ./dist/my-app.js)`);
  }
  const file = resolve(nameOrPath);
  if (!existsSync(file)) throw new AppLoadError(`app module ${file} does not exist; build it first or check the path`);
  try {
    return { mod: (await import(pathToFileURL(file).href)) as AppModuleExports, where: `app module ${file}` };
  } catch (err) {
    throw new AppLoadError(`app module ${file} failed to load: ${(err as Error).message}`, { cause: err });
  }
}

function checkApp(app: unknown, where: string): Application {
  if (!app || typeof app !== "object" || !("pipelines" in app) || !("stages" in app)) {
    throw new AppLoadError(`${where} must default-export a built application (export default app.build())`);
  }
  return app as Application;
}

// A workload comes from user code: a frame for a source the app lacks would only time out later, so say so now.
function checkWorkload(app: Application, phases: unknown, where: string): Workload {
  if (!Array.isArray(phases)) throw new AppLoadError(`${where} must return an array of phases (arrays of { source, payload } frames), not ${typeof phases}`);
  phases.forEach((phase: unknown, p) => {
    if (!Array.isArray(phase)) throw new AppLoadError(`${where}: phase ${p + 1} must be an array of { source, payload } frames`);
    phase.forEach((frame: unknown, i) => {
      const f = frame as { source?: unknown; payload?: unknown } | null;
      if (!f || typeof f.source !== "string" || !(f.payload instanceof Uint8Array)) {
        throw new AppLoadError(`${where}: phase ${p + 1} frame ${i + 1} must be { source: string, payload: Uint8Array }`);
      }
      if (!app.sources.has(f.source)) {
        throw new AppLoadError(`${where}: phase ${p + 1} frame ${i + 1} is for source "${f.source}", which app "${app.name}" does not declare (its sources: ${[...app.sources.keys()].join(", ")})`);
      }
    });
  });
  return phases as Workload;
}
