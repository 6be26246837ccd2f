// Knowledge panel on the ticket page: "Insert into reply" copies the article's answer into
// the reply box; the form itself (htmx, or a plain POST without JavaScript) links the
// article to the ticket.
(function () {
  "use strict";

  function replyBox() {
    return document.querySelector("[data-kb-reply]") ||
      document.querySelector('textarea[name="reply-body"]');
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-insert]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-kb-insert"));
    var target = replyBox();
    if (!source || !target) {
      return; // no reply form on this page: the plain POST links and shows the text
    }
    var text = source.value;
    target.value = target.value.trim() ? target.value.replace(/\s+$/, "") + "\n\n" + text : text;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  });
})();
