import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCli, startCli } from "./support/cli.ts";
import { communityApp } from "./support/community.ts";
import { databaseKinds } from "./support/databases.ts";

describe("paperboy user and token", () => {
  for (const kind of databaseKinds) {
    test(`create the first admin and a write token that the API accepts, on ${kind.kind}`, {
      skip: kind.skip,
    }, async () => {
      const db = await kind.create();
      try {
        const env = { DATABASE_URL: db.url };
        const args = ["user", "create", "--username", "Ada", "--email", "ada@example.org", "--password-stdin"];
        const created = await runCli(
          [...args, "--role", "admin"],
          env,
          startCli([...args, "--role", "admin"], env, "a long passphrase\n"),
        );
        assert.equal(created.code, 0, created.stderr);
        assert.match(created.stdout, /created admin Ada <ada@example.org>, verified/);

        if (kind.kind === "sqlite") {
          const again = await runCli(args, env, startCli(args, env, "another passphrase\n"));
          assert.equal(again.code, 2);
          assert.match(again.stderr, /username "Ada" is taken/);
        }

        const token = await runCli(["token", "create", "--username", "ada", "--scope", "write"], env);
        assert.equal(token.code, 0, token.stderr);
        const secret = token.stdout.trim().split("\n").at(-1) ?? "";
        assert.match(secret, /^pb_[A-Za-z0-9_-]{43}$/);

        const store = await db.open();
        try {
          const { app } = communityApp(store);
          const me = (await (
            await app.request("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })
          ).json()) as Record<string, unknown>;
          assert.deepEqual(
            [me.username, me.role, me.emailVerified, me.auth],
            ["Ada", "admin", true, { via: "token", scope: "write" }],
          );
          const { community } = communityApp(store);
          assert.equal((await community.accounts.logIn("ada@example.org", "a long passphrase")).user.role, "admin");
        } finally {
          await store.close();
        }
      } finally {
        await db.dispose();
      }
    });
  }

  test("user and token explain themselves and name what is wrong", async () => {
    const env = { DATABASE_URL: "sqlite::memory:" };
    for (const command of ["user", "token"]) {
      const help = await runCli([command, "--help"], env);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`Usage: paperboy ${command} create`));
    }
    const noStdin = await runCli(["user", "create", "--username", "bob", "--email", "bob@example.org"], env);
    assert.equal(noStdin.code, 2);
    assert.match(noStdin.stderr, /--password-stdin/);
    const badRole = [
      "user",
      "create",
      "--username",
      "bob",
      "--email",
      "bob@example.org",
      "--password-stdin",
      "--role",
      "king",
    ];
    assert.match(
      (await runCli(badRole, env, startCli(badRole, env, "passphrase!\n"))).stderr,
      /--role "king" must be one of user, moderator, admin/,
    );
    const nobody = await runCli(["token", "create", "--username", "nobody"], env);
    assert.equal(nobody.code, 2);
    assert.match(nobody.stderr, /no account named "nobody"/);
  });
});
