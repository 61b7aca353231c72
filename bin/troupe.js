#!/usr/bin/env node
// Entry point and composition root: the runtime's CLI (which knows no app) is handed the app registry,
// so `--app loyalty` and the commands apps add (troupe demo, loadgen, email-sink) come from apps/.
// Both live compiled in dist/ (npm run build).
const loaded = Promise.all([import("../dist/runtime/cli/main.js"), import("../dist/apps/index.js")]).catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && /dist\/(runtime\/cli|apps)\//.test(String(err.message))) {
    process.stderr.write("troupe: the CLI is not built yet. Run `npm run build` first.\n");
    process.exit(2);
  }
  throw err;
});
const [{ runCli }, { REGISTERED_APPS }] = await loaded;
await runCli(process.argv, { apps: REGISTERED_APPS });
