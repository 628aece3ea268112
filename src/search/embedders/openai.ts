import type { Embedder, EmbeddingPurpose } from "./embedder.ts";
import { normalize } from "./embedder.ts";

/**
 * How long a request may take, headers and body, before it counts as failed: a reader's query
 * falls back to keywords rather than wait; a batch of papers (`paperboy embed`) may take longer.
 */
export const EMBEDDING_TIMEOUT_MS: Record<EmbeddingPurpose, number> = { query: 5_000, document: 120_000 };

export interface OpenAiEmbedderSetting {
  /** Base URL up to and including /v1, e.g. http://localhost:11434/v1. */
  url: string;
  model: string;
  apiKey?: string;
}

/** Any server that speaks OpenAI's POST /v1/embeddings: Ollama, vLLM, Text Embeddings Inference, OpenAI. */
export class OpenAiEmbedder implements Embedder {
  readonly id: string;

  constructor(
    private readonly setting: OpenAiEmbedderSetting,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeouts: Record<EmbeddingPurpose, number> = EMBEDDING_TIMEOUT_MS,
  ) {
    this.id = `openai:${setting.model}@${setting.url}`;
  }

  async embed(texts: string[], purpose: EmbeddingPurpose = "document"): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const endpoint = `${this.setting.url.replace(/\/$/, "")}/embeddings`;
    const timeout = this.timeouts[purpose];
    let body: { data?: { embedding?: unknown; index?: number }[] };
    try {
      const response = await this.fetchImpl(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.setting.apiKey ? { authorization: `Bearer ${this.setting.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.setting.model, input: texts }),
        signal: AbortSignal.timeout(timeout),
      });
      if (!response.ok) {
        const detail = (await response.text()).slice(0, 200);
        throw new Error(`embeddings server ${endpoint} answered ${response.status}: ${detail}`);
      }
      body = (await response.json()) as typeof body;
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new Error(`embeddings server ${endpoint} did not answer within ${timeout / 1000} s`, { cause: error });
      }
      throw error;
    }
    const data = body.data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new Error(
        `embeddings server ${endpoint} returned ${data?.length ?? "no"} vectors for ${texts.length} texts`,
      );
    }
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((item) => {
      if (!Array.isArray(item.embedding) || item.embedding.some((x) => typeof x !== "number")) {
        throw new Error(`embeddings server ${endpoint} returned an embedding that is not a list of numbers`);
      }
      // Servers differ on whether they normalize; cosine search wants unit vectors either way.
      return normalize(Float32Array.from(item.embedding as number[]));
    });
  }
}
