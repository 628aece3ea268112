// The reader's light/dark choice, remembered in this browser. Runs in <head> so a remembered
// theme applies before the first paint; without it (or without JavaScript) the system setting decides.
const root = document.documentElement;
try {
  const remembered = localStorage.getItem("theme");
  if (remembered === "light" || remembered === "dark") root.dataset.theme = remembered;
} catch {
  // Storage can be off (private windows, strict settings): the system setting decides.
}

const systemDark = matchMedia("(prefers-color-scheme: dark)");
const isDark = () => (root.dataset.theme ?? (systemDark.matches ? "dark" : "light")) === "dark";

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("theme-toggle");
  if (!toggle) return;
  const show = () => toggle.setAttribute("aria-pressed", String(isDark()));
  show();
  toggle.hidden = false;
  systemDark.addEventListener("change", show);
  toggle.addEventListener("click", () => {
    root.dataset.theme = isDark() ? "light" : "dark";
    try {
      localStorage.setItem("theme", root.dataset.theme);
    } catch {
      // Not remembered, but still switched for this page.
    }
    show();
  });
});
