import type { DigestPeriod } from "../../inbox/digest.ts";
import type { DigestMailInput, RenderedMail } from "../../inbox/inbox.ts";
import { type NamedOrganization, organizationLabel } from "../../papers/organization.ts";
import type { Paper } from "../../papers/paper.ts";
import type { Site } from "../components/layout.tsx";
import { authorNames, shortAbstract } from "../paper-text.ts";
import { formatDay, formatLongDay, paths, plural, safeUrl } from "../paths.ts";
import { MailFrame, mailStyles } from "./frame.tsx";

const AUTHORS_SHOWN = 6;
const ABSTRACT_LENGTH = 300;

/** "Friday, August 21, 2026", or "the week of Aug 17 – Aug 23, 2026 (2026-W34)". */
export function periodLabel(period: DigestPeriod): string {
  return period.kind === "daily"
    ? formatLongDay(period.key)
    : `the week of ${formatDay(period.range.from)} – ${formatDay(period.range.to)} (${period.key})`;
}

function links(site: Site, paper: Paper): { label: string; href: string }[] {
  const code = safeUrl(paper.githubRepo);
  return [
    { label: `Read on ${site.name}`, href: `${site.baseUrl}${paths.paper(paper.id)}` },
    { label: "arXiv", href: `https://arxiv.org/abs/${paper.id}` },
    { label: "PDF", href: `https://arxiv.org/pdf/${paper.id}` },
    ...(code ? [{ label: "Code", href: code }] : []),
  ];
}

function byline(paper: Paper, organizations: Map<string, NamedOrganization>): string {
  const organization = organizations.get(paper.id);
  return `${authorNames(paper, AUTHORS_SHOWN).join(", ")}${organization ? ` · ${organizationLabel(organization)}` : ""}`;
}

function PaperRow({ site, paper, rank, byLine }: { site: Site; paper: Paper; rank: number; byLine: string }) {
  return (
    <tr>
      <td style="padding:14px 24px;border-top:1px solid #eeeeee;">
        <p style={mailStyles.muted}>{`#${rank} · ▲ ${plural(paper.upvotes, "upvote")}`}</p>
        <h3 style="margin:4px 0 4px;font-size:17px;line-height:1.35;">
          <a href={`${site.baseUrl}${paths.paper(paper.id)}`} style="color:#111111;text-decoration:none;">
            {paper.title}
          </a>
        </h3>
        <p style={`${mailStyles.muted}margin-bottom:6px;`}>{byLine}</p>
        <p style={mailStyles.text}>{shortAbstract(paper.abstract, ABSTRACT_LENGTH)}</p>
        <p style={mailStyles.muted}>
          {links(site, paper).map((link, i) => (
            <>
              {i > 0 ? " · " : ""}
              <a href={link.href} style={mailStyles.link}>
                {link.label}
              </a>
            </>
          ))}
        </p>
      </td>
    </tr>
  );
}

function why(site: Site, input: DigestMailInput): string {
  const account = input.account
    ? ` It is your account's address: your settings (${site.baseUrl}${paths.settings()}) manage the digest too.`
    : "";
  return `You get this mail because ${input.email} subscribed to the ${input.period} digest of ${site.name} (${site.baseUrl}).${account}`;
}

function subject(site: Site, period: DigestPeriod): string {
  return period.kind === "daily"
    ? `${site.name}: top papers of ${formatDay(period.key)}`
    : `${site.name}: top papers of the week, ${formatDay(period.range.from)} – ${formatDay(period.range.to)}`;
}

function DigestHtml({ site, input }: { site: Site; input: DigestMailInput }) {
  const { digest } = input;
  return (
    <MailFrame
      site={site}
      title={subject(site, digest.period)}
      footer={
        <>
          {why(site, input)}{" "}
          <a href={input.unsubscribeUrl} style="color:#777777;text-decoration:underline;">
            Unsubscribe or switch between daily and weekly
          </a>
          .
        </>
      }
    >
      <tr>
        <td style="padding:12px 24px 8px;">
          <h1 style={mailStyles.heading}>{`Top papers of ${periodLabel(digest.period)}`}</h1>
        </td>
      </tr>
      {digest.sections.map((section) => (
        <>
          {digest.sections.length > 1 ? (
            <tr>
              <td style="padding:16px 24px 4px;">
                <h2 style="margin:0;font-size:16px;color:#111111;">{section.title}</h2>
              </td>
            </tr>
          ) : null}
          {section.papers.map((paper, i) => (
            <PaperRow site={site} paper={paper} rank={i + 1} byLine={byline(paper, input.organizations)} />
          ))}
        </>
      ))}
    </MailFrame>
  );
}

function digestText(site: Site, input: DigestMailInput): string {
  const { digest } = input;
  const lines = [`Top papers of ${periodLabel(digest.period)}`, ""];
  for (const section of digest.sections) {
    if (digest.sections.length > 1) lines.push(section.title.toUpperCase(), "");
    section.papers.forEach((paper, i) => {
      lines.push(
        `${i + 1}. ${paper.title}`,
        `   ${byline(paper, input.organizations)}`,
        `   ▲ ${plural(paper.upvotes, "upvote")}`,
        "",
        `   ${shortAbstract(paper.abstract, ABSTRACT_LENGTH)}`,
        "",
        ...links(site, paper).map((link) => `   ${link.label}: ${link.href}`),
        "",
      );
    });
  }
  lines.push("-- ", why(site, input), `Unsubscribe or switch between daily and weekly: ${input.unsubscribeUrl}`);
  return `${lines.join("\n")}\n`;
}

/** A digest as a multipart mail's subject, plain text and HTML, built from the same data. */
export function renderDigestMail(site: Site, input: DigestMailInput): RenderedMail {
  return {
    subject: subject(site, input.digest.period),
    text: digestText(site, input),
    html: String(<DigestHtml site={site} input={input} />),
  };
}
