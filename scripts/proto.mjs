#!/usr/bin/env node
// Generates the static protobuf code and types for every proto/*.proto into runtime/wire/generated/
// (`npm run proto`), or into the folder given as the first argument: test/unit/wire/generated.test.ts
// generates into a temporary folder and fails when the committed files differ (stale).
//
// For proto/NAME.proto it writes two TypeScript modules, so that plain `tsc` builds them into dist/:
//   NAME.ts        pbjs's static code (JavaScript, not type-checked), exporting each top-level package
//                  typed as in NAME-types.ts; it reads 64-bit integers as numbers (../static-codec.ts).
//   NAME-types.ts  pbts's declarations of it: `I<Message>` property interfaces and message classes.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cli from "protobufjs-cli";

const repo = resolve(fileURLToPath(import.meta.url), "../..");
const protoDir = join(repo, "proto");
const outDir = resolve(process.argv[2] ?? join(repo, "runtime/wire/generated"));
const cliVersion = JSON.parse(readFileSync(join(repo, "node_modules/protobufjs-cli/package.json"), "utf8")).version;

// Static code for encode and decode only (no verify/toObject/fromObject: the codecs do not use them);
// `--alt-comment` keeps the .proto's `//` comments as docs; 64-bit integers typed as numbers.
const PBJS_FLAGS = ["-t", "static", "--force-number", "--alt-comment", "--no-create", "--no-verify", "--no-convert", "--no-delimited", "--no-typeurl", "--no-service"];

/** Runs a protobufjs-cli command (pbjs or pbts) and resolves with its output. */
function run(command, args) {
  return new Promise((done, fail) => command.main(args, (err, output) => (err ? fail(err) : done(output))));
}

async function generate(file, scratch) {
  const name = file.replace(/\.proto$/, "");
  const source = relative(repo, join(protoDir, file));
  const code = await run(cli.pbjs, [...PBJS_FLAGS, "-r", `troupe-${name}`, join(protoDir, file)]);
  const packages = [...code.matchAll(/^\$root\.(\w+) = \(function\(\) \{$/gm)].map((m) => m[1]);
  if (packages.length === 0) throw new Error(`${source}: no top-level package in pbjs's output`);
  const js = join(scratch, `${name}.js`);
  writeFileSync(js, code);
  const dts = await run(cli.pbts, [js]);
  const header = 'import * as $protobuf from "protobufjs";\nimport Long = require("long");\n';
  if (!dts.startsWith(header)) throw new Error(`${source}: unexpected pbts output header: ${dts.slice(0, 120)}`);
  const stamp = `// Generated from ${source} by scripts/proto.mjs (npm run proto) with protobufjs-cli ${cliVersion}; do not edit.`;

  const types = [
    stamp,
    "// pbts's declarations of the static code in ./" + name + ".ts (64-bit integers are numbers there).",
    "/* eslint-disable */",
    'import type * as $protobuf from "protobufjs";',
    dts.slice(header.length).replace(/^export namespace /gm, "export declare namespace ").trimEnd(),
    "",
  ].join("\n");

  const module = [
    stamp,
    "// pbjs's static code: JavaScript, so not type-checked; its types are pbts's, in ./" + name + "-types.ts.",
    "// @ts-nocheck",
    "/* eslint-disable */",
    'import { staticProtobuf as $protobuf } from "../static-codec.js";',
    `import type * as types from "./${name}-types.js";`,
    "",
    code.trimEnd(),
    "",
    ...packages.flatMap((p) => ["", `/** Package \`${p}\` of ${source}: a class per message, with static \`encode\` and \`decode\`. */`, `export const ${p} = $root.${p} as typeof types.${p};`]),
    "",
  ].join("\n");

  writeFileSync(join(outDir, `${name}-types.ts`), types);
  writeFileSync(join(outDir, `${name}.ts`), module);
}

mkdirSync(outDir, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), "troupe-proto-"));
try {
  const files = readdirSync(protoDir).filter((f) => f.endsWith(".proto")).sort();
  await Promise.all(files.map((f) => generate(f, scratch)));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
