// Searchable choice (ARIA 1.2 combobox with a listbox popup), filled by htmx from the server.
// Keyboard: type to search, ArrowDown/ArrowUp to move, Enter to choose, Escape to close.
// Nothing is chosen until the user picks an option: the hidden value starts empty.
(function () {
  "use strict";
  function setup(box) {
    var input = box.querySelector("[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var value = box.querySelector("[data-combobox-value]");
    var status = box.querySelector("[data-combobox-status]");
    var chosen = box.querySelector("[data-combobox-chosen]");
    var active = -1;
    // Without this script the search is a GET form of its own (the box's `form`) and the
    // choice is a radio button of the page; with it, the box and the hidden value belong to
    // the box's own form again.
    input.removeAttribute("form");
    value.disabled = false;
    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) { input.removeAttribute("aria-activedescendant"); active = -1; }
    }
    function highlight(index) {
      var opts = options();
      if (!opts.length) { return; }
      active = (index + opts.length) % opts.length;
      opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function choose(option) {
      value.value = option.getAttribute("data-value");
      input.value = option.getAttribute("data-label");
      if (chosen) { chosen.textContent = "Gekozen: " + option.getAttribute("data-label"); }
      open(false);
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }
    input.addEventListener("input", function () {
      value.value = "";  // typing again undoes an earlier choice
      if (chosen) { chosen.textContent = ""; }
    });
    input.addEventListener("keydown", function (event) {
      var opts = options();
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden && opts.length) { open(true); }
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && opts[active]) {
          event.preventDefault();
          choose(opts[active]);
        } else if (!value.value) {
          event.preventDefault();  // never submit without a choice
          if (status) { status.textContent = "Kies eerst een optie uit de lijst."; }
        }
      } else if (event.key === "Escape") {
        open(false);
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(option); input.focus(); }
    });
    input.addEventListener("blur", function () { open(false); });
    list.addEventListener("htmx:afterSwap", function () {
      var n = options().length;
      open(n > 0);
      active = -1;
      // An empty search (the fetch on first focus) finds nothing by design: say nothing
      // rather than overwrite what the user was just told.
      if (status && input.value.trim() !== "") {
        // A search with more matches than shown also says so (the server's hint line).
        var more = box.querySelector("[data-combobox-more]");
        var hint = more && !more.hidden ? " " + more.textContent.trim() : "";
        status.textContent = n === 0 ? "Niets gevonden." : (n === 1 ? "1 resultaat. Gebruik pijl omlaag." : n + " resultaten." + hint + " Gebruik pijl omlaag.");
      }
    });
    var form = box.closest("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        // A filter (data-combobox-optional) may be left empty or searched on its text.
        if (!value.value && !box.hasAttribute("data-combobox-optional")) {
          event.preventDefault();
          if (status) { status.textContent = "Kies eerst een optie uit de lijst."; }
          input.focus();
        }
      });
    }
  }
  document.querySelectorAll("[data-combobox-fallback]").forEach(function (el) { el.remove(); });
  document.querySelectorAll("[data-combobox]").forEach(setup);
})();
