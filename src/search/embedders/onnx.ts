import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Embedder } from "./embedder.ts";
import { normalize } from "./embedder.ts";
import { loadWordPieceTokenizer, type WordPieceTokenizer } from "./wordpiece.ts";

/**
 * The part of ONNX Runtime's API (the same in onnxruntime-node and onnxruntime-web) used here,
 * declared so that Paperboy type-checks with neither installed.
 */
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}

interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array): Promise<OrtSession> };
  Tensor: new (type: "int64", data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

/**
 * ONNX Runtime packages with the same API, best first: the native one is faster, the WebAssembly
 * one installs on any platform. Neither is a dependency of Paperboy (only PAPERBOY_EMBEDDER=onnx
 * needs one), so they are imported only then, with an install hint when neither is there.
 */
const onnxRuntimePackages = ["onnxruntime-node", "onnxruntime-web"];

export async function loadOnnxRuntime(packages: readonly string[] = onnxRuntimePackages): Promise<OnnxRuntime> {
  for (const name of packages) {
    try {
      return (await import(name)) as OnnxRuntime;
    } catch (error) {
      const missing = (error as { code?: string }).code === "ERR_MODULE_NOT_FOUND";
      if (!missing || !String((error as Error).message).includes(name)) throw error;
    }
  }
  throw new Error(
    `PAPERBOY_EMBEDDER=onnx needs an ONNX runtime and none of ${packages.join(", ")} is installed: ` +
      "run `npm install onnxruntime-node` (native, fastest) or `npm install onnxruntime-web` (WebAssembly)",
  );
}

// Sentence-transformers models are trained on at most this many tokens unless their files say otherwise.
const DEFAULT_MAX_TOKENS = 512;
// Texts go through the model this many at a time, padded to the longest of them.
const BATCH = 16;

/** The most tokens the model takes: the limit sentence-transformers used, else the tokenizer's. */
function maxTokens(dir: string): number {
  const read = (file: string) => {
    const full = path.join(dir, file);
    return existsSync(full) ? (JSON.parse(readFileSync(full, "utf8")) as Record<string, unknown>) : {};
  };
  const truncation = read("tokenizer.json").truncation as { max_length?: number } | null | undefined;
  const candidates = [
    read("sentence_bert_config.json").max_seq_length,
    truncation?.max_length,
    read("tokenizer_config.json").model_max_length,
  ];
  // Tokenizer configs without a real limit say 1e30 or so.
  const limit = candidates.find((n): n is number => typeof n === "number" && n > 2 && n <= 100_000);
  return limit ?? DEFAULT_MAX_TOKENS;
}

/** The model's content names it, so a new model in the same directory gets its papers re-embedded. */
export function onnxEmbedderId(modelDir: string, modelBytes = readFileSync(path.join(modelDir, "model.onnx"))): string {
  return `onnx:${path.basename(modelDir)}@${createHash("sha256").update(modelBytes).digest("hex").slice(0, 12)}`;
}

const knownInputs = new Set(["input_ids", "attention_mask", "token_type_ids"]);

/**
 * A sentence-embedding model exported to ONNX (model.onnx beside its tokenizer, as
 * sentence-transformers and Optimum write them): the mean of the last hidden state over the
 * text's tokens, scaled to length 1.
 */
export class OnnxEmbedder implements Embedder {
  private constructor(
    readonly id: string,
    private readonly ort: OnnxRuntime,
    private readonly session: OrtSession,
    private readonly tokenizer: WordPieceTokenizer,
    private readonly maxTokens: number,
  ) {}

  static async load(modelDir: string): Promise<OnnxEmbedder> {
    const runtime = await loadOnnxRuntime();
    const modelBytes = readFileSync(path.join(modelDir, "model.onnx"));
    const tokenizer = loadWordPieceTokenizer(modelDir);
    const session = await runtime.InferenceSession.create(modelBytes);
    const unknown = session.inputNames.filter((name) => !knownInputs.has(name));
    if (!session.inputNames.includes("input_ids") || unknown.length > 0) {
      throw new Error(
        `${modelDir}/model.onnx takes inputs ${session.inputNames.join(", ")}; a text encoder takes input_ids and optionally attention_mask and token_type_ids`,
      );
    }
    return new OnnxEmbedder(onnxEmbedderId(modelDir, modelBytes), runtime, session, tokenizer, maxTokens(modelDir));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const encoded = texts.map((text) => this.tokenizer.encode(text, this.maxTokens));
    // Batching texts of similar length wastes the least work on padding.
    const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a]?.length ?? 0) - (encoded[b]?.length ?? 0));
    const vectors: Float32Array[] = new Array(texts.length);
    for (let start = 0; start < order.length; start += BATCH) {
      const batch = order.slice(start, start + BATCH);
      const pooled = await this.run(batch.map((i) => encoded[i] ?? []));
      batch.forEach((textIndex, row) => {
        vectors[textIndex] = pooled[row] ?? new Float32Array(0);
      });
    }
    return vectors;
  }

  private async run(batch: number[][]): Promise<Float32Array[]> {
    const length = Math.max(...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(batch.length * length).fill(BigInt(this.tokenizer.options.padId));
    const mask = new BigInt64Array(batch.length * length);
    batch.forEach((tokens, row) => {
      tokens.forEach((id, column) => {
        ids[row * length + column] = BigInt(id);
        mask[row * length + column] = 1n;
      });
    });
    const shape = [batch.length, length];
    const inputs: Record<string, OrtTensor> = {
      input_ids: new this.ort.Tensor("int64", ids, shape),
      attention_mask: new this.ort.Tensor("int64", mask, shape),
      token_type_ids: new this.ort.Tensor("int64", new BigInt64Array(ids.length), shape),
    };
    const feeds = Object.fromEntries(this.session.inputNames.map((name) => [name, inputs[name] as OrtTensor]));
    const outputs = await this.session.run(feeds);
    const outputName = this.session.outputNames.includes("last_hidden_state")
      ? "last_hidden_state"
      : this.session.outputNames[0];
    const output = outputs[outputName ?? ""];
    if (!output || !(output.data instanceof Float32Array)) {
      throw new Error(`the model's output ${outputName} is not a float32 tensor`);
    }
    const data = output.data;
    const dims = output.dims;
    // An export that pools by itself gives [batch, dim]; otherwise it is [batch, tokens, dim].
    if (dims.length === 2) {
      const dim = dims[1] ?? 0;
      return batch.map((_, row) => normalize(data.slice(row * dim, (row + 1) * dim)));
    }
    const dim = dims[2] ?? 0;
    return batch.map((tokens, row) => {
      // Mean pooling over the text's own tokens only (padding would pull short texts toward the
      // pad token's vector); the sum is the mean up to a scale that normalising removes.
      const vector = new Float32Array(dim);
      for (let t = 0; t < tokens.length; t++) {
        const offset = (row * length + t) * dim;
        for (let d = 0; d < dim; d++) vector[d] = (vector[d] ?? 0) + (data[offset + d] ?? 0);
      }
      return normalize(vector);
    });
  }
}
