// Forms marked data-confirm ask before they submit (e.g. ending a role holder's term).
document.addEventListener("submit", function (event) {
  var message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
