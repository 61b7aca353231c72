import { Command, CommanderError } from "commander";
import { AppLoadError, TroupeError } from "../errors.js";
import type { AppRegistry } from "./app-loader.js";
import { registerDlqCommands } from "./dlq-command.js";
import { addDrainWait } from "./drain-wait.js";
import { registerNatsConfigCommand } from "./nats-config-command.js";
import { registerNodeCommand } from "./node-command.js";
import { registerStateCommands } from "./state-command.js";
import { registerStatusCommands } from "./status-command.js";
import { registerVerifyCommand } from "./verify-command.js";
import { registerInitCommand } from "./init/init-command.js";
import { ownPackage } from "./package-root.js";
import { registerSendCommand } from "./tools/send-command.js";
import { registerTailCommand } from "./tools/tail-command.js";

export type { AppModuleExports, AppRegistry, RegisteredApp } from "./app-loader.js";

/** What the CLI is composed with: the apps `--app NAME` finds, and through them any commands they add. */
export interface CliOptions {
  readonly apps: AppRegistry;
}

/** The `troupe` program: the runtime's commands, then the commands each registered app adds. */
export function createProgram(options: CliOptions): Command {
  const program = new Command("troupe").description("Troupe: a distributed actor runtime for stateful stream processing").showHelpAfterError();
  program.exitOverride();
  program.version(ownPackage().version, "-V, --version", "print Troupe's version");
  registerNodeCommand(program, options.apps);
  registerStatusCommands(program);
  addDrainWait(program);
  registerDlqCommands(program);
  registerVerifyCommand(program, options.apps);
  registerNatsConfigCommand(program, options.apps);
  registerSendCommand(program);
  registerInitCommand(program);
  registerTailCommand(program);
  registerStateCommands(program);
  for (const [name, app] of Object.entries(options.apps)) {
    try {
      app.commands?.(program);
    } catch (err) {
      // Commander refuses a second command of the same name; say which app brought it.
      throw new AppLoadError(`app "${name}" could not add its commands: ${(err as Error).message}`, { cause: err });
    }
  }
  return program;
}

/** Runs `troupe` on `argv` (as `process.argv`): a Troupe error ends the process with one line on stderr and exit code 2. */
export async function runCli(argv: readonly string[], options: CliOptions): Promise<void> {
  try {
    await createProgram(options).parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof TroupeError) {
      process.stderr.write(`troupe: ${err.message} [${err.code}]\n`);
      process.exit(2);
    }
    throw err;
  }
}
