/* 护商通: small behaviours every page shares, without inline scripts (the CSP forbids them).
   - <form data-confirm="…">: asks before an irreversible action (不予许可, 撤回, 关闭) is sent. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
