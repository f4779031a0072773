// The server has the visit: the browser's draft of it can go.
document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
  try { localStorage.removeItem(el.dataset.clearDraft); } catch (e) { /* storage off */ }
});
