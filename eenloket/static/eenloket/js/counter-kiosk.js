// The kiosk's number page: "print ticket" prints the receipt (the print stylesheet shapes
// it), and the page returns to the kiosk's start after a while for the next visitor. Every
// touch or key press starts that while again, so nobody is rushed.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var receipt = document.querySelector("[data-return-url]");
    if (!receipt) return;
    var url = receipt.getAttribute("data-return-url");
    var seconds = parseInt(receipt.getAttribute("data-return-seconds"), 10) || 30;
    var timer = null;
    function restart() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.assign(url); }, seconds * 1000);
    }
    ["pointerdown", "keydown"].forEach(function (name) {
      document.addEventListener(name, restart);
    });
    restart();
  });
})();
