// Sends an upvote form in the background and updates its button; without this script the form
// posts and the page reloads, which works as well. Any answer but a plain success falls back to that.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upvote")) return;
  event.preventDefault();
  const button = form.querySelector("button");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { upvotes, upvoted } = await response.json();
    for (const count of form.querySelectorAll("[data-upvote-count]"))
      count.textContent = upvotes.toLocaleString("en-US");
    const next = form.querySelector('input[name="upvoted"]');
    if (next) next.value = upvoted ? "0" : "1";
    if (button) {
      button.setAttribute("aria-pressed", String(upvoted));
      button.title = upvoted ? "Take back your upvote" : "Upvote";
    }
  } catch {
    form.submit();
  } finally {
    if (button) button.disabled = false;
  }
});
