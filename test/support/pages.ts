import assert from "node:assert/strict";
import { HtmlValidate } from "html-validate";

const validator = new HtmlValidate({ extends: ["html-validate:standard", "html-validate:a11y"] });

/** Zero html-validate errors, and nothing the CSP would block: no inline script or style. */
export async function assertCleanPage(html: string, where: string): Promise<void> {
  const report = await validator.validateString(html);
  const messages = report.results.flatMap((r) =>
    r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`),
  );
  assert.deepEqual(messages, [], where);
  assert.doesNotMatch(html, /<script(?![^>]*\b(src|type="application\/ld\+json")=)[^>]*>/, `${where}: inline script`);
  assert.doesNotMatch(html, /\sstyle=|<style/, `${where}: inline style`);
}
