// Results as you type: fetch the results fragment of the same search page, 250 ms after the
// last keystroke. Without JavaScript the form still works as a plain GET search.
(function () {
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var target = document.querySelector(form.dataset.liveSearch);
    var input = form.querySelector("input[type=search]");
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        // The form's own address, never the page's: `form.action` without an action attribute is
        // the current URL, which already carries the ?q= that replaceState put there.
        var action = form.getAttribute("action") || window.location.pathname;
        var url = new URL(action, window.location.href);
        var params = new URLSearchParams(new FormData(form));
        url.search = params.toString();
        var ticket = ++latest;
        fetch(url.toString(), { headers: { "X-Requested-With": "fetch" } })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            if (ticket !== latest) return; // an older answer arriving late
            target.innerHTML = html;
            history.replaceState(null, "", "?" + params.toString());
          })
          .catch(function () {});
      }, 250);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  });
})();
