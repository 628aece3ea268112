import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AuthorChoice, CommunityError, mustModerate } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import { pageNumber } from "../http/params.ts";
import type { AuthorClaim } from "../store/index.ts";
import { actor, errors, json, paperIdOf, paperParam, withOldStyleIds } from "./community.ts";

const claimTags = ["Paperboy v1: community"];
const tags = ["Paperboy v1: moderation"];

const Claim = z
  .object({
    id: z.number().int(),
    paperId: z.string(),
    author: z.object({
      position: z.number().int().openapi({ description: "The author's place in the paper's list, from 0." }),
      name: z.string(),
    }),
    claimant: z.string().openapi({ description: "The username of the account claiming to be the author." }),
    status: z.enum(["pending", "approved", "rejected"]),
    createdAt: z.string().openapi({ format: "date-time" }),
    decidedAt: z.string().nullable().openapi({ format: "date-time" }),
    decidedBy: z.string().nullable().openapi({ description: "The moderator who decided." }),
  })
  .openapi("AuthorClaim");

const NewClaim = z
  .object({
    author: z.string().max(1000).optional().openapi({ description: "The author's name as the paper lists it." }),
    position: z.number().int().min(0).optional().openapi({ description: "Or the author's place in the list, from 0." }),
  })
  .refine((body) => (body.author === undefined) !== (body.position === undefined), {
    message: 'give either "author" (a name as listed) or "position" (from 0)',
  })
  .openapi("NewAuthorClaim");

const Reason = z
  .object({ reason: z.string().max(10_000).optional().openapi({ description: "Why: kept in the audit log." }) })
  .openapi("ModerationReason");
const optionalJson = <T extends z.ZodType>(schema: T) => ({ ...json(schema), required: false });

const Outcome = z
  .object({
    outcome: z
      .enum(["done", "unchanged"])
      .openapi({ description: "unchanged: it was so already; nothing was logged." }),
  })
  .openapi("ModerationOutcome");
const outcomeResponse = { description: "Done", content: { "application/json": { schema: Outcome } } };

const idParam = z.string().regex(/^[1-9]\d{0,11}$/, "must be a positive number");

function toClaim(claim: AuthorClaim): z.infer<typeof Claim> {
  return {
    id: claim.id,
    paperId: claim.paperId,
    author: { position: claim.position, name: claim.authorName },
    claimant: claim.claimant.username,
    status: claim.status,
    createdAt: claim.createdAt,
    decidedAt: claim.decidedAt,
    decidedBy: claim.decidedBy,
  };
}

const claimRoute = createRoute({
  method: "post",
  path: "/api/v1/papers/{id}/claims",
  tags: claimTags,
  summary: "Claim to be one of a paper's authors",
  description:
    "A moderator approves or rejects the claim. Once approved, the author carries a badge and links to your profile, and the Hugging Face–compatible API fills `authors[].user`.",
  security: [{ bearer: [] }],
  request: { params: paperParam, body: json(NewClaim) },
  responses: {
    201: { description: "The claim, waiting for a moderator", content: { "application/json": { schema: Claim } } },
    ...errors(400, 401, 403, 404, 409, 429),
  },
});

const reportsRoute = createRoute({
  method: "get",
  path: "/api/v1/admin/reports",
  tags,
  summary: "Reported comments waiting for a moderator (moderators only)",
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: "Most reported first",
      content: {
        "application/json": {
          schema: z.object({
            reports: z.array(
              z.object({
                commentId: z.number().int(),
                paperId: z.string(),
                paperTitle: z.string(),
                author: z.string(),
                body: z.string(),
                createdAt: z.string(),
                reports: z.array(z.object({ reporter: z.string(), reason: z.string(), createdAt: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    ...errors(401, 403),
  },
});

const claimsRoute = createRoute({
  method: "get",
  path: "/api/v1/admin/claims",
  tags,
  summary: "Authorship claims by status (moderators only)",
  security: [{ bearer: [] }],
  request: { query: z.object({ status: z.enum(["pending", "approved", "rejected"]).optional() }) },
  responses: {
    200: {
      description: "Pending ones oldest first; decided ones newest first",
      content: { "application/json": { schema: z.object({ claims: z.array(Claim) }) } },
    },
    ...errors(400, 401, 403),
  },
});

const decideRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/claims/{id}/{decision}",
  tags,
  summary: "Approve or reject a pending claim (moderators only); a claim is decided once",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: idParam, decision: z.enum(["approve", "reject"]) }),
    body: optionalJson(Reason),
  },
  responses: {
    200: { description: "The decided claim", content: { "application/json": { schema: Claim } } },
    ...errors(400, 401, 403, 404, 409),
  },
});

const commentActionRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/comments/{id}/{action}",
  tags,
  summary: "Hide or unhide a comment, or dismiss its reports (moderators only)",
  description: "Hiding needs a reason, shown to moderators beside the comment and kept in the audit log.",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: idParam, action: z.enum(["hide", "unhide", "dismiss-reports"]) }),
    body: optionalJson(Reason),
  },
  responses: { 200: outcomeResponse, ...errors(400, 401, 403, 404) },
});

