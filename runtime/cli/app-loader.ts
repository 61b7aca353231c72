import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REGISTERED_APPS } from "../../apps/index.js";
import type { Application } from "../builder/application.js";
import { AppLoadError } from "../errors.js";
import type { Workload } from "../testing/oracle.js";

/** An app module as `troupe verify` uses it: the built app, and its `workload(seed)` export if it has one. */
export interface AppModule {
  readonly app: Application;
  /** Phases of frames for `seed` (checked: each frame names a source of the app and carries bytes). */
  readonly workload?: (seed: number) => Workload;
}

// The modules of registered apps that export more than the app (apps/index.ts registers the app itself;
// a registered app missing here loads without a workload).
const REGISTERED_MODULES: Readonly<Record<string, () => Promise<{ default?: unknown; workload?: unknown }>>> = {
  loyalty: () => import("../../apps/loyalty/app.js"),
  sequencer: () => import("../../apps/sequencer/app.js"),
};

/** Loads an app by registered name (`loyalty`) or by path to a module whose default export is a built app. */
export async function loadApp(nameOrPath: string): Promise<Application> {
  const registered = REGISTERED_APPS[nameOrPath];
  if (registered) return registered();
  return checkApp((await importModule(nameOrPath)).default, resolve(nameOrPath));
}

/** Loads an app and its optional `workload(seed)` export, by registered name or by module path. */
export async function loadAppModule(nameOrPath: string): Promise<AppModule> {
  const registered = REGISTERED_APPS[nameOrPath];
  let app: Application;
  let workload: unknown;
  let where: string;
  if (registered) {
    app = await registered();
    workload = (await REGISTERED_MODULES[nameOrPath]?.())?.workload;
    where = `registered app "${nameOrPath}"`;
  } else {
    const mod = await importModule(nameOrPath);
    where = `app module ${resolve(nameOrPath)}`;
    app = checkApp(mod.default, resolve(nameOrPath));
    workload = mod.workload;
  }
  if (workload === undefined) return { app };
  if (typeof workload !== "function") throw new AppLoadError(`${where}: its "workload" export must be a function (seed: number) => phases of { source, payload } frames`);
  const fn = workload as (seed: number) => unknown;
  return { app, workload: (seed: number) => checkWorkload(app, fn(seed), `${where}: workload(${seed})`) };
}

async function importModule(nameOrPath: string): Promise<{ default?: unknown; workload?: unknown }> {
  const looksLikePath = nameOrPath.includes("/") || nameOrPath.endsWith(".js") || nameOrPath.endsWith(".mjs");
  if (!looksLikePath) {
    throw new AppLoadError(`no app named "${nameOrPath}"; registered apps: ${Object.keys(REGISTERED_APPS).join(", ")}. To load your own, pass a path to a module (e.g. --app ./dist/my-app.js)`);
  }
  const file = resolve(nameOrPath);
  if (!existsSync(file)) throw new AppLoadError(`app module ${file} does not exist; build it first or check the path`);
  try {
    return (await import(pathToFileURL(file).href)) as { default?: unknown; workload?: unknown };
  } catch (err) {
    throw new AppLoadError(`app module ${file} failed to load: ${(err as Error).message}`, { cause: err });
  }
}

function checkApp(app: unknown, file: string): Application {
  if (!app || typeof app !== "object" || !("pipelines" in app) || !("stages" in app)) {
    throw new AppLoadError(`app module ${file} must default-export a built application (export default app.build())`);
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
