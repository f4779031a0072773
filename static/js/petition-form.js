// The new-petition form: the same household search as the visit form; once a household is
// chosen, its members are offered in "raised by" (read from the household's panel fragment).
(function () {
  var form = document.getElementById("petition-form");
  if (!form) return;
  var resident = form.querySelector("select[name=resident]");

  function offerMembers(members) {
    if (!resident) return;
    var anonymous = resident.options[0];
    resident.innerHTML = "";
    resident.append(anonymous);
    members.forEach(function (m) {
      var option = document.createElement("option");
      option.value = m.id;
      option.textContent = m.name;
      resident.append(option);
    });
  }

  window.householdPicker(form, {
    chosen: function (id) {
      offerMembers([]);
      fetch(form.dataset.panelUrl.replace("/0/", "/" + id + "/"), { headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var panel = new DOMParser().parseFromString(html, "text/html");
          offerMembers(Array.prototype.map.call(panel.querySelectorAll("[data-resident]"), function (el) {
            return { id: el.dataset.resident, name: el.dataset.name };
          }));
        })
        .catch(function () {});
    },
    cleared: function () { offerMembers([]); }
  });
  window.focusFirstError(form);
  window.submitWhenOnline(form, document.getElementById("offline-notice"));
})();
