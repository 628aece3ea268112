import { isCalendarDay } from "./new-york.ts";

/** A span of feed days, both ends inclusive, YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

function dayToUtc(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function utcToDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The instant a calendar day stands for where a full timestamp is needed (feed dates): its noon
 * UTC, which falls on that same day in every time zone from UTC−11 to UTC+11.
 */
export function noonUtc(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

/** The calendar day `days` after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  return utcToDay(dayToUtc(day) + days * DAY_MS);
}

/** Monday of ISO week 1: the week that holds the year's first Thursday. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - weekday * DAY_MS;
}

/** The ISO week (YYYY-Www) a day belongs to; its year can differ from the day's near New Year. */
export function isoWeekOf(day: string): string {
  const ms = dayToUtc(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const thursday = ms + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

const weekPattern = /^(\d{4})-W(\d{2})$/;

/** Monday to Sunday of an ISO week written YYYY-Www; null when it is malformed or the year has no such week. */
export function parseIsoWeek(text: string): DayRange | null {
  const m = weekPattern.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1) return null;
  const monday = isoWeekOneMonday(year) + (week - 1) * 7 * DAY_MS;
  const from = utcToDay(monday);
  if (isoWeekOf(from) !== text) return null;
  return { from, to: addDays(from, 6) };
}

/** The month (YYYY-MM) a day falls in. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

const monthPattern = /^(\d{4})-(\d{2})$/;

/** First and last day of a month written YYYY-MM; null when it is malformed. */
export function parseMonth(text: string): DayRange | null {
  const m = monthPattern.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  const from = `${text}-01`;
  const to = utcToDay(Date.UTC(year, month, 1) - DAY_MS);
  return { from, to };
}

/** A single day as a range; null unless it is a real calendar day. */
export function parseDay(text: string): DayRange | null {
  return isCalendarDay(text) ? { from: text, to: text } : null;
}
