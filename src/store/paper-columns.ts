import type { CreateTableBuilder } from "kysely";

/** The papers columns both databases share; only the integer key and the text index differ. */
export function addPaperColumns<T extends string>(table: CreateTableBuilder<T, "pk">): CreateTableBuilder<T, string> {
  return table
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("version", "integer")
    .addColumn("versions", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("abstract", "text", (c) => c.notNull())
    .addColumn("authors", "text", (c) => c.notNull())
    .addColumn("author_names", "text", (c) => c.notNull())
    .addColumn("categories", "text", (c) => c.notNull())
    .addColumn("primary_category", "text")
    .addColumn("comment", "text")
    .addColumn("journal_ref", "text")
    .addColumn("doi", "text")
    .addColumn("license", "text")
    .addColumn("submitter", "text")
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text")
    .addColumn("github_repo", "text")
    .addColumn("project_page", "text")
    .addColumn("upvotes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("num_comments", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("trending_score", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("hf_meta", "text")
    .addColumn("content_hash", "text", (c) => c.notNull());
}
