import pino from "pino";
import type { Config } from "../config/index.ts";

/** Structured JSON logs on stdout, one line per event. */
export function createLogger(config: Pick<Config, "logLevel">) {
  return pino({ level: config.logLevel, base: { service: "paperboy" } });
}
