import type { ConfirmationMailInput, RenderedMail } from "../../inbox/inbox.ts";
import type { Site } from "../components/layout.tsx";
import { MailFrame, mailStyles } from "./frame.tsx";

const ignore = "If you did not ask for it, ignore this mail: without a confirmation nothing more is sent.";

/** The double opt-in mail: one link to confirm, and nothing else until it is followed. */
export function renderConfirmationMail(site: Site, input: ConfirmationMailInput): RenderedMail {
  const subject = `Confirm your ${input.period} digest from ${site.name}`;
  const asked = `Someone, hopefully you, asked for the ${input.period} digest of the most upvoted papers on ${site.name} to be sent to ${input.email}.`;
  const html = (
    <MailFrame site={site} title={subject} footer={ignore}>
      <tr>
        <td style="padding:12px 24px 20px;">
          <h1 style={mailStyles.heading}>Confirm your subscription</h1>
          <p style={mailStyles.text}>{asked}</p>
          <p style="margin:16px 0;">
            <a href={input.confirmUrl} style={mailStyles.button}>
              {`Confirm the ${input.period} digest`}
            </a>
          </p>
          <p style={mailStyles.muted}>
            {"Or open this link: "}
            <a href={input.confirmUrl} style={mailStyles.link}>
              {input.confirmUrl}
            </a>
            {". It works for a week."}
          </p>
        </td>
      </tr>
    </MailFrame>
  );
  const text = [
    asked,
    "",
    `Confirm it here (the link works for a week):`,
    input.confirmUrl,
    "",
    "-- ",
    ignore,
    "",
  ].join("\n");
  return { subject, text, html: String(html) };
}
