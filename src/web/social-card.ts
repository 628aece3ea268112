import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import satori from "satori";
import type { Paper } from "../papers/paper.ts";
import { plainText } from "./latex.ts";
import { formatDate } from "./paths.ts";

/** The size link previews expect (Open Graph, X, Mastodon, Slack). */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
const CARD_PADDING = 64;

// Noto Sans from its npm package (OFL), one face per script subset: satori takes WOFF but not
// WOFF2, and falls back from one named font to the next for glyphs the first lacks.
const fontDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans/package.json")),
  "files",
);
const subsets = ["latin", "latin-ext", "greek", "cyrillic", "vietnamese"];
let fonts: Parameters<typeof satori>[1]["fonts"] | undefined;
function loadFonts() {
  fonts ??= subsets.flatMap((subset) =>
    ([400, 700] as const).map((weight) => ({
      name: `Noto Sans ${subset}`,
      data: fs.readFileSync(path.join(fontDir, `noto-sans-${subset}-${weight}-normal.woff`)),
      weight,
      style: "normal" as const,
    })),
  );
  return fonts;
}
const fontFamily = subsets.map((s) => `"Noto Sans ${s}"`).join(", ");

// Scripts the fonts cover; anything else (CJK, emoji) would draw as empty boxes, so it is left out.
const uncovered =
  /[^\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]|\p{Extended_Pictographic}/gu;

/** Text as the card can draw it: TeX as plain text, uncovered scripts left out. */
function drawable(text: string): string {
  return plainText(text).replace(uncovered, "").replace(/\s+/g, " ").trim();
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

const AUTHORS_ON_CARD = 4;

/**
 * Changes whenever what the card shows does: the card's URL carries it, so a card can be cached for good.
 * `organization` is the label of the organisation the paper is credited to (store.organizations.ofPapers).
 */
export function socialCardVersion(paper: Paper, organization: string | null): string {
  return createHash("sha256")
    .update(JSON.stringify([paper.title, paper.authors.map((a) => a.name), organization, paper.publishedAt]))
    .digest("base64url")
    .slice(0, 10);
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: (Node | string)[] | string } };
const box = (style: Record<string, unknown>, children: (Node | string)[] | string): Node => ({
  type: "div",
  props: { style: { display: "flex", ...style }, children },
});

function cardTree(paper: Paper, organization: string | null, siteName: string): Node {
  const title = clip(drawable(paper.title), 150);
  const names = paper.authors.map((a) => drawable(a.name)).filter(Boolean);
  const authors =
    names.length > AUTHORS_ON_CARD ? `${names.slice(0, AUTHORS_ON_CARD).join(", ")} et al.` : names.join(", ");
  const details = [`arXiv:${paper.id}`, formatDate(paper.publishedAt), ...paper.categories.slice(0, 3)].join("  ·  ");
  const textWidth = CARD_WIDTH - 2 * CARD_PADDING;
  return box(
    {
      flexDirection: "column",
      justifyContent: "space-between",
      boxSizing: "border-box",
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      padding: CARD_PADDING,
      background: "#0f1b3d",
      color: "#ffffff",
      fontFamily,
    },
    [
      box({ alignItems: "center", fontSize: 30, fontWeight: 700, color: "#c7d5f7" }, [
        box({ width: 36, height: 36, borderRadius: 8, background: "#3b6cf0", marginRight: 16 }, []),
        clip(drawable(siteName), 40),
      ]),
      box({ flexDirection: "column", width: textWidth }, [
        box({ width: textWidth, fontSize: title.length > 90 ? 48 : 58, fontWeight: 700, lineHeight: 1.2 }, title),
        box({ width: textWidth, marginTop: 24, fontSize: 30, color: "#dbe4fb" }, clip(authors, 120)),
        ...(organization
          ? [box({ width: textWidth, marginTop: 8, fontSize: 28, color: "#9fb4ea" }, clip(drawable(organization), 70))]
          : []),
      ]),
      box({ width: textWidth, fontSize: 26, color: "#9fb4ea" }, details),
    ],
  );
}

/** A PNG link-preview card: the title, authors and organisation, drawn with fonts that ship with Paperboy. */
export async function renderSocialCard(paper: Paper, organization: string | null, siteName: string): Promise<Buffer> {
  // satori's types want a React element; the plain object tree is what it reads.
  const svg = await satori(cardTree(paper, organization, siteName) as unknown as Parameters<typeof satori>[0], {
    width: CARD_WIDTH,
    height: CARD_HEIGHT,
    fonts: loadFonts(),
  });
  return new Resvg(svg, { fitTo: { mode: "width", value: CARD_WIDTH } }).render().asPng();
}

const CACHED_CARDS = 256;

/** Rendered cards by paper and version, the most recently used kept: a card takes a few hundred ms of CPU to draw. */
export class SocialCardCache {
  private readonly cards = new Map<string, Promise<Buffer>>();

  get(paper: Paper, organization: string | null, siteName: string): Promise<Buffer> {
    const key = `${paper.id} ${socialCardVersion(paper, organization)} ${siteName}`;
    let card = this.cards.get(key);
    if (card) {
      this.cards.delete(key);
    } else {
      card = renderSocialCard(paper, organization, siteName);
      card.catch(() => this.cards.delete(key));
    }
    this.cards.set(key, card);
    if (this.cards.size > CACHED_CARDS) this.cards.delete(this.cards.keys().next().value as string);
    return card;
  }
}
