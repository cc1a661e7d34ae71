/* 护商通: <input type="file" data-max-bytes="N" data-too-large="…">: a file over the limit is
   refused in the browser, before the form is sent. The server refuses it too (413, see
   core/uploads.py), but by then the page is gone with the text typed beside the file; here the
   form stays as it is and says why. Loaded by the pages that have such inputs. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("input[type=file][data-max-bytes]")) { return; }
    var limit = Number(input.dataset.maxBytes);
    var tooLarge = Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
    if (tooLarge) { input.reportValidity(); }
  });
})();
