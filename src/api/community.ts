import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { avatarPath, CommunityError, refusalStatus, shownComments, shownName } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import { parseArxivId } from "../papers/arxiv-id.ts";
import type { Comment, User } from "../store/index.ts";
import { apiError } from "./errors.ts";
import { ApiError, V1Paper } from "./schemas.ts";
import { toV1Paper } from "./v1.ts";

const tags = ["Paperboy v1: community"];

export const errors = (...statuses: (400 | 401 | 403 | 404 | 409 | 424 | 429)[]) => {
  const descriptions = {
    400: "The request is malformed; the message names the field",
    401: "Nobody is signed in: send Authorization: Bearer <token>",
    403: "Not allowed: a read-only token, an unverified account, someone else's comment, or a cross-site request",
    404: "No such paper, comment, collection or organisation (someone else's private collection is not found either)",
    409: "It clashes with what is there",
    424: "arXiv could not be reached; nothing was changed",
    429: "Too many requests; Retry-After says when to come back",
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s], content: { "application/json": { schema: ApiError } } }]),
  );
};

const VoteState = z
  .object({
    upvotes: z.number().int().openapi({ description: "Hugging Face's upvotes plus the votes cast here." }),
    upvoted: z.boolean().openapi({ description: "Whether you have upvoted the paper now." }),
  })
  .openapi("VoteState");

export const Person = z
  .object({
    username: z.string(),
    displayName: z.string(),
    avatarUrl: z.string(),
  })
  .openapi("Person");

const V1Comment = z
  .object({
    id: z.number().int(),
    paperId: z.string(),
    parentId: z.number().int().nullable().openapi({ description: "The comment this one answers; null at the top." }),
    author: Person.nullable().openapi({ description: "Null once the comment is deleted." }),
    body: z.string().openapi({ description: 'Markdown as typed (inline $…$ is TeX); "" once deleted.' }),
    createdAt: z.string().openapi({ format: "date-time" }),
    editedAt: z.string().nullable().openapi({ format: "date-time" }),
    deleted: z.boolean(),
    hidden: z.boolean().openapi({
      description:
        "A moderator hid the comment: to anyone else it reads as deleted (no author, empty body) and is listed only while it has replies.",
    }),
    hiddenReason: z
      .string()
      .nullable()
      .openapi({ description: "Why a moderator hid it; given to moderators only, who also get its author and body." }),
  })
  .openapi("Comment");

const CommentList = z
  .object({
    paperId: z.string(),
    total: z.number().int().openapi({
      description:
        "Live comments (deleted and hidden ones are listed while they have replies; moderators see hidden ones whole).",
    }),
    comments: z.array(V1Comment).openapi({ description: "Oldest first; replies name their parent." }),
  })
  .openapi("CommentList");

const Me = z
  .object({
    username: z.string(),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    role: z.enum(["user", "moderator", "admin"]),
    createdAt: z.string().openapi({ format: "date-time" }),
    avatarUrl: z.string(),
    auth: z.object({
      via: z.enum(["session", "token"]),
      scope: z.enum(["read", "write"]),
    }),
  })
  .openapi("Me");

const SubmissionResult = z
  .object({
    status: z.enum(["submitted", "exists"]).openapi({
      description: "submitted: on today's feed now, with your name; exists: it was already picked, on feedDate.",
    }),
    feedDate: z.string().openapi({ example: "2026-08-21" }),
    submittedBy: z.record(z.string(), z.unknown()).nullable().openapi({ description: "In Hugging Face's shape." }),
    paper: V1Paper,
  })
  .openapi("Submission");

export const paperParam = z.object({
  id: z.string().openapi({ description: "arXiv id; old-style ids keep their slash.", example: "2608.19880" }),
});
const commentParam = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,11}$/, "must be a comment id")
    .openapi({ example: "42" }),
});
const NewComment = z
  .object({
    body: z.string().max(100_000).openapi({ description: "Markdown, up to 10,000 characters." }),
    parentId: z.number().int().positive().nullable().optional().openapi({ description: "The comment answered." }),
  })
  .openapi("NewComment");
export const json = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

const upvoteRoute = (method: "post" | "delete") =>
  createRoute({
    method,
    path: "/api/v1/papers/{id}/upvote",
    tags,
    summary: method === "post" ? "Upvote a paper (idempotent)" : "Take your upvote back (idempotent)",
    security: [{ bearer: [] }],
    request: { params: paperParam },
    responses: {
      200: { description: "The paper's count now", content: { "application/json": { schema: VoteState } } },
      ...errors(400, 401, 403, 404, 429),
    },
  });

const listCommentsRoute = createRoute({
  method: "get",
  path: "/api/v1/papers/{id}/comments",
  tags,
  summary: "A paper's comments",
  request: { params: paperParam },
  responses: {
    200: { description: "The comments", content: { "application/json": { schema: CommentList } } },
    ...errors(400, 404),
  },
});

