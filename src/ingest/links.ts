/** Code and project links that authors put in abstracts and comments. */
const urlPattern = /\bhttps?:\/\/[^\s<>"'(){}\\]+|\b(?:www\.)?github\.com\/[^\s<>"'(){}\\]+/gi;

// Hosts that are never a paper's own project page.
const notProjectPages =
  /(^|\.)(arxiv\.org|doi\.org|creativecommons\.org|huggingface\.co|youtube\.com|youtu\.be|twitter\.com|x\.com|openreview\.net|aclanthology\.org|zenodo\.org|kaggle\.com)$/i;

function cleanUrl(raw: string): URL | null {
  const trimmed = raw.replace(/[.,;:!?\]}'"`]+$/, "").replace(/\)+$/, "");
  try {
    return new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
}

export interface FoundLinks {
  githubRepo?: string;
  projectPage?: string;
}

/** The first GitHub repository and the first other project URL mentioned in the texts. */
export function findLinks(...texts: (string | null | undefined)[]): FoundLinks {
  const found: FoundLinks = {};
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(urlPattern)) {
      const url = cleanUrl(match[0]);
      if (!url) continue;
      const host = url.hostname.toLowerCase().replace(/^www\./, "");
      if (host === "github.com") {
        const [owner, repo] = url.pathname.split("/").filter(Boolean);
        if (owner && repo && !found.githubRepo)
          found.githubRepo = `https://github.com/${owner}/${repo.replace(/\.git$/, "")}`;
      } else if (!found.projectPage && !notProjectPages.test(host)) {
        found.projectPage = url.href;
      }
    }
  }
  return found;
}
