import type { Hono } from "hono";
import { CommunityError, collectionRules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { CollectionWithPapers, User } from "../../store/index.ts";
import { Field, SiteForm, TokenField } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { PaperCard } from "../components/paper-card.tsx";
import { feeds, paths, plural } from "../paths.ts";
import { localPath, readForm } from "../session.ts";
import { logInFirst, signedInUser, withVotes } from "./paper-actions.tsx";
import { formPage, notFound, type PageContext, postForm, siteOf, wantsJson } from "./respond.tsx";

function paperIdOf(raw: string | undefined): string {
  const parsed = parseArxivId(raw ?? "");
  if (!parsed) throw new CommunityError("invalid", `"${raw ?? ""}" is not an arXiv id`);
  return parsed.id;
}

function requireUser(c: PageContext): User {
  const user = signedInUser(c);
  if (!user) throw new CommunityError("unauthenticated", "log in first");
  return user;
}

const anchorOf = (paperId: string) => `item-${paperId.replace(/[^A-Za-z0-9]/g, "-")}`;

/** The owner's form for the title, description and privacy: also the "new collection" form. */
export function CollectionFields(props: { token: string; action: string; collection?: CollectionWithPapers }) {
  const { collection } = props;
  const id = collection ? "edit" : "new";
  return (
    <SiteForm action={props.action} token={props.token}>
      <Field
        id={`${id}-title`}
        name="title"
        label="Title"
        value={collection?.title}
        required
        maxLength={collectionRules.titleMax}
      />
      <p class="field">
        <label for={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} name="description" rows={3} maxlength={collectionRules.descriptionMax}>
          {collection?.description ?? ""}
        </textarea>
      </p>
      <p class="check">
        <input id={`${id}-private`} name="private" type="checkbox" value="1" checked={collection?.private} />
        <label for={`${id}-private`}>Private: only you can see it</label>
      </p>
      <p>
        <button type="submit">{collection ? "Save changes" : "Create collection"}</button>
      </p>
    </SiteForm>
  );
}

/** One paper's controls for the owner: its note, its place, taking it out. */
function ItemControls(props: {
  slug: string;
  token: string;
  paperId: string;
  note: string;
  first: boolean;
  last: boolean;
}) {
  const action = paths.collectionAction(props.slug, "items");
  const button = (name: string, label: string, disabled = false) => (
    <form method="post" action={action} class="inline-form">
      <TokenField token={props.token} />
      <input type="hidden" name="paper" value={props.paperId} />
      <button type="submit" name="action" value={name} disabled={disabled}>
        {label}
      </button>
    </form>
  );
  const noteId = `note-${anchorOf(props.paperId)}`;
  return (
    <div class="collection-controls">
      <form method="post" action={action} class="note-form">
        <TokenField token={props.token} />
        <input type="hidden" name="paper" value={props.paperId} />
        <label for={noteId}>Note</label>
        <input id={noteId} name="note" type="text" value={props.note} maxlength={collectionRules.noteMax} />
        <button type="submit" name="action" value="note">
          Save note
        </button>
      </form>
      {button("up", "Move up", props.first)}
      {button("down", "Move down", props.last)}
      {button("remove", "Remove")}
    </div>
  );
}

function CollectionPage({ c, collection, own }: { c: PageContext; collection: CollectionWithPapers; own: boolean }) {
  const site = siteOf(c);
  const token = site.viewer?.csrfToken ?? "";
  return (
    <Layout
      site={site}
      title={collection.title}
      description={
        collection.description || `${plural(collection.paperCount, "paper")} collected by ${collection.ownerUsername}.`
      }
      canonicalPath={collection.private ? undefined : paths.collection(collection.slug)}
      feeds={collection.private ? undefined : [feeds.collection(collection.slug, collection.title)]}
    >
      <h1>{collection.title}</h1>
      <p class="muted">
        {"A collection by "}
        <a href={paths.user(collection.ownerUsername)}>{collection.ownerUsername}</a>
        {` · ${plural(collection.paperCount, "paper")}`}
        {collection.private ? (
          <>
            {" · "}
            <span class="badge">Private</span>
          </>
        ) : null}
      </p>
      {collection.description ? <p class="collection-description">{collection.description}</p> : null}
      {collection.items.length === 0 ? (
        <div class="empty">
          <p>No papers in this collection yet. Add some with Save on any paper.</p>
        </div>
      ) : (
        <ol class="cards collection-items">
          {collection.items.map((item, i) => (
            <li id={anchorOf(item.paper.id)}>
              <PaperCard paper={item.paper}>
                {item.note ? <p class="collection-note">{item.note}</p> : null}
                {own ? (
                  <ItemControls
                    slug={collection.slug}
                    token={token}
                    paperId={item.paper.id}
                    note={item.note}
                    first={i === 0}
                    last={i === collection.items.length - 1}
                  />
                ) : null}
              </PaperCard>
            </li>
          ))}
        </ol>
      )}
      {own ? (
        <section aria-labelledby="collection-settings">
          <h2 id="collection-settings">Edit this collection</h2>
          <CollectionFields
            token={token}
            action={paths.collectionAction(collection.slug, "edit")}
            collection={collection}
          />
          <form method="post" action={paths.collectionAction(collection.slug, "delete")}>
            <TokenField token={token} />
            <button type="submit" class="danger">
              Delete this collection
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** Collection pages, and the forms that make and change collections; all work without JavaScript. */
export function registerCollectionPages(app: Hono<AppEnv>): void {
  postForm(app, paths.save(), async (c) => {
    const user = signedInUser(c);
    if (!user) return logInFirst(c, "log in to save papers");
    const form = await readForm(c);
    const collections = c.get("community").collections;
    const paperId = paperIdOf(form.paper);
    const title = form.title?.trim() ?? "";
    const slug = title
      ? (await collections.create(user, { title })).slug
      : form.collection?.trim() || (await collections.create(user, { title: "Saved papers" })).slug;
    const status = await collections.addPaper(user, slug, paperId);
    const collection = await collections.view(user, slug);
    if (!wantsJson(c)) return c.redirect(`${paths.collection(slug)}#${anchorOf(paperId)}`, 303);
    return c.json({ status, slug, title: collection.title, url: paths.collection(slug) });
  });

  postForm(app, "/collections", async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const made = await c.get("community").collections.create(user, {
      title: form.title ?? "",
      description: form.description ?? "",
      private: form.private === "1",
    });
    return c.redirect(paths.collection(made.slug), 303);
  });

  formPage(app, "/collections/:slug", async (c) => {
    const viewer = signedInUser(c);
    let collection: CollectionWithPapers;
    try {
      collection = await c.get("community").collections.view(viewer, c.req.param("slug"));
    } catch (error) {
      if (error instanceof CommunityError && error.refusal === "not-found") {
        return notFound(c, "Collection not found", "There is no collection at this address, or it is private.");
      }
      throw error;
    }
    const own = viewer?.id === collection.ownerId;
    return c.html(
      await withVotes(
        c,
        collection.items.map((i) => i.paper),
        <CollectionPage c={c} collection={collection} own={own} />,
      ),
    );
  });

  postForm(app, "/collections/:slug/edit", async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const slug = c.req.param("slug");
    await c.get("community").collections.edit(user, slug, {
      title: form.title ?? "",
      description: form.description ?? "",
      private: form.private === "1",
    });
    return c.redirect(paths.collection(slug), 303);
  });

  postForm(app, "/collections/:slug/delete", async (c) => {
    const user = requireUser(c);
    await readForm(c);
    await c.get("community").collections.remove(user, c.req.param("slug"));
    return c.redirect(paths.user(user.username), 303);
  });

  postForm(app, "/collections/:slug/items", async (c) => {
    const user = requireUser(c);
    const form = await readForm(c);
    const slug = c.req.param("slug");
    const paperId = paperIdOf(form.paper);
    const collections = c.get("community").collections;
    switch (form.action) {
      case "remove":
        await collections.removePaper(user, slug, paperId);
        return c.redirect(localPath(form.next, paths.collection(slug)), 303);
      case "up":
      case "down":
        await collections.move(user, slug, paperId, form.action);
        break;
      case "note":
        await collections.addPaper(user, slug, paperId, form.note ?? "");
        break;
      default:
        throw new CommunityError("invalid", "action: one of note, up, down, remove");
    }
    return c.redirect(`${paths.collection(slug)}#${anchorOf(paperId)}`, 303);
  });
}
