import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { atomEntry, atomErrorFeed, atomFeed, atomResults } from "../../../test/support/arxiv-fixtures.ts";
import { ArxivApiError, parseAtomPage } from "./arxiv-atom.ts";

describe("arXiv API Atom page", () => {
  test("reads id and version, dates, authors with affiliations, categories primary first, arxiv: fields", () => {
    const page = parseAtomPage(atomFeed(atomResults.slice(0, 1), 3, 0));
    assert.equal(page.totalResults, 3);
    assert.deepEqual(page.entries, [
      {
        entryId: "http://arxiv.org/abs/2501.00010v2",
        record: {
          id: "2501.00010",
          title: "Scaling Laws for Retrieval-Augmented Models",
          abstract: "An abstract for Scaling Laws for Retrieval-Augmented Models.",
          authors: [
            { name: "Bernhard Schölkopf", affiliation: "MPI for Intelligent Systems" },
            { name: "Jane A. Doe" },
          ],
          categories: ["cs.LG", "cs.AI", "cs.CL"],
          version: 2,
          versions: [
            { version: 1, created: "2025-01-01T18:30:00.000Z" },
            { version: 2, created: "2025-01-05T09:00:00.000Z" },
          ],
          comment: "12 pages; code at https://github.com/example/rag-scaling",
          journalRef: "Proc. RAG 2025",
          doi: "10.1234/rag.2025.1",
          publishedAt: "2025-01-01T18:30:00.000Z",
          updatedAt: "2025-01-05T09:00:00.000Z",
          githubRepo: "https://github.com/example/rag-scaling",
          feed: { date: "2025-01-01", source: "arxiv" },
        },
      },
    ]);
  });

  test("reads old-style ids and puts the feed on the New York day", () => {
    const late = atomEntry({
      id: "2501.00020v1",
      published: "2025-01-03T02:00:00Z",
      updated: "2025-01-03T02:00:00Z",
      title: "Late Night",
    });
    const entries = parseAtomPage(atomFeed([atomResults[1] ?? "", late], 2, 0)).entries;
    assert.ok(entries[0] && "record" in entries[0] && entries[1] && "record" in entries[1]);
    assert.equal(entries[0].record.id, "hep-th/9901001");
    assert.equal(entries[0].record.version, 1);
    assert.deepEqual(entries[1].record.feed, { date: "2025-01-02", source: "arxiv" });
  });

  test("a malformed entry is reported by its id, the others are read", () => {
    const broken = atomEntry({
      id: "2501.00030v1",
      published: "yesterday",
      updated: "2025-01-03T02:00:00Z",
      title: "X",
    });
    const entries = parseAtomPage(atomFeed([broken, atomResults[2] ?? ""], 2, 0)).entries;
    assert.deepEqual(entries[0], {
      entryId: "http://arxiv.org/abs/2501.00030v1",
      error: 'published "yesterday" is not a date',
    });
    assert.ok(entries[1] && "record" in entries[1]);
  });

  test("an empty page and the API's error feed", () => {
    assert.deepEqual(parseAtomPage(atomFeed([], 0, 0)), { entries: [], totalResults: 0 });
    assert.throws(
      () => parseAtomPage(atomErrorFeed),
      (error: unknown) => error instanceof ArxivApiError && /incorrect id format for 1234.12345v9/.test(error.message),
    );
    assert.throws(() => parseAtomPage("<OAI-PMH/>"), /not an Atom feed/);
  });
});
