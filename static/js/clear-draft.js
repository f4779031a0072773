// Drafts kept in this browser (localStorage keys containing "-draft-", e.g. visit-draft-<user>).
// A page marked data-clear-draft="KEY" (the server has the visit) drops that draft. Logging out
// drops every draft: on a shared phone the next official must not find residents' details.
(function () {
  function drop(key) {
    try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
  }
  function dropAll() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf("-draft-") !== -1) localStorage.removeItem(key);
      }
    } catch (e) { /* storage off */ }
  }
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) { drop(el.dataset.clearDraft); });
  var script = document.currentScript;
  var logoutUrl = script && script.dataset.logoutUrl;
  if (!logoutUrl) return;
  document.addEventListener("submit", function (event) {
    if (event.target.getAttribute("action") === logoutUrl) dropAll();
  }, true);
})();
