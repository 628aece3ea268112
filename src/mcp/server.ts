import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "pino";
import { z } from "zod";
import { chosenPeriod, PeriodError, wholeArchive } from "../calendar/period-choice.ts";
import { canSeeCollection } from "../community/index.ts";
import { searchText } from "../http/params.ts";
import { parseArxivId } from "../papers/arxiv-id.ts";
import { paperPath } from "../papers/links.ts";
import { paperMarkdown } from "../papers/markdown.ts";
import type { Paper } from "../papers/paper.ts";
import { similarPapers } from "../search/index.ts";
import type { QueryEmbedder } from "../search/query-embedder.ts";
import { searchPapers } from "../search/search-papers.ts";
import type { Store } from "../store/index.ts";

/** What an assistant needs to pick papers from a list; the full text comes from get_paper. */
function summary(paper: Paper, baseUrl: string) {
  return {
    id: paper.id,
    title: paper.title,
    authors: paper.authors.slice(0, 10).map((a) => a.name),
    publishedAt: paper.publishedAt,
    upvotes: paper.upvotes,
    url: `${baseUrl}${paperPath(paper.id)}`,
  };
}

const text = (value: unknown) => ({ content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }] });
const failure = (message: string) => ({ content: [{ type: "text" as const, text: message }], isError: true });

const limit = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`How many papers, 1 to ${max}.`);

export interface McpContext {
  store: Store;
  /** Public origin for the papers' URLs. */
  baseUrl: string;
  /** Turns search queries into vectors with the configured model. */
  embedder: QueryEmbedder;
  logger: Logger;
}

