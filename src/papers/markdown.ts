import { arxivLinks } from "./links.ts";
import type { Paper } from "./paper.ts";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** A paper as Markdown for LLM tools: what it is, who wrote it, where to read it, the abstract. */
export function paperMarkdown(paper: Paper): string {
  const links = arxivLinks(paper);
  const facts: string[] = [
    `- **arXiv:** [${paper.id}](${links.abstract}) · [PDF](${links.pdf})${links.html ? ` · [HTML](${links.html})` : ""}`,
    `- **Authors:** ${paper.authors.map((a) => oneLine(a.affiliation ? `${a.name} (${a.affiliation})` : a.name)).join(", ")}`,
    `- **Published:** ${paper.publishedAt.slice(0, 10)}${paper.updatedAt ? ` (updated ${paper.updatedAt.slice(0, 10)}${paper.version ? `, v${paper.version}` : ""})` : ""}`,
  ];
  if (paper.categories.length) facts.push(`- **Categories:** ${paper.categories.join(", ")}`);
  if (paper.githubRepo) facts.push(`- **Code:** ${paper.githubRepo}`);
  if (paper.projectPage) facts.push(`- **Project page:** ${paper.projectPage}`);
  facts.push(`- **Upvotes:** ${paper.upvotes}`);
  if (paper.comment) facts.push(`- **Comment:** ${oneLine(paper.comment)}`);
  if (paper.journalRef) facts.push(`- **Journal reference:** ${oneLine(paper.journalRef)}`);
  if (paper.doi) facts.push(`- **DOI:** [${paper.doi}](https://doi.org/${paper.doi})`);
  if (paper.license) facts.push(`- **License:** ${paper.license}`);

  const sections = [`# ${oneLine(paper.title)}`, facts.join("\n"), `## Abstract\n\n${paper.abstract.trim()}`];
  if (paper.hf.aiSummary) sections.push(`## Summary (Hugging Face)\n\n${paper.hf.aiSummary.trim()}`);
  return `${sections.join("\n\n")}\n`;
}
