// Report form: choosing "Genomförd" (completed) fills in 100 percent, which the
// rule requires; the server checks the same rule and explains it beside the field.
(function () {
  "use strict";
  document.querySelectorAll("form[data-completed-status]").forEach(function (form) {
    var completed = form.getAttribute("data-completed-status");
    var percent = form.querySelector("input[name=percent_complete]");
    if (!percent) {
      return;
    }
    form.querySelectorAll("input[name=status]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked && radio.value === completed) {
          percent.value = "100";
        }
      });
    });
  });
})();
