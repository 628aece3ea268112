import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CommunityError, collectionRules, followKinds } from "../community/index.ts";
import type { AppEnv } from "../http/context.ts";
import { pageNumber } from "../http/params.ts";
import { hfAccountName } from "../papers/organization.ts";
import type { CollectionWithPapers, FollowKind, User } from "../store/index.ts";
import { actor, errors, json, paperIdOf, paperParam } from "./community.ts";
import { V1Paper } from "./schemas.ts";
import { toV1Paper } from "./v1.ts";

const tags = ["Paperboy v1: collections, follows, organisations"];

const V1Collection = z
  .object({
    slug: z
      .string()
      .openapi({ description: "The collection's address; it never changes.", example: "reading-group-1a2b3c4d" }),
    title: z.string(),
    description: z.string(),
    private: z.boolean().openapi({ description: "Private collections exist for their owner only." }),
    owner: z.string().openapi({ description: "The owner's username." }),
    url: z.string(),
    paperCount: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    papers: z
      .array(z.object({ note: z.string(), addedAt: z.string().openapi({ format: "date-time" }), paper: V1Paper }))
      .openapi({ description: "In the collection's order." }),
  })
  .openapi("Collection");

const NewCollection = z
  .object({
    title: z
      .string()
      .max(10_000)
      .openapi({ description: `1 to ${collectionRules.titleMax} characters.` }),
    description: z.string().max(100_000).optional(),
    private: z.boolean().optional(),
  })
  .openapi("NewCollection");

const CollectionEdit = z
  .object({
    title: z.string().max(10_000).optional(),
    description: z.string().max(100_000).optional(),
    private: z.boolean().optional(),
    order: z
      .array(z.string().max(100))
      .max(collectionRules.papersPerCollection)
      .optional()
      .openapi({ description: "Paper ids in their new order; papers left out follow in their current order." }),
  })
  .openapi("CollectionEdit");

const FollowTarget = z
  .object({
    kind: z.enum(followKinds),
    value: z.string().max(10_000).openapi({
      description: "An author's name as papers give it, a category code (cs.CL) or an organisation's name.",
      example: "Yann LeCun",
    }),
  })
  .openapi("FollowTarget");

const FollowState = FollowTarget.extend({ following: z.boolean() }).openapi("FollowState");

const Reason = z.object({ kind: z.enum(followKinds), value: z.string() });
const PersonalFeed = z
  .object({
    page: z.number().int(),
    total: z.number().int(),
    items: z.array(
      z.object({
        reasons: z.array(Reason).openapi({ description: "What you follow that brought the paper here." }),
        paper: V1Paper,
      }),
    ),
  })
  .openapi("PersonalFeed");

const V1Organization = z
  .object({
    name: z.string().openapi({ example: "nvidia" }),
    fullname: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    url: z.string(),
    paperCount: z.number().int(),
    followerCount: z.number().int(),
    page: z.number().int(),
    papers: z
      .array(z.object({ feedDate: z.string().nullable(), paper: V1Paper }))
      .openapi({ description: "Newest feed day first, most upvoted first within a day; 50 a page." }),
  })
  .openapi("Organization");

const slugParam = z.object({ slug: z.string().max(200).openapi({ example: "reading-group-1a2b3c4d" }) });
const pageQuery = z.object({ page: pageNumber(1).optional().openapi({ description: "From 1." }) });
const one = (description: string, schema: z.ZodType) => ({
  description,
  content: { "application/json": { schema } },
});
const ORGANIZATION_PAGE = 50;

