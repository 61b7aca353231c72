import type { Command } from "commander";
import { DEFAULT_WORKLOAD, type WorkloadSpec } from "../../apps/loyalty/workload.js";
import { parseIntFlag, parseNumberFlag } from "./options.js";

/** Adds the flags that define a loyalty workload (the generator and the sink must agree on them). */
export function workloadFlags(cmd: Command): Command {
  return cmd
    .option("--customers <n>", "customers (env TROUPE_CUSTOMERS)", process.env.TROUPE_CUSTOMERS ?? String(DEFAULT_WORKLOAD.customers))
    .option("--loyal-fraction <f>", "fraction of customers that are loyal (env TROUPE_LOYAL_FRACTION)", process.env.TROUPE_LOYAL_FRACTION ?? String(DEFAULT_WORKLOAD.loyalFraction))
    .option("--clicks <n>", "clicks (env TROUPE_CLICKS)", process.env.TROUPE_CLICKS ?? String(DEFAULT_WORKLOAD.clicks))
    .option("--seed <n>", "workload seed (env TROUPE_SEED)", process.env.TROUPE_SEED ?? String(DEFAULT_WORKLOAD.seed));
}

/** Reads the workload flags. */
export function workloadOf(f: Record<string, string>): WorkloadSpec {
  return {
    customers: parseIntFlag(f.customers!, "--customers"),
    loyalFraction: parseNumberFlag(f.loyalFraction!, "--loyal-fraction", 0, 1),
    clicks: parseIntFlag(f.clicks!, "--clicks", 0),
    seed: parseIntFlag(f.seed!, "--seed", 0),
  };
}
