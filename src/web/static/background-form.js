// Progressive enhancement shared by the forms that answer in place (upvote, Save): a form marked
// with `marker` is sent in the background with its fields (the CSRF token among them) and the
// answer handed to `answered`. Without JavaScript the form posts and a page answers, which works
// as well; when the request or `answered` throws, the form is posted the plain way after all.
export function sendInBackground(marker, answered) {
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute(marker)) return;
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
      await answered(form, response, button);
    } catch {
      form.submit();
    } finally {
      if (button) button.disabled = false;
    }
  });
}
