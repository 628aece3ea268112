import type { Hono, MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import { CommunityError, isModerator, rules } from "../../community/index.ts";
import type { AppEnv } from "../../http/context.ts";
import { RETRY_MINUTES } from "../../inbox/outbox.ts";
import { parseArxivId } from "../../papers/arxiv-id.ts";
import type { AuthorClaim, ModerationEntry, User } from "../../store/index.ts";
import { ErrorPage } from "../components/error-page.tsx";
import { TokenField } from "../components/forms.tsx";
import { Layout } from "../components/layout.tsx";
import { Pager } from "../components/pager.tsx";
import { formatDate, paths, plural } from "../paths.ts";
import { localPath, readForm } from "../session.ts";
import { formPage, listQuery, type PageContext, postForm, readQuery, siteOf } from "./respond.tsx";

const LOG_PAGE = 100;
/** How many of the latest mails given up on (or being retried) the mail page lists. */
const MAIL_FAILURES = 100;

/** The moderator a page is for; the middleware below let nobody else this far. */
function moderatorOf(c: PageContext): User {
  const viewer = c.get("viewer");
  if (viewer?.via !== "session" || !isModerator(viewer.user.role))
    throw new CommunityError("forbidden", "moderators only");
  return viewer.user;
}

function csrfOf(c: PageContext): string {
  const viewer = c.get("viewer");
  return viewer?.via === "session" ? viewer.session.csrfToken : "";
}

/**
 * Every /admin address answers 403 to anyone but a signed-in moderator, whatever the method:
 * one check in front of them all, so no page can forget it.
 */
const moderatorsOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const viewer = c.get("viewer");
  if (viewer?.via === "session" && isModerator(viewer.user.role)) return next();
  c.header("Cache-Control", "private, no-store");
  return c.html(
    <ErrorPage site={siteOf(c)} title="Moderators only">
      <p>
        {"These pages are for the site's moderators. "}
        {viewer ? null : <a href={paths.login(c.req.path)}>Log in</a>}
      </p>
    </ErrorPage>,
    403,
  );
};

const sections = [
  ["reports", "Reports"],
  ["claims", "Claims"],
  ["hidden", "Hidden"],
  ["users", "Users"],
  ["organizations", "Organisations"],
  ["log", "Audit log"],
  ["mail", "Mail"],
] as const;

