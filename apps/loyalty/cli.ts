import type { Command } from "commander";
import { registerDemoCommand } from "./demo-command.js";
import { registerEmailSinkCommand } from "./email-sink-command.js";
import { registerLoadgenCommand } from "./loadgen-command.js";

/** The commands the loyalty app adds to `troupe`: `demo`, `loadgen` and `email-sink`. */
export function registerLoyaltyCommands(program: Command): void {
  registerDemoCommand(program);
  registerLoadgenCommand(program);
  registerEmailSinkCommand(program);
}
