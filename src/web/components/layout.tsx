import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { avatarPath } from "../../community/identity.ts";
import { assetUrl } from "../assets.ts";
import { type FeedFormat, type FeedRef, feedUrl, paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";
import { SubscribeForm } from "./subscribe-form.tsx";

export interface Site {
  name: string;
  baseUrl: string;
  /** Who is signed in (a browser session), null for everyone else. */
  viewer?: SiteViewer | null;
}

export interface SiteViewer {
  username: string;
  /** The token this visitor's forms carry. */
  csrfToken: string;
  verified: boolean;
}

/**
 * Log in and sign up, or the signed-in visitor's avatar and name, Submit and Log out. On a phone
 * only Log in, or the avatar (leading to settings, which has the rest), share the search row.
 */
function AccountNav({ viewer }: { viewer: SiteViewer | null | undefined }) {
  return (
    <nav class="account-nav" aria-label="Account">
      {viewer ? (
        <ul>
          <li class="wide">
            <a href={paths.myFeed()}>My feed</a>
          </li>
          <li class="wide">
            <a href={paths.submit()}>Submit</a>
          </li>
          <li>
            {/* The avatar alone, its name for screen readers and on hover: a long name must not push the header onto more rows. */}
            <a href={paths.settings()} title={`${viewer.username}: settings`}>
              <img class="avatar" src={avatarPath(viewer.username)} alt="" width="24" height="24" />
              <span class="visually-hidden">{viewer.username}</span>
            </a>
          </li>
          <li class="wide">
            <LogOut csrfToken={viewer.csrfToken} />
          </li>
        </ul>
      ) : (
        <ul>
          <li>
            <a href={paths.login()}>Log in</a>
          </li>
          <li class="wide">
            <a href={paths.signup()}>Sign up</a>
          </li>
        </ul>
      )}
    </nav>
  );
}

/** Logging out changes state, so it is a form (with the visitor's token), not a link. */
export function LogOut({ csrfToken }: { csrfToken: string }) {
  return (
    <form method="post" action={paths.logout()}>
      <TokenField token={csrfToken} />
      <button type="submit" class="link-button">
        Log out
      </button>
    </form>
  );
}

export type Section = "papers" | "trending" | "categories";

export interface LayoutProps {
  site: Site;
  /** Page title without the site name. */
  title: string;
  description?: string;
  /** Path of the page's canonical URL, when it has one. */
  canonicalPath?: string;
  section?: Section;
  /** What the header's search box shows: the query of a search page. */
  query?: string;
  /** Feeds that follow this page's list, announced to feed readers and linked under the content. */
  feeds?: FeedRef[];
  /** Extra tags for <head>: citation and social metadata, feed links. */
  head?: Child;
  children?: Child;
}

const sections: { id: Section; label: string; href: string }[] = [
  { id: "papers", label: "Papers", href: paths.home() },
  { id: "trending", label: "Trending", href: paths.trending() },
  { id: "categories", label: "Categories", href: paths.categories() },
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

/** The frame of every page: head, header with the search box and theme switch, footer. */
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
          <link rel="icon" href="/favicon.ico" sizes="32x32" />
          <link rel="icon" href="/icon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("site.css")} />
          {/* Blocking on purpose: it applies a remembered theme before the first paint. */}
          <script src={assetUrl("theme.js")} />
          {site.viewer ? <script type="module" src={assetUrl("vote.js")} /> : null}
          {site.viewer ? <script type="module" src={assetUrl("collect.js")} /> : null}
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
                <img src="/icon.svg" alt="" width="24" height="24" />
                {site.name}
              </a>
              <nav class="site-nav" aria-label="Site">
                <ul>
                  {sections.map((s) => (
                    <li class={s.id === "papers" ? "nav-home" : undefined}>
                      <a href={s.href} aria-current={props.section === s.id ? "page" : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {/* Shown by theme.js: without JavaScript the system setting decides. */}
              <button id="theme-toggle" class="theme-toggle" type="button" aria-pressed="false" hidden>
                <span aria-hidden="true">◐</span>
                <span class="visually-hidden">Dark theme</span>
              </button>
              <search class="search">
                <form action={paths.search()} method="get">
                  <label class="visually-hidden" for="site-search">
                    Search papers
                  </label>
                  <input
                    id="site-search"
                    type="search"
                    name="q"
                    value={props.query ?? ""}
                    placeholder="Search papers, authors, arXiv ids"
                  />
                  <button type="submit">Search</button>
                </form>
              </search>
              <AccountNav viewer={site.viewer} />
            </div>
          </header>
          <main id="content" class="wrap">
            {props.children}
            {props.feeds?.length ? <FeedLinks feeds={props.feeds} /> : null}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              <SubscribeForm idPrefix="footer" />
              <p>
                {site.name} is a self-hosted daily-papers hub for arXiv. Paper metadata from arXiv; daily picks, upvotes
                and AI summaries from the Hugging Face daily papers feed.
              </p>
              <nav aria-label="More">
                <ul>
                  <li>
                    <a href={paths.categories()}>All categories</a>
                  </li>
                  <li>
                    <a href={paths.docs()}>API documentation</a>
                  </li>
                  <li>
                    <a href="/openapi.json">OpenAPI</a>
                  </li>
                </ul>
              </nav>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
