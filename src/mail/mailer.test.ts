import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { type ParsedMail, simpleParser } from "mailparser";
import pino from "pino";
import { startSmtpServer } from "../../test/support/smtp.ts";
import { loadConfig } from "../config/index.ts";
import { createMailer, MailError } from "./index.ts";

const logger = pino({ level: "silent" });
const from = "Paperboy <papers@example.org>";

function rawHeader(mail: ParsedMail, key: string): string | undefined {
  return mail.headerLines.find((line) => line.key === key)?.line;
}

const mail = {
  to: "ada@example.org",
  subject: "Verify your address ✓",
  text: "Open https://papers.example.org/verify?t=abc to verify.",
  html: "<p>Open <a href='https://papers.example.org/verify?t=abc'>this link</a> to verify.</p>",
  headers: { "List-Unsubscribe": "<https://papers.example.org/u/xyz>" },
};

test("without an SMTP server each mail is written to the outbox as a complete .eml file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paperboy-outbox-"));
  try {
    const mailer = createMailer({ smtpUrl: null, from, outboxDir: path.join(dir, "outbox") }, logger);
    const { messageId } = await mailer.send(mail);
    const files = fs.readdirSync(path.join(dir, "outbox"));
    assert.equal(files.length, 1);
    assert.match(files[0] ?? "", /\.eml$/);
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, "outbox", files[0] ?? "")));
    assert.equal(parsed.subject, mail.subject);
    assert.deepEqual(parsed.from?.value, [{ address: "papers@example.org", name: "Paperboy" }]);
    assert.equal(parsed.messageId, messageId);
    assert.match(messageId, /^<[^@]+@example\.org>$/);
    assert.equal(parsed.text?.trim(), mail.text);
    assert.match(String(parsed.html), /this link/);
    assert.equal(rawHeader(parsed, "list-unsubscribe"), "List-Unsubscribe: <https://papers.example.org/u/xyz>");
    assert.ok(parsed.date instanceof Date);
    await mailer.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("with PAPERBOY_SMTP_URL mail goes to that server, logged in with its credentials", async () => {
  const smtp = await startSmtpServer({ user: "mailer", pass: "p@ss word" });
  try {
    const url = smtp.url.replace("p@ss word", encodeURIComponent("p@ss word"));
    const config = loadConfig({ PAPERBOY_SMTP_URL: url, PAPERBOY_MAIL_FROM: from });
    const mailer = createMailer(config.mail, logger);
    assert.doesNotMatch(mailer.description, /p%40ss/);
    const { messageId } = await mailer.send(mail);
    const received = await smtp.waitFor((m) => m.messageId === messageId);
    assert.equal(received.subject, mail.subject);
    assert.equal(received.to && !Array.isArray(received.to) ? received.to.text : "", "ada@example.org");
    assert.equal(received.text?.trim(), mail.text);
    assert.equal(rawHeader(received, "list-unsubscribe"), "List-Unsubscribe: <https://papers.example.org/u/xyz>");
    await mailer.close();
  } finally {
    await smtp.close();
  }
});

test("a mail server that refuses the recipient is a permanent failure, one that is down a temporary one", async () => {
  const smtp = await startSmtpServer({ reject: (address) => address.startsWith("nobody@") });
  const refusing = createMailer({ smtpUrl: smtp.url, from, outboxDir: os.tmpdir() }, logger);
  try {
    await assert.rejects(refusing.send({ ...mail, to: "nobody@example.org" }), (error: unknown) => {
      assert.ok(error instanceof MailError);
      assert.equal(error.temporary, false);
      assert.doesNotMatch(error.message, /secret/);
      return true;
    });
  } finally {
    await refusing.close();
    await smtp.close();
  }

  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const down = createMailer({ smtpUrl: `smtp://u:hunter2@127.0.0.1:${port}`, from, outboxDir: os.tmpdir() }, logger);
  await assert.rejects(down.send(mail), (error: unknown) => {
    assert.ok(error instanceof MailError);
    assert.equal(error.temporary, true);
    assert.match(error.message, /mail server smtp:\/\/u:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(error.message, /hunter2/);
    return true;
  });
  await down.close();
});

test("mail settings: the outbox sits beside the SQLite file, bad SMTP URLs and From addresses are named", () => {
  const config = loadConfig({
    DATABASE_URL: "sqlite:/tmp/somewhere/site.db",
    PAPERBOY_BASE_URL: "https://papers.example.org",
  });
  assert.deepEqual(config.mail, {
    smtpUrl: null,
    from: "Paperboy <paperboy@papers.example.org>",
    outboxDir: "/tmp/somewhere/outbox",
  });
  assert.equal(loadConfig({ PAPERBOY_OUTBOX_DIR: "/tmp/mails" }).mail.outboxDir, "/tmp/mails");
  assert.throws(() => loadConfig({ PAPERBOY_SMTP_URL: "mail.example.org:587" }), /PAPERBOY_SMTP_URL .* must be smtp:/);
  assert.throws(
    () => loadConfig({ PAPERBOY_SMTP_URL: "http://user:secret@mail.example.org" }),
    (error: Error) => /must be smtp:\/\//.test(error.message) && !error.message.includes("secret"),
  );
  assert.throws(
    () => loadConfig({ PAPERBOY_MAIL_FROM: "Paperboy" }),
    /PAPERBOY_MAIL_FROM "Paperboy" must be an address/,
  );
});