const createRouteDef = createRoute({
  method: "post",
  path: "/api/v1/collections",
  tags,
  summary: "Create a collection",
  security: [{ bearer: [] }],
  request: { body: json(NewCollection) },
  responses: { 201: one("The new collection", V1Collection), ...errors(400, 401, 403, 409, 429) },
});
const getRoute = createRoute({
  method: "get",
  path: "/api/v1/collections/{slug}",
  tags,
  summary: "A collection with its papers",
  request: { params: slugParam },
  responses: { 200: one("The collection", V1Collection), ...errors(404) },
});
const patchRoute = createRoute({
  method: "patch",
  path: "/api/v1/collections/{slug}",
  tags,
  summary: "Rename, describe, hide or show, or reorder your collection",
  security: [{ bearer: [] }],
  request: { params: slugParam, body: json(CollectionEdit) },
  responses: { 200: one("The collection now", V1Collection), ...errors(400, 401, 403, 404, 429) },
});
const deleteRoute = createRoute({
  method: "delete",
  path: "/api/v1/collections/{slug}",
  tags,
  summary: "Delete your collection",
  security: [{ bearer: [] }],
  request: { params: slugParam },
  responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404, 429) },
});
const addPaperRoute = createRoute({
  method: "post",
  path: "/api/v1/collections/{slug}/papers/{id}",
  tags,
  summary: "Add a paper to your collection (at the end), or set its note",
  security: [{ bearer: [] }],
  request: {
    params: slugParam.merge(paperParam),
    body: {
      content: {
        "application/json": {
          schema: z.object({
            note: z
              .string()
              .max(100_000)
              .optional()
              .openapi({ description: `Up to ${collectionRules.noteMax} characters.` }),
          }),
        },
      },
      required: false,
    },
  },
  responses: { 200: one("The collection now", V1Collection), ...errors(400, 401, 403, 404, 409, 429) },
});
const removePaperRoute = createRoute({
  method: "delete",
  path: "/api/v1/collections/{slug}/papers/{id}",
  tags,
  summary: "Take a paper out of your collection",
  security: [{ bearer: [] }],
  request: { params: slugParam.merge(paperParam) },
  responses: { 200: one("The collection now", V1Collection), ...errors(400, 401, 403, 404, 429) },
});
const followRoute = (method: "post" | "delete") =>
  createRoute({
    method,
    path: "/api/v1/follows",
    tags,
    summary: method === "post" ? "Follow an author, category or organisation" : "Stop following it",
    security: [{ bearer: [] }],
    request: { body: json(FollowTarget) },
    responses: { 200: one("What you follow now", FollowState), ...errors(400, 401, 403, 404, 409, 429) },
  });
const listFollowsRoute = createRoute({
  method: "get",
  path: "/api/v1/follows",
  tags,
  summary: "What you follow",
  security: [{ bearer: [] }],
  responses: {
    200: one("Authors, categories and organisations", z.object({ follows: z.array(FollowTarget) })),
    ...errors(401),
  },
});
const feedRoute = createRoute({
  method: "get",
  path: "/api/v1/me/feed",
  tags,
  summary: "My feed: papers from what you follow, newest first, with why each is there",
  security: [{ bearer: [] }],
  request: { query: pageQuery },
  responses: { 200: one("A page of your feed", PersonalFeed), ...errors(400, 401) },
});
const organizationRoute = createRoute({
  method: "get",
  path: "/api/v1/organizations/{name}",
  tags,
  summary: "An organisation and its papers by feed day",
  request: {
    params: z.object({
      name: z.string().regex(hfAccountName, "must be an organisation name").openapi({ example: "nvidia" }),
    }),
    query: pageQuery,
  },
  responses: { 200: one("The organisation", V1Organization), ...errors(400, 404) },
});

function toV1Collection(collection: CollectionWithPapers, baseUrl: string): z.infer<typeof V1Collection> {
  return {
    slug: collection.slug,
    title: collection.title,
    description: collection.description,
    private: collection.private,
    owner: collection.ownerUsername,
    url: `${baseUrl}/collections/${encodeURIComponent(collection.slug)}`,
    paperCount: collection.paperCount,
    createdAt: collection.createdAt,
    updatedAt: collection.updatedAt,
    papers: collection.items.map((item) => ({
      note: item.note,
      addedAt: item.addedAt,
      paper: toV1Paper(item.paper, baseUrl),
    })),
  };
}

/** Whoever is asking, if anyone: reading needs no account, but an owner sees their private collections. */
const reader = (c: Context<AppEnv>): User | null => c.get("viewer")?.user ?? null;

