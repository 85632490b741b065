// Keyboard shortcuts for the review form, unsaved input kept through a new login or a reload, mentions of codes not
// ticked set aside, and showing htmx error responses.
// See queue.html for the keys.
(function () {
  "use strict";
  let buffer = "";
  let timer = null;

  function form() { return document.getElementById("review-form"); }

  // the code boxes with a key number (top-level codes), and all of them (sub-codes have no number)
  function boxes() { return form() ? form().querySelectorAll("input[data-key]") : []; }

  function codeBoxes() { return form() ? form().querySelectorAll("input[name=code]") : []; }

  function highestKey() {
    let highest = 0;
    boxes().forEach(function (box) { highest = Math.max(highest, Number(box.dataset.key)); });
    return highest;
  }

  function say(html) { document.getElementById("messages").innerHTML = html; }

  function mentionInputs(current) { return current.querySelectorAll("input[name=mention]"); }

  // What the reviewer has entered: the ticked codes, the mentions (also those set aside below) and the memo, with the
  // form's stale-check token.
  function state(current) {
    const data = new FormData(current);
    return {base: data.get("base"), code: data.getAll("code"),
            mention: Array.prototype.map.call(mentionInputs(current), function (input) { return input.value; }),
            memo: data.get("memo") || ""};
  }

  function sameInput(one, other) {
    const plain = function (s) {
      return JSON.stringify([s.code.slice().sort(), s.mention.filter(Boolean).sort(), s.memo.trim()]);
    };
    return plain(one) === plain(other);
  }

  // A mention's code must be ticked (the server refuses it otherwise): the mentions of codes not ticked are greyed
  // out and, disabled, not sent. The last field, for a new mention, is left as typed.
  function syncMentions(current) {
    const ticked = Array.prototype.map.call(codeBoxes(), function (box) { return box.checked ? box.value : null; });
    const mentions = mentionInputs(current);
    mentions.forEach(function (input, index) {
      if (index === mentions.length - 1) return;
      const code = input.value.split(":")[0];
      input.disabled = ticked.indexOf(code) < 0;
      if (input.disabled) input.title = "not saved: " + code + " is not ticked"; else input.removeAttribute("title");
    });
  }

  // one reviewer's draft of one segment: another reviewer logging in in this tab does not get it
  function draftKey(current) {
    return "synthesis-draft:" + current.dataset.reviewer + ":" + current.getAttribute("action").split("?")[0];
  }

  function changed(current) {
    return JSON.stringify(state(current)) !== current.dataset.loaded;
  }

  // Fill the form in with ``data`` (a ``state``): ticks, mentions and memo.
  function fill(current, data) {
    codeBoxes().forEach(function (box) { box.checked = data.code.indexOf(box.value) >= 0; });
    const mentions = mentionInputs(current);
    const last = mentions[mentions.length - 1];
    mentions.forEach(function (input) { if (input !== last) input.remove(); });
    data.mention.slice(0, -1).filter(Boolean).forEach(function (value, index) {
      const input = last.cloneNode();
      input.value = value;
      input.removeAttribute("placeholder");
      input.setAttribute("aria-label", "mention " + (index + 1) + " (code:start:end)");
      last.before(input);
    });
    last.value = data.mention[data.mention.length - 1] || "";
    document.getElementById("memo").value = data.memo;
    syncMentions(current);
  }

  // A save that did not go through keeps what was entered in this tab (``htmx:beforeRequest``), until it is saved,
  // skipped or discarded. When the form comes back (a new login after an expired session, or a reload after a 409),
  // it is filled in again. When the segment changed in between (another review, an adjudication, a retraining: the
  // stale-check token differs), it is still put back, with a notice to check it against the labels now stored, and a
  // button that discards it and shows those labels.
  function restore() {
    const current = form();
    if (!current) return;
    syncMentions(current);
    const loaded = state(current);
    current.dataset.loaded = JSON.stringify(loaded);
    const kept = sessionStorage.getItem(draftKey(current));
    if (!kept) return;
    const draft = JSON.parse(kept);
    if (sameInput(draft, loaded)) {  // nothing the form does not show already
      sessionStorage.removeItem(draftKey(current));
      return;
    }
    fill(current, draft);
    if (draft.base === loaded.base) {
      sessionStorage.removeItem(draftKey(current));
      say('<p class="message ok">Your unsaved labels and memo were put back: check them and save.</p>');
      return;
    }
    const history = document.getElementById("history-link").getAttribute("href");
    say('<p class="message warning" id="draft-notice">The ticks, mentions and memo below are your unsaved input ' +
        'from before: this segment changed since you loaded that form (see its <a href="' + history + '">' +
        'history</a>). Check them against the labels now stored before you save, or ' +
        '<button type="button" id="discard-draft">discard them</button> to see the stored labels.</p>');
    document.getElementById("discard-draft").addEventListener("click", function () {
      sessionStorage.removeItem(draftKey(current));
      fill(current, loaded);
      say('<p class="message ok">Your earlier input was discarded: the form shows the labels now stored.</p>');
    });
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
    if (box) {
      box.checked = !box.checked;
      syncMentions(form());
    }
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
      if (Number(buffer + "0") > highestKey()) flush(); else timer = setTimeout(flush, 600);
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
  // comes back to this segment, and a 409 asks for a reload: the draft is kept for both.
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
  document.addEventListener("change", function (event) {
    if (event.target.name === "code" && form()) syncMentions(form());
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "item") arrived();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore); else restore();
})();
