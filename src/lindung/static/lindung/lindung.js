// Site-wide behaviour that would otherwise be inline script, which the Content-Security-Policy
// forbids. A fragment swapped in by htmx asks for a full reload by carrying data-lindung-reload
// (an upload's progress box when the background work is done).
document.addEventListener("htmx:afterSettle", function () {
  if (document.querySelector("[data-lindung-reload]")) window.location.reload();
});
