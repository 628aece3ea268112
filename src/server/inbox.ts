import type { Logger } from "pino";
import type { Config } from "../config/index.ts";
import type { PersonalDigests } from "../inbox/digest.ts";
import { Inbox } from "../inbox/inbox.ts";
import { workerId } from "../jobs/runner.ts";
import { createMailer, type Mailer } from "../mail/index.ts";
import type { Store } from "../store/index.ts";
import { siteMailRenderer } from "../web/mail/index.ts";

/**
 * The inbox with the configured mailer and the site's mail templates; close the mailer when done.
 * `personal` makes the personal part of account holders' digests (none until follows exist).
 */
export function openInbox(
  store: Store,
  config: Config,
  logger: Logger,
  personal?: PersonalDigests,
): { inbox: Inbox; mailer: Mailer } {
  const mailer = createMailer(config.mail, logger);
  const renderer = siteMailRenderer({ name: config.siteName, baseUrl: config.baseUrl });
  return { inbox: new Inbox({ store, config, mailer, renderer, logger, holder: workerId(), personal }), mailer };
}
