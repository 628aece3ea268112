/** Feed days are America/New_York calendar days, as on huggingface.co/papers. */
const newYorkDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/New_York",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The America/New_York day (YYYY-MM-DD) an instant falls on. */
export function newYorkDate(instant: Date | string): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: ${String(instant)}`);
  return newYorkDay.format(date);
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD (rejects 2025-02-30). */
export function isCalendarDay(text: string): boolean {
  const m = dayPattern.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}
