/**
 * Writes tiny ONNX models for tests, so the ONNX embedder runs a real model without anything
 * downloaded. Only the few protobuf fields such a model needs are written (field numbers from
 * onnx/onnx.proto).
 */
import fs from "node:fs";
import path from "node:path";

const FLOAT = 1;
const INT64 = 7;

class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      bytes.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
    this.chunks.push(Uint8Array.from(bytes));
  }

  int(field: number, value: number): this {
    this.varint(field << 3);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(value.length);
    this.chunks.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** A symbolic dimension such as "batch", or a fixed size. */
type Dimension = string | number;

function valueInfo(writer: ProtoWriter, name: string, elementType: number, shape: Dimension[]): void {
  writer.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, elementType).message(2, (tensorShape) => {
        for (const dim of shape) {
          tensorShape.message(1, (d) => (typeof dim === "number" ? d.int(1, dim) : d.string(2, dim)));
        }
      }),
    ),
  );
}

export interface EmbeddingTableModel {
  /** One row per token id: the hidden state the model gives that token. */
  table: number[][];
  /** Graph inputs besides input_ids, each int64 [batch, sequence]; a real BERT also takes these. */
  extraInputs?: ("attention_mask" | "token_type_ids")[];
}

/**
 * A model whose last_hidden_state [batch, sequence, dim] is each token's row of an embedding
 * table (one Gather), ignoring context: so a test knows exactly which vector a text should get.
 */
export function embeddingTableModel({
  table,
  extraInputs = ["attention_mask", "token_type_ids"],
}: EmbeddingTableModel): Uint8Array {
  const dim = table[0]?.length ?? 0;
  const weights = new Float32Array(table.flat());
  return new ProtoWriter()
    .int(1, 8) // ir_version
    .string(2, "paperboy-tests")
    .message(7, (graph) => {
      graph.message(1, (node) =>
        node.string(1, "embeddings").string(1, "input_ids").string(2, "last_hidden_state").string(4, "Gather"),
      );
      graph.string(2, "embedding-table");
      graph.message(5, (tensor) => {
        tensor.int(1, table.length).int(1, dim).int(2, FLOAT).string(8, "embeddings");
        tensor.bytes(9, new Uint8Array(weights.buffer));
      });
      for (const name of ["input_ids", ...extraInputs]) {
        graph.message(11, (input) => valueInfo(input, name, INT64, ["batch", "sequence"]));
      }
      graph.message(12, (output) => valueInfo(output, "last_hidden_state", FLOAT, ["batch", "sequence", dim]));
    })
    .message(8, (opset) => opset.string(1, "").int(2, 13))
    .finish();
}

export interface ModelDirectory {
  /** Token per id, as in vocab.txt. */
  vocab: string[];
  /** One embedding row per vocabulary entry. */
  table: number[][];
  /** vocab.txt (the older export) or tokenizer.json (Hugging Face tokenizers). */
  tokenizer: "vocab.txt" | "tokenizer.json";
  extraInputs?: EmbeddingTableModel["extraInputs"];
}

/** Writes a sentence-transformers style export (model.onnx beside its tokenizer) into dir. */
export function writeModelDirectory(dir: string, { vocab, table, tokenizer, extraInputs }: ModelDirectory): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "model.onnx"), embeddingTableModel({ table, extraInputs }));
  if (tokenizer === "vocab.txt") {
    fs.writeFileSync(path.join(dir, "vocab.txt"), `${vocab.join("\n")}\n`);
    return;
  }
  const id = (token: string) => vocab.indexOf(token);
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [id("[CLS]")], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [id("[SEP]")], tokens: ["[SEP]"] },
      },
    },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(json));
}
