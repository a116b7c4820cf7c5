/* Keyboard shortcuts for the staff coding page (frontend/views/staff_coding.py).

   The page works without this file: a form of checkboxes and a "Save and next" button. This
   adds: 1-9 tick or untick the code with that number, q the quote box, Ctrl+Enter saves,
   n / ArrowRight and p / ArrowLeft go to the next / previous answer. Shortcuts are ignored
   while typing in a text field or choosing in a list, and with Alt or Meta held. */
(function () {
  "use strict";

  var form = document.getElementById("coding-form");
  if (!form) {
    return;
  }

  // Show the number hints and the list of shortcuts: they only work with this script.
  Array.prototype.forEach.call(
    document.querySelectorAll(".key-hint, .js-shortcuts"),
    function (element) {
      element.hidden = false;
    }
  );
  Array.prototype.forEach.call(form.querySelectorAll("input[data-key]"), function (box) {
    box.setAttribute("aria-keyshortcuts", box.getAttribute("data-key"));
  });
  var quote = document.getElementById("coding-quote");
  if (quote) {
    quote.setAttribute("aria-keyshortcuts", "Q");
  }

  var TYPING_INPUTS = /^(text|search|email|number|password|tel|url|date|time)$/i;

  function isTyping(element) {
    if (!element || !element.tagName) {
      return false;
    }
    var tag = element.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || element.isContentEditable) {
      return true;
    }
    return tag === "input" && TYPING_INPUTS.test(element.type || "text");
  }

  function toggle(box) {
    if (box) {
      box.click(); // a click, not .checked: the change is announced and styled like a real one
    }
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) {
      window.location.assign(link.href);
    }
  }

  function save() {
    var button = document.getElementById("coding-save");
    if (form.requestSubmit) {
      form.requestSubmit(button);
    } else if (button) {
      button.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.isComposing || event.altKey || event.metaKey) {
      return;
    }
    if (isTyping(event.target)) {
      return; // typing a search is not a shortcut, nor is Ctrl+Enter in it
    }
    if (event.key === "Enter" && event.ctrlKey) {
      event.preventDefault();
      save();
      return;
    }
    if (event.ctrlKey || event.shiftKey) {
      return;
    }
    var handled = true;
    if (/^[1-9]$/.test(event.key)) {
      toggle(form.querySelector('input[data-key="' + event.key + '"]'));
    } else if (event.key === "q" || event.key === "Q") {
      toggle(quote);
    } else if (event.key === "n" || event.key === "N" || event.key === "ArrowRight") {
      follow("coding-next");
    } else if (event.key === "p" || event.key === "P" || event.key === "ArrowLeft") {
      follow("coding-previous");
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
