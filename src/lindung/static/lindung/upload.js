// Upload page: template link follows the chosen village; drag and drop; a real progress bar
// (XMLHttpRequest upload events) for slow village connections. Without JavaScript the form
// still posts normally.
function lindungUpload(templateUrl) {
  var form = document.getElementById("upload-form");
  if (!form) return;
  var village = document.getElementById("village");
  var link = document.getElementById("template-link");
  function syncLink() { link.href = templateUrl.replace("CODE", (village.value || "").replace(/\D/g, "")); }
  village.addEventListener("change", syncLink); village.addEventListener("input", syncLink); syncLink();
  var drop = document.getElementById("drop");
  var input = form.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach(function (e) { drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.add("over"); }); });
  ["dragleave", "drop"].forEach(function (e) { drop.addEventListener(e, function (ev) { ev.preventDefault(); drop.classList.remove("over"); }); });
  drop.addEventListener("drop", function (ev) { if (ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; } });
  form.addEventListener("submit", function (ev) {
    if (!window.XMLHttpRequest || !input.files.length) return;
    ev.preventDefault();
    var bar = document.getElementById("progress");
    bar.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.upload.onload = function () { bar.removeAttribute("value"); };  // checking: indeterminate
    xhr.onload = function () {
      if (xhr.responseURL && xhr.responseURL !== window.location.href) { window.location = xhr.responseURL; return; }
      document.open(); document.write(xhr.responseText); document.close();
    };
    xhr.onerror = function () { bar.hidden = true; form.submit(); };
    xhr.send(new FormData(form));
  });
}
// The template URL comes from the form's data attribute: the Content-Security-Policy allows no
// inline script to pass it.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload-form");
  if (form && form.dataset.templateUrl) lindungUpload(form.dataset.templateUrl);
});
