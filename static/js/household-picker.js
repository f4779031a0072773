// Find a household as you type (a room, building-unit-room, a resident's name or a phone's last
// digits) and choose it. Used by the visit form and the new-petition form: the page has
// #household-search (with #household-q and #household-choices), #chosen-household and the
// form's hidden input[name=household].
window.householdPicker = function (form, hooks) {
  hooks = hooks || {};
  var hidden = form.querySelector("input[name=household]");
  var search = document.getElementById("household-search");
  var query = document.getElementById("household-q");
  var choices = document.getElementById("household-choices");
  var chosen = document.getElementById("chosen-household");
  if (!hidden || !search || !query || !choices || !chosen) return null;
  var timer = null;
  var latest = 0;

  function choose(id, label) {
    hidden.value = id;
    chosen.innerHTML = "";
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = label;
    var change = document.createElement("button");
    change.type = "button";
    change.className = "link-button";
    change.id = "change-household";
    change.textContent = form.dataset.changeLabel || "更换";
    p.append(strong, " ", change);
    chosen.append(p);
    search.hidden = true;
    choices.innerHTML = "";
    hidden.dispatchEvent(new Event("change"));
    if (hooks.chosen) hooks.chosen(id, label);
  }

  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = query.value.trim();
      var ticket = ++latest;
      if (!q) { choices.innerHTML = ""; return; }
      fetch(query.dataset.url + "?q=" + encodeURIComponent(q), { headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { if (ticket === latest) choices.innerHTML = html; })
        .catch(function () {});
    }, 250);
  });
  choices.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-household]");
    if (button) choose(button.dataset.household, button.dataset.label);
  });
  chosen.addEventListener("click", function (event) {
    if (event.target.id !== "change-household") return;
    hidden.value = "";
    hidden.dispatchEvent(new Event("change"));
    chosen.innerHTML = "";
    search.hidden = false;
    query.focus();
    if (hooks.cleared) hooks.cleared();
  });
  return {
    choose: choose,
    label: function () { return (chosen.querySelector("strong") || {}).textContent || ""; }
  };
};

// After a form comes back with errors: bring the first one into view and focus its field (on a
// phone it may be screens below the top, where the banner says what went wrong).
window.focusFirstError = function (form) {
  var banner = document.getElementById("form-problems");
  if (!banner) return;
  var first = form.querySelector(".field--error");
  var target = first && first.querySelector("input:not([type=hidden]), select, textarea");
  if (first && !first.hidden && target) {
    first.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  } else {
    banner.tabIndex = -1;
    banner.scrollIntoView({ block: "start" });
    banner.focus({ preventScroll: true });
  }
};

// Submitting without a connection would show the browser's offline page: check first (the
// browser's own flag, then a quick request to the server) and, when offline, stay on the page
// and show `notice`. `beforeSubmit` runs first (e.g. saving the draft).
window.submitWhenOnline = function (form, notice, beforeSubmit) {
  var sending = false;
  window.addEventListener("pageshow", function () { sending = false; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    if (beforeSubmit) beforeSubmit();
    function offline() {
      sending = false;
      notice.hidden = false;
      notice.scrollIntoView({ block: "center" });
    }
    if (navigator.onLine === false) { offline(); return; }
    sending = true;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 8000);
    fetch(form.dataset.probeUrl, { cache: "no-store", headers: { "X-Requested-With": "fetch" },
                                   signal: controller ? controller.signal : undefined })
      .then(function () {
        clearTimeout(timer);
        notice.hidden = true;
        HTMLFormElement.prototype.submit.call(form);
      }, function () { clearTimeout(timer); offline(); });
  });
};
