import type { MailRenderer } from "../../inbox/inbox.ts";
import type { Site } from "../components/layout.tsx";
import { renderConfirmationMail } from "./confirmation-mail.tsx";
import { renderDigestMail } from "./digest-mail.tsx";

/** The site's mails, written with its names, links and paper texts. */
export function siteMailRenderer(site: Site): MailRenderer {
  return {
    confirmation: (input) => renderConfirmationMail(site, input),
    digest: (input) => renderDigestMail(site, input),
  };
}
