// urltriage serve: the only script, from the app itself. The pages work without it; it adds
// copy buttons and live check progress.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.value !== undefined && source.tagName === "TEXTAREA" ? source.value : source.textContent;
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { select(source); });
      } else {
        select(source);
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected to copy by hand */ }
      }
    });
  });

  function select(element) {
    if (element.select) { element.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  var progress = document.getElementById("progress");
  if (progress && progress.getAttribute("data-running") === "yes") {
    var poll = function () {
      fetch("/check/status.json", { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          document.getElementById("progress-done").textContent = state.done;
          document.getElementById("progress-total").textContent = state.total;
          document.getElementById("progress-rate").textContent = state.rate;
          document.getElementById("progress-tally").textContent = state.tally;
          document.getElementById("progress-bar").value = state.percent;
          if (state.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
});
