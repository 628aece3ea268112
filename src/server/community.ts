import { type Community, createCommunity } from "../community/index.ts";
import type { AppContext } from "../http/context.ts";
import { createMailer, type Mailer } from "../mail/index.ts";

/** The community services over the app's store, with the mailer the configuration names. */
export function communityFor(context: AppContext, mailer?: Mailer): Community {
  const { config, store, logger } = context;
  return createCommunity(
    {
      store,
      mailer: mailer ?? createMailer(config.mail, logger),
      site: { name: config.siteName, baseUrl: config.baseUrl },
      logger,
    },
    { arxivApiUrl: config.arxivApiUrl },
  );
}
