// Keyboard shortcuts for the review form, and showing htmx error responses. See queue.html for the keys.
(function () {
  "use strict";
  let buffer = "";
  let timer = null;

  function form() { return document.getElementById("review-form"); }

  function boxes() { return form() ? form().querySelectorAll("input[data-key]") : []; }

  // Toggle the code whose number was typed. A number that cannot grow into a larger code number toggles at once;
  // otherwise wait briefly for a second digit.
  function flush() {
    clearTimeout(timer);
    if (!buffer) return;
    const box = form() && form().querySelector('input[data-key="' + buffer + '"]');
    if (box) box.checked = !box.checked;
    buffer = "";
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.matches("input:not([type=checkbox]), textarea, select")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    const current = form();
    if (!current) return;
    if (/^[0-9]$/.test(event.key)) {
      event.preventDefault();
      buffer += event.key;
      clearTimeout(timer);
      if (Number(buffer + "0") > boxes().length) flush(); else timer = setTimeout(flush, 600);
      return;
    }
    flush();
    if (event.key === "a" || event.key === "Enter") {
      event.preventDefault();
      current.requestSubmit();
    } else if (event.key === "n") {
      event.preventDefault();
      document.getElementById("skip").click();
    } else if (event.key === "m") {
      event.preventDefault();
      document.getElementById("memo").focus();
    } else if (event.key === "h") {
      window.location.href = document.getElementById("history-link").href;
    }
  });

  // htmx does not swap error responses: show their message (401 is redirected to the login page by HX-Redirect).
  document.addEventListener("htmx:responseError", function (event) {
    const messages = document.getElementById("messages");
    messages.innerHTML = event.detail.xhr.responseText;
  });
  document.addEventListener("htmx:beforeRequest", function () {
    document.getElementById("messages").innerHTML = "";
  });
})();
