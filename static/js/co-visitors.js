// Co-visitors of a visit: the officials serving the chosen household's place, as ticks, and a
// box that narrows them by name as you type. Without this script the form lists them all once the
// household is known (chosen from a household page or after a post).
(function () {
  var box = document.getElementById("co-visitors");
  var form = document.getElementById("visit-form");
  if (!box || !form) return;
  var list = document.getElementById("co-visitor-list");
  var query = document.getElementById("co-visitor-q");
  var hidden = form.querySelector("input[name=household]");
  var latest = 0;

  function ticked() {
    var ids = {};
    list.querySelectorAll("input[type=checkbox]:checked").forEach(function (c) { ids[c.value] = true; });
    return ids;
  }

  function narrow() {
    var q = query.value.trim();
    list.querySelectorAll("label.check").forEach(function (label) {
      label.hidden = q && label.textContent.indexOf(q) === -1 && !label.querySelector("input:checked");
    });
  }

  function load(household) {
    var ticket = ++latest;
    if (!household) { list.innerHTML = ""; return; }
    var keep = ticked();
    fetch(box.dataset.url + "?household=" + encodeURIComponent(household), { headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        if (ticket !== latest) return;
        list.innerHTML = "";
        data.officials.forEach(function (o, i) {
          var label = document.createElement("label");
          label.className = "check";
          var input = document.createElement("input");
          input.type = "checkbox";
          input.name = "co_visitors";
          input.value = o.id;
          input.id = "id_co_visitors_" + i;
          input.checked = !!keep[o.id];
          label.append(input, " " + o.label);
          list.append(label);
        });
        narrow();
      })
      .catch(function () {});
  }

  query.addEventListener("input", narrow);
  // The household picker says when the household changes.
  if (hidden) hidden.addEventListener("change", function () { load(hidden.value); });
})();
