import { Command, CommanderError } from "commander";
import { TroupeError } from "../errors.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerDlqCommands } from "./dlq-command.js";
import { registerEmailSinkCommand } from "./email-sink-command.js";
import { registerLoadgenCommand } from "./loadgen-command.js";
import { registerNodeCommand } from "./node-command.js";
import { registerStatusCommands } from "./status-command.js";
import { registerVerifyCommand } from "./verify-command.js";

const program = new Command("troupe").description("Troupe: a distributed actor runtime for stateful stream processing").showHelpAfterError();
program.exitOverride();
registerNodeCommand(program);
registerDemoCommand(program);
registerLoadgenCommand(program);
registerEmailSinkCommand(program);
registerStatusCommands(program);
registerDlqCommands(program);
registerVerifyCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof TroupeError) {
    process.stderr.write(`troupe: ${err.message} [${err.code}]\n`);
    process.exit(2);
  }
  throw err;
}
