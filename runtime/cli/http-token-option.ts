import type { Option } from "commander";
import { flag } from "./options.js";

/** `--http-token <token>` (env TROUPE_HTTP_TOKEN): the bearer token a node's HTTP endpoints require, and `troupe status` sends. */
export function httpTokenFlag(description = "require Authorization: Bearer <token> on every HTTP endpoint but /healthz and /readyz"): Option {
  return flag("--http-token <token>", description, (value) => value.trim()).env("TROUPE_HTTP_TOKEN");
}
