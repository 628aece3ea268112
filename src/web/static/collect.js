// A card's Save form says in place which collection the paper went into, or why not (see
// background-form.js for the way without JavaScript).
import { sendInBackground } from "./background-form.js";

sendInBackground("data-save", async (form, response) => {
  const answer = await response.json();
  const outcome = form.querySelector(".save-outcome");
  if (!outcome) return;
  outcome.textContent = "";
  if (!response.ok) {
    outcome.textContent = answer.error ?? `HTTP ${response.status}`;
    return;
  }
  const link = document.createElement("a");
  link.href = answer.url;
  link.textContent = answer.title;
  outcome.append(answer.status === "added" ? "Saved to " : "Already in ", link);
  const title = form.querySelector('input[name="title"]');
  const select = form.querySelector('select[name="collection"]');
  if (title instanceof HTMLInputElement && title.value.trim() !== "") {
    title.value = "";
    // The new collection is offered in every Save form on the page from now on.
    for (const other of document.querySelectorAll('form[data-save] select[name="collection"]')) {
      if ([...other.options].some((o) => o.value === answer.slug)) continue;
      other.prepend(new Option(answer.title, answer.slug));
    }
    if (select instanceof HTMLSelectElement) select.value = answer.slug;
  }
});
