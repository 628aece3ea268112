import type { Child } from "hono/jsx";
import { paths } from "../paths.ts";
import { Layout, type Site } from "./layout.tsx";

/** What a reader sees for a page that doesn't exist (404) or a malformed address (400). */
export function ErrorPage({ site, title, children }: { site: Site; title: string; children?: Child }) {
  return (
    <Layout site={site} title={title}>
      <h1>{title}</h1>
      {children}
      <p>
        <a href={paths.home()}>Go to today's papers</a> or use the search box above.
      </p>
    </Layout>
  );
}
