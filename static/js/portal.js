/* 护商通: small behaviours every page shares, without inline scripts (the CSP forbids them).
   - <form data-confirm="…">: asks before an irreversible action (不予许可, 撤回, 关闭) is sent; on a
     submit button (<button data-confirm="…">) it asks only when that button sends the form.
   - <select data-autosubmit>: sends its form when changed (the language switch).
   - <button data-print>: prints the page (the printable notices). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var asker = button && button.hasAttribute("data-confirm") ? button : event.target.closest("form[data-confirm]");
    if (asker && !window.confirm(asker.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  // <select multiple data-picker="multi">: a searchable picker that works by touch (Tom Select,
  // loaded by the pages that use it).
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof TomSelect === "undefined") { return; }
    document.querySelectorAll("select[data-picker=multi]").forEach(function (select) {
      var none = document.createElement("div");
      none.className = "no-results";
      none.textContent = select.dataset.noResults || "—";
      new TomSelect(select, {
        plugins: ["remove_button"], maxOptions: null, hidePlaceholder: true,
        render: { no_results: function () { return none.cloneNode(true); } },
        onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); }
      });
      // The label now names the picker's own input; the hidden <select> it fills is kept out of
      // the keyboard order and from screen readers, which would find an unlabelled control.
      select.tabIndex = -1;
      select.setAttribute("aria-hidden", "true");
    });
  });
})();
