import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { avatarPath } from "../../community/identity.ts";
import { assetUrl } from "../assets.ts";
import { paths } from "../paths.ts";
import { TokenField } from "./forms.tsx";

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

/** Log in and sign up, or the signed-in visitor's name, Submit and Log out. */
function AccountNav({ viewer }: { viewer: SiteViewer | null | undefined }) {
  return (
    <nav class="account-nav" aria-label="Account">
      {viewer ? (
        <ul>
          <li>
            <a href={paths.submit()}>Submit</a>
          </li>
          <li>
            <a href={paths.settings()}>
              <img class="avatar" src={avatarPath(viewer.username)} alt="" width="24" height="24" />
              {viewer.username}
            </a>
          </li>
          <li>
            <form method="post" action={paths.logout()}>
              <TokenField token={viewer.csrfToken} />
              <button type="submit" class="link-button">
                Log out
              </button>
            </form>
          </li>
        </ul>
      ) : (
        <ul>
          <li>
            <a href={paths.login()}>Log in</a>
          </li>
          <li>
            <a href={paths.signup()}>Sign up</a>
          </li>
        </ul>
      )}
    </nav>
  );
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
          {site.viewer ? <script src={assetUrl("vote.js")} defer /> : null}
          {props.head}
        </head>
        <body>
          <a class="skip-link" href="#content">
            Skip to content
          </a>
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
              <AccountNav viewer={site.viewer} />
            </div>
          </header>
          <main id="content" class="wrap">
            {props.children}
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
