// Buttons marked data-print open the browser's print dialogue (print or save as PDF).
document.querySelectorAll("[data-print]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    window.print();
  });
});
