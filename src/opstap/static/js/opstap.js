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

// Reflow at 320 px (WCAG 1.4.10, issue 14): a data table keeps its two dimensions and scrolls
// inside its own region instead of making the whole page scroll sideways. The region can be
// reached with the keyboard (tabindex) and is named after the table's caption.
(function () {
  "use strict";
  function wrapTables(root) {
    var tables = (root || document).querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var parent = table.parentElement;
      if (!parent || parent.classList.contains("opstap-table-scroll")) { continue; }
      var wrapper = document.createElement("div");
      wrapper.className = "opstap-table-scroll";
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      var caption = table.querySelector("caption");
      var name = caption ? caption.textContent.trim() : "";
      wrapper.setAttribute("aria-label", name || "Tabel");
      parent.insertBefore(wrapper, table);
      wrapper.appendChild(table);
    }
  }
  wrapTables(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { wrapTables(event.target); });
})();
