import { newSecret } from "../../community/secrets.ts";
import type { User } from "../../store/index.ts";
import { SiteForm } from "../components/forms.tsx";
import { type FeedFormat, feeds, feedUrl } from "../paths.ts";
import type { PageContext } from "./respond.tsx";

const formats: { format: FeedFormat; label: string }[] = [
  { format: "rss", label: "RSS" },
  { format: "atom", label: "Atom" },
];

/**
 * The feed part of an account's settings: the private addresses of My feed in a feed reader, and
 * buttons to make new ones (the old stop working) or turn them off.
 */
export function FeedSettings(props: { action: string; baseUrl: string; token: string | null; csrf: string }) {
  const { action, baseUrl, token, csrf } = props;
  const button = (name: string, label: string) => (
    <SiteForm action={action} token={csrf}>
      <input type="hidden" name="action" value={name} />
      <p>
        <button type="submit">{label}</button>
      </p>
    </SiteForm>
  );
  if (!token) {
    return (
      <>
        <p>Read My feed in a feed reader at a private address. Anyone who has the address can read the feed.</p>
        {button("new", "Make a private address")}
      </>
    );
  }
  return (
    <>
      <p>Your private addresses of My feed; keep them to yourself, anyone who has one can read it.</p>
      {formats.map(({ format, label }) => (
        <p class="field">
          <label for={`feed-${format}`}>{label}</label>
          <input
            id={`feed-${format}`}
            type="text"
            readonly
            value={`${baseUrl}${feedUrl(feeds.myFeed(token), format)}`}
          />
        </p>
      ))}
      {button("new", "Make new addresses (these stop working)")}
      {button("off", "Turn the private feed off")}
    </>
  );
}

/** What the feed form did, as the settings page words it. */
export async function changeFeedToken(c: PageContext, user: User, form: Record<string, string>) {
  const { store } = c.get("app");
  if (form.action === "off") {
    await store.feedTokens.remove(user.id);
    return { notice: "The private feed is off; its addresses open nothing now." };
  }
  if (form.action !== "new") return { error: "Choose to make new addresses or to turn the feed off." };
  await store.feedTokens.replace(user.id, newSecret().secret, new Date().toISOString());
  return { notice: "New private addresses made; the old ones open nothing now." };
}
