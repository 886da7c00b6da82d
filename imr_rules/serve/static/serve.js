// The drop zone: files dropped anywhere on it go to the file input (without this script, drop them on the
// input itself or click to choose). Lists the chosen files' names. No network, no other effect.
(function () {
  "use strict";
  var zone = document.querySelector(".drop");
  var input = document.getElementById("files");
  var list = document.getElementById("chosen");
  if (!zone || !input || !list) { return; }
  function show() {
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    list.textContent = names.length ? "Chosen: " + names.join(", ") : "";
  }
  ["dragenter", "dragover"].forEach(function (kind) {
    zone.addEventListener(kind, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (kind) {
    zone.addEventListener(kind, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  input.addEventListener("change", show);
})();