const postCommentRoute = createRoute({
  method: "post",
  path: "/api/v1/papers/{id}/comments",
  tags,
  summary: "Comment on a paper, or answer a comment",
  security: [{ bearer: [] }],
  request: {
    params: paperParam,
    body: json(NewComment),
  },
  responses: {
    201: { description: "The new comment", content: { "application/json": { schema: V1Comment } } },
    ...errors(400, 401, 403, 404, 429),
  },
});

const editCommentRoute = createRoute({
  method: "patch",
  path: "/api/v1/comments/{id}",
  tags,
  summary: "Edit your comment (within 15 minutes of posting it)",
  security: [{ bearer: [] }],
  request: { params: commentParam, body: json(z.object({ body: z.string().max(100_000) })) },
  responses: {
    200: { description: "The edited comment", content: { "application/json": { schema: V1Comment } } },
    ...errors(400, 401, 403, 404),
  },
});

const deleteCommentRoute = createRoute({
  method: "delete",
  path: "/api/v1/comments/{id}",
  tags,
  summary: "Delete your comment (moderators: any comment); its replies stay",
  security: [{ bearer: [] }],
  request: { params: commentParam },
  responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) },
});

const reportCommentRoute = createRoute({
  method: "post",
  path: "/api/v1/comments/{id}/report",
  tags,
  summary: "Report a comment to the moderators",
  security: [{ bearer: [] }],
  request: { params: commentParam, body: json(z.object({ reason: z.string().max(10_000) })) },
  responses: {
    202: {
      description: "Reported",
      content: { "application/json": { schema: z.object({ reported: z.literal(true) }) } },
    },
    ...errors(400, 401, 403, 404, 429),
  },
});

const submitRoute = createRoute({
  method: "post",
  path: "/api/v1/submissions",
  tags,
  summary: "Put a paper on today's feed",
  description:
    "By arXiv id or link. A paper not stored yet is fetched from arXiv. A paper already picked for the feed keeps its entry (200, status exists); each account may submit a limited number of papers a day.",
  security: [{ bearer: [] }],
  request: {
    body: json(z.object({ paper: z.string().max(500).openapi({ example: "https://arxiv.org/abs/2608.19880" }) })),
  },
  responses: {
    201: { description: "Submitted", content: { "application/json": { schema: SubmissionResult } } },
    200: { description: "Already on the feed", content: { "application/json": { schema: SubmissionResult } } },
    ...errors(400, 401, 403, 404, 424, 429),
  },
});

const meRoute = createRoute({
  method: "get",
  path: "/api/v1/me",
  tags,
  summary: "The account you are signed in as",
  security: [{ bearer: [] }],
  responses: {
    200: { description: "Your account", content: { "application/json": { schema: Me } } },
    ...errors(401),
  },
});

/** Every refusal of the community rules answers with its status and, when limited, Retry-After. */
export function communityApiError(c: Context, error: CommunityError) {
  if (error.details.retryAfterSeconds) c.header("Retry-After", String(error.details.retryAfterSeconds));
  return apiError(c, refusalStatus[error.refusal], error.message);
}

/**
 * The user a request acts for. Tokens need the write scope to change anything. A request a
 * browser session makes must come from this site (Origin, or the session's CSRF token in
 * X-CSRF-Token), so no other site can act for a signed-in visitor.
 */
export function actor(c: Context<AppEnv>, access: "read" | "write"): User {
  const viewer = c.get("viewer");
  if (!viewer) {
    throw new CommunityError(
      "unauthenticated",
      "sign in, or send Authorization: Bearer <token> (create one in settings)",
    );
  }
  if (viewer.via === "token") {
    if (access === "write" && viewer.scope !== "write") {
      throw new CommunityError("forbidden", "this token is read-only: create a token with the write scope");
    }
    return viewer.user;
  }
  if (access === "write") {
    const origin = c.req.header("origin");
    const allowed = [new URL(c.get("app").config.baseUrl).origin, new URL(c.req.url).origin];
    const sameSite = origin ? allowed.includes(origin) : c.req.header("x-csrf-token") === viewer.session.csrfToken;
    if (!sameSite) throw new CommunityError("forbidden", "cross-site request refused: send it from this site");
  }
  return viewer.user;
}

export function paperIdOf(raw: string): string {
  const parsed = parseArxivId(raw);
  if (!parsed) throw new CommunityError("invalid", `path parameter id: "${raw}" is not an arXiv id`);
  return parsed.id;
}

export function toV1Comment(comment: Comment, baseUrl: string): z.infer<typeof V1Comment> {
  return {
    id: comment.id,
    paperId: comment.paperId,
    parentId: comment.parentId,
    author: comment.author
      ? {
          username: comment.author.username,
          displayName: shownName(comment.author),
          avatarUrl: `${baseUrl}${avatarPath(comment.author.username)}`,
        }
      : null,
    body: comment.body,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    deleted: comment.deleted,
    hidden: comment.hidden !== null,
    // Readers other than moderators get hidden comments blanked, marked deleted (store/comments.ts).
    hiddenReason: comment.hidden && !comment.deleted ? comment.hidden.reason : null,
  };
}

