import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REGISTERED_APPS } from "../../apps/index.js";
import type { Application } from "../builder/application.js";
import { AppLoadError } from "../errors.js";

/** Loads an app by registered name (`loyalty`) or by path to a module whose default export is a built app. */
export async function loadApp(nameOrPath: string): Promise<Application> {
  const registered = REGISTERED_APPS[nameOrPath];
  if (registered) return registered();
  const looksLikePath = nameOrPath.includes("/") || nameOrPath.endsWith(".js") || nameOrPath.endsWith(".mjs");
  if (!looksLikePath) {
    throw new AppLoadError(`no app named "${nameOrPath}"; registered apps: ${Object.keys(REGISTERED_APPS).join(", ")}. To load your own, pass a path to a module (e.g. --app ./dist/my-app.js)`);
  }
  const file = resolve(nameOrPath);
  if (!existsSync(file)) throw new AppLoadError(`app module ${file} does not exist; build it first or check the path`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new AppLoadError(`app module ${file} failed to load: ${(err as Error).message}`, { cause: err });
  }
  const app = mod.default as Application | undefined;
  if (!app || typeof app !== "object" || !("pipelines" in app) || !("stages" in app)) {
    throw new AppLoadError(`app module ${file} must default-export a built application (export default app.build())`);
  }
  return app;
}
