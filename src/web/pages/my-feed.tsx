import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { followKinds, followRules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import type { Follow, FollowKind, FollowReason, PersonalFeedPage } from "../../store/index.ts";
import { categoryLabel } from "../categories.ts";
import { FollowButton, type FollowState } from "../components/follow-button.tsx";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { PaperCard } from "../components/paper-card.tsx";
import { feeds, paths, plural } from "../paths.ts";
import { localPath, readForm } from "../session.ts";
import { logInFirst, signedInUser, withVotes } from "./paper-actions.tsx";
import {
  badRequest,
  formPage,
  listQuery,
  type PageContext,
  postForm,
  readQuery,
  siteOf,
  wantsJson,
} from "./respond.tsx";

const targetPath: Record<FollowKind, (value: string) => string> = {
  author: paths.author,
  category: paths.category,
  organization: paths.organization,
};

const targetLabel = (kind: FollowKind, value: string) => (kind === "category" ? categoryLabel(value) : value);

/** Why a paper is on My feed: "By Yann LeCun, whom you follow · in cs.LG, which you follow". */
function Reasons({ reasons }: { reasons: FollowReason[] }) {
  const parts: Child[] = reasons.map((r) => {
    const link = <a href={targetPath[r.kind](r.value)}>{targetLabel(r.kind, r.value)}</a>;
    if (r.kind === "author") return <>By {link}, whom you follow</>;
    if (r.kind === "organization") return <>From {link}, which you follow</>;
    return <>In {link}, which you follow</>;
  });
  return (
    <p class="feed-reason">
      {parts.map((part, i) => (
        <>
          {i > 0 ? " · " : null}
          {part}
        </>
      ))}
    </p>
  );
}

/** The follow button of a page about an author, category or organisation, knowing the visitor's state. */
export async function followStateFor(
  c: PageContext,
  kind: FollowKind,
  value: string,
  label: string,
): Promise<FollowState> {
  const viewer = c.get("viewer");
  const url = new URL(c.req.url);
  const user = viewer?.via === "session" ? viewer.user : null;
  return {
    kind,
    value,
    label,
    csrfToken: viewer?.via === "session" ? viewer.session.csrfToken : null,
    following: await c.get("community").follows.isFollowing(user, kind, value),
    returnTo: `${url.pathname}${url.search}`,
  };
}

function MyFeedPage(props: {
  c: PageContext;
  follows: Follow[];
  feed: PersonalFeedPage;
  page: number;
  feedToken: string | null;
}) {
  const site = siteOf(props.c);
  const token = site.viewer?.csrfToken ?? null;
  const pageCount = Math.ceil(props.feed.total / followRules.feedPageSize);
  return (
    <Layout site={site} title="My feed" feeds={props.feedToken ? [feeds.myFeed(props.feedToken)] : undefined}>
      <h1>My feed</h1>
      <p class="muted">
        {`New papers from the ${plural(props.follows.length, "author, category and organisation", "authors, categories and organisations")} you follow, newest first · ${plural(props.feed.total, "paper")}`}
      </p>
      {props.feedToken ? null : (
        <p class="muted">
          {"To read it in a feed reader, make its private address in "}
          <a href={`${paths.settings()}#feed-heading`}>settings</a>.
        </p>
      )}
      {props.feed.items.length === 0 ? (
        <div class="empty">
          <p>
            {props.follows.length === 0
              ? "You follow nothing yet. Follow authors, categories and organisations from their pages, and their new papers gather here."
              : "No papers here yet."}
          </p>
        </div>
      ) : (
        <ul class="cards">
          {props.feed.items.map((item) => (
            <li>
              <PaperCard paper={item.paper}>
                <Reasons reasons={item.reasons} />
              </PaperCard>
            </li>
          ))}
        </ul>
      )}
      <Pager
        page={props.page}
        pageCount={pageCount}
        href={(n) => (n > 1 ? `${paths.myFeed()}?page=${n}` : paths.myFeed())}
      />
      {props.follows.length > 0 ? (
        <section aria-labelledby="following-heading">
          <h2 id="following-heading">You follow</h2>
          {followKinds.map((kind) => {
            const ofKind = props.follows.filter((f) => f.kind === kind);
            if (ofKind.length === 0) return null;
            return (
              <ul class="following-list">
                {ofKind.map((f) => (
                  <li>
                    <a href={targetPath[kind](f.value)}>{targetLabel(kind, f.value)}</a>
                    <FollowButton
                      kind={kind}
                      value={f.value}
                      label={targetLabel(kind, f.value)}
                      csrfToken={token}
                      following
                      returnTo={paths.myFeed()}
                    />
                  </li>
                ))}
              </ul>
            );
          })}
        </section>
      ) : null}
    </Layout>
  );
}

/** Following (a form on author, category and organisation pages) and My feed. */
export function registerMyFeed(app: Hono<AppEnv>): void {
  postForm(app, paths.follow(), async (c) => {
    const user = signedInUser(c);
    if (!user) return logInFirst(c, "log in to follow");
    const form = await readForm(c);
    const follow = await c
      .get("community")
      .follows.set(user, (form.kind ?? "") as FollowKind, form.value ?? "", form.following !== "0");
    if (wantsJson(c)) return c.json({ kind: follow.kind, value: follow.value, following: form.following !== "0" });
    return c.redirect(localPath(form.next, paths.myFeed()), 303);
  });

  formPage(app, paths.myFeed(), async (c) => {
    const user = signedInUser(c);
    if (!user) return c.redirect(paths.login(paths.myFeed()), 303);
    const query = readQuery(c, listQuery);
    if (!query.ok) return badRequest(c, query.message);
    const page = Number(query.value.page ?? 1);
    const { follows } = c.get("community");
    const [list, feed, feedToken] = await Promise.all([
      follows.list(user),
      follows.feed(user, page),
      c.get("app").store.feedTokens.of(user.id),
    ]);
    return c.html(
      await withVotes(
        c,
        feed.items.map((i) => i.paper),
        <MyFeedPage c={c} follows={list} feed={feed} page={page} feedToken={feedToken} />,
      ),
    );
  });
}
