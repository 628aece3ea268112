/**
 * Responses in the formats arXiv documents: OAI-PMH 2.0 ListRecords with metadataPrefix=arXiv
 * (https://info.arxiv.org/help/oa/index.html) and the arXiv API's Atom feed
 * (https://info.arxiv.org/help/api/user-manual.html).
 */
import type { FixtureReply } from "./arxiv-fixture-server.ts";

const oaiHead = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2025-01-10T12:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXiv" from="2025-01-01">https://oaipmh.arxiv.org/oai</request>`;

export function oaiListRecords(records: string[], token: { value: string; cursor: number; size: number }): string {
  return `${oaiHead}
<ListRecords>
${records.join("\n")}
<resumptionToken cursor="${token.cursor}" completeListSize="${token.size}">${token.value}</resumptionToken>
</ListRecords>
</OAI-PMH>`;
}

export function oaiError(code: string, message: string): string {
  return `${oaiHead}
<error code="${code}">${message}</error>
</OAI-PMH>`;
}

/** One ListRecords `<record>` around an `<arXiv>` metadata body. */
export function oaiRecord(id: string, datestamp: string, body: string): string {
  return `<record>
<header>
 <identifier>oai:arXiv.org:${id}</identifier>
 <datestamp>${datestamp}</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
${body}
 </arXiv>
</metadata>
</record>`;
}

/** A paper with two versions (created and updated differ), two authors, links in comment and abstract. */
export const multiVersionRecord = oaiRecord(
  "2501.00010",
  "2025-01-05",
  `<id>2501.00010</id><created>2025-01-01</created><updated>2025-01-05</updated>
<authors>
 <author><keyname>Sch\\"olkopf</keyname><forenames>Bernhard</forenames><affiliation>MPI for Intelligent Systems</affiliation></author>
 <author><keyname>Doe</keyname><forenames>Jane A.</forenames></author>
</authors>
<title>Scaling Laws for
  Retrieval-Augmented Models</title>
<categories>cs.LG cs.AI cs.CL</categories>
<comments>12 pages; code at https://github.com/example/rag-scaling</comments>
<license>http://creativecommons.org/licenses/by/4.0/</license>
<abstract>  We study how retrieval-augmented models scale &amp; find power laws.
Project page: https://rag-scaling.example.org/ .
</abstract>`,
);

/** An old-style id, with suffix, journal-ref and DOI. */
export const oldStyleRecord = oaiRecord(
  "hep-th/9901001",
  "2025-01-02",
  `<id>hep-th/9901001</id><created>1999-01-04</created>
<authors>
 <author><keyname>Witten</keyname><forenames>Edward</forenames><suffix>Jr</suffix><affiliation>IAS</affiliation><affiliation>Princeton</affiliation></author>
</authors>
<title>A Note on Branes</title>
<categories>hep-th</categories>
<journal-ref>Nucl.Phys. B550 (1999) 1-20</journal-ref>
<doi>10.1016/S0550-3213(99)00001-1</doi>
<license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>
<abstract>We note something about branes.</abstract>`,
);

export const plainRecord = (id: string, title: string) =>
  oaiRecord(
    id,
    "2025-01-03",
    `<id>${id}</id><created>2025-01-02</created>
<authors><author><keyname>Roe</keyname><forenames>Richard</forenames></author></authors>
<title>${title}</title>
<categories>cs.CL</categories>
<abstract>An abstract about ${title.toLowerCase()}.</abstract>`,
  );

/** No <title>: must be reported and skipped. */
export const recordWithoutTitle = oaiRecord(
  "2501.00012",
  "2025-01-03",
  `<id>2501.00012</id><created>2025-01-02</created>
<authors><author><keyname>Poe</keyname><forenames>Edgar</forenames></author></authors>
<categories>cs.CL</categories>
<abstract>A paper that lost its title.</abstract>`,
);

export const deletedRecord = `<record><header status="deleted"><identifier>oai:arXiv.org:2501.00099</identifier><datestamp>2025-01-04</datestamp></header></record>`;

/**
 * A three-page harvest: page 1 (no token), page 2 (token `6960524|2`), page 3 (token
 * `6960524|4`, ending with an empty resumptionToken). Five records, one malformed, one deleted.
 */
export const oaiHarvest = new Map<string | null, string>([
  [null, oaiListRecords([multiVersionRecord, oldStyleRecord], { value: "6960524|2", cursor: 0, size: 6 })],
  [
    "6960524|2",
    oaiListRecords([plainRecord("2501.00011", "Tokenizers Considered Harmful"), recordWithoutTitle], {
      value: "6960524|4",
      cursor: 2,
      size: 6,
    }),
  ],
  [
    "6960524|4",
    oaiListRecords([plainRecord("2501.00013", "Sparse Attention Revisited"), deletedRecord], {
      value: "",
      cursor: 4,
      size: 6,
    }),
  ],
]);

export interface OaiFaults {
  /** Answer 503 with this Retry-After the first time this page (token, or null for the first) is asked for. */
  busyOnce?: { page: string | null; retryAfter: string };
  /** Drop the connection the first time this page is asked for, as a crash of the harvest would look. */
  failOnce?: string | null;
  /** Send the headers and half the page, then nothing more, the first time this page is asked for. */
  stallOnce?: string | null;
}

