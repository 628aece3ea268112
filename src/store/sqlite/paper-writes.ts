import type SqliteDatabase from "better-sqlite3";
import type { ChangedPaper, FeedPut, FeedRemoval } from "../papers.ts";

/**
 * Writes an ingest batch on SQLite with prepared statements kept for the connection's life, one
 * row per call. Through Kysely the same batch was a few multi-row INSERTs of thousands of values
 * each, compiled and prepared anew for every batch, which cost about as much as SQLite's own
 * work. Runs inside the caller's transaction (the same connection, and better-sqlite3 is
 * synchronous, so nothing else runs in between).
 */
export class SqlitePaperWriter {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  constructor(private readonly db: SqliteDatabase.Database) {}

  write(changed: ChangedPaper[], feedRemovals: FeedRemoval[], feedPuts: FeedPut[]): void {
    const first = changed[0];
    if (first) {
      const columns = Object.keys(first.row);
      const upsert = this.statement(
        `INSERT INTO papers (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})
         ON CONFLICT (id) DO UPDATE SET ${columns
           .filter((c) => c !== "id")
           .map((c) => `${c} = excluded.${c}`)
           .join(", ")}`,
      );
      const deleteAuthors = this.statement("DELETE FROM paper_authors WHERE paper_id = ?");
      const deleteCategories = this.statement("DELETE FROM paper_categories WHERE paper_id = ?");
      const insertAuthor = this.statement(
        "INSERT INTO paper_authors (paper_id, position, name, published_at) VALUES (?, ?, ?, ?)",
      );
      const insertCategory = this.statement(
        "INSERT INTO paper_categories (paper_id, category, position, published_at) VALUES (?, ?, ?, ?)",
      );
      for (const { paper, row, stored } of changed) {
        upsert.run(row);
        // A paper new to the store has no authors or categories to replace.
        if (stored) {
          deleteAuthors.run(paper.id);
          deleteCategories.run(paper.id);
        }
        paper.authors.forEach((a, position) => {
          insertAuthor.run(paper.id, position, a.name, row.published_at);
        });
        [...new Set(paper.categories)].forEach((category, position) => {
          insertCategory.run(paper.id, category, position, row.published_at);
        });
      }
    }
    const removeFeed = this.statement("DELETE FROM feed_entries WHERE paper_id = ? AND feed_date = ?");
    for (const r of feedRemovals) removeFeed.run(r.paper_id, r.feed_date);
    const putFeed = this.statement(
      `INSERT INTO feed_entries (paper_id, feed_date, source, submitted_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (feed_date, paper_id) DO UPDATE SET source = excluded.source, submitted_by = excluded.submitted_by`,
    );
    for (const p of feedPuts) putFeed.run(p.paper_id, p.feed_date, p.source, p.submitted_by);
  }

  private statement(sql: string): SqliteDatabase.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
