import { type RawBuilder, sql } from "kysely";
import type { SearchSort, TextQuery } from "./search.ts";

/** Category and date conditions on `papers p`, written once for both databases. */
export function filterConditions(query: Pick<TextQuery, "categories" | "after" | "before">): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (query.categories.length) {
    const any = sql.join(
      query.categories.map((c) => sql`(c.category = ${c} OR c.category LIKE ${`${c}.%`})`),
      sql` OR `,
    );
    conditions.push(sql`EXISTS (SELECT 1 FROM paper_categories c WHERE c.paper_id = p.id AND (${any}))`);
  }
  if (query.after) conditions.push(sql`p.published_at >= ${query.after}`);
  if (query.before) conditions.push(sql`p.published_at < ${query.before}`);
  return conditions;
}

export function orderFor(sort: SearchSort): RawBuilder<unknown> {
  if (sort === "date") return sql`p.published_at DESC, p.pk DESC`;
  if (sort === "upvotes") return sql`p.upvotes DESC, p.published_at DESC, p.pk DESC`;
  return sql`score DESC, p.pk DESC`;
}

export function whereAll(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length ? sql.join(conditions, sql` AND `) : sql`TRUE`;
}
