// Keyboard shortcuts of the agent workspace. Listed on every workspace page; "?" shows them
// in a dialog. Single keys, only when the cursor is not in a field, so typing is never hijacked.
(function () {
  "use strict";

  var dialog = document.getElementById("shortcuts-dialog");

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function firstField(container) {
    return (
      container.querySelector("textarea, select, input:not([type=hidden])") ||
      container.querySelector("button")
    );
  }

  // Bring an action into view: open its <details>, put the cursor in its first field.
  function activate(element) {
    if (element.tagName.toLowerCase() === "summary") {
      var details = element.parentElement;
      details.open = true;
      var field = firstField(details.querySelector("form") || details);
      (field || element).focus();
      (field || element).scrollIntoView({ block: "center" });
      return;
    }
    if (typing(element)) {
      var holder = element.closest("details");
      if (holder) holder.open = true;
      element.focus();
      element.scrollIntoView({ block: "center" });
      return;
    }
    element.focus();
    element.click();
  }

  function moveRow(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody th a"));
    if (!links.length) return;
    var index = links.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : links.length - 1) : index + step;
    next = Math.max(0, Math.min(links.length - 1, next));
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
  }

  function showHelp() {
    if (dialog && typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
      return;
    }
    var details = document.getElementById("shortcuts");
    if (details) {
      details.open = true;
      details.querySelector("summary").focus();
    }
  }

  // New contact: show only the part of the form that belongs to the chosen outcome.
  function showOutcome() {
    var chosen = document.querySelector("input[name=outcome]:checked");
    document.querySelectorAll("[data-outcome]").forEach(function (part) {
      part.hidden = !chosen || part.dataset.outcome !== chosen.value;
    });
  }
  if (document.querySelector("input[name=outcome]")) {
    document.addEventListener("change", function (event) {
      if (event.target.name === "outcome") showOutcome();
    });
    showOutcome();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target)) return;
    if (dialog && dialog.open) return; // the dialog has its own keys (Esc closes it)
    var key = event.key;
    var handled = true;
    if (key === "?") {
      showHelp();
    } else if (key === "g" && dialog) {
      window.location.href = dialog.dataset.inboxUrl;
    } else if (key === "c" && dialog) {
      window.location.href = dialog.dataset.newUrl;
    } else if (key === "j") {
      moveRow(1);
    } else if (key === "k") {
      moveRow(-1);
    } else if (key === "v") {
      var view = document.querySelector(".views [aria-current=page]") || document.querySelector(".views a");
      if (view) view.focus(); else handled = false;
    } else if (key === "/") {
      var search = document.querySelector("[data-shortcut='/']") || document.querySelector("#filters select");
      if (search) search.focus(); else handled = false;
    } else if (key.length === 1) {
      var target = document.querySelector("[data-shortcut='" + key.replace(/['\\]/g, "") + "']");
      if (target) activate(target); else handled = false;
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
