import { z } from "@hono/zod-openapi";

/**
 * Response shapes of the API, written once: they type the handlers and become the OpenAPI
 * document. The Hugging Face shapes follow huggingface.co's responses (see
 * ../shared/data/hf-daily/raw/); optional keys are the ones we omit when we do not know them.
 */

const timestamp = z.string().openapi({ format: "date-time", example: "2026-08-20T00:00:00.000Z" });

export const ApiError = z
  .object({ error: z.string().openapi({ example: "limit must be a whole number from 1 to 100" }) })
  .openapi("Error");

const hfUser = z.record(z.string(), z.unknown()).openapi("HfUser", {
  description: "A Hugging Face user overview, as Hugging Face gave it (_id, name, fullname, …).",
});

const organization = z
  .record(z.string(), z.unknown())
  .openapi("HfOrganization", { description: "The organisation a paper is claimed by on Hugging Face." });

export const HfPaperAuthor = z
  .object({
    _id: z.string().optional().openapi({ description: "Hugging Face's id for this author slot, when known." }),
    user: hfUser.optional().openapi({ description: "The account whose claim to be this author a moderator approved." }),
    name: z.string(),
    status: z.literal("claimed_verified").optional(),
    statusLastChangedAt: timestamp.optional(),
    hidden: z.boolean(),
  })
  .openapi("HfPaperAuthor");

export const HfPaper = z
  .object({
    id: z.string().openapi({ example: "2608.19880", description: "Versionless arXiv id." }),
    authors: z.array(HfPaperAuthor),
    mediaUrls: z.array(z.string()).optional(),
    publishedAt: timestamp,
    submittedOnDailyAt: timestamp.optional(),
    title: z.string(),
    submittedOnDailyBy: hfUser.optional(),
    summary: z.string(),
    upvotes: z.number().int(),
    discussionId: z.string().optional(),
    projectPage: z.string().optional(),
    githubRepo: z.string().optional(),
    githubRepoAddedBy: z.string().optional(),
    ai_summary: z.string().optional(),
    ai_keywords: z.array(z.string()).optional(),
    ai_summary_model: z.string().optional(),
    githubStars: z.number().optional(),
    organization: organization.optional(),
  })
  .openapi("HfPaper");

export const HfDailyPaper = z
  .object({
    paper: HfPaper,
    publishedAt: timestamp,
    title: z.string(),
    summary: z.string(),
    mediaUrls: z.array(z.string()).optional(),
    thumbnail: z.string().optional(),
    numComments: z.number().int(),
    submittedBy: hfUser.optional(),
    organization: organization.optional(),
    isAuthorParticipating: z.boolean(),
  })
  .openapi("HfDailyPaper");

export type HfPaper = z.infer<typeof HfPaper>;
export type HfDailyPaper = z.infer<typeof HfDailyPaper>;

export const V1Author = z.object({ name: z.string(), affiliation: z.string().optional() }).openapi("Author");

export const V1Paper = z
  .object({
    id: z.string().openapi({ example: "2501.00010" }),
    version: z.number().int().nullable(),
    versions: z.array(z.object({ version: z.number().int(), created: timestamp })),
    title: z.string(),
    abstract: z.string(),
    authors: z.array(V1Author),
    categories: z.array(z.string()).openapi({ description: "Primary category first." }),
    comment: z.string().nullable(),
    journalRef: z.string().nullable(),
    doi: z.string().nullable(),
    license: z.string().nullable(),
    publishedAt: timestamp,
    updatedAt: timestamp.nullable(),
    githubRepo: z.string().nullable(),
    projectPage: z.string().nullable(),
    upvotes: z.number().int(),
    numComments: z.number().int(),
    trendingScore: z.number(),
    links: z.object({
      abstract: z.string(),
      pdf: z.string(),
      html: z.string().nullable().openapi({ description: "arXiv renders HTML only for new-style ids." }),
      markdown: z.string().openapi({ description: "This paper as Markdown, on this server." }),
    }),
  })
  .openapi("Paper");

export const V1FeedEntry = z
  .object({
    feedDate: z.string().openapi({ example: "2026-08-21" }),
    submittedBy: hfUser.nullable(),
    paper: V1Paper,
  })
  .openapi("FeedEntry");

export const V1FeedPage = z
  .object({
    from: z.string(),
    to: z.string(),
    total: z.number().int(),
    previous: z.string().nullable().openapi({ description: "Nearest earlier day with papers." }),
    next: z.string().nullable().openapi({ description: "Nearest later day with papers." }),
    items: z.array(V1FeedEntry),
  })
  .openapi("FeedPage");

export type V1Paper = z.infer<typeof V1Paper>;
