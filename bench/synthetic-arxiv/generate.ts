/**
 * A synthetic arXiv in the shape of the Kaggle metadata snapshot, one paper at a time and in
 * constant memory (a month's timestamps at most), the same for the same seed. Text follows the
 * learned model (bigrams of real titles and abstracts, a Zipfian tail of words outside its
 * vocabulary, a few topic words repeated through a paper); the calendar, archives and ids
 * follow arXiv's history (taxonomy.ts).
 */
import { once } from "node:events";
import fs from "node:fs";
import { createGzip } from "node:zlib";
import { AliasTable, hash2, powerLawRank, Random, WeightedChoice } from "./random.ts";
import {
  type Archive,
  archiveShares,
  archives,
  conferences,
  firstMonth,
  hasSubjectClasses,
  journals,
  lastMonth,
  licenses,
  monthlySubmissions,
  otherJournals,
  relatedArchives,
  subjectClasses,
  topicTerms,
} from "./taxonomy.ts";
import { type BigramRow, detokenize, readTextModel, type TextModel, tokenize } from "./text-model.ts";

/** One line of the Kaggle snapshot (arxiv-metadata-oai-snapshot.json), keys in its order. */
export interface KagglePaper {
  id: string;
  submitter: string;
  authors: string;
  title: string;
  comments: string | null;
  "journal-ref": string | null;
  doi: string | null;
  "report-no": string | null;
  categories: string;
  license: string | null;
  abstract: string;
  versions: { version: string; created: string }[];
  update_date: string;
  authors_parsed: [string, string, string][];
}

export interface GeneratorOptions {
  papers: number;
  seed: number;
}

/**
 * People in an archive's author population per paper it gets, and the power law their ranks are
 * drawn from (its offset grows with the population's square root): about 60% of the authors of
 * a 75k corpus have one paper, and the most prolific a few hundred (see `drawAuthor`).
 */
const AUTHOR_POPULATION_PER_PAPER = 6;
const AUTHOR_RANK_OFFSET = 0.5;
const AUTHOR_RANK_EXPONENT = 0.95;
/** The tail of words the model's vocabulary leaves out: ranks drawn from a power law. */
const TAIL_WORDS = 20_000_000;
const TAIL_OFFSET = 2000;
const TAIL_EXPONENT = 1.3;
/** Chance that the next word is one of the paper's own topic words, in a title and in an abstract. */
const TITLE_TOPIC_CHANCE = 0.3;
const ABSTRACT_TOPIC_CHANCE = 0.05;
/** Chance of a TeX fragment at each word of an abstract that has TeX at all. */
const MATH_CHANCE = 0.025;
/** An abstract ends with the sentence under way when it reaches its length, about this many tokens on. */
const SENTENCE_OVERRUN = 15;

interface Month {
  year: number;
  month: number;
  papers: number;
}

/** Papers per month: arXiv's growth curve scaled so that the months add up to exactly `papers`. */
export function monthPlan(papers: number): Month[] {
  const months: { year: number; month: number; weight: number }[] = [];
  for (let year = firstMonth.year; year <= lastMonth.year; year++) {
    for (let month = 1; month <= 12; month++) {
      if (year === firstMonth.year && month < firstMonth.month) continue;
      if (year === lastMonth.year && month > lastMonth.month) break;
      months.push({ year, month, weight: monthlySubmissions[year] ?? 0 });
    }
  }
  const total = months.reduce((sum, m) => sum + m.weight, 0);
  let cumulative = 0;
  let assigned = 0;
  return months.map(({ year, month, weight }) => {
    cumulative += weight;
    const upTo = Math.round((papers * cumulative) / total);
    const count = upTo - assigned;
    assigned = upTo;
    return { year, month, papers: count };
  });
}

class CompiledBigrams {
  private readonly rows: ({ next: Int32Array; cumulative: Float64Array; kept: number; total: number } | undefined)[];

  constructor(
    rows: Record<string, BigramRow>,
    size: number,
    private readonly unigram: AliasTable,
  ) {
    this.rows = new Array(size);
    for (const [key, row] of Object.entries(rows)) {
      const cumulative = new Float64Array(row.counts.length);
      let sum = 0;
      row.counts.forEach((c, i) => {
        sum += c;
        cumulative[i] = sum;
      });
      this.rows[Number(key)] = { next: Int32Array.from(row.next), cumulative, kept: sum, total: sum + row.rest };
    }
  }

