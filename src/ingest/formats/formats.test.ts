import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJsonLine } from "../file-source.ts";

// A line exactly as the Kaggle snapshot (arxiv-metadata-oai-snapshot.json) writes it.
const kaggleLine = {
  id: "0704.0001",
  submitter: "Pavel Nadolsky",
  authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
  title: "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies",
  comments: "37 pages, 15 figures; published version; code at https://github.com/example/diphox.",
  "journal-ref": "Phys.Rev.D76:013009,2007",
  doi: "10.1103/PhysRevD.76.013009",
  "report-no": "ANL-HEP-PR-07-12",
  categories: "hep-ph",
  license: null,
  abstract:
    "  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders.\n",
  versions: [
    { version: "v1", created: "Mon, 2 Apr 2007 19:18:42 GMT" },
    { version: "v2", created: "Tue, 24 Jul 2007 20:10:27 GMT" },
  ],
  update_date: "2008-11-13",
  authors_parsed: [
    ["Balázs", "C.", ""],
    ["Berger", "E. L.", ""],
    ["Nadolsky", "P. M.", "", "Argonne National Laboratory"],
    ["Yuan", "C. -P.", ""],
  ],
};

test("reads a Kaggle snapshot line: versions, dates, ordered authors with affiliations, links", () => {
  const record = parseJsonLine(kaggleLine);
  assert.equal(record.id, "0704.0001");
  assert.equal(record.title, "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
  assert.equal(record.version, 2);
  assert.equal(record.publishedAt, "2007-04-02T19:18:42.000Z");
  assert.equal(record.updatedAt, "2007-07-24T20:10:27.000Z");
  assert.deepEqual(record.categories, ["hep-ph"]);
  assert.deepEqual(
    record.authors?.map((a) => a.name),
    ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"],
  );
  assert.equal(record.authors?.[2]?.affiliation, "Argonne National Laboratory");
  assert.equal(record.journalRef, "Phys.Rev.D76:013009,2007");
  assert.equal(record.doi, "10.1103/PhysRevD.76.013009");
  assert.equal(record.githubRepo, "https://github.com/example/diphox");
  // 19:18 GMT on 2 April is 15:18 in New York: the paper belongs to that New York day.
  assert.deepEqual(record.feed, { date: "2007-04-02", source: "arxiv" });
});

test("reads old-style ids and TeX accents in flat author lists", () => {
  const record = parseJsonLine({
    ...kaggleLine,
    id: "hep-th/9901001",
    authors: "J. M{\\\"u}ller and A. Bal\\'azs",
    authors_parsed: undefined,
    versions: [{ version: "v1", created: "Fri, 1 Jan 1999 03:00:00 GMT" }],
  });
  assert.equal(record.id, "hep-th/9901001");
  assert.deepEqual(
    record.authors?.map((a) => a.name),
    ["J. Müller", "A. Balázs"],
  );
  assert.equal(record.feed?.date, "1998-12-31");
});

test("reads the listing format of shared/data/arxiv", () => {
  const record = parseJsonLine({
    id: "2503.11731",
    title: "A title",
    abstract: "Project page: https://example.github.io/thing/.",
    authors: ["Xianming Zeng", "Someone Else"],
    categories: ["cs.CV", "cs.RO"],
    comment: null,
    published: "2025-03-18",
  });
  assert.equal(record.publishedAt, "2025-03-18T00:00:00.000Z");
  assert.deepEqual(record.feed, { date: "2025-03-18", source: "arxiv" });
  assert.equal(record.projectPage, "https://example.github.io/thing/");
  assert.deepEqual(record.categories, ["cs.CV", "cs.RO"]);
});

test("names the field that is wrong", () => {
  assert.throws(() => parseJsonLine({ ...kaggleLine, id: "not-an-id" }), /id "not-an-id" is not an arXiv id/);
  assert.throws(() => parseJsonLine({ ...kaggleLine, title: "  " }), /title is empty/);
  assert.throws(
    () => parseJsonLine({ ...kaggleLine, versions: [{ version: "one", created: "x" }] }),
    /versions\[0\]\.version "one"/,
  );
  assert.throws(
    () => parseJsonLine({ id: "2503.11731", published: "2025-02-30", categories: [] }),
    /published "2025-02-30"/,
  );
  assert.throws(() => parseJsonLine({ hello: "world" }), /unknown format/);
  assert.throws(() => parseJsonLine([1, 2]), /not a JSON object/);
});
