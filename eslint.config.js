// Lint config: typed rules so that a forgotten await (no-floating-promises) fails `npm run verify`.
// Import cycles are checked across files by dependency-cruiser (.dependency-cruiser.cjs), also run by `npm run lint`.
import tseslint from "typescript-eslint";

export default tseslint.config(
  // The dashboard page's script is browser JavaScript served as it is (runtime/observability/dashboard/static), not part of the TS project.
  { ignores: ["dist/**", "node_modules/**", "bin/**", "eslint.config.js", "test/fixtures/mismatched-*.ts", "runtime/wire/generated/**", "runtime/observability/dashboard/static/**"] },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-console": "error",
    },
  },
  {
    // The runtime never imports apps/: apps register in apps/index.ts, and bin/troupe.js hands that registry to the CLI.
    files: ["runtime/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/apps", "**/apps/**"], message: "runtime/ must not import apps/: take what you need as a parameter (see AppRegistry in runtime/cli/app-loader.ts)." }] },
      ],
      // no-restricted-imports does not see import(): the same rule for dynamic imports.
      "no-restricted-syntax": ["error", { selector: "ImportExpression[source.value=/(^|\\/)apps(\\/|$)/]", message: "runtime/ must not import apps/, dynamically either." }],
    },
  },
  { files: ["test/**", "bench/**"], rules: { "no-console": "off" } },
);
