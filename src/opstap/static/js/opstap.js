// Opstap behaviour without inline scripts (CSP: script-src 'self').
// Idle timeout warning: warn two minutes before the server-side session expires.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (!idle) { return; }
  var warning = document.getElementById("idle-warning");
  var warnAfter = Math.max(idle - 120, 30) * 1000;
  var timer = null;
  var expiry = null;
  function schedule() {
    if (timer) { clearTimeout(timer); }
    if (expiry) { clearTimeout(expiry); }
    if (warning) { warning.hidden = true; }
    // When the server-side session has expired, reload: the server sends the login page.
    expiry = setTimeout(function () { window.location.reload(); }, (idle + 5) * 1000);
    timer = setTimeout(function () {
      if (warning) {
        warning.hidden = false;
        var button = warning.querySelector("[data-idle-continue]");
        if (button) { button.focus(); }
      }
    }, warnAfter);
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-idle-continue")) {
      fetch(window.location.href, { credentials: "same-origin", method: "HEAD" }).then(schedule);
    }
  });
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
