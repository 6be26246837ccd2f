// The display board: htmx polls the live part every few seconds. When a new number is
// called (or called again) the board flashes the call, says it to screen readers and plays a
// short chime (WebAudio). A lost connection shows a notice; polling goes on and the notice
// disappears with the first answer.
(function () {
  "use strict";
  var audio = null;
  var soundOn = false;
  var lastKey = null;

  function chime() {
    if (!soundOn || !audio) return;
    var now = audio.currentTime;
    [660, 880].forEach(function (frequency, index) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, now + index * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.4, now + index * 0.35 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + index * 0.35 + 0.6);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(now + index * 0.35);
      oscillator.stop(now + index * 0.35 + 0.65);
    });
  }

  function check() {
    var live = document.getElementById("board-live");
    if (!live) return;
    var key = live.getAttribute("data-latest") || "";
    if (lastKey !== null && key && key !== lastKey) {
      var latest = live.querySelector(".board-call--latest");
      if (latest) latest.classList.add("board-call--new");
      var text = live.querySelector("[data-announcement]");
      var announcer = document.getElementById("board-announcer");
      if (text && announcer) announcer.textContent = text.textContent;
      document.body.setAttribute("data-signal", key);
      chime();
    }
    lastKey = key;
  }

  function connection(ok) {
    var notice = document.getElementById("board-connection");
    if (notice) notice.hidden = ok;
  }

  document.addEventListener("DOMContentLoaded", function () {
    check();
    var button = document.getElementById("board-sound");
    if (button) {
      button.addEventListener("click", function () {
        // Browsers allow sound only after a click (or with Chromium's autoplay flag).
        var Context = window.AudioContext || window.webkitAudioContext;
        if (!audio && Context) audio = new Context();
        soundOn = !soundOn;
        button.setAttribute("aria-pressed", soundOn ? "true" : "false");
        if (soundOn) {
          if (audio && audio.resume) audio.resume();
          chime();
        }
      });
    }
  });
  document.addEventListener("htmx:afterSwap", check);
  document.addEventListener("htmx:afterRequest", function (event) {
    connection(Boolean(event.detail.successful));
  });
  document.addEventListener("htmx:sendError", function () { connection(false); });
  document.addEventListener("htmx:responseError", function () { connection(false); });
})();
