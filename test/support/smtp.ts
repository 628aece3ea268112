import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** An SMTP server in this process that keeps every mail it receives, parsed. */
export interface TestSmtpServer {
  /** PAPERBOY_SMTP_URL for it, credentials included. */
  url: string;
  mails: ParsedMail[];
  /** Waits for the first mail (already received or still to come) that the predicate accepts. */
  waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  user?: string;
  pass?: string;
  /** Recipients answered with "550 no such user". */
  reject?: (address: string) => boolean;
  /**
   * Asked before a received mail is answered: false answers "451 try again later" and keeps no
   * mail, as a server that crashed or a client that left before the reply would.
   */
  accept?: (mail: ParsedMail, received: number) => boolean | Promise<boolean>;
}

export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const user = options.user ?? "paperboy";
  const pass = options.pass ?? "secret";
  const mails: ParsedMail[] = [];
  let offered = 0;
  const waiters: { predicate: (mail: ParsedMail) => boolean; resolve: (mail: ParsedMail) => void }[] = [];
  const server = new SMTPServer({
    // Plain text on loopback: no certificate to make up, and STARTTLS is nodemailer's to try, not ours to test.
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(new Error("535 authentication failed"));
    },
    onRcptTo(address, _session, callback) {
      if (options.reject?.(address.address)) {
        const error = new Error("no such user") as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      } else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        async (mail) => {
          offered += 1;
          if (options.accept && !(await options.accept(mail, offered))) {
            const error = new Error("try again later") as Error & { responseCode: number };
            error.responseCode = 451;
            callback(error);
            return;
          }
          mails.push(mail);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(mail)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(mail);
            }
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${pass}@127.0.0.1:${port}`,
    mails,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = mails.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching mail within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
