// Clients pages: small progressive enhancements (no inline scripts: CSP script-src 'self').
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Ladder form: the sub-status only applies to step 6.
    var step = document.getElementById("id_step");
    var sub = document.getElementById("id_sub_status");
    if (step && sub) {
      var field = sub.closest(".utrecht-form-field");
      var sync = function () {
        var six = step.value === "6";
        if (field) { field.hidden = !six; }
        if (!six) { sub.value = ""; }
      };
      step.addEventListener("change", sync);
      sync();
    }
  });
})();
