import { digestPeriods } from "../../inbox/inbox.ts";
import type { DigestPeriodKind, Subscriber, User } from "../../store/index.ts";
import { SiteForm } from "../components/forms.tsx";
import type { PageContext } from "./respond.tsx";

const otherPeriod = (period: DigestPeriodKind): DigestPeriodKind => (period === "daily" ? "weekly" : "daily");

/** The digest part of an account's settings: what its address gets, and the buttons to change it. */
export function DigestSettings(props: { action: string; user: User; subscription: Subscriber | null; csrf: string }) {
  const { action, user, subscription, csrf } = props;
  if (!user.email) return null;
  if (subscription?.status === "active") {
    const other = otherPeriod(subscription.period);
    return (
      <>
        <p>{`The ${subscription.period} digest goes to ${user.email}.`}</p>
        <SiteForm action={action} token={csrf}>
          <input type="hidden" name="period" value={other} />
          <p>
            <button type="submit">{`Switch to the ${other} digest`}</button>
          </p>
        </SiteForm>
        <SiteForm action={action} token={csrf}>
          <input type="hidden" name="action" value="unsubscribe" />
          <p>
            <button type="submit">Unsubscribe</button>
          </p>
        </SiteForm>
      </>
    );
  }
  return (
    <>
      <p>
        {subscription?.status === "pending"
          ? `A confirmation link went to ${user.email}: the digest starts once it is followed. You can ask again:`
          : `The most upvoted papers of each day or week at ${user.email}${user.emailVerified ? ", starting with the next one." : ", once you confirm through the link we mail there."}`}
      </p>
      <SiteForm action={action} token={csrf}>
        <input type="hidden" name="action" value="subscribe" />
        <p class="field">
          <label for="digest-period">How often</label>
          <select id="digest-period" name="period">
            {digestPeriods.map((period) => (
              <option value={period} selected={period === subscription?.period}>
                {period === "daily" ? "Daily" : "Weekly"}
              </option>
            ))}
          </select>
        </p>
        <p>
          <button type="submit">Subscribe</button>
        </p>
      </SiteForm>
    </>
  );
}

/** What the digest form did, as the settings page words it. */
export async function changeDigest(
  c: PageContext,
  user: User,
  form: Record<string, string>,
): Promise<{ notice?: string; error?: string }> {
  const inbox = c.get("inbox");
  const email = user.email;
  if (!email) return { error: "Your account has no e-mail address." };
  if (form.action === "unsubscribe") {
    await inbox.unsubscribeAddress(email);
    return { notice: `No more digests go to ${email}.` };
  }
  const period = digestPeriods.find((p) => p === form.period);
  if (!period) return { error: "Choose a daily or a weekly digest." };
  if (form.action !== "subscribe") {
    return (await inbox.changePeriodOf(email, period))
      ? { notice: `You now get the ${period} digest.` }
      : { error: "You have no digest to switch; subscribe first." };
  }
  switch (await inbox.subscribeAccount({ email, emailVerified: user.emailVerified }, period)) {
    case "active":
      return { notice: `Subscribed: the ${period} digest goes to ${email}.` };
    case "suppressed":
      return { error: `Mail to ${email} was stopped after it bounced or was reported as spam; ask the site's admin.` };
    case "already-active":
      return { notice: `${email} gets the digest already.` };
    case "confirmation-recent":
      return { error: "A confirmation link went out minutes ago; follow it, or ask again later." };
    default:
      return { notice: `A confirmation link is on its way to ${email}: the digest starts once you follow it.` };
  }
}
