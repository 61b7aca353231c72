// Dependency rules, run by `npm run lint`: the house reads top to bottom (issue 14, item 4).
// Type-only imports count too (tsPreCompilationDeps): a module that needs only another's shape should
// depend on a small interface of its own, not on the class that imports it back.

// Cycles allowed, each exactly (the set of modules in the cycle must match). None today: add an
// entry only with the reason and the remedy, and delete it once the cycle is gone.
const KNOWN_CYCLES = [];

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: move the shared part (a type, an interface, a helper) into a module both can import.",
      from: {},
      to: { circular: true },
    },
    {
      name: "runtime-not-to-apps",
      severity: "error",
      comment: "The runtime never imports apps/: apps register themselves in apps/index.ts and bin/troupe.js hands that registry to the CLI.",
      from: { path: "^runtime/" },
      to: { path: "^apps/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
    knownViolations: KNOWN_CYCLES.map((modules) => ({
      type: "cycle",
      from: modules[0],
      to: modules[1],
      rule: { name: "no-circular", severity: "error" },
      cycle: modules.map((name) => ({ name, dependencyTypes: [] })),
    })),
  },
};
