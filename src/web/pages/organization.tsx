import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { hfAccountName } from "../../papers/organization.ts";
import type { Organization, OrganizationPapersPage } from "../../store/index.ts";
import { FollowButton, type FollowState } from "../components/follow-button.tsx";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { PaperCards } from "../components/paper-card.tsx";
import { feeds, formatLongDay, paths, plural } from "../paths.ts";
import { followStateFor } from "./my-feed.tsx";
import { withVotes } from "./paper-actions.tsx";
import { badRequest, listQuery, notFound, offsetOf, PAGE_SIZE, page, readQuery, siteOf } from "./respond.tsx";

/** Consecutive papers of one feed day, in the order given. */
function byDay(items: OrganizationPapersPage["items"]) {
  const days: { day: string | null; papers: OrganizationPapersPage["items"] }[] = [];
  for (const item of items) {
    const last = days.at(-1);
    if (last && last.day === item.feedDate) last.papers.push(item);
    else days.push({ day: item.feedDate, papers: [item] });
  }
  return days;
}

function OrganizationPage(props: {
  site: ReturnType<typeof siteOf>;
  organization: Organization;
  list: OrganizationPapersPage;
  followers: number;
  follow: FollowState;
  page: number;
}) {
  const { organization, list } = props;
  const shown = organization.fullname ?? organization.name;
  const path = paths.organization(organization.name);
  return (
    <Layout
      site={props.site}
      title={props.page > 1 ? `${shown} (page ${props.page})` : shown}
      description={`Papers from ${shown} on the daily feed, with their upvotes.`}
      canonicalPath={props.page > 1 ? `${path}?page=${props.page}` : path}
      feeds={[feeds.organization(organization.name, shown)]}
    >
      <div class="title-row">
        <span class="org-avatar" aria-hidden="true">
          {shown.charAt(0).toUpperCase()}
        </span>
        <h1>{shown}</h1>
        <FollowButton {...props.follow} />
      </div>
      <p class="muted">
        {hfAccountName.test(organization.name) ? (
          <a href={`https://huggingface.co/${organization.name}`}>{`${organization.name} on Hugging Face`}</a>
        ) : (
          organization.name
        )}
        {` · ${plural(organization.paperCount, "paper")} · ${plural(props.followers, "follower")}`}
      </p>
      {byDay(list.items).map(({ day, papers }) => {
        const id = `day-${day ?? "none"}`;
        return (
          <section aria-labelledby={id}>
            <h2 id={id}>{day ? formatLongDay(day) : "Not on the daily feed"}</h2>
            <PaperCards papers={papers.map((p) => p.paper)} headingLevel={3} />
          </section>
        );
      })}
      <Pager
        page={props.page}
        pageCount={Math.ceil(list.total / PAGE_SIZE)}
        href={(n) => (n > 1 ? `${path}?page=${n}` : path)}
      />
    </Layout>
  );
}

/** An organisation's page: its papers by feed day, most upvoted first within a day. */
export function registerOrganizationPage(app: Hono<AppEnv>): void {
  page(app, "/organizations/:name", async (c) => {
    const name = c.req.param("name");
    if (!hfAccountName.test(name)) return badRequest(c, `"${name.slice(0, 100)}" is not an organisation name.`);
    const query = readQuery(c, listQuery);
    if (!query.ok) return badRequest(c, query.message);
    const pageNumber = Number(query.value.page ?? 1);
    const { store } = c.get("app");
    const organization = await store.organizations.byName(name);
    if (!organization) return notFound(c, "Organisation not found", `No papers from "${name}" here.`);
    const [list, followers] = await Promise.all([
      store.organizations.papers(organization.id, PAGE_SIZE, offsetOf(pageNumber)),
      store.follows.followerCount("organization", organization.name),
    ]);
    const shown = organization.fullname ?? organization.name;
    return c.html(
      await withVotes(
        c,
        list.items.map((i) => i.paper),
        <OrganizationPage
          site={siteOf(c)}
          organization={organization}
          list={list}
          followers={followers}
          follow={await followStateFor(c, "organization", organization.name, shown)}
          page={pageNumber}
        />,
      ),
    );
  });
}
