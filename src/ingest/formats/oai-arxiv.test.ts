import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  deletedRecord,
  multiVersionRecord,
  oaiError,
  oaiHarvest,
  oaiListRecords,
  oldStyleRecord,
  recordWithoutTitle,
} from "../../../test/support/arxiv-fixtures.ts";
import { OaiProtocolError, parseOaiPage } from "./oai-arxiv.ts";

const lastPage = { value: "", cursor: 0, size: 1 };

describe("OAI-PMH ListRecords page (metadataPrefix=arXiv)", () => {
  test("reads every field of the arXiv metadata format", () => {
    const page = parseOaiPage(oaiListRecords([multiVersionRecord], lastPage));
    assert.equal(page.resumptionToken, null);
    assert.deepEqual(page.entries, [
      {
        identifier: "oai:arXiv.org:2501.00010",
        record: {
          id: "2501.00010",
          title: "Scaling Laws for Retrieval-Augmented Models",
          abstract:
            "We study how retrieval-augmented models scale & find power laws. Project page: https://rag-scaling.example.org/ .",
          authors: [
            { name: "Bernhard Schölkopf", affiliation: "MPI for Intelligent Systems" },
            { name: "Jane A. Doe" },
          ],
          categories: ["cs.LG", "cs.AI", "cs.CL"],
          comment: "12 pages; code at https://github.com/example/rag-scaling",
          journalRef: null,
          doi: null,
          license: "http://creativecommons.org/licenses/by/4.0/",
          publishedAt: "2025-01-01T00:00:00.000Z",
          updatedAt: "2025-01-05T00:00:00.000Z",
          githubRepo: "https://github.com/example/rag-scaling",
          projectPage: "https://rag-scaling.example.org/",
          feed: { date: "2025-01-01", source: "arxiv" },
        },
      },
    ]);
    const record = page.entries[0] && "record" in page.entries[0] ? page.entries[0].record : undefined;
    assert.ok(record && !("version" in record), "the arXiv format names no version, so it stays unknown");
  });

  test("keeps old-style ids, name suffixes, several affiliations, journal-ref and DOI", () => {
    const [entry] = parseOaiPage(oaiListRecords([oldStyleRecord], lastPage)).entries;
    assert.ok(entry && "record" in entry);
    assert.equal(entry.record.id, "hep-th/9901001");
    assert.deepEqual(entry.record.authors, [{ name: "Edward Witten Jr", affiliation: "IAS; Princeton" }]);
    assert.equal(entry.record.journalRef, "Nucl.Phys. B550 (1999) 1-20");
    assert.equal(entry.record.doi, "10.1016/S0550-3213(99)00001-1");
    assert.equal(entry.record.updatedAt, undefined);
    assert.deepEqual(entry.record.feed, { date: "1999-01-04", source: "arxiv" });
  });

  test("reports a malformed record with its identifier and leaves deleted records out", () => {
    const page = parseOaiPage(oaiListRecords([recordWithoutTitle, deletedRecord, oldStyleRecord], lastPage));
    assert.deepEqual(page.entries[0], { identifier: "oai:arXiv.org:2501.00012", error: "title is missing" });
    assert.equal(page.entries.length, 2);
  });

  test("reads the resumption token with its cursor and list size", () => {
    const page = parseOaiPage(oaiHarvest.get("6960524|2") ?? "");
    assert.equal(page.resumptionToken, "6960524|4");
    assert.equal(page.cursor, 2);
    assert.equal(page.completeListSize, 6);
    assert.equal(parseOaiPage(oaiHarvest.get("6960524|4") ?? "").resumptionToken, null);
  });

  test("noRecordsMatch is an empty, final page", () => {
    assert.deepEqual(parseOaiPage(oaiError("noRecordsMatch", "No records")), { entries: [], resumptionToken: null });
  });

  test("other OAI errors throw with their code and message", () => {
    assert.throws(
      () => parseOaiPage(oaiError("badArgument", "Invalid set: nonsense")),
      (error: unknown) =>
        error instanceof OaiProtocolError &&
        error.code === "badArgument" &&
        /badArgument: Invalid set: nonsense/.test(error.message),
    );
  });

  test("text that is not an OAI-PMH document is a clear error", () => {
    assert.throws(() => parseOaiPage("<html><body>Gateway timeout</body></html>"), /not an OAI-PMH document/);
    assert.throws(() => parseOaiPage("<OAI-PMH><ListRecords>"), /not well-formed XML/);
  });
});
