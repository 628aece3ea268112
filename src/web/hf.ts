import { hfAccountName } from "../papers/organization.ts";
import type { Paper } from "../papers/paper.ts";
import { safeUrl } from "./paths.ts";

// What the Hugging Face feed tells about a paper, in the shapes the pages show. Its JSON is kept
// verbatim, so every field is checked here.

export interface HfAccount {
  /** As shown: the full name when there is one. */
  label: string;
  /** Their page on Hugging Face, when the account name is a plain one. */
  url: string | null;
}

function account(shape: Record<string, unknown> | null | undefined): HfAccount | null {
  if (!shape) return null;
  const name = typeof shape.name === "string" ? shape.name.trim() : "";
  const fullname = typeof shape.fullname === "string" ? shape.fullname.replace(/\s+/g, " ").trim() : "";
  const label = fullname || name;
  if (!label) return null;
  return { label, url: hfAccountName.test(name) ? `https://huggingface.co/${name}` : null };
}

/** Who put a paper on the Hugging Face daily feed, from a feed entry's `submittedBy`. */
export const submitterOf = (submittedBy: Record<string, unknown> | null): HfAccount | null => account(submittedBy);

/** Hugging Face's preview image of the paper, when the feed gave one we may link to. */
export const thumbnailOf = (paper: Paper): string | null => safeUrl(paper.hf.thumbnail);

/** The paper's Hugging Face page, for papers that came from its daily feed. */
export const huggingFacePageOf = (paper: Paper, sources: string[]): string | null =>
  sources.includes("hf") || paper.hf.discussionId ? `https://huggingface.co/papers/${paper.id}` : null;
