/**
 * Questions in plain English ("Could you recommend a study that …?", "Are there any papers on
 * …?") carry words that say nothing about the topic and, worse, name other topics: "recommend"
 * is rare in abstracts except recommender systems', so bm25 weighs it highly. A question's
 * opening request is dropped, and so are words that only ask for literature.
 * docs/search-quality.md has the measurements on LitSearch-dev.
 */

// The opening of a request for papers, up to where its topic starts.
const request = new RegExp(
  `^[\\s*"“]*(?:${[
    "(?:could|can|would) you (?:please )?(?:suggest|recommend|point me (?:to|towards)|point to|direct me (?:to|towards)|refer me to|provide(?: me with)?|find|share|list|name|identify|give me)",
    "(?:are|is) there (?:any )?",
    "what (?:research|studies|work|papers|literature|approaches|methods|techniques)(?: has| have)? (?:been )?(?:conducted|done|published|proposed|available|used|exists?)?",
    "what (?:are|is) (?:some|the|a few)? ?",
    "where can i find",
    "i(?:'m| am) (?:looking|searching) (?:for|into|to understand)",
    "i(?:'m| am) (?:exploring|researching|interested in|conducting research on|trying to find)",
    "i would like to (?:understand|find|know|read about)",
    "have any (?:research )?(?:papers|studies|works)",
    "which (?:papers|studies|works|research)",
  ].join("|")})`,
  "i",
);

/** Words that, in a question, only ask for literature or say how to look. */
const askingWords = new Set(
  (
    "research researches study studies paper papers work works literature article articles publication " +
    "publications scholarly recommend suggest suggestions explore explores exploring investigate " +
    "investigates investigating examine examines examining discuss discusses discussing propose proposes proposed " +
    "address addresses specifically particularly especially any recent relevant available conducted resources " +
    "resource find looking understand help point direct refer"
  ).split(" "),
);

/** A question's text without its opening request, and whether it read as a question at all. */
export function withoutRequest(text: string): { text: string; question: boolean } {
  const stripped = text.replace(request, " ");
  return { text: stripped, question: stripped !== text || /\?\s*$/.test(text) };
}

/** Whether a (folded) word only asks for literature, in a question. */
export const asksForLiterature = (word: string) => askingWords.has(word);
