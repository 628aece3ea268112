import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addDays, isoWeekOf, monthOf, parseDay, parseIsoWeek, parseMonth } from "./periods.ts";

describe("ISO weeks", () => {
  it("puts New Year days in the week that holds the year's first Thursday", () => {
    assert.equal(isoWeekOf("2021-01-03"), "2020-W53");
    assert.equal(isoWeekOf("2021-01-04"), "2021-W01");
    assert.equal(isoWeekOf("2024-12-30"), "2025-W01");
    assert.equal(isoWeekOf("2026-05-28"), "2026-W22");
  });

  it("turns a week into Monday to Sunday", () => {
    assert.deepEqual(parseIsoWeek("2025-W01"), { from: "2024-12-30", to: "2025-01-05" });
    assert.deepEqual(parseIsoWeek("2020-W53"), { from: "2020-12-28", to: "2021-01-03" });
  });

  it("rejects weeks a year does not have and malformed text", () => {
    for (const text of ["2021-W53", "2025-W00", "2025-W54", "2025-W1", "2025W01", "2025-w01", ""]) {
      assert.equal(parseIsoWeek(text), null, text);
    }
  });

  it("round-trips every week of several years", () => {
    for (let day = "2019-12-30"; day < "2027-01-10"; day = addDays(day, 1)) {
      const range = parseIsoWeek(isoWeekOf(day));
      assert.ok(range && range.from <= day && day <= range.to, day);
    }
  });
});

describe("months and days", () => {
  it("knows month lengths, leap years included", () => {
    assert.deepEqual(parseMonth("2024-02"), { from: "2024-02-01", to: "2024-02-29" });
    assert.deepEqual(parseMonth("2025-02"), { from: "2025-02-01", to: "2025-02-28" });
    assert.deepEqual(parseMonth("2025-12"), { from: "2025-12-01", to: "2025-12-31" });
    assert.equal(monthOf("2025-12-31"), "2025-12");
  });

  it("rejects malformed months and days", () => {
    for (const text of ["2025-13", "2025-00", "2025-1", "25-01", "2025-01-01"]) assert.equal(parseMonth(text), null);
    for (const text of ["2025-02-30", "2025-2-3", "yesterday"]) assert.equal(parseDay(text), null);
    assert.deepEqual(parseDay("2024-02-29"), { from: "2024-02-29", to: "2024-02-29" });
  });

  it("steps across month and year ends", () => {
    assert.equal(addDays("2024-12-31", 1), "2025-01-01");
    assert.equal(addDays("2024-03-01", -1), "2024-02-29");
  });
});
