import { describe, expect, it } from "vitest";
import ts from "typescript";
import { resolve } from "node:path";

// Type flow is the builder's promise: compile fixtures with the project's compiler options.
function diagnostics(file: string): ts.Diagnostic[] {
  const configPath = resolve("tsconfig.json");
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, resolve("."));
  const program = ts.createProgram([resolve(file)], { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.endsWith(file.split("/").pop()!));
}

function lineOf(d: ts.Diagnostic): string {
  const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
  return d.file!.text.split("\n")[line]!;
}

describe("builder types", () => {
  it("a pipeline whose step input matches the decoder output compiles", () => {
    expect(diagnostics("test/fixtures/matched-step.ts").map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  });

  it("a step whose input type does not match the previous output does not compile", () => {
    const ds = diagnostics("test/fixtures/mismatched-step.ts");
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.some((d) => lineOf(d).includes("MISMATCH"))).toBe(true);
  });

  it("a sink whose encoder does not take the last step's output does not compile", () => {
    const ds = diagnostics("test/fixtures/mismatched-sink.ts");
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => lineOf(d).includes("MISMATCH"))).toBe(true);
  });
});
