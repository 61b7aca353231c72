import type { Command, Option } from "commander";
import { flag, parseIntFlag, parseNumberFlag } from "../../runtime/cli/options.js";
import { DEFAULT_WORKLOAD, type WorkloadSpec } from "./workload.js";

/** The workload flags once parsed. */
export type WorkloadFlags = WorkloadSpec;

/**
 * Adds the flags that define a loyalty workload (the generator and the sink must agree on them);
 * with `env`, each also reads its TROUPE_* environment variable (the compose file sets them once for both).
 */
export function workloadFlags(cmd: Command, env: boolean): Command {
  const withEnv = (option: Option, name: string) => (env ? option.env(name) : option);
  return cmd
    .addOption(withEnv(flag("--customers <n>", "customers", (v, what) => parseIntFlag(v, what)).default(DEFAULT_WORKLOAD.customers), "TROUPE_CUSTOMERS"))
    .addOption(withEnv(flag("--loyal-fraction <f>", "fraction of customers that are loyal", (v, what) => parseNumberFlag(v, what, 0, 1)).default(DEFAULT_WORKLOAD.loyalFraction), "TROUPE_LOYAL_FRACTION"))
    .addOption(withEnv(flag("--clicks <n>", "clicks", (v, what) => parseIntFlag(v, what, 0)).default(DEFAULT_WORKLOAD.clicks), "TROUPE_CLICKS"))
    .addOption(withEnv(flag("--seed <n>", "workload seed", (v, what) => parseIntFlag(v, what, 0)).default(DEFAULT_WORKLOAD.seed), "TROUPE_SEED"));
}

/** The workload the flags describe. */
export function workloadOf(f: WorkloadFlags): WorkloadSpec {
  return { customers: f.customers, loyalFraction: f.loyalFraction, clicks: f.clicks, seed: f.seed };
}
