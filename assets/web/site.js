// Progressive help for the pages; every page works without it. No inline script anywhere: the
// Content-Security-Policy forbids it.
"use strict";

// An input with data-suggest="/api/v1/skills?q=" gets suggestions from that address as the
// person types, in any of the three scripts; the chosen suggestion's id goes into the field
// named by data-suggest-target.
function suggest(input) {
  const list = document.getElementById(input.getAttribute("list"));
  const target = input.form && input.form.elements[input.dataset.suggestTarget];
  if (!list) return;
  let timer = null;
  let latest = [];
  input.addEventListener("input", () => {
    if (target) {
      const chosen = latest.find((s) => s.label === input.value);
      target.value = chosen ? chosen.id : "";
    }
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 1) return;
    timer = setTimeout(async () => {
      const response = await fetch(input.dataset.suggest + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const body = await response.json();
      const items = Array.isArray(body) ? body : body.items || [];
      latest = items.slice(0, 10).map((s) => ({ id: s.id, label: s.label || s.name || s.id }));
      list.replaceChildren(
        ...latest.map((s) => {
          const option = document.createElement("option");
          option.value = s.label;
          return option;
        })
      );
    }, 150);
  });
}

// A select with data-autosubmit sends its form when changed (the button stays for keyboards
// and for pages without script).
function autosubmit(select) {
  select.addEventListener("change", () => select.form && select.form.requestSubmit());
}

// A form with data-confirm asks before it is sent.
function confirmBefore(form) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-suggest]").forEach(suggest);
  document.querySelectorAll("select[data-autosubmit]").forEach(autosubmit);
  document.querySelectorAll("form[data-confirm]").forEach(confirmBefore);
});
