import type { EmbedderSetting } from "../../config/index.ts";
import type { Store } from "../../store/index.ts";
import { BuiltinEmbedder, builtinModelName, decodeLsaModel } from "./builtin.ts";
import type { Embedder } from "./embedder.ts";
import { OnnxEmbedder, onnxEmbedderId } from "./onnx.ts";
import { OpenAiEmbedder } from "./openai.ts";

export type { Embedder, EmbeddingPurpose } from "./embedder.ts";

/** The built-in model as last trained by `paperboy embed`, or null before that. */
export async function loadBuiltinEmbedder(store: Store): Promise<BuiltinEmbedder | null> {
  const saved = await store.vectors.loadModel(builtinModelName);
  return saved ? new BuiltinEmbedder(decodeLsaModel(saved.data), saved.data) : null;
}

/** The embedder the configuration asks for; null when it is the built-in one and it is not trained yet. */
export async function configuredEmbedder(store: Store, setting: EmbedderSetting): Promise<Embedder | null> {
  if (setting.kind === "openai") return new OpenAiEmbedder(setting);
  if (setting.kind === "onnx") return OnnxEmbedder.load(setting.modelDir);
  return loadBuiltinEmbedder(store);
}

/** The id of the embedder the configuration asks for, without loading it; null for a built-in model not trained yet. */
export async function configuredEmbedderId(store: Store, setting: EmbedderSetting): Promise<string | null> {
  if (setting.kind === "openai") return new OpenAiEmbedder(setting).id;
  if (setting.kind === "onnx") return onnxEmbedderId(setting.modelDir);
  return (await loadBuiltinEmbedder(store))?.id ?? null;
}
