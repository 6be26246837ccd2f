// The kiosk's "print ticket" button: the print stylesheet shapes the receipt.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
