// Report form: the status fills in the percent the rule requires ("Genomförd"
// means 100, "Planerad" 0); the server checks the same rule (ProgressUpdate's
// constraints) and explains it beside the field.
(function () {
  "use strict";
  document.querySelectorAll("form[data-completed-status]").forEach(function (form) {
    var required = {};
    required[form.getAttribute("data-completed-status")] = "100";
    if (form.hasAttribute("data-planned-status")) {
      required[form.getAttribute("data-planned-status")] = "0";
    }
    var percent = form.querySelector("input[name=percent_complete]");
    if (!percent) {
      return;
    }
    form.querySelectorAll("input[name=status]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked && Object.prototype.hasOwnProperty.call(required, radio.value)) {
          percent.value = required[radio.value];
        }
      });
    });
  });
})();
