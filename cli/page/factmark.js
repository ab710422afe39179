// factmark's page script: the session's websocket on this page's own host, and the
// keyboard at the terminal from the start (no click needed), and again whenever the
// window comes back to the front.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const terminal = document.getElementById("terminal");
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  terminal.dataset.sessionWebsocketUrl = `${scheme}//${window.location.host}/ws`;
});

function focusTerminal() {
  // xterm.js reads keys from its hidden text area: focused, it takes every key.
  const keys = document.querySelector("#terminal .xterm-helper-textarea");
  if (keys && document.activeElement !== keys) {
    keys.focus({ preventScroll: true });
  }
  return keys !== null;
}

window.addEventListener("load", () => {
  // textual.js makes the terminal in its own load handler; wait for it if need be.
  let tries = 0;
  const timer = window.setInterval(() => {
    if (focusTerminal() || ++tries > 100) {
      window.clearInterval(timer);
    }
  }, 50);
});
window.addEventListener("focus", focusTerminal);
