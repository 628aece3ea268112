// Sends a card's Save form in the background and says which collection the paper went into;
// without this script the form posts and the collection's page answers, which works as well.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-save")) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const outcome = form.querySelector(".save-outcome");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const answer = await response.json();
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
  } catch {
    form.submit();
  } finally {
    if (button) button.disabled = false;
  }
});
