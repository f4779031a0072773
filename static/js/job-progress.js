// The job page's progress bar: ask how far the job is every second; when it has finished,
// load the page again, which then shows the result (the file, or the errors found).
(function () {
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector("[data-job-bar]");
  var state = box.querySelector("[data-job-state]");
  var percent = box.querySelector("[data-job-percent]");
  var message = box.querySelector("[data-job-message]");

  function show(job) {
    state.textContent = job.state_label;
    message.textContent = job.message;
    if (job.percent === null) {
      bar.removeAttribute("value");  // indeterminate: the total is not known yet
      percent.textContent = "";
    } else {
      bar.max = 100;
      bar.value = job.percent;
      percent.textContent = job.percent + "%";
    }
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job === null) return setTimeout(poll, 5000);
        show(job);
        if (job.finished) return window.location.reload();
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });  // offline for a moment: try again
  }
  setTimeout(poll, 1000);
})();
