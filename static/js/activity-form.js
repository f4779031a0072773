// The activity form: "Add another finding" copies the empty finding form (Django's __prefix__).
(function () {
  var button = document.getElementById("add-finding");
  if (!button) return;
  var total = document.querySelector("input[name=finding-TOTAL_FORMS]");
  var most = document.querySelector("input[name=finding-MAX_NUM_FORMS]");
  button.addEventListener("click", function () {
    if (most && parseInt(total.value, 10) >= parseInt(most.value, 10)) return;
    var html = document.getElementById("finding-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("findings").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
