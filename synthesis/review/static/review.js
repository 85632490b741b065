// Keyboard shortcuts for the review form, unsaved forms kept through a new login, and showing htmx error responses.
// See queue.html for the keys.
(function () {
  "use strict";
  let buffer = "";
  let timer = null;

  function form() { return document.getElementById("review-form"); }

  function boxes() { return form() ? form().querySelectorAll("input[data-key]") : []; }

  function say(html) { document.getElementById("messages").innerHTML = html; }

  // What the reviewer has entered: the ticked codes, the mentions and the memo, with the form's stale-check token.
  function state(current) {
    const data = new FormData(current);
    return {base: data.get("base"), code: data.getAll("code"), mention: data.getAll("mention"),
            memo: data.get("memo") || ""};
  }

  // one reviewer's draft of one segment: another reviewer logging in in this tab does not get it
  function draftKey(current) {
    return "synthesis-draft:" + current.dataset.reviewer + ":" + current.getAttribute("action").split("?")[0];
  }

  function changed(current) {
    return JSON.stringify(state(current)) !== current.dataset.loaded;
  }

  // A save can meet an expired session: the login page comes back here, and the form is filled in again from the
  // draft kept in this tab (only when the segment and its labels are as they were: the same stale-check token).
  function restore() {
    const current = form();
    if (!current) return;
    current.dataset.loaded = JSON.stringify(state(current));
    const kept = sessionStorage.getItem(draftKey(current));
    if (!kept) return;
    const draft = JSON.parse(kept);
    sessionStorage.removeItem(draftKey(current));
    if (draft.base !== state(current).base) return;
    boxes().forEach(function (box) { box.checked = draft.code.indexOf(box.value) >= 0; });
    const mentions = current.querySelectorAll("input[name=mention]");
    const last = mentions[mentions.length - 1];
    mentions.forEach(function (input) { if (input !== last) input.remove(); });
    draft.mention.filter(Boolean).forEach(function (value) {
      const input = last.cloneNode();
      input.value = value;
      input.removeAttribute("placeholder");
      last.before(input);
    });
    document.getElementById("memo").value = draft.memo;
    say('<p class="message ok">Your unsaved labels and memo were put back: check them and save.</p>');
  }

  // Focus the new item's text (screen readers read it) and announce the "Saved" line in the live region.
  function arrived() {
    const saved = document.getElementById("saved");
    if (saved) {
      say(saved.outerHTML);
      saved.remove();
    }
    const text = document.getElementById("segment-text") || document.getElementById("queue-empty");
    if (text) { text.setAttribute("tabindex", "-1"); text.focus(); }
    restore();
  }

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
    // a focused link or button does its own job (Enter follows or presses it): no shortcut there
    if (target.closest("a, button, summary, [contenteditable]")) return;
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
      if (!changed(current) || window.confirm("Leave this segment without saving what you ticked and wrote?")) {
        document.getElementById("skip").click();
      }
    } else if (event.key === "m") {
      event.preventDefault();
      document.getElementById("memo").focus();
    } else if (event.key === "h") {
      window.location.href = document.getElementById("history-link").href;
    }
  });

  // htmx does not swap error responses: show their message. A 401 goes on to the login page (HX-Redirect), which
  // comes back to this segment: the draft is kept for that.
  document.addEventListener("htmx:responseError", function (event) {
    say(event.detail.xhr.responseText);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    say("");
    const current = form();
    if (!current) return;
    if (event.detail.elt === current) {
      sessionStorage.setItem(draftKey(current), JSON.stringify(state(current)));
    } else if (event.detail.elt.id === "skip") {  // left on purpose: what was entered is not put back later
      sessionStorage.removeItem(draftKey(current));
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const current = event.detail.elt;
    if (current.id === "review-form" && event.detail.successful) sessionStorage.removeItem(draftKey(current));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "item") arrived();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore); else restore();
})();
