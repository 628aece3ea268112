import { createHash, randomBytes } from "node:crypto";

/** What the database keeps of a secret: its SHA-256, so a copy of the tables opens nothing. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

/** 256 random bits, URL-safe, with an optional prefix saying what the secret is for (e.g. pb_ for API tokens). */
export function newSecret(prefix = ""): { secret: string; hash: string } {
  const secret = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret) };
}