function AdminPage(props: { c: PageContext; title: string; children?: Child }) {
  return (
    <Layout site={siteOf(props.c)} title={`${props.title} · Moderation`}>
      <div class="admin">
        <nav class="admin-nav" aria-label="Moderation">
          <a href={paths.admin()}>Moderation</a>
          {sections.map(([part, label]) => (
            <a href={paths.admin(part)}>{label}</a>
          ))}
        </nav>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}

/** A one-button form (with an optional reason) that acts and comes back to `next`. */
function ActionForm(props: {
  action: string;
  label: string;
  csrf: string;
  next: string;
  reason?: "required" | "optional";
  /** Labels the reason field apart from the other forms on the page. */
  id: string;
  fields?: Record<string, string>;
  danger?: boolean;
}) {
  return (
    <form method="post" action={props.action} class="inline admin-action">
      <TokenField token={props.csrf} />
      <input type="hidden" name="next" value={props.next} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {props.reason ? (
        <>
          <label for={`${props.id}-reason`} class="visually-hidden">{`Reason to ${props.label.toLowerCase()}`}</label>
          <input
            id={`${props.id}-reason`}
            name="reason"
            placeholder={props.reason === "required" ? "Reason (required)" : "Reason"}
            maxlength={rules.moderationReasonMax}
            required={props.reason === "required"}
          />
        </>
      ) : null}
      <button type="submit" class={props.danger ? "danger" : undefined}>
        {props.label}
      </button>
    </form>
  );
}

function ClaimRow({ claim, csrf }: { claim: AuthorClaim; csrf: string }) {
  const next = paths.admin("claims");
  return (
    <tr>
      <td>
        <a href={paths.user(claim.claimant.username)}>{claim.claimant.username}</a>
      </td>
      <td>
        {`${claim.authorName} (author ${claim.position + 1}) of `}
        <a href={paths.paper(claim.paperId)}>{claim.paperTitle}</a>
      </td>
      <td>
        <time datetime={claim.createdAt}>{formatDate(claim.createdAt)}</time>
      </td>
      <td>
        {claim.status === "pending" ? (
          <>
            <ActionForm
              action={paths.adminAction("claims", String(claim.id), "approve")}
              label="Approve"
              csrf={csrf}
              next={next}
              id={`approve-${claim.id}`}
            />
            <ActionForm
              action={paths.adminAction("claims", String(claim.id), "reject")}
              label="Reject"
              csrf={csrf}
              next={next}
              reason="optional"
              id={`reject-${claim.id}`}
            />
          </>
        ) : (
          `${claim.status} by ${claim.decidedBy ?? "?"}`
        )}
      </td>
    </tr>
  );
}

function LogTable({ entries }: { entries: ModerationEntry[] }) {
  if (entries.length === 0) return <p class="muted">Nothing yet.</p>;
  return (
    <table class="admin-table">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Moderator</th>
          <th scope="col">Action</th>
          <th scope="col">On</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr>
            <td>
              <time datetime={entry.createdAt}>{formatDate(entry.createdAt)}</time>
            </td>
            <td>{entry.moderator}</td>
            <td>{entry.action}</td>
            <td>
              <SubjectLink entry={entry} />
              {entry.user && entry.subjectKind !== "user" ? ` (by ${entry.user})` : ""}
            </td>
            <td>{entry.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SubjectLink({ entry }: { entry: ModerationEntry }) {
  if (entry.subjectKind === "paper") return <a href={paths.paper(entry.subject)}>{`paper ${entry.subject}`}</a>;
  if (entry.subjectKind === "user") return <a href={paths.user(entry.subject)}>{entry.subject}</a>;
  return <>{`${entry.subjectKind} ${entry.subject}`}</>;
}

const paperActions = ["hide", "unhide", "lock", "unlock"] as const;
const commentActions = ["hide", "unhide", "dismiss"] as const;

export function registerAdminPages(app: Hono<AppEnv>): void {
  app.use("/admin", moderatorsOnly);
  app.use("/admin/*", moderatorsOnly);

  formPage(app, "/admin", async (c) => {
    const queues = await c.get("community").moderation.queues(moderatorOf(c));
    return c.html(
      <AdminPage c={c} title="Moderation">
        <ul class="admin-overview">
          <li>
            <a href={paths.admin("reports")}>{`Reports: ${plural(queues.reports, "reported comment")} waiting`}</a>
          </li>
          <li>
            <a href={paths.admin("claims")}>{`Claims: ${plural(queues.claims, "authorship claim")} waiting`}</a>
          </li>
          <li>
            <a href={paths.admin("hidden")}>Hidden comments and papers</a>
          </li>
          <li>
            <a href={paths.admin("users")}>Users: bans and roles</a>
          </li>
          <li>
            <a href={paths.admin("organizations")}>Organisations and their members</a>
          </li>
          <li>
            <a href={paths.admin("log")}>Audit log</a>
          </li>
          <li>
            <a href={paths.admin("mail")}>Mail: the outbox, and mail given up on</a>
          </li>
        </ul>
        <p class="muted">
          To hide a paper from the feed or lock its discussion, use the moderation tools at the foot of its page.
        </p>
      </AdminPage>,
    );
  });

  formPage(app, "/admin/reports", async (c) => {
    const reports = await c.get("community").moderation.reports(moderatorOf(c));
    const csrf = csrfOf(c);
    const next = paths.admin("reports");
    return c.html(
      <AdminPage c={c} title="Reports">
        {reports.length === 0 ? <p class="muted">No reports waiting.</p> : null}
        {reports.map((report) => (
          <article class="admin-item" aria-labelledby={`report-${report.commentId}`}>
            <h2 id={`report-${report.commentId}`}>
              {`${plural(report.reports.length, "report")} of a comment by ${report.author} on `}
              <a href={paths.comment(report.paperId, report.commentId)}>{report.paperTitle}</a>
            </h2>
            <blockquote class="admin-quote">{report.body}</blockquote>
            <ul>
              {report.reports.map((r) => (
                <li>
                  {`${r.reporter}: ${r.reason} · `}
                  <time datetime={r.createdAt}>{formatDate(r.createdAt)}</time>
                </li>
              ))}
            </ul>
            <ActionForm
              action={paths.adminAction("comments", String(report.commentId), "hide")}
              label="Hide"
              csrf={csrf}
              next={next}
              reason="required"
              id={`hide-${report.commentId}`}
            />
            <ActionForm
              action={paths.adminAction("comments", String(report.commentId), "dismiss")}
              label="Dismiss"
              csrf={csrf}
              next={next}
              id={`dismiss-${report.commentId}`}
            />
          </article>
        ))}
      </AdminPage>,
    );
  });

  formPage(app, "/admin/claims", async (c) => {
    const moderator = moderatorOf(c);
    const claims = c.get("community").claims;
    const [pending, approved, rejected] = await Promise.all([
      claims.list(moderator, "pending"),
      claims.list(moderator, "approved"),
      claims.list(moderator, "rejected"),
    ]);
    const csrf = csrfOf(c);
    const table = (list: AuthorClaim[], caption: string) =>
      list.length === 0 ? (
        <p class="muted">{`No ${caption.toLowerCase()}.`}</p>
      ) : (
        <table class="admin-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Claims to be</th>
              <th scope="col">Made</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {list.map((claim) => (
              <ClaimRow claim={claim} csrf={csrf} />
            ))}
          </tbody>
        </table>
      );
    return c.html(
      <AdminPage c={c} title="Authorship claims">
        {table(pending, "Waiting claims")}
        <h2>Decided lately</h2>
        {table([...approved, ...rejected].slice(0, 50), "Decided claims")}
      </AdminPage>,
    );
  });

  formPage(app, "/admin/hidden", async (c) => {
    const { comments, feedEntries } = await c.get("community").moderation.hidden(moderatorOf(c));
    const csrf = csrfOf(c);
    const next = paths.admin("hidden");
    return c.html(
      <AdminPage c={c} title="Hidden">
        <h2>Comments</h2>
        {comments.length === 0 ? <p class="muted">No hidden comments.</p> : null}
        {comments.map((hidden) => (
          <article class="admin-item" aria-label={`Comment ${hidden.commentId} by ${hidden.author}`}>
            <p>
              {`By ${hidden.author} on `}
              <a href={paths.comment(hidden.paperId, hidden.commentId)}>{`paper ${hidden.paperId}`}</a>
              {` · hidden by ${hidden.moderator}${hidden.cause === "ban" ? " (ban)" : ""}: ${hidden.reason} · `}
              <time datetime={hidden.hiddenAt}>{formatDate(hidden.hiddenAt)}</time>
            </p>
            <blockquote class="admin-quote">{hidden.body}</blockquote>
            {hidden.cause === "moderator" ? (
              <ActionForm
                action={paths.adminAction("comments", String(hidden.commentId), "unhide")}
                label="Unhide"
                csrf={csrf}
                next={next}
                id={`unhide-${hidden.commentId}`}
              />
            ) : null}
          </article>
        ))}
        <h2>Papers off the feed</h2>
        {feedEntries.length === 0 ? <p class="muted">No papers hidden from the feed.</p> : null}
        <ul>
          {feedEntries.map((entry) => (
            <li>
              <a href={paths.paper(entry.paperId)}>{entry.paperTitle}</a>
              {` (${entry.feedDate}) · hidden by ${entry.moderator}${entry.cause === "ban" ? " (ban)" : ""}: ${entry.reason} `}
              {entry.cause === "moderator" ? (
                <ActionForm
                  action={paths.adminPaperAction("unhide")}
                  label="Put back"
                  csrf={csrf}
                  next={next}
                  fields={{ paper: entry.paperId }}
                  id={`unhide-${entry.paperId}-${entry.feedDate}`}
                />
              ) : null}
            </li>
          ))}
        </ul>
      </AdminPage>,
    );
  });

  formPage(app, "/admin/users", async (c) => {
    const moderator = moderatorOf(c);
    const q = (c.req.query("q") ?? "").slice(0, rules.username.max);
    const users = await c.get("community").moderation.users(moderator, q);
    const csrf = csrfOf(c);
    const next = `${paths.admin("users")}${q ? `?q=${encodeURIComponent(q)}` : ""}`;
    return c.html(
      <AdminPage c={c} title="Users">
        <form method="get" action={paths.admin("users")} class="inline">
          <label for="user-query">Username starts with</label> <input id="user-query" name="q" value={q} />{" "}
          <button type="submit">Find</button>
        </form>
        <p class="muted">{q ? `Accounts whose name starts with "${q}".` : "Banned accounts and moderators."}</p>
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Role</th>
              <th scope="col">Standing</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr>
                <td>
                  <a href={paths.user(user.username)}>{user.username}</a>
                </td>
                <td>{user.role}</td>
                <td>{user.banned ? `banned: ${user.banReason ?? ""}` : "in good standing"}</td>
                <td>
                  {user.banned ? (
                    <ActionForm
                      action={paths.adminAction("users", user.username, "unban")}
                      label="Unban"
                      csrf={csrf}
                      next={next}
                      reason="optional"
                      id={`unban-${user.id}`}
                    />
                  ) : user.id === moderator.id ? null : (
                    <ActionForm
                      action={paths.adminAction("users", user.username, "ban")}
                      label="Ban"
                      csrf={csrf}
                      next={next}
                      reason="required"
                      id={`ban-${user.id}`}
                      danger
                    />
                  )}
                  {moderator.role === "admin" && user.id !== moderator.id ? (
                    <form method="post" action={paths.adminAction("users", user.username, "role")} class="inline">
                      <TokenField token={csrf} />
                      <input type="hidden" name="next" value={next} />
                      <label for={`role-${user.id}`} class="visually-hidden">{`Role of ${user.username}`}</label>
                      <select id={`role-${user.id}`} name="role">
                        {(["user", "moderator", "admin"] as const).map((role) => (
                          <option value={role} selected={role === user.role}>
                            {role}
                          </option>
                        ))}
                      </select>{" "}
                      <button type="submit">Set role</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </AdminPage>,
    );
  });

  formPage(app, "/admin/organizations", async (c) => {
    const moderator = moderatorOf(c);
    const organizations = await c.get("community").organizationAdmin.list(moderator);
    const csrf = csrfOf(c);
    const admin = moderator.role === "admin";
    const next = paths.admin("organizations");
    return c.html(
      <AdminPage c={c} title="Organisations">
        <p class="muted">
          {admin
            ? "Members may link the papers they submit to their organisation; the paper then shows on its page."
            : "Only admins create organisations and add members."}
        </p>
        {admin ? (
          <form method="post" action={paths.admin("organizations")} class="stacked">
            <TokenField token={csrf} />
            <h2>New organisation</h2>
            <p class="field">
              <label for="org-name">Name (as in its address, e.g. my-lab)</label>
              <input id="org-name" name="name" required maxlength={96} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" />
            </p>
            <p class="field">
              <label for="org-fullname">Full name</label>
              <input id="org-fullname" name="fullname" maxlength={200} />
            </p>
            <p>
              <button type="submit">Create</button>
            </p>
          </form>
        ) : null}
        {admin ? (
          <form method="post" action={paths.adminOrganizationMembers()} class="stacked">
            <TokenField token={csrf} />
            <h2>Add a member</h2>
            <p class="field">
              <label for="member-org">Organisation</label>
              <input id="member-org" name="organization" required maxlength={96} />
            </p>
            <p class="field">
              <label for="member-user">Username</label>
              <input id="member-user" name="username" required maxlength={rules.username.max} />
            </p>
            <p>
              <button type="submit">Add member</button>
            </p>
          </form>
        ) : null}
        <h2>Organisations with members here</h2>
        {organizations.length === 0 ? <p class="muted">None yet.</p> : null}
        <ul>
          {organizations.map((org) => (
            <li>
              <a href={paths.organization(org.name)}>{org.fullname ?? org.name}</a>
              {": "}
              {org.members.map((member, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <a href={paths.user(member.username)}>{member.username}</a>
                  {admin ? (
                    <ActionForm
                      action={paths.adminOrganizationMembers()}
                      label="Remove"
                      csrf={csrf}
                      next={next}
                      fields={{ organization: org.name, username: member.username, remove: "1" }}
                      id={`remove-${org.id}-${member.id}`}
                    />
                  ) : null}
                </>
              ))}
            </li>
          ))}
        </ul>
      </AdminPage>,
    );
  });

  postForm(app, "/admin/organizations", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    const created = await c.get("community").organizationAdmin.create(moderator, form.name ?? "", form.fullname);
    return c.redirect(paths.organization(created.name), 303);
  });

  postForm(app, "/admin/organizations/members", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    await c
      .get("community")
      .organizationAdmin.setMember(moderator, form.organization ?? "", form.username ?? "", form.remove === "1");
    return c.redirect(localPath(form.next, paths.admin("organizations")), 303);
  });

  formPage(app, "/admin/log", async (c) => {
    const query = readQuery(c, listQuery);
    const page = query.ok ? Number(query.value.page ?? 1) : 1;
    const log = await c
      .get("community")
      .moderation.log(moderatorOf(c), { limit: LOG_PAGE, offset: (page - 1) * LOG_PAGE });
    return c.html(
      <AdminPage c={c} title="Audit log">
        <p class="muted">{`Every moderator action, newest first: ${plural(log.total, "entry", "entries")}.`}</p>
        <LogTable entries={log.entries} />
        <Pager
          page={page}
          pageCount={Math.ceil(log.total / LOG_PAGE)}
          href={(n) => `${paths.admin("log")}?page=${n}`}
        />
      </AdminPage>,
    );
  });

  formPage(app, "/admin/mail", async (c) => {
    moderatorOf(c);
    const { outbox } = c.get("app").store;
    const [depths, failures] = await Promise.all([outbox.depths(), outbox.failures(MAIL_FAILURES)]);
    const next = paths.admin("mail");
    const csrf = csrfOf(c);
    return c.html(
      <AdminPage c={c} title="Mail">
        <p>
          {`Waiting: ${depths.due} due now, ${depths.waiting} to be tried again later, ${depths.sending} being sent. `}
          {`Sent: ${depths.sent}. Given up on: ${depths.failed}. Not sent to suppressed addresses: ${depths.suppressed}.`}
        </p>
        <p class="muted">
          {`The worker (paperboy worker) sends what is due. A mail the server refused for a while is tried again after ${RETRY_MINUTES.join(", ")} minutes, then given up on; Retry puts it back in the queue, due now.`}
        </p>
        <h2>Mail given up on, or being tried again</h2>
        {failures.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">State</th>
                <th scope="col">Last error</th>
                <th scope="col">Queued</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.map((mail, i) => (
                <tr>
                  <td>{mail.recipient}</td>
                  <td>{mail.subject}</td>
                  <td>
                    {mail.status === "failed"
                      ? `Given up after ${plural(mail.attempts, "try", "tries")}`
                      : `Retrying (${plural(mail.attempts, "try", "tries")} so far)`}
                  </td>
                  <td>{mail.lastError ?? ""}</td>
                  <td>{formatDate(mail.createdAt)}</td>
                  <td>
                    <ActionForm
                      action={`${paths.admin("mail")}/${encodeURIComponent(mail.id)}/retry`}
                      label="Retry"
                      csrf={csrf}
                      next={next}
                      id={`mail-${i}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AdminPage>,
    );
  });

  postForm(app, "/admin/mail/:id/retry", async (c) => {
    moderatorOf(c);
    const form = await readForm(c);
    if (!(await c.get("app").store.outbox.retry(c.req.param("id"), new Date()))) {
      throw new CommunityError("not-found", "no mail to retry there: it was sent, or a worker is sending it");
    }
    return c.redirect(localPath(form.next, paths.admin("mail")), 303);
  });

  postForm(app, "/admin/comments/:id/:action", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    const id = Number(c.req.param("id"));
    const action = c.req.param("action");
    if (!Number.isSafeInteger(id) || !(commentActions as readonly string[]).includes(action)) {
      throw new CommunityError("not-found", "no such comment action");
    }
    const moderation = c.get("community").moderation;
    if (action === "hide") await moderation.hideComment(moderator, id, form.reason);
    else if (action === "unhide") await moderation.unhideComment(moderator, id, form.reason);
    else await moderation.dismissReports(moderator, id, form.reason);
    return c.redirect(localPath(form.next, paths.admin("reports")), 303);
  });

  postForm(app, "/admin/papers/:action", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    const action = c.req.param("action");
    const paperId = parseArxivId(form.paper ?? "")?.id;
    if (!paperId) throw new CommunityError("invalid", "paper: not an arXiv id");
    if (!(paperActions as readonly string[]).includes(action)) throw new CommunityError("not-found", "no such action");
    const moderation = c.get("community").moderation;
    const act = {
      hide: () => moderation.hideFromFeed(moderator, paperId, form.reason),
      unhide: () => moderation.unhideFromFeed(moderator, paperId, form.reason),
      lock: () => moderation.lockDiscussion(moderator, paperId, form.reason),
      unlock: () => moderation.unlockDiscussion(moderator, paperId, form.reason),
    }[action as (typeof paperActions)[number]];
    await act();
    return c.redirect(localPath(form.next, paths.paper(paperId)), 303);
  });

  postForm(app, "/admin/users/:username/:action", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    const username = c.req.param("username");
    const moderation = c.get("community").moderation;
    const action = c.req.param("action");
    if (action === "ban") await moderation.ban(moderator, username, form.reason);
    else if (action === "unban") await moderation.unban(moderator, username, form.reason);
    else if (action === "role") await moderation.setRole(moderator, username, form.role ?? "", form.reason);
    else throw new CommunityError("not-found", "no such action");
    return c.redirect(localPath(form.next, paths.admin("users")), 303);
  });

  postForm(app, "/admin/claims/:id/:action", async (c) => {
    const moderator = moderatorOf(c);
    const form = await readForm(c);
    const id = Number(c.req.param("id"));
    const action = c.req.param("action");
    if (!Number.isSafeInteger(id) || (action !== "approve" && action !== "reject")) {
      throw new CommunityError("not-found", "no such claim action");
    }
    await c.get("community").claims.decide(moderator, id, action === "approve", form.reason);
    return c.redirect(localPath(form.next, paths.admin("claims")), 303);
  });
}