/** Paperboy for assistants: search, read and browse papers over the Model Context Protocol. */
export function createMcpServer({ store, baseUrl, embedder, logger }: McpContext): McpServer {
  const server = new McpServer({ name: "paperboy", version: "0.1.0" });

  /**
   * A tool whose work failed on our side answers a plain "failed" and logs the cause: error
   * messages can name internal URLs (a database, an embeddings server) and quote upstream bodies.
   */
  const guarded =
    <A extends unknown[]>(tool: string, handler: (...args: A) => Promise<CallToolResult>) =>
    async (...args: A): Promise<CallToolResult> => {
      try {
        return await handler(...args);
      } catch (error) {
        logger.error({ err: error, tool }, "MCP tool failed");
        return failure(`${tool} failed on the server; please try again later.`);
      }
    };

  server.registerTool(
    "search_papers",
    {
      description:
        'Search arXiv papers by topic, title words or author, or ask in plain English ("Are there papers on compressing language models with knowledge distillation?"): a question\'s request for papers is ignored and its topic ranked by words and meaning. Supports "phrases", +required words, -exclusions and author:, cat:, title:, after:, before:. An arXiv id or link finds that paper.',
      inputSchema: { query: searchText.min(1), limit: limit(50, 10) },
    },
    guarded("search_papers", async ({ query, limit }) =>
      text((await searchPapers(store, query, limit, embedder)).map((p) => summary(p, baseUrl))),
    ),
  );

  server.registerTool(
    "get_paper",
    {
      description:
        "One paper by arXiv id (e.g. 2501.00010 or hep-th/9901001): title, authors, links and abstract, as Markdown.",
      inputSchema: { id: z.string().max(100) },
    },
    guarded("get_paper", async ({ id }) => {
      const parsed = parseArxivId(id);
      if (!parsed) return failure(`"${id}" is not an arXiv id`);
      const paper = await store.papers.get(parsed.id);
      return paper
        ? { content: [{ type: "text", text: paperMarkdown(paper) }] }
        : failure(`paper ${parsed.id} not found`);
    }),
  );

  server.registerTool(
    "daily_papers",
    {
      description:
        "The daily papers feed for one date (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM), most upvoted first; with none of them, the newest papers on the feed.",
      inputSchema: {
        date: z.string().max(20).optional(),
        week: z.string().max(20).optional(),
        month: z.string().max(20).optional(),
        limit: limit(100, 20),
      },
    },
    guarded("daily_papers", async ({ date, week, month, limit }) => {
      let period: ReturnType<typeof chosenPeriod>;
      try {
        period = chosenPeriod({ date, week, month });
      } catch (error) {
        if (error instanceof PeriodError) return failure(error.message);
        throw error;
      }
      const page = await store.feed.range({ ...(period ?? wholeArchive), sort: period ? "upvotes" : "date", limit });
      return text({
        total: page.total,
        papers: page.items.map((item) => ({ feedDate: item.feedDate, ...summary(item.paper, baseUrl) })),
      });
    }),
  );

  server.registerTool(
    "similar_papers",
    {
      description:
        "Papers nearest in meaning to a given one (by their embeddings), closest first, with their cosine similarity. Empty while the paper has no vector yet (`paperboy embed` gives papers vectors).",
      inputSchema: { id: z.string().max(100), limit: limit(50, 10) },
    },
    guarded("similar_papers", async ({ id, limit }) => {
      const parsed = parseArxivId(id);
      if (!parsed) return failure(`"${id}" is not an arXiv id`);
      const paper = await store.papers.get(parsed.id);
      if (!paper) return failure(`paper ${parsed.id} not found`);
      const similar = await similarPapers(store, paper.id, limit);
      return text(similar.map((s) => ({ ...summary(s.paper, baseUrl), similarity: Number(s.similarity.toFixed(4)) })));
    }),
  );

  server.registerTool(
    "trending",
    {
      description:
        "Papers ranked by trending score: upvotes, decayed with age (each tenfold of upvotes is worth 36 hours).",
      inputSchema: { limit: limit(100, 20) },
    },
    guarded("trending", async ({ limit }) =>
      text((await store.listings.trending({ limit, offset: 0 })).papers.map((p) => summary(p, baseUrl))),
    ),
  );

  /** A collection anyone may see, with its papers; others are not found here, whoever asks. */
  const publicCollection = async (slug: string) => {
    const collection = await store.collections.withPapers(slug);
    return collection && canSeeCollection(collection, null) ? collection : null;
  };
  const collectionMarkdown = (collection: NonNullable<Awaited<ReturnType<typeof publicCollection>>>) =>
    [
      `# ${collection.title}`,
      `A collection by ${collection.ownerUsername} (${collection.paperCount} papers): ${baseUrl}/collections/${encodeURIComponent(collection.slug)}`,
      collection.description,
      ...collection.items.map(
        ({ paper, note }, i) =>
          `${i + 1}. [${paper.title}](${baseUrl}${paperPath(paper.id)}) (arXiv ${paper.id}), ${paper.authors
            .slice(0, 5)
            .map((a) => a.name)
            .join(", ")}${note ? `\n   Note: ${note}` : ""}`,
      ),
    ]
      .filter((part) => part !== "")
      .join("\n\n");

  server.registerTool(
    "get_collection",
    {
      description:
        "A public collection of papers that someone on this site put together, by its slug (the end of its /collections/… address): title, owner, description, and its papers in order with the owner's notes.",
      inputSchema: { slug: z.string().min(1).max(200) },
    },
    async ({ slug }) => {
      const collection = await publicCollection(slug);
      if (!collection) return failure(`collection ${slug} not found`);
      return text({
        slug: collection.slug,
        title: collection.title,
        owner: collection.ownerUsername,
        description: collection.description,
        url: `${baseUrl}/collections/${encodeURIComponent(collection.slug)}`,
        papers: collection.items.map(({ paper, note }) => ({ ...summary(paper, baseUrl), note })),
      });
    },
  );

  server.registerTool(
    "list_organization_papers",
    {
      description:
        "Papers from an organisation (as the Hugging Face daily feed names them: nvidia, google, ByteDance-Seed, …), newest feed day first, most upvoted first within a day.",
      inputSchema: {
        name: z.string().min(1).max(100),
        limit: limit(100, 20),
        offset: z.number().int().min(0).max(1_000_000).default(0).describe("How many papers to skip, for paging."),
      },
    },
    async ({ name, limit, offset }) => {
      const organization = await store.organizations.byName(name);
      if (!organization) return failure(`organisation ${name} not found`);
      const page = await store.organizations.papers(organization.id, limit, offset);
      return text({
        name: organization.name,
        fullname: organization.fullname,
        total: page.total,
        papers: page.items.map((item) => ({ feedDate: item.feedDate, ...summary(item.paper, baseUrl) })),
      });
    },
  );

  server.registerResource(
    "collection",
    new ResourceTemplate("collection://{slug}", {
      list: async () => ({
        resources: (await store.collections.publicOnes(100)).map((collection) => ({
          uri: `collection://${collection.slug}`,
          name: collection.title,
          description: `${collection.paperCount} papers collected by ${collection.ownerUsername}`,
          mimeType: "text/markdown",
        })),
      }),
    }),
    {
      description: "A public collection of papers as Markdown; listing gives the most recently changed ones.",
      mimeType: "text/markdown",
    },
    async (uri, { slug }) => {
      const collection = await publicCollection(String(slug));
      if (!collection) throw new Error(`no collection at ${uri.href}`);
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: collectionMarkdown(collection) }] };
    },
  );

  server.registerResource(
    "paper",
    new ResourceTemplate("paper://{+id}", {
      list: async () => {
        const day = await store.feed.latestDay();
        const page = day ? await store.feed.range({ from: day, to: day, limit: 100 }) : { items: [] };
        return {
          resources: page.items.map(({ paper }) => ({
            uri: `paper://${paper.id}`,
            name: paper.title,
            mimeType: "text/markdown",
          })),
        };
      },
    }),
    { description: "A paper as Markdown; listing gives the newest feed day.", mimeType: "text/markdown" },
    async (uri, { id }) => {
      const parsed = parseArxivId(String(id));
      let paper: Paper | null;
      try {
        paper = parsed ? await store.papers.get(parsed.id) : null;
      } catch (error) {
        logger.error({ err: error, uri: uri.href }, "MCP resource read failed");
        throw new McpError(ErrorCode.InternalError, "reading the paper failed on the server; please try again later");
      }
      if (!paper) throw new McpError(ErrorCode.InvalidParams, `no paper at ${uri.href}`);
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: paperMarkdown(paper) }] };
    },
  );
  return server;
}