export function registerCollectionsApi(api: OpenAPIHono<AppEnv>): void {
  const answer = async (c: Context<AppEnv>, user: User | null, slug: string) =>
    toV1Collection(await c.get("community").collections.view(user, slug), c.get("app").config.baseUrl);

  api.openapi(createRouteDef, async (c) => {
    const user = actor(c, "write");
    const made = await c.get("community").collections.create(user, c.req.valid("json"));
    return c.json(await answer(c, user, made.slug), 201);
  });
  api.openapi(getRoute, async (c) => c.json(await answer(c, reader(c), c.req.valid("param").slug), 200));
  api.openapi(patchRoute, async (c) => {
    const user = actor(c, "write");
    const { slug } = c.req.valid("param");
    const edit = c.req.valid("json");
    const order = edit.order?.map(paperIdOf);
    await c.get("community").collections.edit(user, slug, { ...edit, order });
    return c.json(await answer(c, user, slug), 200);
  });
  api.openapi(deleteRoute, async (c) => {
    await c.get("community").collections.remove(actor(c, "write"), c.req.valid("param").slug);
    return c.body(null, 204);
  });

  const addPaper = async (c: Context<AppEnv>, slug: string, rawId: string) => {
    const user = actor(c, "write");
    const body = (await c.req.json().catch(() => ({}))) as unknown;
    const note = body && typeof body === "object" && "note" in body ? (body as { note: unknown }).note : undefined;
    if (note !== undefined && typeof note !== "string") throw new CommunityError("invalid", "note: must be a string");
    await c.get("community").collections.addPaper(user, slug, paperIdOf(rawId), note);
    return c.json(await answer(c, user, slug), 200);
  };
  const removePaper = async (c: Context<AppEnv>, slug: string, rawId: string) => {
    const user = actor(c, "write");
    await c.get("community").collections.removePaper(user, slug, paperIdOf(rawId));
    return c.json(await answer(c, user, slug), 200);
  };
  api.openapi(addPaperRoute, (c) => addPaper(c, c.req.valid("param").slug, c.req.valid("param").id));
  api.openapi(removePaperRoute, (c) => removePaper(c, c.req.valid("param").slug, c.req.valid("param").id));
  // Old-style ids (hep-th/9901001) arrive as two path segments.
  const oldStyle = "/api/v1/collections/:slug/papers/:archive/:number";
  const oldId = (c: Context<AppEnv>) => `${c.req.param("archive")}/${c.req.param("number")}`;
  api.post(oldStyle, (c) => addPaper(c, c.req.param("slug") ?? "", oldId(c)));
  api.delete(oldStyle, (c) => removePaper(c, c.req.param("slug") ?? "", oldId(c)));

  const follow = (following: boolean) => async (c: Context<AppEnv>, target: { kind: FollowKind; value: string }) => {
    const user = actor(c, "write");
    const done = await c.get("community").follows.set(user, target.kind, target.value, following);
    return c.json({ kind: done.kind, value: done.value, following }, 200);
  };
  api.openapi(followRoute("post"), (c) => follow(true)(c, c.req.valid("json")));
  api.openapi(followRoute("delete"), (c) => follow(false)(c, c.req.valid("json")));
  api.openapi(listFollowsRoute, async (c) => {
    const follows = await c.get("community").follows.list(actor(c, "read"));
    return c.json({ follows: follows.map(({ kind, value }) => ({ kind, value })) }, 200);
  });

  api.openapi(feedRoute, async (c) => {
    const user = actor(c, "read");
    const page = Number(c.req.valid("query").page ?? 1);
    const feed = await c.get("community").follows.feed(user, page);
    const { baseUrl } = c.get("app").config;
    return c.json(
      {
        page,
        total: feed.total,
        items: feed.items.map((item) => ({ reasons: item.reasons, paper: toV1Paper(item.paper, baseUrl) })),
      },
      200,
    );
  });

  api.openapi(organizationRoute, async (c) => {
    const { store, config } = c.get("app");
    const { name } = c.req.valid("param");
    const page = Number(c.req.valid("query").page ?? 1);
    const organization = await store.organizations.byName(name);
    if (!organization) throw new CommunityError("not-found", `organisation ${name} not found`);
    const [list, followerCount] = await Promise.all([
      store.organizations.papers(organization.id, ORGANIZATION_PAGE, (page - 1) * ORGANIZATION_PAGE),
      store.follows.followerCount("organization", organization.name),
    ]);
    return c.json(
      {
        name: organization.name,
        fullname: organization.fullname,
        avatarUrl: organization.avatarUrl,
        url: `${config.baseUrl}/organizations/${encodeURIComponent(organization.name)}`,
        paperCount: organization.paperCount,
        followerCount,
        page,
        papers: list.items.map((item) => ({ feedDate: item.feedDate, paper: toV1Paper(item.paper, config.baseUrl) })),
      },
      200,
    );
  });
}
