import { RecordError } from "./errors.ts";

/**
 * Normalises the date formats arXiv sources use (RFC 2822 "Mon, 2 Apr 2007 19:18:42 GMT",
 * ISO-8601, bare YYYY-MM-DD) to an ISO-8601 UTC timestamp.
 */
export function toIsoTimestamp(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new RecordError(`${field} is missing`);
  const text = value.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new RecordError(`${field} "${text}" is not a date`);
  return date.toISOString();
}
