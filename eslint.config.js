// Lint config: typed rules so that a forgotten await (no-floating-promises) fails `npm run verify`.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "bin/**", "eslint.config.js", "test/fixtures/mismatched-*.ts"] },
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
  { files: ["test/**", "bench/**", "apps/**/load-generator.ts", "apps/**/email-sink.ts", "runtime/cli/**"], rules: { "no-console": "off" } },
);