/** Serves `pages` as an OAI-PMH endpoint at /oai, with OAI errors for bad requests. */
export function oaiResponder(pages: Map<string | null, string>, faults: OaiFaults = {}) {
  return (url: URL, earlier: number): FixtureReply => {
    if (url.pathname !== "/oai") return { status: 404, body: "not found" };
    const params = url.searchParams;
    if (params.get("verb") !== "ListRecords") return { body: oaiError("badVerb", "Illegal verb") };
    const token = params.get("resumptionToken");
    if (token === null && params.get("metadataPrefix") !== "arXiv")
      return { body: oaiError("cannotDisseminateFormat", "metadataPrefix must be arXiv") };
    if (token === null && params.get("set") === "nonsense")
      return { body: oaiError("badArgument", "Invalid set: nonsense") };
    if (token === null && params.get("from") === "2030-01-01")
      return { body: oaiError("noRecordsMatch", "No records match the request") };
    const page = pages.get(token);
    if (page === undefined) return { body: oaiError("badResumptionToken", "Resumption token expired or invalid") };
    if (earlier === 0 && faults.busyOnce !== undefined && faults.busyOnce.page === token)
      return { status: 503, headers: { "retry-after": faults.busyOnce.retryAfter }, body: "Retry later" };
    if (earlier === 0 && faults.failOnce !== undefined && faults.failOnce === token) return { hangUp: true };
    if (earlier === 0 && faults.stallOnce !== undefined && faults.stallOnce === token)
      return { body: page, stall: true };
    return { body: page };
  };
}

export function atomEntry(options: {
  id: string;
  published: string;
  updated: string;
  title: string;
  authors?: { name: string; affiliation?: string }[];
  primary?: string;
  categories?: string[];
  extra?: string;
}): string {
  const primary = options.primary ?? "cs.CL";
  return `<entry>
    <id>http://arxiv.org/abs/${options.id}</id>
    <updated>${options.updated}</updated>
    <published>${options.published}</published>
    <title>${options.title}</title>
    <summary>  An abstract for ${options.title}.
    </summary>
${(options.authors ?? [{ name: "Ada Lovelace" }])
  .map(
    ({ name, affiliation }) =>
      `    <author>\n      <name>${name}</name>${affiliation ? `\n      <arxiv:affiliation xmlns:arxiv="http://arxiv.org/schemas/atom">${affiliation}</arxiv:affiliation>` : ""}\n    </author>`,
  )
  .join("\n")}
${options.extra ?? ""}
    <link href="http://arxiv.org/abs/${options.id}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${options.id}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${primary}" scheme="http://arxiv.org/schemas/atom"/>
${(options.categories ?? [primary]).map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join("\n")}
  </entry>`;
}

export function atomFeed(entries: string[], totalResults: number, start: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3Dcat%3Acs.CL" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=cat:cs.CL</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2025-01-10T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${totalResults}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries.length}</opensearch:itemsPerPage>
${entries.join("\n")}
</feed>`;
}

/** The API's answer to a malformed query: a feed with one entry under /api/errors. */
export const atomErrorFeed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=1234.12345v9</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v9</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345v9</summary>
    <updated>2025-01-10T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v9" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>`;

/** Three results: a two-version paper with affiliations and arxiv: extensions, an old-style id, and a plain one. */
export const atomResults = [
  atomEntry({
    id: "2501.00010v2",
    published: "2025-01-01T18:30:00Z",
    updated: "2025-01-05T09:00:00Z",
    title: "Scaling Laws for\n      Retrieval-Augmented Models",
    authors: [{ name: "Bernhard Schölkopf", affiliation: "MPI for Intelligent Systems" }, { name: "Jane A. Doe" }],
    primary: "cs.LG",
    categories: ["cs.AI", "cs.LG", "cs.CL"],
    extra: `    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages; code at https://github.com/example/rag-scaling</arxiv:comment>
    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Proc. RAG 2025</arxiv:journal_ref>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.1234/rag.2025.1</arxiv:doi>
    <link title="doi" href="http://dx.doi.org/10.1234/rag.2025.1" rel="related"/>`,
  }),
  atomEntry({
    id: "hep-th/9901001v1",
    published: "1999-01-04T15:00:00Z",
    updated: "1999-01-04T15:00:00Z",
    title: "A Note on Branes",
    authors: [{ name: "Edward Witten" }],
    primary: "hep-th",
  }),
  atomEntry({
    id: "2501.00011v1",
    published: "2025-01-02T20:00:00Z",
    updated: "2025-01-02T20:00:00Z",
    title: "Tokenizers Considered Harmful",
  }),
];

/** Serves `entries` as the arXiv API at /api/query, honouring start and max_results. */
export function atomResponder(entries: string[]) {
  return (url: URL): FixtureReply => {
    if (url.pathname !== "/api/query") return { status: 404, body: "not found" };
    if (url.searchParams.get("search_query") === "bad") return { body: atomErrorFeed };
    const ids = url.searchParams.get("id_list");
    if (ids) {
      const wanted = entries.filter((e) => ids.split(",").some((id) => e.includes(`<id>http://arxiv.org/abs/${id}v`)));
      return { body: atomFeed(wanted, wanted.length, 0) };
    }
    const start = Number(url.searchParams.get("start") ?? 0);
    const max = Number(url.searchParams.get("max_results") ?? 10);
    return { body: atomFeed(entries.slice(start, start + max), entries.length, start) };
  };
}
