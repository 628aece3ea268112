import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../http/context.ts";
import { rateLimit } from "../../http/rate-limit.ts";
import { sameOriginForms } from "../../http/same-origin.ts";
import { digestPeriods, parseEmail, subscriptionPaths } from "../../inbox/inbox.ts";
import type { DigestPeriodKind, Subscriber } from "../../store/index.ts";
import { Layout } from "../components/layout.tsx";
import { SubscribeForm } from "../components/subscribe-form.tsx";
import { paths } from "../paths.ts";
import { errorPage, siteOf } from "./respond.tsx";

type SubscriptionContext = Context<AppEnv>;

/**
 * Pages that hold a token in their address are nobody's to cache; the site's Referrer-Policy
 * (strict-origin-when-cross-origin) already keeps their address from other sites.
 */
function respond(c: SubscriptionContext, title: string, body: Child, status: 200 | 400 = 200) {
  c.header("Cache-Control", "no-store");
  return c.html(
    <Layout site={siteOf(c)} title={title}>
      <h1>{title}</h1>
      {body}
    </Layout>,
    status,
  );
}

const parsePeriod = (value: unknown): DigestPeriodKind | null =>
  digestPeriods.find((p) => p === (value ?? "daily")) ?? null;

async function formValue(c: SubscriptionContext, name: string): Promise<string | undefined> {
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

function badLink(c: SubscriptionContext, what: string) {
  return respond(
    c,
    "This link does not work",
    <>
      <p>{`This ${what} link is incomplete, altered or expired. Links in mails must be opened as they are.`}</p>
      <p>You can always subscribe again:</p>
      <SubscribeForm idPrefix="again" />
    </>,
    400,
  );
}

/** A button that POSTs back to the same address, for links that change something: mail scanners follow links, they do not press buttons. */
function ManageButton({ token, label, name, value }: { token: string; label: string; name?: string; value?: string }) {
  return (
    <form method="post" action={`${subscriptionPaths.unsubscribe}?${new URLSearchParams({ token })}`}>
      {name ? <input type="hidden" name={name} value={value} /> : null}
      <button type="submit">{label}</button>
    </form>
  );
}

function ManageSubscription({ subscriber, token }: { subscriber: Subscriber; token: string }) {
  if (subscriber.status !== "active") {
    return (
      <>
        <p>{`${subscriber.email} gets no digests from this site.`}</p>
        <p>Changed your mind?</p>
        <SubscribeForm idPrefix="again" email={subscriber.email} />
      </>
    );
  }
  const other = subscriber.period === "daily" ? "weekly" : "daily";
  return (
    <>
      <p>{`${subscriber.email} gets the ${subscriber.period} digest.`}</p>
      <ManageButton token={token} label="Unsubscribe" />
      <p>{`Or keep it, but ${other}:`}</p>
      <ManageButton token={token} label={`Switch to the ${other} digest`} name="period" value={other} />
    </>
  );
}

/** Subscribe forms a client may send an hour: each may mail a confirmation to any address. */
export const SUBSCRIBE_RATE_LIMIT = 10;

/** RFC 8058: the POST a mail provider's server makes, with no cookie, no Origin, no page of ours. */
const isOneClickUnsubscribe = async (c: SubscriptionContext) =>
  (await formValue(c, "List-Unsubscribe")) === "One-Click" && (await formValue(c, "period")) === undefined;

/**
 * Forms posted from another site's page are refused: the buttons behind mailed links are
 * guarded by their signed token, but nobody should be made to press them elsewhere either.
 */
const fromOurPages = sameOriginForms({
  exempt: isOneClickUnsubscribe,
  refuse: (c, origin) =>
    errorPage(
      c,
      403,
      "Form from another site",
      `This form was sent from ${origin === "null" ? "a page with no origin" : origin}, not from this site. Use the form on this site's own pages.`,
    ),
});

const subscribeLimit = rateLimit({
  bucket: "subscribe",
  limit: () => SUBSCRIBE_RATE_LIMIT,
  windowSeconds: 3600,
  refuse: (c, { limit, retryAfterSeconds }) =>
    errorPage(
      c,
      429,
      "Too many subscriptions",
      `Subscribe forms from your address are limited to ${limit} an hour: try again in ${Math.ceil(retryAfterSeconds / 60)} min.`,
    ),
});

/** Subscribing with an address, confirming it, and leaving again (RFC 8058 one-click included). */
export function registerSubscriptionPages(app: Hono<AppEnv>): void {
  app.post(subscriptionPaths.subscribe, fromOurPages, subscribeLimit);
  app.post(subscriptionPaths.confirm, fromOurPages);
  app.post(subscriptionPaths.unsubscribe, fromOurPages);

  app.get(subscriptionPaths.subscribe, (c) =>
    respond(
      c,
      "Subscribe",
      <>
        <p>The most upvoted papers of each day or week, by e-mail. You confirm first; every mail can stop the next.</p>
        <SubscribeForm idPrefix="page" />
      </>,
    ),
  );

  app.post(subscriptionPaths.subscribe, async (c) => {
    const body = await c.req.parseBody();
    const email = parseEmail(typeof body.email === "string" ? body.email : "");
    const period = parsePeriod(body.period);
    if (!email || !period) {
      return respond(
        c,
        "Subscribe",
        <>
          <p class="notice">
            {!email
              ? "That is not an e-mail address: write it like you@example.org."
              : "Choose a daily or a weekly digest."}
          </p>
          <SubscribeForm idPrefix="page" email={typeof body.email === "string" ? body.email.slice(0, 254) : ""} />
        </>,
        400,
      );
    }
    await c.get("inbox").subscribe(email, period);
    // The same answer whatever the address's state, so that this page tells no one who subscribes here.
    return respond(
      c,
      "Check your inbox",
      <>
        <p>{`If ${email} can receive mail, a message with a confirmation link is on its way to it.`}</p>
        <p>Follow the link to start the {period} digest. Nothing else is sent until you do.</p>
        <p>
          <a href={paths.home()}>Back to today's papers</a>
        </p>
      </>,
    );
  });

  app.get(subscriptionPaths.confirm, async (c) => {
    const token = c.req.query("token") ?? "";
    if (!token) return badLink(c, "confirmation");
    return respond(
      c,
      "Confirm your subscription",
      <form method="post" action={`${subscriptionPaths.confirm}?${new URLSearchParams({ token })}`}>
        <p>One more step: press the button to start your digest.</p>
        <button type="submit">Confirm my subscription</button>
      </form>,
    );
  });

  app.post(subscriptionPaths.confirm, async (c) => {
    const subscriber = await c.get("inbox").confirm(c.req.query("token") ?? "");
    if (!subscriber) return badLink(c, "confirmation");
    return respond(
      c,
      "You are subscribed",
      <>
        <p>{`${subscriber.email} will get the ${subscriber.period} digest of the most upvoted papers.`}</p>
        <p>Every digest ends with a link to unsubscribe or to switch between daily and weekly.</p>
        <p>
          <a href={paths.home()}>See today's papers</a>
        </p>
      </>,
    );
  });

  app.get(subscriptionPaths.unsubscribe, async (c) => {
    const token = c.req.query("token") ?? "";
    const subscriber = await c.get("inbox").subscriberOf(token);
    if (!subscriber) return badLink(c, "unsubscribe");
    return respond(c, "Your digest", <ManageSubscription subscriber={subscriber} token={token} />);
  });

  // The List-Unsubscribe URL: a mail client's one-click POST (body List-Unsubscribe=One-Click, no
  // cookies), or this site's own buttons, which may ask for the other period instead.
  app.post(subscriptionPaths.unsubscribe, async (c) => {
    const token = c.req.query("token") ?? "";
    const inbox = c.get("inbox");
    const requested = await formValue(c, "period");
    if (requested !== undefined) {
      const period = parsePeriod(requested);
      const changed = period ? await inbox.changePeriod(token, period) : null;
      if (!changed) return badLink(c, "unsubscribe");
      return respond(c, "Your digest", <ManageSubscription subscriber={changed} token={token} />);
    }
    const subscriber = await inbox.unsubscribe(token);
    if (!subscriber) return badLink(c, "unsubscribe");
    return respond(
      c,
      "You are unsubscribed",
      <>
        <p>{`No more digests go to ${subscriber.email}.`}</p>
        <ManageSubscription subscriber={subscriber} token={token} />
      </>,
    );
  });
}
