import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2's defaults are argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified when no account matches, so that a wrong username costs the same time as a wrong password.
let decoy: Promise<string> | null = null;

/** Whether the password matches the hash; with no hash, spends the same time and says no. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoy ??= hashPassword("decoy password nobody has");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
