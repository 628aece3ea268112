import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { repoRoot } from "./support/cli.ts";

/**
 * The folders of src/ by layer, lowest first (docs/architecture.md draws the same map). A folder
 * may import its own layer and those below, never those above; and there are no cycles.
 */
const layers: Record<string, number> = {
  config: 0,
  calendar: 0,
  metrics: 0,
  papers: 1,
  store: 2,
  ingest: 3,
  search: 3,
  http: 4,
  mail: 5,
  community: 5,
  jobs: 5,
  inbox: 5,
  api: 6,
  web: 6,
  mcp: 6,
  server: 7,
  cli: 8,
};

/** Peers that must not know one another: each is one face of the site over the layers below. */
const strangers = new Set(["api", "web", "mcp"]);

const srcDir = path.join(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    // Tests are leaves (nothing imports them), so they can close no cycle: only the code counts.
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const folderOf = (file: string) => path.relative(srcDir, file).split(path.sep)[0] ?? "";
const shown = (file: string) => path.relative(repoRoot, file);

interface Edge {
  from: string;
  to: string;
}

/** Every import between two src/ folders, static, re-export, type-only or dynamic, as file edges. */
function folderImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(srcDir)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.startsWith(srcDir + path.sep)) continue;
      if (folderOf(target) !== folderOf(file)) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

/** Strongly connected components with more than one folder (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the import graph of src/", () => {
  const edges = folderImports();
  const describeEdge = (e: Edge) => `${shown(e.from)} imports ${shown(e.to)}`;

  it("names every folder in the layer map", () => {
    const folders = new Set(sourceFiles(srcDir).map(folderOf));
    const unknown = [...folders].filter((f) => !(f in layers));
    assert.deepEqual(
      unknown,
      [],
      "add new src/ folders to `layers` in test/import-graph.test.ts and the architecture doc",
    );
  });

  it("has no cycle between folders", () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const from = folderOf(e.from);
      graph.set(from, (graph.get(from) ?? new Set()).add(folderOf(e.to)));
    }
    const explained = cycles(graph).map((component) => {
      const inside = edges.filter((e) => component.includes(folderOf(e.from)) && component.includes(folderOf(e.to)));
      return `${component.join(" <-> ")}:\n  ${inside.map(describeEdge).join("\n  ")}`;
    });
    assert.deepEqual(explained, []);
  });

  it("imports only downward: lower layers never reach up, and api, web and mcp never reach one another", () => {
    const wrong = edges.filter((e) => {
      const from = folderOf(e.from);
      const to = folderOf(e.to);
      if (strangers.has(from) && strangers.has(to)) return true;
      return (layers[to] ?? 0) > (layers[from] ?? 0);
    });
    assert.deepEqual(wrong.map(describeEdge), []);
  });
});
