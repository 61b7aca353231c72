#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (npm run build).
import("../dist/runtime/cli/main.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist/runtime/cli")) {
    process.stderr.write("troupe: the CLI is not built yet. Run `npm run build` first.\n");
    process.exit(2);
  }
  throw err;
});
