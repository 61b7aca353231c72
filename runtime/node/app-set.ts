import type { Application } from "../builder/application.js";
import { ConfigError } from "../errors.js";
import { AppRuntime } from "./app-runtime.js";
import type { NodeServices } from "./app-runtime-host.js";

/** The apps a node runs, by name, each on the node's services; refuses an app registered twice or a source name two apps declare. */
export function appRuntimes(apps: readonly Application[], services: NodeServices, nodeId: string): Map<string, AppRuntime> {
  const out = new Map<string, AppRuntime>();
  const sources = new Set<string>();
  for (const app of apps) {
    if (out.has(app.name)) throw new ConfigError(`app "${app.name}" is registered twice on node ${nodeId}`);
    for (const s of app.sources.keys()) {
      if (sources.has(s)) throw new ConfigError(`source "${s}" is declared by two apps; source names must be unique on a node`);
      sources.add(s);
    }
    out.set(app.name, new AppRuntime(app, services));
  }
  return out;
}
