import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { arxivLinks } from "../papers/links.ts";
import { mergePaper } from "../papers/paper.ts";
import { bibtex, fileNameFor, highwireDate } from "./citation.ts";

const paper = mergePaper(null, {
  id: "2501.00010",
  title: "On the {Scaling} of Tiny Models}",
  authors: [{ name: "José Núñez" }, { name: "Ada Lovelace" }],
  categories: ["cs.CL", "cs.LG"],
  publishedAt: "2025-01-02T18:00:00.000Z",
  doi: "10.1000/xyz",
});

describe("citations", () => {
  it("writes a BibTeX entry with balanced braces", () => {
    assert.equal(
      bibtex(paper),
      [
        "@misc{nunez2025scaling,",
        "  title = {On the {Scaling} of Tiny Models},",
        "  author = {José Núñez and Ada Lovelace},",
        "  year = {2025},",
        "  eprint = {2501.00010},",
        "  archivePrefix = {arXiv},",
        "  primaryClass = {cs.CL},",
        "  doi = {10.1000/xyz},",
        "  url = {https://arxiv.org/abs/2501.00010}",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("links old-style ids to arXiv without an HTML version", () => {
    assert.deepEqual(arxivLinks({ id: "hep-th/9901001" }), {
      abstract: "https://arxiv.org/abs/hep-th/9901001",
      pdf: "https://arxiv.org/pdf/hep-th/9901001",
      html: null,
    });
    assert.equal(fileNameFor({ id: "hep-th/9901001" }, "bib"), "hep-th_9901001.bib");
    assert.equal(highwireDate("2025-01-02T18:00:00.000Z"), "2025/01/02");
  });
});
