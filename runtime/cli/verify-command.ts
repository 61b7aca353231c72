import type { Command } from "commander";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import type { StateMode } from "../types.js";
import { natsServerVersion } from "../testing/nats-server.js";
import { pickScenarios } from "../testing/verify/scenarios.js";
import { reference, runScenario, type VerifyRun } from "../testing/verify/run.js";
import { loadAppModule, type AppRegistry } from "./app-loader.js";
import { flag, parseChoice, parseIntFlag, repeatableFlag, splitList, STATE_MODES } from "./options.js";

interface VerifyFlags {
  readonly app: string;
  readonly state: StateMode;
  readonly nodes: number;
  readonly seed?: readonly number[];
  readonly scenarios?: readonly string[];
  readonly rate: number;
  readonly json?: boolean;
}

/** `troupe verify`: the app on a local cluster of real processes under seeded faults, outputs compared with a fault-free reference run. */
export function registerVerifyCommand(program: Command, apps: AppRegistry): void {
  program
    .command("verify")
    .description("run an app on a local cluster (nats-server + node processes) under scripted faults and check the README's promises for its state mode")
    .requiredOption("--app <name|path>", "app by registered name or module path; the module may export workload(seed)")
    .addOption(flag("--state <mode>", "memory | snapshot | durable", parseChoice(STATE_MODES)).default("durable"))
    .addOption(flag("--nodes <n>", "node processes", (v, what) => parseIntFlag(v, what, 2, 9)).default(3))
    .addOption(repeatableFlag<number[]>("--seed <n>", "seed of a run (repeatable; default 1, 2, 3)", (items, what, previous = []) => [...previous, ...items.map((s) => parseIntFlag(s, what, 0))]))
    .addOption(flag("--scenarios <list>", "comma-separated scenarios (default: every one that applies to the state mode)", splitList))
    .addOption(flag("--rate <n>", "frames per second while the last phase is sent", (v, what) => parseIntFlag(v, what, 100)).default(3000))
    .option("--json", "end with one line of JSON: {ok, app, state, runs: [...]}")
    .action(async (flags: VerifyFlags) => {
      const { state, nodes, rate } = flags;
      const seeds = flags.seed?.length ? flags.seed : [1, 2, 3];
      let scenarios;
      try {
        scenarios = pickScenarios(flags.scenarios, state);
      } catch (err) {
        throw new ConfigError(`--scenarios: ${(err as Error).message}`);
      }
      try {
        natsServerVersion();
      } catch (err) {
        throw new ConfigError(`troupe verify starts its own nats-server: ${(err as Error).message}`);
      }
      const mod = await loadAppModule(flags.app, apps);
      if (!mod.workload) {
        throw new ConfigError(`app "${flags.app}" exports no workload(seed): add \`export function workload(seed: number)\` returning phases of { source, payload } frames (see README "Verify your app")`);
      }
      // Node processes load the app themselves: a module path must not depend on their working directory.
      const appRef = flags.app.includes("/") || flags.app.endsWith(".js") ? resolve(flags.app) : flags.app;
      const progress = (line: string) => process.stderr.write(`[verify] ${line}\n`);
      const runs: VerifyRun[] = [];
      for (const seed of seeds) {
        const workload = mod.workload(seed);
        progress(`seed ${seed}: reference run on one embedded node (${workload.reduce((a, p) => a + p.length, 0)} frames in ${workload.length} phases)`);
        const expected = await reference(mod.app, workload);
        for (const scenario of scenarios) {
          progress(`${scenario.name} seed ${seed}: ${scenario.description} (${state} mode, ${nodes} nodes)`);
          const run = await runScenario({ appRef, app: mod.app, workload, reference: expected, state, nodes, seed, scenario, rate, progress });
          runs.push(run);
          progress(`${scenario.name} seed ${seed}: ${run.ok ? "held" : `BROKEN: ${run.findings.map((f) => `${f.promise}: ${f.detail}`).join("; ")}`}`);
        }
      }
      const ok = runs.every((r) => r.ok);
      printTable(runs, mod.app.name, state);
      if (flags.json) process.stdout.write(JSON.stringify({ ok, app: mod.app.name, state, runs }) + "\n");
      process.exitCode = ok ? 0 : 1;
    });
}

function printTable(runs: readonly VerifyRun[], app: string, state: string): void {
  const head = ["scenario", "seed", "result", "inputs", "accepted", "expected", "outputs", "lost", "dup", "unexp", "reord", "recovery"];
  const rows = runs.map((r) => [r.scenario, String(r.seed), r.ok ? "held" : "BROKEN", ...[r.inputs, r.accepted, r.expected, r.outputs, r.lost, r.duplicated, r.unexpected, r.reordered].map(String), r.recoveryMs === null ? "-" : `${r.recoveryMs} ms`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [`troupe verify: app ${app}, ${state} mode`, line(head), ...rows.map(line)];
  for (const r of runs) for (const f of r.findings) out.push(`  ${r.scenario} seed ${r.seed}: breaks "${f.promise}": ${f.detail}`);
  out.push(runs.every((r) => r.ok) ? `every promise held (${runs.length} runs)` : `${runs.filter((r) => !r.ok).length} of ${runs.length} runs broke a promise`);
  process.stdout.write(out.join("\n") + "\n");
}
