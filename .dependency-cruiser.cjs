// Dependency rules, run by `npm run lint`: the house reads top to bottom (issue 14, item 4).
// Type-only imports count too (tsPreCompilationDeps): a module that needs only another's shape should
// depend on a small interface of its own, not on the class that imports it back.

// Cycles allowed for now, each exactly (the set of modules in the cycle must match): all three close
// through a type-only import inside runtime/node, which is being split (issue 14, item 1). Delete an
// entry once its cycle is gone, so that it cannot come back unnoticed.
const KNOWN_CYCLES = [
  // NodeMetrics reads the `Node` class it is built by; it should read a small status interface instead.
  ["runtime/node/node.ts", "runtime/node/node-metrics.ts"],
  // clusterInfo(node) reads the `Node` class that calls it; same remedy as node-metrics.
  ["runtime/node/node.ts", "runtime/node/cluster-info.ts"],
  // AppRuntime takes Ingress's `Origin` type while Ingress takes `AppRuntime`: Origin belongs in a module both import.
  ["runtime/node/app-runtime.ts", "runtime/node/ingress.ts"],
];

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
