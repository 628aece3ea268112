import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { assetUrl } from "../assets.ts";
import { type FeedFormat, type FeedRef, feedUrl, paths } from "../paths.ts";
import { SubscribeForm } from "./subscribe-form.tsx";

export interface Site {
  name: string;
  baseUrl: string;
}

export type Section = "daily" | "weekly" | "monthly" | "trending";

export interface LayoutProps {
  site: Site;
  /** Page title without the site name. */
  title: string;
  description?: string;
  /** Path of the page's canonical URL, when it has one. */
  canonicalPath?: string;
  section?: Section;
  /** Feeds that follow this page's list, announced to feed readers and linked under the content. */
  feeds?: FeedRef[];
  /** Extra tags for <head>: citation and social metadata. */
  head?: Child;
  children?: Child;
}

const sections: { id: Section; label: string; href: string }[] = [
  { id: "daily", label: "Daily", href: paths.home() },
  { id: "weekly", label: "Weekly", href: "/papers/week" },
  { id: "monthly", label: "Monthly", href: "/papers/month" },
  { id: "trending", label: "Trending", href: paths.trending() },
];

const feedFormats: { format: FeedFormat; label: string; type: string }[] = [
  { format: "rss", label: "RSS", type: "application/rss+xml" },
  { format: "atom", label: "Atom", type: "application/atom+xml" },
];

/** "Follow this list: RSS · Atom", for each of the page's feeds. */
function FeedLinks({ feeds }: { feeds: FeedRef[] }) {
  return (
    <>
      {feeds.map((feed) => (
        <p class="feed-links muted">
          {`Follow ${feed.title.charAt(0).toLowerCase()}${feed.title.slice(1)} in a feed reader: `}
          {feedFormats.map(({ format, label }, i) => (
            <>
              {i > 0 ? " · " : ""}
              <a href={feedUrl(feed, format)}>{label}</a>
            </>
          ))}
        </p>
      ))}
    </>
  );
}

/** The frame of every page: head, header with the search box, footer. */
export function Layout(props: LayoutProps) {
  const { site } = props;
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · ${site.name}`}</title>
          {props.description ? <meta name="description" content={props.description} /> : null}
          {props.canonicalPath ? <link rel="canonical" href={`${site.baseUrl}${props.canonicalPath}`} /> : null}
          <meta name="color-scheme" content="light dark" />
          <link rel="stylesheet" href={assetUrl("site.css")} />
          <link rel="stylesheet" href={assetUrl("katex/katex.min.css")} />
          {(props.feeds ?? []).flatMap((feed) =>
            feedFormats.map(({ format, label, type }) => (
              <link
                rel="alternate"
                type={type}
                title={`${feed.title} (${label})`}
                href={`${site.baseUrl}${feedUrl(feed, format)}`}
              />
            )),
          )}
          {props.head}
        </head>
        <body>
          <a class="skip-link" href="#content">
            Skip to content
          </a>
          <aside class="subscribe-banner" aria-label="Digest by e-mail">
            <div class="wrap">
              <SubscribeForm idPrefix="banner" />
            </div>
          </aside>
          <header class="site-header">
            <div class="wrap">
              <a class="brand" href={paths.home()}>
                {site.name}
              </a>
              <nav class="site-nav" aria-label="Feeds">
                <ul>
                  {sections.map((s) => (
                    <li>
                      <a href={s.href} aria-current={props.section === s.id ? "page" : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <search class="search">
                <form action={paths.search()} method="get">
                  <label class="visually-hidden" for="site-search">
                    Search papers
                  </label>
                  <input id="site-search" type="search" name="q" placeholder="Search papers, authors, arXiv ids" />
                  <button type="submit">Search</button>
                </form>
              </search>
            </div>
          </header>
          <main id="content" class="wrap">
            {props.children}
            {props.feeds?.length ? <FeedLinks feeds={props.feeds} /> : null}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              {site.name} is a self-hosted daily-papers hub for arXiv. Paper metadata from arXiv; daily picks and
              upvotes from the Hugging Face daily papers feed.
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
