import { raw } from "hono/html";
import { avatarPath, type CommentNode, canDelete, canEdit, rules, shownName } from "../../community/index.ts";
import type { Paper } from "../../papers/paper.ts";
import type { User } from "../../store/index.ts";
import { renderCommentMarkdown } from "../comment-markdown.ts";
import { formatDate, paths, plural } from "../paths.ts";
import { TokenField } from "./forms.tsx";

export interface CommentsProps {
  paper: Paper;
  thread: CommentNode[];
  /** The signed-in visitor and their form token; null for everyone else. */
  viewer: { user: User; csrfToken: string } | null;
  now: Date;
}

function CommentBox({ id, label, parentId, body }: { id: string; label: string; parentId?: number; body?: string }) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name="body" rows={4} maxlength={rules.commentMax} required aria-describedby="comment-help">
        {body ?? ""}
      </textarea>
      {parentId ? <input type="hidden" name="parentId" value={String(parentId)} /> : null}
    </>
  );
}

function CommentItem({ node, props }: { node: CommentNode; props: CommentsProps }) {
  const { paper, viewer, now } = props;
  const author = node.author;
  const own = viewer && author?.id === viewer.user.id;
  return (
    <li id={`comment-${node.id}`} class="comment">
      <div class="comment-head">
        {author ? (
          <>
            <img class="avatar" src={avatarPath(author.username)} alt="" width="24" height="24" />
            <strong>{shownName(author)}</strong>
            {author.displayName ? <span class="muted">{` @${author.username}`}</span> : null}
          </>
        ) : (
          <span class="muted">[deleted]</span>
        )}
        {" · "}
        <a href={`#comment-${node.id}`}>
          <time datetime={node.createdAt}>{formatDate(node.createdAt)}</time>
        </a>
        {node.editedAt && !node.deleted ? <span class="muted"> · edited</span> : null}
      </div>
      {node.deleted ? (
        <p class="comment-body muted">[deleted]</p>
      ) : (
        <div class="comment-body">{raw(renderCommentMarkdown(node.body))}</div>
      )}
      {viewer && !node.deleted ? (
        <div class="comment-actions">
          <details>
            <summary>Reply</summary>
            <form method="post" action={paths.comments(paper.id)} class="stacked">
              <TokenField token={viewer.csrfToken} />
              <CommentBox id={`reply-${node.id}`} label="Your reply" parentId={node.id} />
              <button type="submit">Reply</button>
            </form>
          </details>
          {canEdit(viewer.user, node, now) ? (
            <details>
              <summary>Edit</summary>
              <form method="post" action={paths.commentAction(node.id, "edit")} class="stacked">
                <TokenField token={viewer.csrfToken} />
                <CommentBox id={`edit-${node.id}`} label="Your comment" body={node.body} />
                <button type="submit">Save</button>
              </form>
            </details>
          ) : null}
          {canDelete(viewer.user, node) ? (
            <form method="post" action={paths.commentAction(node.id, "delete")} class="inline">
              <TokenField token={viewer.csrfToken} />
              <button type="submit" class="link-button">
                Delete
              </button>
            </form>
          ) : null}
          {own ? null : (
            <details>
              <summary>Report</summary>
              <form method="post" action={paths.commentAction(node.id, "report")} class="stacked">
                <TokenField token={viewer.csrfToken} />
                <label for={`report-${node.id}`}>What is wrong with it?</label>
                <input id={`report-${node.id}`} name="reason" required maxlength={rules.reportReasonMax} />
                <button type="submit">Report</button>
              </form>
            </details>
          )}
        </div>
      ) : null}
      {node.replies.length > 0 ? (
        <ol class="comments">
          {node.replies.map((reply) => (
            <CommentItem node={reply} props={props} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** A paper's discussion: the threaded comments made here, and a form to join in. */
export function Comments(props: CommentsProps) {
  const { paper, thread, viewer } = props;
  const elsewhere = paper.numComments - paper.localComments;
  return (
    <section id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">
        {paper.localComments > 0 ? `Comments (${paper.localComments.toLocaleString("en-US")})` : "Comments"}
      </h2>
      {thread.length > 0 ? (
        <ol class="comments">
          {thread.map((node) => (
            <CommentItem node={node} props={props} />
          ))}
        </ol>
      ) : (
        <p class="muted">No comments here yet.</p>
      )}
      {elsewhere > 0 ? (
        <p class="muted">
          {`${plural(elsewhere, "more comment")} on `}
          <a href={`https://huggingface.co/papers/${paper.id}#community`}>the Hugging Face discussion</a>.
        </p>
      ) : null}
      <p id="comment-help" class="muted">
        Markdown works: **bold**, _italic_, `code`, [links](https://example.org), and $x^2$ for math.
      </p>
      {viewer ? (
        <form method="post" action={paths.comments(paper.id)} class="stacked">
          <TokenField token={viewer.csrfToken} />
          <CommentBox id="new-comment" label="Add a comment" />
          <p>
            <button type="submit">Comment</button>
          </p>
        </form>
      ) : (
        <p>
          <a href={paths.login(`${paths.paper(paper.id)}#comments`)}>Log in</a> to comment.
        </p>
      )}
    </section>
  );
}
