import type { Hono } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { categoryGroup, categoryName } from "../categories.ts";
import { Layout } from "../components/layout.tsx";
import { paths, plural } from "../paths.ts";
import { page, siteOf } from "./respond.tsx";

/** What a reader should know about papers that no category lists. */
export function uncategorizedNotice(count: number): string {
  return `${plural(count, "paper")} ${count === 1 ? "is" : "are"} known only from the Hugging Face daily feed and ${count === 1 ? "has" : "have"} no arXiv categories, so no category lists ${count === 1 ? "it" : "them"}.`;
}

/** /categories: every category that has papers, by arXiv group, with counts. */
export function registerCategoriesPage(app: Hono<AppEnv>): void {
  page(app, paths.categories(), async (c) => {
    const { categories, uncategorized } = await c.get("app").store.listings.categoryCounts();
    const byGroup = new Map<string, typeof categories>();
    for (const entry of categories) {
      const group = categoryGroup(entry.category);
      byGroup.set(group, [...(byGroup.get(group) ?? []), entry]);
    }
    const groups = [...byGroup.entries()].sort(([a], [b]) => categoryName(a).localeCompare(categoryName(b)));
    return c.html(
      <Layout
        site={siteOf(c)}
        title="Categories"
        description="The arXiv categories of the papers here, with how many papers each holds."
        canonicalPath={paths.categories()}
        section="categories"
      >
        <h1>Categories</h1>
        <p class="muted">
          {plural(categories.length, "arXiv category", "arXiv categories")}; a paper counts in each of its categories.
        </p>
        {uncategorized > 0 ? <p class="notice">{uncategorizedNotice(uncategorized)}</p> : null}
        {groups.length === 0 ? (
          <div class="empty">
            <p>No paper here has an arXiv category yet.</p>
          </div>
        ) : (
          groups.map(([group, entries]) => (
            <section aria-labelledby={`group-${group}`}>
              <h2 id={`group-${group}`}>{categoryName(group)}</h2>
              <ul class="category-list">
                {entries.map(({ category, papers }) => (
                  <li>
                    <a href={paths.category(category)}>
                      <span class="category-name">{categoryName(category)}</span>
                      <span class="category-id">{category}</span>
                    </a>
                    <span class="muted">{plural(papers, "paper")}</span>
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </Layout>,
    );
  });
}
