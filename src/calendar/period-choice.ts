import { type DayRange, parseDay, parseIsoWeek, parseMonth } from "./periods.ts";

export interface PeriodChoice {
  date?: string;
  week?: string;
  month?: string;
}

/** Every feed day there is: what "no period" means for the whole-archive feed. */
export const wholeArchive: DayRange = { from: "0000-01-01", to: "9999-12-31" };

/**
 * The feed days a `date`, `week` (YYYY-Www) or `month` (YYYY-MM) choice covers; null when none
 * is given. Throws a PeriodError naming the problem when a value is malformed or several are given.
 */
export function chosenPeriod(choice: PeriodChoice): DayRange | null {
  const given = (["date", "week", "month"] as const).filter((key) => choice[key] !== undefined);
  if (given.length > 1) throw new PeriodError(`give only one of date, week and month (got ${given.join(", ")})`);
  if (choice.date !== undefined) {
    return parseDay(choice.date) ?? fail(`date "${choice.date}" is not a calendar day written YYYY-MM-DD`);
  }
  if (choice.week !== undefined) {
    return parseIsoWeek(choice.week) ?? fail(`week "${choice.week}" is not an ISO week written YYYY-Www`);
  }
  if (choice.month !== undefined) {
    return parseMonth(choice.month) ?? fail(`month "${choice.month}" is not a month written YYYY-MM`);
  }
  return null;
}

export class PeriodError extends Error {
  override name = "PeriodError";
}

function fail(message: string): never {
  throw new PeriodError(message);
}
