// Progressive enhancement: pages and forms work without this script.
(function () {
  "use strict";

  // The page a form too large to record brought (web/limits.py): its button goes back to
  // the form, which the browser shows again as typed. Without the script the page says to
  // use the browser's own Back button.
  document.querySelectorAll("[data-back]").forEach(function (button) {
    if (window.history.length < 2) return;
    document.querySelectorAll("[data-back-hint]").forEach(function (hint) {
      hint.hidden = true;
    });
    button.hidden = false;
    button.addEventListener("click", function () {
      window.history.back();
    });
  });

  // Files too large, said beside their field as soon as they are chosen, and the form not
  // sent while one is: a photo above its own limit (data-max-bytes on the file field), or
  // files above what the page accepts together (data-upload-max on the form). The words
  // come from the page (data-too-large), in its language; set as text, never as markup.
  function say(input, message) {
    var id = (input.id || input.name.replace(/\W/g, "-")) + "-size-error";
    var shown = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(
      function (one) { return one && one !== id; }
    );
    if (!message) {
      if (shown) shown.remove();
      input.removeAttribute("aria-invalid");
    } else {
      if (!shown) {
        shown = document.createElement("span");
        shown.className = "field-error";
        shown.id = id;
        shown.setAttribute("role", "alert");
        input.insertAdjacentElement("afterend", shown);
      }
      shown.textContent = message;
      input.setAttribute("aria-invalid", "true");
      described.unshift(id);
    }
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function size(input) {
    var total = 0;
    for (var i = 0; i < (input.files ? input.files.length : 0); i++) total += input.files[i].size;
    return total;
  }

  // The first file field refused in ``form`` (each message said or taken back), or null.
  function check(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
    var limit = Number(form.getAttribute("data-upload-max")) || 0;
    var total = 0;
    var last = null;
    var refused = null;
    inputs.forEach(function (input) {
      var own = Number(input.getAttribute("data-max-bytes")) || 0;
      var bytes = size(input);
      total += bytes;
      if (bytes) last = input;
      var tooLarge = own && bytes > own;
      say(input, tooLarge ? input.getAttribute("data-too-large") : "");
      if (tooLarge && !refused) refused = input;
    });
    if (!refused && limit && total > limit && last) {
      say(last, form.getAttribute("data-upload-too-large"));
      refused = last;
    }
    return refused;
  }

  document.querySelectorAll("form[data-upload-max]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") check(form);
    });
    form.addEventListener("submit", function (event) {
      var refused = check(form);
      if (refused) {
        event.preventDefault();
        refused.focus();
      }
    });
  });
})();