const paperActions = ["hide", "unhide", "lock", "unlock"] as const;
const paperActionRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/papers/{id}/{action}",
  tags,
  summary: "Take a paper off the feed or put it back; lock or unlock its discussion (moderators only)",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: z.string().openapi({ example: "2608.19880" }), action: z.enum(paperActions) }),
    body: optionalJson(Reason),
  },
  responses: { 200: outcomeResponse, ...errors(400, 401, 403, 404) },
});

const userActionRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/users/{username}/{action}",
  tags,
  summary: "Ban or unban an account (moderators only)",
  description:
    "A ban ends the account's sessions, revokes its tokens and hides its comments and submissions; unbanning brings back what the ban hid.",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ username: z.string().max(64), action: z.enum(["ban", "unban"]) }),
    body: optionalJson(Reason),
  },
  responses: { 200: outcomeResponse, ...errors(400, 401, 403, 404) },
});

const roleRoute = createRoute({
  method: "put",
  path: "/api/v1/admin/users/{username}/role",
  tags,
  summary: "Give an account a role (admins only)",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ username: z.string().max(64) }),
    body: json(z.object({ role: z.enum(["user", "moderator", "admin"]), reason: z.string().max(10_000).optional() })),
  },
  responses: { 200: outcomeResponse, ...errors(400, 401, 403, 404) },
});

