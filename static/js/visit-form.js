// The doorstep visit form: find the household as you type (household-picker.js), show its
// panel, add concerns, and keep a draft in the browser (localStorage) until the server has saved
// the visit, so that a dropped connection loses nothing that was typed. Photos cannot be kept in
// a draft. The draft includes the form's idempotency key: a form sent again after no answer came
// (the first one was saved) shows the saved visit instead of saving it twice.
(function () {
  var form = document.getElementById("visit-form");
  if (!form) return;
  var draftKey = form.dataset.draftKey;
  var hidden = form.querySelector("input[name=household]");
  var panel = document.getElementById("household-panel");
  var latest = 0;

  function fetchHtml(url, into) {
    var ticket = ++latest;
    return fetch(url, { headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (ticket === latest) into.innerHTML = html; });
  }

  var picker = window.householdPicker(form, {
    chosen: function (id) {
      fetchHtml(panel.dataset.url.replace("/0/", "/" + id + "/"), panel).catch(function () {});
      saveDraft();
    },
    cleared: function () {
      panel.innerHTML = "";
      saveDraft();
    }
  });

  // Concerns: clone the empty form of the formset.
  var total = form.querySelector("input[name=concern-TOTAL_FORMS]");
  document.getElementById("add-concern").addEventListener("click", function () {
    addConcern();
    saveDraft();
  });
  function addConcern() {
    var html = document.getElementById("concern-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("concerns").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  }

  // The draft: every typed field except files, the CSRF token and the search box.
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.name !== "csrfmiddlewaretoken" &&
        !el.hasAttribute("data-draft-skip") && el.type !== "submit" && el.type !== "button";
    });
  }
  function saveDraft() {
    var data = { household: hidden.value, label: picker.label(), concerns: total.value, values: [] };
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) data.values.push([el.name, el.value, true]);
      } else {
        data.values.push([el.name, el.value]);
      }
    });
    try { localStorage.setItem(draftKey, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }
  function restoreDraft() {
    var raw = null;
    try { raw = localStorage.getItem(draftKey); } catch (e) { return; }
    // A form the server sent back (after an error) carries what was sent: it wins.
    if (!raw || hidden.value || form.hasAttribute("data-sent")) return;
    var data = JSON.parse(raw);
    while (parseInt(total.value, 10) < parseInt(data.concerns || "1", 10)) addConcern();
    var byName = {};
    data.values.forEach(function (v) { (byName[v[0]] = byName[v[0]] || []).push(v); });
    fields().forEach(function (el) {
      var saved = byName[el.name];
      if (!saved || el.name === "household") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = saved.some(function (v) { return v[1] === el.value; });
      } else if (el.name !== "concern-TOTAL_FORMS") {
        el.value = saved[0][1];
      }
    });
    if (data.household) picker.choose(data.household, data.label);
    document.getElementById("draft-notice").hidden = false;
  }
  document.getElementById("draft-discard").addEventListener("click", function () {
    localStorage.removeItem(draftKey);
    window.location.reload();
  });
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  restoreDraft();
  window.focusFirstError(form);
  window.submitWhenOnline(form, document.getElementById("offline-notice"), saveDraft);
  // Back to this page from the saved visit (the browser's page cache): the server has this form
  // (its draft is gone), so start a fresh one rather than resend its key.
  window.addEventListener("pageshow", function (event) {
    var draft = null;
    try { draft = localStorage.getItem(draftKey); } catch (e) { return; }
    if (event.persisted && draft === null) window.location.replace(window.location.pathname + window.location.search);
  });
})();
