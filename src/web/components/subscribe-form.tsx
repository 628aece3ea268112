import { subscriptionPaths } from "../../inbox/inbox.ts";

/**
 * "Get trending papers in your email inbox": an address and daily or weekly, posted as a plain
 * form. `idPrefix` keeps ids unique when a page shows the form twice.
 */
export function SubscribeForm({ idPrefix = "subscribe", email = "" }: { idPrefix?: string; email?: string }) {
  return (
    <form class="subscribe-form" action={subscriptionPaths.subscribe} method="post">
      <label for={`${idPrefix}-email`}>Get trending papers in your email inbox!</label>
      <input
        id={`${idPrefix}-email`}
        type="email"
        name="email"
        value={email}
        required
        maxlength={254}
        autocomplete="email"
        placeholder="you@example.org"
      />
      <label class="visually-hidden" for={`${idPrefix}-period`}>
        How often
      </label>
      <select id={`${idPrefix}-period`} name="period">
        <option value="daily">Daily</option>
        <option value="weekly">Weekly</option>
      </select>
      <button type="submit">Subscribe</button>
    </form>
  );
}
