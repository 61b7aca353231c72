import type { AppRegistry } from "../runtime/cli/app-loader.js";
import { registerLoyaltyCommands } from "./loyalty/cli.js";

/** The apps `--app NAME` finds by name (each module loaded on demand), and the commands they add to `troupe`. */
export const REGISTERED_APPS: AppRegistry = {
  loyalty: { load: () => import("./loyalty/app.js"), commands: registerLoyaltyCommands },
  sequencer: { load: () => import("./sequencer/app.js") },
};
