// Progressive enhancement: pages work without this script.
// A long list of names to pick from (a <select> of more than LONG options) gets a box to
// type part of a name in, and the names that hold it listed under it (the ARIA combobox
// pattern: arrows move, Enter picks, Escape closes). The <select> stays in the form, out
// of sight, and is what the form sends: picking here picks there, and a name picked there
// (by another script) shows here. Names are compared as
// people type them: Arabic without its short vowels and tatweel, أ إ آ ٱ as ا, ة as ه,
// ى as ي, Arabic-Indic digits as digits; Latin without accents or case.
// Names are user data: they are only ever set as text (textContent, value), never as HTML.
(function () {
  "use strict";
  var LONG = 15;
  var count = 0;

  var MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
  var LETTERS = { "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
                  "\u0629": "\u0647", "\u0649": "\u064a" };

  function fold(words) {
    return words
      .normalize("NFKD")
      .replace(MARKS, "")
      .replace(/[\u0623\u0625\u0622\u0671\u0629\u0649]/g, function (c) { return LETTERS[c]; })
      .replace(/[\u0660-\u0669]/g, function (c) { return String(c.charCodeAt(0) - 0x660); })
      .replace(/[\u06f0-\u06f9]/g, function (c) { return String(c.charCodeAt(0) - 0x6f0); })
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function enhance(select) {
    if (select.multiple || select.options.length <= LONG || select.hasAttribute("data-picker")) return;
    select.setAttribute("data-picker", "");
    count += 1;
    var base = (select.id || "pick") + "-pick" + count;
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;

    var box = document.createElement("div");
    box.className = "pick";
    var input = document.createElement("input");
    input.type = "text";
    input.id = base;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-list");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    input.setAttribute("dir", "auto");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    var list = document.createElement("ul");
    list.id = base + "-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (label) {
      // The list's label names the box people type in too; pressed, it takes them there.
      if (!label.id) label.id = base + "-label";
      input.setAttribute("aria-labelledby", label.id);
      list.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function (event) {
        event.preventDefault();
        input.focus();
      });
    } else if (select.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", select.getAttribute("aria-label"));
      list.setAttribute("aria-label", select.getAttribute("aria-label"));
    }

    var items = [];
    Array.prototype.forEach.call(select.options, function (option, n) {
      if (!option.value) return;  // "none picked": the box left empty
      var item = document.createElement("li");
      item.id = base + "-" + n;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      if (option.lang) item.lang = option.lang;
      item.textContent = option.textContent;
      items.push({ item: item, value: option.value, words: option.textContent, key: fold(option.textContent) });
      list.appendChild(item);
    });

    var shown = [];
    var active = -1;

    function current() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.textContent : "";
    }

    function mark(n) {
      if (active >= 0 && shown[active]) shown[active].item.setAttribute("aria-selected", "false");
      active = n;
      if (n >= 0 && shown[n]) {
        shown[n].item.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", shown[n].item.id);
        shown[n].item.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(query) {
      var wanted = fold(query);
      mark(-1);
      shown = [];
      items.forEach(function (entry) {
        var keep = !wanted || entry.key.indexOf(wanted) !== -1;
        entry.item.hidden = !keep;
        if (keep) shown.push(entry);
      });
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
    }

    function close() {
      mark(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function pick(entry) {
      select.value = entry.value;
      input.value = entry.words;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function settle() {
      // Left with words naming nothing: the name picked before comes back; emptied: none.
      var typed = fold(input.value);
      var same = items.filter(function (entry) { return entry.key === typed; });
      if (typed && same.length === 1 && same[0].value !== select.value) {
        pick(same[0]);  // a whole name typed out: it is the one picked
        return;
      }
      if (!typed) {
        if (select.value) {
          select.value = "";
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else {
        input.value = current();
      }
      close();
    }

    input.value = current();
    input.addEventListener("input", function () { open(input.value); });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          open(input.value === current() ? "" : input.value);
          if (key === "ArrowUp") mark(shown.length - 1); else mark(0);
          return;
        }
        if (!shown.length) return;
        var step = key === "ArrowDown" ? 1 : -1;
        mark(active < 0 ? (step > 0 ? 0 : shown.length - 1) : (active + step + shown.length) % shown.length);
      } else if (key === "Enter") {
        if (list.hidden) return;  // nothing listed: Enter records the form
        event.preventDefault();  // picks; the next Enter records the form
        if (active >= 0) pick(shown[active]);
        else if (shown.length === 1) pick(shown[0]);
        else mark(0);  // several found: the first is reached, Enter again picks it
      } else if (key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
        input.value = current();
      } else if (key === "Tab") {
        if (!list.hidden && active >= 0) pick(shown[active]);
        else settle();
      }
    });
    input.addEventListener("blur", function () {
      // A name being clicked is picked by its own handler first (mousedown).
      if (!list.hidden && list.contains(document.activeElement)) return;
      settle();
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();  // keep the focus in the box
      var found = items.filter(function (entry) { return entry.item === event.target.closest("li"); });
      if (found.length) pick(found[0]);
    });
    select.addEventListener("change", function () {
      if (document.activeElement !== input) input.value = current();
    });

    box.appendChild(input);
    box.appendChild(list);
    select.setAttribute("tabindex", "-1");  // out of sight (app.css), out of the tab order
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(box, select.nextSibling);
  }

  function enhanceAll() {
    document.querySelectorAll("form select").forEach(enhance);
  }

  enhanceAll();
  document.addEventListener("mamar:refreshed", enhanceAll);
})();
