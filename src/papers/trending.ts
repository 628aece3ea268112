/**
 * Trending score, stored on every write (lobsters/reddit "hot" style):
 *
 *   score = log10(1 + upvotes) + (publishedAt − 2020-01-01) / 36 h
 *
 * Each tenfold of upvotes is worth 36 hours of recency. Because the time term grows with the
 * publication date rather than with "now", the order never goes stale, so the score only has
 * to change when a paper's upvotes do and can live in an indexed column.
 */
export const TRENDING_DECADE_SECONDS = 36 * 3600;
const EPOCH_MS = Date.UTC(2020, 0, 1);

export function trendingScore(upvotes: number, publishedAt: string): number {
  const seconds = (Date.parse(publishedAt) - EPOCH_MS) / 1000;
  const score =
    Math.log10(1 + Math.max(0, upvotes)) + (Number.isFinite(seconds) ? seconds : 0) / TRENDING_DECADE_SECONDS;
  // Rounded so the stored value is identical on both databases and across re-ingests.
  return Math.round(score * 1e6) / 1e6;
}
