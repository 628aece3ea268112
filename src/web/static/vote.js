// Upvotes without leaving the page, updating the button and count; any answer but a plain success
// posts the form the plain way (see background-form.js).
import { sendInBackground } from "./background-form.js";

sendInBackground("data-upvote", async (form, response, button) => {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const { upvotes, upvoted } = await response.json();
  for (const count of form.querySelectorAll("[data-upvote-count]")) count.textContent = upvotes.toLocaleString("en-US");
  const next = form.querySelector('input[name="upvoted"]');
  if (next) next.value = upvoted ? "0" : "1";
  if (button) {
    button.setAttribute("aria-pressed", String(upvoted));
    button.title = upvoted ? "Take back your upvote" : "Upvote";
  }
});
