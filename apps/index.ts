import type { Application } from "../runtime/builder/application.js";

/** Apps that `--app NAME` finds by name. Each entry loads its module on demand. */
export const REGISTERED_APPS: Readonly<Record<string, () => Promise<Application>>> = {
  loyalty: async () => (await import("./loyalty/app.js")).default,
  sequencer: async () => (await import("./sequencer/app.js")).default,
};