/** Routes whose {id} is a paper: old-style ids (hep-th/9901001) arrive as two path segments. */
export function withOldStyleIds(
  api: OpenAPIHono<AppEnv>,
  method: "get" | "post" | "delete",
  suffix: string,
  handler: (c: Context<AppEnv>, id: string) => Promise<Response>,
): void {
  api.on(method.toUpperCase(), `/api/v1/papers/:archive/:number/${suffix}`, (c) =>
    handler(c, `${c.req.param("archive")}/${c.req.param("number")}`),
  );
}

export function registerCommunityApi(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A personal API token (pb_…) from your settings, or `paperboy token create`.",
  });

  const vote = (upvoted: boolean) => async (c: Context<AppEnv>, rawId: string) => {
    const user = actor(c, "write");
    return c.json(await c.get("community").votes.set(user, paperIdOf(rawId), upvoted), 200);
  };
  api.openapi(upvoteRoute("post"), (c) => vote(true)(c, c.req.valid("param").id));
  api.openapi(upvoteRoute("delete"), (c) => vote(false)(c, c.req.valid("param").id));
  withOldStyleIds(api, "post", "upvote", vote(true));
  withOldStyleIds(api, "delete", "upvote", vote(false));

  const listComments = async (c: Context<AppEnv>, rawId: string) => {
    const { store, config } = c.get("app");
    const paper = await store.papers.get(paperIdOf(rawId));
    if (!paper) throw new CommunityError("not-found", `paper ${paperIdOf(rawId)} not found`);
    const comments = await c.get("community").comments.forPaper(paper.id, c.get("viewer")?.user ?? null);
    return c.json(
      {
        paperId: paper.id,
        total: paper.localComments,
        comments: shownComments(comments).map((comment) => toV1Comment(comment, config.baseUrl)),
      },
      200,
    );
  };
  api.openapi(listCommentsRoute, (c) => listComments(c, c.req.valid("param").id));
  withOldStyleIds(api, "get", "comments", listComments);

  const postComment = async (c: Context<AppEnv>, rawId: string, body: { body: string; parentId?: number | null }) => {
    const user = actor(c, "write");
    const comment = await c.get("community").comments.post(user, paperIdOf(rawId), body.body, body.parentId ?? null);
    return c.json(toV1Comment(comment, c.get("app").config.baseUrl), 201);
  };
  api.openapi(postCommentRoute, (c) => postComment(c, c.req.valid("param").id, c.req.valid("json")));
  withOldStyleIds(api, "post", "comments", async (c, id) => {
    const parsed = NewComment.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) throw new CommunityError("invalid", 'body: expected {"body": "…", "parentId"?: n}');
    return postComment(c, id, parsed.data);
  });

  api.openapi(editCommentRoute, async (c) => {
    const user = actor(c, "write");
    const comment = await c
      .get("community")
      .comments.edit(user, Number(c.req.valid("param").id), c.req.valid("json").body);
    return c.json(toV1Comment(comment, c.get("app").config.baseUrl), 200);
  });

  api.openapi(deleteCommentRoute, async (c) => {
    const user = actor(c, "write");
    await c.get("community").comments.remove(user, Number(c.req.valid("param").id));
    return c.body(null, 204);
  });

  api.openapi(reportCommentRoute, async (c) => {
    const user = actor(c, "write");
    await c.get("community").comments.report(user, Number(c.req.valid("param").id), c.req.valid("json").reason);
    return c.json({ reported: true as const }, 202);
  });

  api.openapi(submitRoute, async (c) => {
    const user = actor(c, "write");
    const submission = await c.get("community").submissions.submit(user, c.req.valid("json").paper);
    const body = {
      status: submission.status,
      feedDate: submission.feedDate,
      submittedBy: submission.submittedBy,
      paper: toV1Paper(submission.paper, c.get("app").config.baseUrl),
    };
    return submission.status === "submitted" ? c.json(body, 201) : c.json(body, 200);
  });

  api.openapi(meRoute, (c) => {
    const user = actor(c, "read");
    const viewer = c.get("viewer");
    const { baseUrl } = c.get("app").config;
    return c.json(
      {
        username: user.username,
        displayName: user.displayName,
        email: user.email,
        emailVerified: user.emailVerified,
        role: user.role,
        createdAt: user.createdAt,
        avatarUrl: `${baseUrl}${avatarPath(user.username)}`,
        auth:
          viewer?.via === "token"
            ? { via: "token" as const, scope: viewer.scope }
            : { via: "session" as const, scope: "write" as const },
      },
      200,
    );
  });
}
