#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so `npx paperboy` works without a build step. The project's tsconfig is
// named, not looked up from the working directory: from elsewhere the pages' JSX would not compile.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../src/cli/main.ts");