  next(random: Random, previous: number): number {
    const row = this.rows[previous];
    if (row) {
      const u = random.next() * row.total;
      if (u < row.kept) {
        let i = 0;
        while ((row.cumulative[i] as number) <= u) i++;
        return row.next[i] as number;
      }
    }
    return this.unigram.draw(random);
  }
}

const consonants = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "th", "st", "tr"];
const vowels = ["a", "e", "i", "o", "u", "y", "ea", "io"];
const suffixes = ["", "", "", "ic", "al", "ation", "ity", "ous", "ine", "ism", "ene", "ide", "s"];

/** The word at a rank of the synthetic tail: pronounceable, the same for the same rank and seed. */
function tailWord(rank: number, salt: number): string {
  let h = hash2(rank, salt);
  const take = (n: number) => {
    const v = h % n;
    h = Math.floor(h / n) || hash2(h, rank);
    return v;
  };
  const syllables = 2 + take(3);
  let word = "";
  for (let i = 0; i < syllables; i++) word += (consonants[take(consonants.length)] ?? "") + vowels[take(vowels.length)];
  word += suffixes[take(suffixes.length)];
  return take(12) === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** As arXiv writes version dates: "Mon, 2 Apr 2007 19:18:42 GMT". */
function rfc2822(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(
    d.getUTCHours(),
  )}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** arXiv's line wrapping of titles and abstracts, which ingest collapses again. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

export class ArxivGenerator {
  private readonly random: Random;
  private readonly vocabulary: string[];
  private readonly index: Map<string, number>;
  private readonly rare: number;
  private readonly math: number;
  private readonly sentenceStart: number;
  private readonly abstractWords: CompiledBigrams;
  private readonly titleWords: CompiledBigrams;
  private readonly titleLengths: AliasTable;
  private readonly abstractLengths: AliasTable;
  private readonly authorCounts: AliasTable;
  private readonly categoryCounts: AliasTable;
  private readonly mathFragments: AliasTable;
  private readonly firstNames: AliasTable;
  private readonly lastNames: AliasTable;
  private readonly contentWords: number[];
  private readonly classChoices = new Map<Archive, WeightedChoice<string>>();
  private readonly authorPopulation = new Map<Archive, number>();

  constructor(
    private readonly model: TextModel,
    private readonly options: GeneratorOptions,
  ) {
    this.random = new Random(options.seed);
    this.vocabulary = model.vocabulary;
    const v = model.vocabulary.length;
    this.index = new Map(model.vocabulary.map((t, i) => [t, i]));
    this.sentenceStart = v;
    this.math = v + 1;
    this.rare = v + 2;
    const unigram = (counts: number[], rare: number) => new AliasTable([...counts, 0, 0, rare]);
    this.abstractWords = new CompiledBigrams(
      model.abstractBigrams,
      v + 3,
      unigram(model.abstractCounts, model.abstractRare),
    );
    this.titleWords = new CompiledBigrams(model.titleBigrams, v + 3, unigram(model.titleCounts, model.titleRare));
    this.titleLengths = new AliasTable(model.titleLengths.map((n, i) => (i < 2 ? 0 : n)));
    this.abstractLengths = new AliasTable(model.abstractLengths.map((n, i) => (i < 2 ? 0 : n)));
    this.authorCounts = new AliasTable(model.authorCounts);
    this.categoryCounts = new AliasTable(model.categoryCounts);
    this.mathFragments = new AliasTable(model.math.map(([, n]) => n));
    this.firstNames = new AliasTable(model.firstNames.map(([, n]) => n));
    this.lastNames = new AliasTable(model.lastNames.map(([, n]) => n));
    // Topic words: frequent enough to be ordinary vocabulary, rare enough to say what a paper is about.
    this.contentWords = [];
    for (let i = 150; i < Math.min(v, 12000); i++) {
      const word = model.vocabulary[i] as string;
      if (/^[a-z][a-z-]{3,}$/.test(word)) this.contentWords.push(i);
    }
    for (const archive of archives) {
      const classes = subjectClasses[archive];
      if (classes) this.classChoices.set(archive, new WeightedChoice(classes));
    }
    this.sizeAuthorPopulations();
  }

  /** Each archive's authors: as many as its share of all the papers' author slots warrants. */
  private sizeAuthorPopulations(): void {
    const papers = new Map<Archive, number>();
    for (const { year, month, papers: count } of monthPlan(this.options.papers)) {
      const shares = archiveShares(year, month);
      const total = Object.values(shares).reduce((sum, s) => sum + (s ?? 0), 0);
      for (const [archive, share] of Object.entries(shares) as [Archive, number][])
        papers.set(archive, (papers.get(archive) ?? 0) + (count * share) / total);
    }
    for (const archive of archives)
      this.authorPopulation.set(
        archive,
        Math.max(50, Math.round((papers.get(archive) ?? 0) * AUTHOR_POPULATION_PER_PAPER)),
      );
  }

  *papers(): Generator<KagglePaper> {
    for (const month of monthPlan(this.options.papers)) yield* this.month(month);
  }

  private *month({ year, month, papers }: Month): Generator<KagglePaper> {
    if (papers === 0) return;
    const yyyymm = year * 100 + month;
    const start = Date.UTC(year, month - 1, 1);
    const end = Date.UTC(year, month, 1);
    const times: number[] = [];
    while (times.length < papers) {
      const t = start + this.random.next() * (end - start);
      const weekday = new Date(t).getUTCDay();
      // Fewer submissions at weekends.
      if ((weekday === 0 || weekday === 6) && !this.random.chance(0.3)) continue;
      times.push(Math.floor(t / 1000) * 1000);
    }
    times.sort((a, b) => a - b);
    const shares = new WeightedChoice(archiveShares(year, month));
    const oldStyle = yyyymm < 200704;
    const digits = yyyymm >= 201501 ? 5 : 4;
    if (!oldStyle && papers >= 10 ** digits)
      throw new Error(
        `${papers} papers in ${year}-${String(month).padStart(2, "0")} do not fit arXiv's ${digits}-digit numbers: use fewer --papers`,
      );
    const sequence = new Map<Archive, number>();
    const yymm = `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}`;
    for (const [i, created] of times.entries()) {
      let archive = shares.draw(this.random);
      let id: string;
      if (oldStyle) {
        // Old-style numbers have three digits per archive and month: a full archive hands on to another.
        for (let tries = 0; (sequence.get(archive) ?? 0) >= 999; tries++) {
          if (tries > 100) throw new Error(`too many papers in ${year}-${month} for old-style ids: use fewer --papers`);
          archive = shares.draw(this.random);
        }
        const n = (sequence.get(archive) ?? 0) + 1;
        sequence.set(archive, n);
        id = `${archive}/${yymm}${String(n).padStart(3, "0")}`;
      } else {
        id = `${yymm}.${String(i + 1).padStart(digits, "0")}`;
      }
      yield this.paper(id, archive, year, created);
    }
  }

  private subjectClass(archive: Archive, year: number): string {
    if (!hasSubjectClasses(archive, year)) return archive;
    const choice = this.classChoices.get(archive);
    return choice ? `${archive}.${choice.draw(this.random)}` : archive;
  }

  private categories(primaryArchive: Archive, year: number): string[] {
    const count = Math.max(1, this.categoryCounts.draw(this.random));
    const chosen = [this.subjectClass(primaryArchive, year)];
    for (let tries = 0; chosen.length < count && tries < 20; tries++) {
      const sameArchive = hasSubjectClasses(primaryArchive, year) && this.random.chance(0.55);
      const archive = sameArchive ? primaryArchive : this.random.pick(relatedArchives[primaryArchive]);
      const category = this.subjectClass(archive, year);
      if (!chosen.includes(category)) chosen.push(category);
    }
    return chosen;
  }

  private emit(token: number, out: string[]): void {
    if (token === this.rare)
      out.push(tailWord(powerLawRank(this.random, TAIL_WORDS, TAIL_OFFSET, TAIL_EXPONENT), this.options.seed));
    else if (token === this.math) out.push(this.model.math[this.mathFragments.draw(this.random)]?.[0] ?? "$x$");
    else out.push(this.vocabulary[token] as string);
  }

  /** The paper's own topic words (as token lists): two or three from the vocabulary, and its archive's terms. */
  private topics(archive: Archive): string[][] {
    const topics: string[][] = [];
    const fromVocabulary = 2 + this.random.below(2);
    for (let i = 0; i < fromVocabulary; i++)
      topics.push([this.vocabulary[this.random.pick(this.contentWords)] as string]);
    const terms = topicTerms[archive];
    if (terms.length) for (let i = 0; i < 2; i++) topics.push(tokenize(this.random.pick(terms)));
    return topics;
  }

  /**
   * Tokens from a bigram model, with the paper's topic words mixed in, until about `length`
   * (sentences are finished). TeX only where `math` allows it, as few abstracts hold any.
   */
  private text(
    words: CompiledBigrams,
    length: number,
    topics: string[][],
    topicChance: number,
    sentences: boolean,
    math: boolean,
  ) {
    const out: string[] = [];
    const stop = sentences ? length - SENTENCE_OVERRUN : length;
    let previous = this.sentenceStart;
    let open = 0;
    while (out.length < stop || (sentences && out.at(-1) !== "." && out.length < length + SENTENCE_OVERRUN)) {
      if (math && this.random.chance(MATH_CHANCE)) {
        this.emit(this.math, out);
        previous = this.math;
        continue;
      }
      if (this.random.chance(topicChance)) {
        const phrase = this.random.pick(topics);
        out.push(...phrase);
        previous = this.index.get(phrase.at(-1) as string) ?? this.rare;
        continue;
      }
      const token = words.next(this.random, previous);
      if (token === this.math && !math) continue;
      const word = this.vocabulary[token];
      if (word === "." && !sentences) continue;
      if (word === ")" && open === 0) continue;
      if (word === "(") open++;
      if (word === ")") open--;
      this.emit(token, out);
      previous = word === "." ? this.sentenceStart : token;
      if (word === ".") open = 0;
    }
    while (out.length && /^[,;:(/]$/.test(out.at(-1) as string)) out.pop();
    if (sentences && out.at(-1) !== ".") out.push(".");
    if (open > 0) out.splice(sentences ? out.length - 1 : out.length, 0, ")");
    const first = out[0];
    if (first) out[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return detokenize(out);
  }

  /** An author of the archive: popular ranks come back often (prolific authors), most once or twice. */
  private drawAuthor(archive: Archive, year: number): [string, string, string] {
    const population = this.authorPopulation.get(archive) ?? 50;
    const rank = powerLawRank(
      this.random,
      population,
      AUTHOR_RANK_OFFSET * Math.sqrt(population),
      AUTHOR_RANK_EXPONENT,
    );
    const person = new Random(hash2(this.options.seed ^ archives.indexOf(archive), rank));
    const first = this.model.firstNames[this.firstNames.draw(person)]?.[0] ?? "A.";
    const last = this.model.lastNames[this.lastNames.draw(person)]?.[0] ?? "Author";
    // Older papers more often give initials only.
    const initialsChance = year < 2000 ? 0.6 : year < 2012 ? 0.35 : 0.1;
    const given = this.random.chance(initialsChance)
      ? first
          .split(/[\s-]+/)
          .map((p) => `${p.charAt(0)}.`)
          .join(" ")
      : first;
    return [last, given, ""];
  }

  private authors(archive: Archive, year: number): [string, string, string][] {
    let count = Math.max(1, this.authorCounts.draw(this.random));
    // The last bin holds every larger team; experiments publish as collaborations of thousands.
    const last = this.model.authorCounts.length - 1;
    if (count >= last) count = last + this.random.below(3 * last);
    const collaboration = archive === "hep-ex" ? 0.08 : archive === "astro-ph" || archive === "nucl-ex" ? 0.005 : 0;
    if (this.random.chance(collaboration)) count = 200 + Math.floor(2800 * this.random.next() ** 2);
    const parsed: [string, string, string][] = [];
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const author = this.drawAuthor(archive, year);
      const key = `${author[1]} ${author[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      parsed.push(author);
    }
    return parsed;
  }

  private comment(archive: Archive, year: number): string | null {
    if (!this.random.chance(this.model.commentShare)) return null;
    const pages = 4 + this.random.below(40);
    const figures = 1 + this.random.below(15);
    switch (this.random.below(6)) {
      case 0:
        return `${pages} pages`;
      case 1:
        return `${pages} pages, ${figures} figures, ${1 + this.random.below(6)} tables`;
      case 2:
        return archive === "cs" || archive === "stat" || archive === "eess"
          ? `Accepted at ${this.random.pick(conferences)} ${year}`
          : `${pages} pages, ${figures} figures; v2: references added`;
      default:
        return `${pages} pages, ${figures} figures`;
    }
  }

  private publication(archive: Archive, year: number, pk: number): { journalRef: string | null; doi: string | null } {
    const share = archive === "cs" ? 0.1 : year < 2012 ? 0.4 : 0.2;
    if (!this.random.chance(share)) return { journalRef: null, doi: null };
    const journal = this.random.pick(journals[archive] ?? otherJournals);
    const published = Math.min(lastMonth.year, year + this.random.below(2));
    const volume = Math.max(1, published - 1900 + this.random.below(40));
    const page = 1000 + (pk % 90000);
    return {
      journalRef: `${journal.name} ${volume} (${published}) ${page}`,
      doi: this.random.chance(0.85) ? `${journal.doi}${volume}.${page}` : null,
    };
  }

  private license(year: number): string | null {
    if (year < 2004) return null;
    const u = this.random.next();
    if (year < 2016 || u < 0.6) return licenses.nonexclusive;
    if (u < 0.85) return licenses.by;
    if (u < 0.9) return licenses.byNcSa;
    if (u < 0.94) return licenses.byNcNd;
    if (u < 0.97) return licenses.bySa;
    return licenses.zero;
  }

  private paper(id: string, archive: Archive, year: number, created: number): KagglePaper {
    const categories = this.categories(archive, year);
    const topics = this.topics(archive);
    const title = this.text(
      this.titleWords,
      this.titleLengths.draw(this.random),
      topics,
      TITLE_TOPIC_CHANCE,
      false,
      false,
    );
    const abstractLength = this.abstractLengths.draw(this.random) * this.model.abstractBin + this.random.below(10);
    const math = this.random.chance(this.model.mathShare);
    const abstract = this.text(this.abstractWords, abstractLength, topics, ABSTRACT_TOPIC_CHANCE, true, math);
    const authorsParsed = this.authors(archive, year);
    const names = authorsParsed.map(([last, first]) => `${first} ${last}`);
    const versions = [created];
    const lastDay = Date.UTC(lastMonth.year, lastMonth.month, 1) - 1000;
    while (versions.length < 8 && this.random.chance(versions.length === 1 ? 0.38 : 0.3)) {
      const next =
        (versions.at(-1) as number) + (1 + this.random.below(300)) * 86_400_000 + this.random.below(86_400) * 1000;
      if (next > lastDay) break;
      versions.push(next);
    }
    const { journalRef, doi } = this.publication(archive, year, created / 1000);
    const hep = archive.startsWith("hep") || archive.startsWith("nucl");
    return {
      id,
      submitter: this.random.chance(0.8) ? (names[0] as string) : this.random.pick(names),
      authors: names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] as string),
      title: wrap(title, 70, "  "),
      comments: this.comment(archive, year),
      "journal-ref": journalRef,
      doi,
      "report-no": hep && this.random.chance(0.2) ? `CERN-TH-${year}-${100 + this.random.below(300)}` : null,
      categories: categories.join(" "),
      license: this.license(year),
      abstract: `  ${wrap(abstract, 78, "")}\n`,
      versions: versions.map((t, i) => ({ version: `v${i + 1}`, created: rfc2822(t) })),
      update_date: new Date(versions.at(-1) as number).toISOString().slice(0, 10),
      authors_parsed: authorsParsed,
    };
  }
}

export function generateArxiv(model: TextModel, options: GeneratorOptions): Generator<KagglePaper> {
  return new ArxivGenerator(model, options).papers();
}

/** Writes every line, waiting whenever the stream asks to, so memory stays flat; returns the JSON's size in bytes. */
export async function writeSyntheticArxiv(
  file: string,
  options: { papers: number; seed: number; model?: string },
  onProgress?: (written: number) => void,
): Promise<number> {
  const model = readTextModel(options.model);
  const output = fs.createWriteStream(file);
  const sink = file.endsWith(".gz") ? createGzip({ level: 6 }) : output;
  if (sink !== output) sink.pipe(output);
  const finished = once(output, "finish");
  let written = 0;
  let bytes = 0;
  let chunk = "";
  for (const paper of generateArxiv(model, options)) {
    chunk += `${JSON.stringify(paper)}\n`;
    written += 1;
    if (written % 500 === 0) {
      bytes += Buffer.byteLength(chunk);
      if (!sink.write(chunk)) await once(sink, "drain");
      chunk = "";
      onProgress?.(written);
    }
  }
  bytes += Buffer.byteLength(chunk);
  sink.end(chunk);
  await finished;
  onProgress?.(written);
  return bytes;
}
