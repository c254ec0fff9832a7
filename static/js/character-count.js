// Characters left in a limited text field (fields marked data-counter).
//
// Without JavaScript the browser's maxlength stops typing at the limit and the
// server explains a longer text beside the field. With it, maxlength is lifted
// so that a pasted text is never cut silently: the count below the field says
// how many characters are left, or how many too many. The visible count changes
// as one types; screen readers hear it through a polite live region only after
// a pause, not at every key.
(function () {
  "use strict";
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "sv");

  function message(field, left) {
    // The words come translated from the server (data-counter-left/-over).
    var words = field.getAttribute(left >= 0 ? "data-counter-left" : "data-counter-over");
    return words.replace("%(count)s", numbers.format(Math.abs(left)));
  }

  document.querySelectorAll("[data-counter][data-counter-left][maxlength]").forEach(function (field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit) {
      return;
    }
    field.removeAttribute("maxlength");
    var count = document.createElement("div");
    count.id = field.id + "_count";
    count.className = "form-text character-count";
    var spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", spoken);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + count.id);

    var timer = null;
    function update(announce) {
      var left = limit - field.value.length;
      count.textContent = message(field, left);
      count.classList.toggle("character-count-over", left < 0);
      field.classList.toggle("is-invalid", left < 0 || field.classList.contains("server-invalid"));
      window.clearTimeout(timer);
      if (announce) {
        timer = window.setTimeout(function () {
          spoken.textContent = message(field, limit - field.value.length);
        }, 1000);
      }
    }
    if (field.classList.contains("is-invalid")) {
      field.classList.add("server-invalid");
    }
    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  });
})();
