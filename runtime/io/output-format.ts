import type { Decoder } from "../builder/specs.js";

/** How a printed output looks: `text` (UTF-8), `json` (one JSON value per line), `base64` (raw bytes). */
export type OutputFormat = "text" | "json" | "base64";
/** The formats `--sink NAME=stdout:FORMAT` and `troupe tail --format` take. */
export const OUTPUT_FORMATS = ["text", "json", "base64"] as const satisfies readonly OutputFormat[];

/**
 * Turns an output frame into one printable line. `json` prints what the sink's decoder makes of the
 * frame (an app's `tcpSink(..., { decode })`); without one, the frame must be JSON text already, and a
 * frame that is neither is printed as `{"base64": ...}` so a line is never lost or broken.
 */
export function outputFormatter(format: OutputFormat, decode?: Decoder<unknown>): (payload: Uint8Array) => string {
  switch (format) {
    case "base64":
      return (p) => Buffer.from(p).toString("base64");
    case "text":
      // One output per line: a newline inside the text would read as two outputs.
      return (p) => Buffer.from(p).toString("utf8").replace(/\r?\n/g, "\\n");
    case "json":
      return (p) => {
        try {
          return JSON.stringify(decode ? decode(p) : JSON.parse(Buffer.from(p).toString("utf8")), bigintAsString);
        } catch {
          return JSON.stringify({ base64: Buffer.from(p).toString("base64") });
        }
      };
  }
}

// protobufjs decodes int64 as Long or bigint; JSON has no 64-bit integers, so they print as strings.
function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
