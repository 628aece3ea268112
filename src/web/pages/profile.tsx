import type { Hono } from "hono";
import type { Child } from "hono/jsx";
import { avatarPath, CommunityError, type Profile, shownName } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import type { DatedPaper } from "../../store/index.ts";
import { Layout } from "../components/layout.tsx";
import { PaperCards } from "../components/paper-card.tsx";
import { formatDate, paths, plural } from "../paths.ts";
import { CollectionFields } from "./collections.tsx";
import { signedInUser, withVotes } from "./paper-actions.tsx";
import { formPage, notFound, type PageContext, siteOf } from "./respond.tsx";

const EXCERPT = 200;

function Part(props: { id: string; title: string; children?: Child }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

function Papers({ papers, none }: { papers: DatedPaper[]; none: string }) {
  return papers.length === 0 ? (
    <p class="muted">{none}</p>
  ) : (
    <PaperCards papers={papers.map((p) => p.paper)} headingLevel={3} />
  );
}

function ProfilePage({ c, profile, own }: { c: PageContext; profile: Profile; own: boolean }) {
  const site = siteOf(c);
  const { user, fields } = profile;
  const name = shownName(user);
  return (
    <Layout
      site={site}
      title={name === user.username ? user.username : `${name} (${user.username})`}
      description={fields.bio || `${user.username} on ${site.name}.`}
      canonicalPath={paths.user(user.username)}
    >
      <div class="profile-head">
        <img class="avatar" src={avatarPath(user.username)} alt="" width="64" height="64" />
        <div>
          <h1>{name}</h1>
          <p class="muted">
            {`@${user.username} · joined ${formatDate(user.createdAt)}`}
            {user.role !== "user" ? <span class="badge">{user.role === "admin" ? "Admin" : "Moderator"}</span> : null}
            {own ? (
              <>
                {" · "}
                <a href={paths.settings()}>Edit profile</a>
              </>
            ) : null}
          </p>
        </div>
      </div>
      {fields.bio ? <p class="profile-bio">{fields.bio}</p> : null}
      {fields.links.length > 0 ? (
        <ul class="profile-links">
          {fields.links.map((link) => (
            <li>
              <a href={link} rel="nofollow ugc noopener me">
                {link.replace(/^https?:\/\//, "")}
              </a>
            </li>
          ))}
        </ul>
      ) : null}

      <Part id="collections-heading" title="Collections">
        {profile.collections.length === 0 ? (
          <p class="muted">No collections yet.</p>
        ) : (
          <ul class="collection-list">
            {profile.collections.map((collection) => (
              <li>
                <a href={paths.collection(collection.slug)}>{collection.title}</a>
                <span class="muted">{` · ${plural(collection.paperCount, "paper")}`}</span>
                {collection.private ? <span class="badge">Private</span> : null}
              </li>
            ))}
          </ul>
        )}
        {own ? (
          <details class="new-collection">
            <summary>New collection</summary>
            <CollectionFields token={site.viewer?.csrfToken ?? ""} action="/collections" />
          </details>
        ) : null}
      </Part>

      <Part id="submissions-heading" title="Submitted papers">
        <Papers papers={profile.submissions} none="No papers submitted yet." />
      </Part>

      <Part id="comments-heading" title="Comments">
        {profile.comments.length === 0 ? (
          <p class="muted">No comments yet.</p>
        ) : (
          <ul class="profile-comments">
            {profile.comments.map((comment) => (
              <li>
                <a href={paths.comment(comment.paperId, comment.id)}>{comment.paperTitle}</a>
                <span class="muted">{` · ${formatDate(comment.createdAt)}`}</span>
                <p>{comment.body.length > EXCERPT ? `${comment.body.slice(0, EXCERPT)}…` : comment.body}</p>
              </li>
            ))}
          </ul>
        )}
      </Part>

      {profile.upvoted ? (
        <Part id="upvotes-heading" title="Upvoted papers">
          {own && !fields.upvotesPublic ? (
            <p class="muted">
              {"Only you see this list; "}
              <a href={paths.settings()}>show it to everyone</a>
              {" in settings."}
            </p>
          ) : null}
          <Papers papers={profile.upvoted} none="No upvotes yet." />
        </Part>
      ) : null}
    </Layout>
  );
}

/** /users/{username}: what a member does here, and what they chose to show. */
export function registerProfilePage(app: Hono<AppEnv>): void {
  formPage(app, "/users/:username", async (c) => {
    const viewer = signedInUser(c);
    let profile: Profile;
    try {
      profile = await c.get("community").profiles.view(c.req.param("username"), viewer);
    } catch (error) {
      if (error instanceof CommunityError && error.refusal === "not-found") return notFound(c, "User not found");
      throw error;
    }
    const papers = [...profile.submissions, ...(profile.upvoted ?? [])].map((p) => p.paper);
    return c.html(
      await withVotes(c, papers, <ProfilePage c={c} profile={profile} own={viewer?.id === profile.user.id} />),
    );
  });
}
