import type { OutgoingMail } from "../mail/index.ts";

/** The site a mail comes from, for its wording and links. */
export interface MailSite {
  name: string;
  baseUrl: string;
}

const hours = (ms: number) => {
  const h = Math.round(ms / 3_600_000);
  return h % 24 === 0 ? `${h / 24} day${h === 24 ? "" : "s"}` : `${h} hour${h === 1 ? "" : "s"}`;
};

const LINE_WIDTH = 72;

/** Wraps a paragraph at spaces; a link stays whole on its line. Short lines keep the mail in plain 7-bit text. */
function wrap(line: string): string {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + 1 + word.length > LINE_WIDTH) {
      out.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  out.push(current);
  return out.join("\n");
}

function mail(to: string, subject: string, lines: string[]): OutgoingMail {
  return { to, subject, text: `${lines.map(wrap).join("\n")}\n` };
}

export function verificationMail(site: MailSite, to: string, username: string, link: string, lifetimeMs: number) {
  return mail(to, `Verify your address for ${site.name}`, [
    `Hi ${username},`,
    "",
    `open this link to verify your e-mail address on ${site.name}; then you can upvote, comment and submit papers:`,
    "",
    link,
    "",
    `The link works once, for ${hours(lifetimeMs)}.`,
    "If you did not sign up, ignore this mail: the account stays unverified.",
  ]);
}

/** Sent instead of a verification mail when someone signs up with an address that has an account. */
export function alreadyRegisteredMail(site: MailSite, to: string, username: string) {
  return mail(to, `Your ${site.name} account`, [
    `Someone (perhaps you) tried to sign up on ${site.name} with this address, which already has an account: ${username}.`,
    "",
    `Log in: ${site.baseUrl}/login`,
    `Forgot your password? ${site.baseUrl}/reset`,
    "",
    "If it was not you, ignore this mail: nothing has changed.",
  ]);
}

export function resetMail(site: MailSite, to: string, username: string, link: string, lifetimeMs: number) {
  return mail(to, `Reset your ${site.name} password`, [
    `Hi ${username},`,
    "",
    "open this link to choose a new password:",
    "",
    link,
    "",
    `The link works once, for ${hours(lifetimeMs)}. Choosing a new password logs you out everywhere else.`,
    "If you did not ask for this, ignore this mail: your password stays as it is.",
  ]);
}

export function emailChangeMail(site: MailSite, to: string, username: string, link: string, lifetimeMs: number) {
  return mail(to, `Confirm your new address for ${site.name}`, [
    `Hi ${username},`,
    "",
    `open this link to make ${to} the address of your ${site.name} account:`,
    "",
    link,
    "",
    `The link works once, for ${hours(lifetimeMs)}. Until then your old address stays.`,
  ]);
}

/** Tells the old address that the account is moving away from it. */
export function emailChangeNoticeMail(site: MailSite, to: string, username: string, newEmail: string) {
  return mail(to, `Your ${site.name} address is being changed`, [
    `Hi ${username},`,
    "",
    `someone logged in as you asked to change your account's address to ${newEmail}. It changes once a link mailed there is opened.`,
    "",
    `If this was not you, change your password now: ${site.baseUrl}/reset`,
  ]);
}