const logRoute = createRoute({
  method: "get",
  path: "/api/v1/admin/log",
  tags,
  summary: "The audit log of moderator actions, newest first (moderators only)",
  security: [{ bearer: [] }],
  request: { query: z.object({ page: pageNumber(1).optional() }) },
  responses: {
    200: {
      description: "One page of 100 entries",
      content: {
        "application/json": {
          schema: z.object({
            total: z.number().int(),
            entries: z.array(
              z.object({
                id: z.number().int(),
                moderator: z.string(),
                action: z.string(),
                subjectKind: z.string(),
                subject: z.string(),
                user: z.string().nullable(),
                reason: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    ...errors(400, 401, 403),
  },
});

const createOrganizationRoute = createRoute({
  method: "post",
  path: "/api/v1/admin/organizations",
  tags,
  summary: "Create an organisation (admins only)",
  security: [{ bearer: [] }],
  request: {
    body: json(
      z.object({
        name: z
          .string()
          .max(200)
          .openapi({ example: "my-lab", description: "As in its address, like Hugging Face's." }),
        fullname: z.string().max(1000).optional(),
      }),
    ),
  },
  responses: {
    201: {
      description: "Created",
      content: { "application/json": { schema: z.object({ name: z.string(), url: z.string() }) } },
    },
    ...errors(400, 401, 403, 409),
  },
});

const memberRoute = (method: "put" | "delete") =>
  createRoute({
    method,
    path: "/api/v1/admin/organizations/{name}/members/{username}",
    tags,
    summary: method === "put" ? "Add a member to an organisation (admins only)" : "Remove a member (admins only)",
    security: [{ bearer: [] }],
    request: { params: z.object({ name: z.string().max(200), username: z.string().max(64) }) },
    responses: { 200: outcomeResponse, ...errors(401, 403, 404) },
  });

const attachRoute = createRoute({
  method: "post",
  path: "/api/v1/organizations/{name}/papers",
  tags: claimTags,
  summary: "Link a paper you submitted to an organisation you are a member of",
  security: [{ bearer: [] }],
  request: {
    params: z.object({ name: z.string().max(200) }),
    body: json(z.object({ paper: z.string().max(100).openapi({ example: "2608.19880" }) })),
  },
  responses: { 200: outcomeResponse, ...errors(400, 401, 403, 404) },
});

const LOG_PAGE = 100;

/** The moderator acting: every /api/v1/admin route goes through here first (one check, never forgotten). */
const moderator = (c: Context<AppEnv>) => mustModerate(actor(c, c.req.method === "GET" ? "read" : "write"));

const reasonOf = async (c: Context<AppEnv>) => {
  if (!(c.req.header("content-type") ?? "").includes("json")) return undefined;
  const parsed = Reason.safeParse(await c.req.json().catch(() => ({})));
  if (!parsed.success) throw new CommunityError("invalid", 'body: expected {"reason"?: "…"}');
  return parsed.data.reason;
};

export function registerModerationApi(api: OpenAPIHono<AppEnv>): void {
  api.use("/api/v1/admin/*", async (c, next) => {
    moderator(c);
    await next();
  });

  const claim = async (c: Context<AppEnv>, rawId: string, choice: AuthorChoice) => {
    const made = await c.get("community").claims.claim(actor(c, "write"), paperIdOf(rawId), choice);
    return c.json(toClaim(made), 201);
  };
  const choiceOf = (body: z.infer<typeof NewClaim>): AuthorChoice =>
    body.position !== undefined ? { position: body.position } : { author: body.author ?? "" };
  api.openapi(claimRoute, (c) => claim(c, c.req.valid("param").id, choiceOf(c.req.valid("json"))));
  withOldStyleIds(api, "post", "claims", async (c, id) => {
    const parsed = NewClaim.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) throw new CommunityError("invalid", 'body: expected {"author": "name"} or {"position": n}');
    return claim(c, id, choiceOf(parsed.data));
  });

  api.openapi(reportsRoute, async (c) =>
    c.json({ reports: await c.get("community").moderation.reports(moderator(c)) }, 200),
  );

  api.openapi(claimsRoute, async (c) => {
    const claims = await c.get("community").claims.list(moderator(c), c.req.valid("query").status ?? "pending");
    return c.json({ claims: claims.map(toClaim) }, 200);
  });

  api.openapi(decideRoute, async (c) => {
    const { id, decision } = c.req.valid("param");
    const decided = await c
      .get("community")
      .claims.decide(moderator(c), Number(id), decision === "approve", await reasonOf(c));
    return c.json(toClaim(decided), 200);
  });

  api.openapi(commentActionRoute, async (c) => {
    const { id, action } = c.req.valid("param");
    const moderation = c.get("community").moderation;
    const reason = await reasonOf(c);
    const act = {
      hide: () => moderation.hideComment(moderator(c), Number(id), reason),
      unhide: () => moderation.unhideComment(moderator(c), Number(id), reason),
      "dismiss-reports": () => moderation.dismissReports(moderator(c), Number(id), reason),
    }[action];
    return c.json({ outcome: await act() }, 200);
  });

  const paperAction = async (c: Context<AppEnv>, rawId: string, action: string) => {
    if (!(paperActions as readonly string[]).includes(action)) {
      throw new CommunityError("invalid", `action: one of ${paperActions.join(", ")}`);
    }
    const id = paperIdOf(rawId);
    const moderation = c.get("community").moderation;
    const reason = await reasonOf(c);
    const user = moderator(c);
    const act = {
      hide: () => moderation.hideFromFeed(user, id, reason),
      unhide: () => moderation.unhideFromFeed(user, id, reason),
      lock: () => moderation.lockDiscussion(user, id, reason),
      unlock: () => moderation.unlockDiscussion(user, id, reason),
    }[action as (typeof paperActions)[number]];
    return c.json({ outcome: await act() }, 200);
  };
  api.openapi(paperActionRoute, (c) => paperAction(c, c.req.valid("param").id, c.req.valid("param").action));
  api.post("/api/v1/admin/papers/:archive/:number/:action", (c) =>
    paperAction(c, `${c.req.param("archive")}/${c.req.param("number")}`, c.req.param("action")),
  );

  api.openapi(userActionRoute, async (c) => {
    const { username, action } = c.req.valid("param");
    const moderation = c.get("community").moderation;
    const reason = await reasonOf(c);
    const outcome =
      action === "ban"
        ? await moderation.ban(moderator(c), username, reason)
        : await moderation.unban(moderator(c), username, reason);
    return c.json({ outcome }, 200);
  });

  api.openapi(roleRoute, async (c) => {
    const { role, reason } = c.req.valid("json");
    const outcome = await c
      .get("community")
      .moderation.setRole(moderator(c), c.req.valid("param").username, role, reason);
    return c.json({ outcome }, 200);
  });

  api.openapi(createOrganizationRoute, async (c) => {
    const { name, fullname } = c.req.valid("json");
    const created = await c.get("community").organizationAdmin.create(moderator(c), name, fullname);
    return c.json({ name: created.name, url: `${c.get("app").config.baseUrl}/organizations/${created.name}` }, 201);
  });
  for (const method of ["put", "delete"] as const) {
    api.openapi(memberRoute(method), async (c) => {
      const { name, username } = c.req.valid("param");
      const outcome = await c
        .get("community")
        .organizationAdmin.setMember(moderator(c), name, username, method === "delete");
      return c.json({ outcome }, 200);
    });
  }
  api.openapi(attachRoute, async (c) => {
    const { outcome } = await c
      .get("community")
      .organizationAdmin.attach(actor(c, "write"), c.req.valid("param").name, paperIdOf(c.req.valid("json").paper));
    return c.json({ outcome }, 200);
  });

  api.openapi(logRoute, async (c) => {
    const page = Number(c.req.valid("query").page ?? 1);
    const log = await c
      .get("community")
      .moderation.log(moderator(c), { limit: LOG_PAGE, offset: (page - 1) * LOG_PAGE });
    return c.json(log, 200);
  });
}
