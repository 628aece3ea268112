import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** How BERT's basic tokenizer cleans text before splitting it into words. */
export interface WordPieceOptions {
  lowercase: boolean;
  /** Drop combining marks (é → e); BERT ties this to lowercasing unless told otherwise. */
  stripAccents: boolean;
  /** Put spaces around CJK ideographs, so each is a word of its own. */
  splitCjk: boolean;
  unknownToken: string;
  continuingPrefix: string;
  /** Longer words become the unknown token, as in BERT (they are rarely words). */
  maxWordChars: number;
  /** Special token ids put before and after a text's tokens, e.g. [CLS] … [SEP]. */
  prefixIds: number[];
  suffixIds: number[];
  padId: number;
}

const isControl = (c: string) => c !== "\t" && c !== "\n" && c !== "\r" && /\p{C}/u.test(c);
const isWhitespace = (c: string) => /[\s\p{Zs}]/u.test(c);
// BERT counts every non-alphanumeric ASCII character as punctuation, "$" and "^" included.
const isPunctuation = (c: string) => /[!-/:-@[-`{-~]|\p{P}/u.test(c);

function isCjk(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT's WordPiece tokenizer: basic word splitting, then greedy longest-match subwords. */
export class WordPieceTokenizer {
  constructor(
    private readonly vocab: ReadonlyMap<string, number>,
    readonly options: WordPieceOptions,
  ) {
    if (!vocab.has(options.unknownToken)) {
      throw new Error(`the vocabulary has no unknown token "${options.unknownToken}"`);
    }
  }

  /** Words and punctuation marks, cleaned as the options say. */
  basicTokens(text: string): string[] {
    let cleaned = "";
    for (const c of text) {
      if (c === "\0" || c === "\ufffd" || isControl(c)) continue;
      if (isWhitespace(c)) cleaned += " ";
      else if (this.options.splitCjk && isCjk(c)) cleaned += ` ${c} `;
      else cleaned += c;
    }
    const tokens: string[] = [];
    for (let word of cleaned.split(" ")) {
      if (word === "") continue;
      if (this.options.lowercase) word = word.toLowerCase();
      if (this.options.stripAccents) word = word.normalize("NFD").replace(/\p{Mn}/gu, "");
      let current = "";
      for (const c of word) {
        if (!isPunctuation(c)) {
          current += c;
          continue;
        }
        if (current) tokens.push(current);
        tokens.push(c);
        current = "";
      }
      if (current) tokens.push(current);
    }
    return tokens;
  }

  /** The subword pieces of one word, or the unknown token when the vocabulary cannot spell it. */
  wordPieces(word: string): string[] {
    const chars = [...word];
    if (chars.length > this.options.maxWordChars) return [this.options.unknownToken];
    const pieces: string[] = [];
    for (let start = 0; start < chars.length; ) {
      let end = chars.length;
      let piece: string | undefined;
      for (; end > start; end--) {
        const candidate = (start > 0 ? this.options.continuingPrefix : "") + chars.slice(start, end).join("");
        if (this.vocab.has(candidate)) {
          piece = candidate;
          break;
        }
      }
      if (piece === undefined) return [this.options.unknownToken];
      pieces.push(piece);
      start = end;
    }
    return pieces;
  }

  /** Ids of the text's tokens between the special tokens, cut to at most maxLength ids in all. */
  encode(text: string, maxLength: number): number[] {
    const room = maxLength - this.options.prefixIds.length - this.options.suffixIds.length;
    const ids: number[] = [];
    for (const word of this.basicTokens(text)) {
      for (const piece of this.wordPieces(word)) {
        if (ids.length >= room) break;
        ids.push(this.vocab.get(piece) ?? 0);
      }
      if (ids.length >= room) break;
    }
    return [...this.options.prefixIds, ...ids, ...this.options.suffixIds];
  }
}

type Json = Record<string, unknown>;

function readJson(file: string): Json | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Json) : undefined;
}

/** A special token in tokenizer_config.json: a string, or {"content": "..."} in newer files. */
function tokenName(value: unknown, fallback: string): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as Json).content === "string") {
    return (value as Json).content as string;
  }
  return fallback;
}

function idOf(vocab: ReadonlyMap<string, number>, token: string, file: string): number {
  const id = vocab.get(token);
  if (id === undefined) throw new Error(`${file}: the vocabulary has no "${token}" token`);
  return id;
}

/** The special tokens the post-processor of tokenizer.json puts around a single text. */
function specialIds(postProcessor: Json | undefined, vocab: ReadonlyMap<string, number>, file: string) {
  if (postProcessor?.type === "BertProcessing") {
    const [, cls] = postProcessor.cls as [string, number];
    const [, sep] = postProcessor.sep as [string, number];
    return { prefixIds: [cls], suffixIds: [sep] };
  }
  if (postProcessor?.type === "TemplateProcessing") {
    const template = postProcessor.single as Json[];
    const special = postProcessor.special_tokens as Record<string, { ids: number[] }>;
    const sequenceAt = template.findIndex((part) => "Sequence" in part);
    const ids = (parts: Json[]) =>
      parts.flatMap((part) => special[((part.SpecialToken as Json | undefined)?.id as string) ?? ""]?.ids ?? []);
    return { prefixIds: ids(template.slice(0, sequenceAt)), suffixIds: ids(template.slice(sequenceAt + 1)) };
  }
  return { prefixIds: [idOf(vocab, "[CLS]", file)], suffixIds: [idOf(vocab, "[SEP]", file)] };
}

function fromTokenizerJson(file: string, json: Json): WordPieceTokenizer {
  const model = json.model as Json;
  if (model?.type !== "WordPiece") {
    throw new Error(`${file}: the tokenizer is ${String(model?.type)}; only BERT-style WordPiece models are supported`);
  }
  const vocab = new Map(Object.entries(model.vocab as Record<string, number>));
  const normalizer = json.normalizer as Json | null;
  if (normalizer && normalizer.type !== "BertNormalizer") {
    throw new Error(`${file}: normalizer ${String(normalizer.type)} is not supported, only BertNormalizer`);
  }
  const lowercase = normalizer?.lowercase !== false;
  const padding = json.padding as Json | null;
  return new WordPieceTokenizer(vocab, {
    lowercase,
    stripAccents: (normalizer?.strip_accents as boolean | null | undefined) ?? lowercase,
    splitCjk: normalizer?.handle_chinese_chars !== false,
    unknownToken: (model.unk_token as string | undefined) ?? "[UNK]",
    continuingPrefix: (model.continuing_subword_prefix as string | undefined) ?? "##",
    maxWordChars: (model.max_input_chars_per_word as number | undefined) ?? 100,
    ...specialIds(json.post_processor as Json | undefined, vocab, file),
    padId: (padding?.pad_id as number | undefined) ?? vocab.get("[PAD]") ?? 0,
  });
}

function fromVocabTxt(file: string, config: Json): WordPieceTokenizer {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const vocab = new Map(lines.map((token, id) => [token, id]));
  const lowercase = config.do_lower_case !== false;
  return new WordPieceTokenizer(vocab, {
    lowercase,
    stripAccents: (config.strip_accents as boolean | null | undefined) ?? lowercase,
    splitCjk: config.tokenize_chinese_chars !== false,
    unknownToken: tokenName(config.unk_token, "[UNK]"),
    continuingPrefix: "##",
    maxWordChars: 100,
    prefixIds: [idOf(vocab, tokenName(config.cls_token, "[CLS]"), file)],
    suffixIds: [idOf(vocab, tokenName(config.sep_token, "[SEP]"), file)],
    padId: vocab.get(tokenName(config.pad_token, "[PAD]")) ?? 0,
  });
}

/**
 * The tokenizer of a sentence-transformers export: tokenizer.json (Hugging Face tokenizers,
 * WordPiece) when there is one, otherwise vocab.txt with the options of tokenizer_config.json.
 */
export function loadWordPieceTokenizer(dir: string): WordPieceTokenizer {
  const tokenizerJson = path.join(dir, "tokenizer.json");
  const json = readJson(tokenizerJson);
  if (json) return fromTokenizerJson(tokenizerJson, json);
  const vocabTxt = path.join(dir, "vocab.txt");
  if (!existsSync(vocabTxt)) throw new Error(`${dir} holds neither tokenizer.json nor vocab.txt`);
  return fromVocabTxt(vocabTxt, readJson(path.join(dir, "tokenizer_config.json")) ?? {});
}
