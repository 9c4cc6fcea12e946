/* SupportDesk workspace: progressive enhancement. Every action works by clicks without this file; with
   it: keyboard shortcuts (listed on "?"), the reply box's draft kept on the server as you type, saved
   replies inserted at the cursor, Ctrl+Enter to send, and selecting queue rows for bulk actions.
   Visible words come from the page's data attributes, so they are translated with the page. */
(function () {
  "use strict";

  var DRAFT_DELAY = 800;

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable='true'], [contenteditable='']");
  }

  function csrfFrom(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  /* "?" overlay. */
  function initShortcutsDialog() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog || typeof dialog.showModal !== "function") return null;
    document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.showModal(); });
    });
    return dialog;
  }

  /* Reply box: modes, draft autosave, Ctrl+Enter, send once. */
  function initComposer(form) {
    var body = form.querySelector("textarea[name='body']");
    var status = form.querySelector("[data-draft-status]");
    var url = form.getAttribute("data-draft-url");
    var timer = null;
    var dirty = false;
    var sending = false;
    var inflight = null;

    function mode() {
      var checked = form.querySelector("input[name='mode']:checked");
      return checked ? checked.value : "reply";
    }

    function payload() {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfFrom(form));
      data.append("mode", mode());
      data.append("body", body.value);
      return data;
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function save() {
      timer = null;
      if (!dirty || sending) return;
      dirty = false;
      inflight = fetch(url, { method: "POST", body: payload(), credentials: "same-origin", headers: { "X-CSRFToken": csrfFrom(form) } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          var now = new Date();
          say((form.getAttribute("data-draft-saved") || "Draft saved") + " · " +
              now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
        })
        .catch(function () {
          dirty = true;
          say(form.getAttribute("data-draft-failed") || "The draft could not be saved.");
        })
        .finally(function () { inflight = null; });
    }

    function changed() {
      dirty = true;
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, DRAFT_DELAY);
    }

    var touched = false;
    body.addEventListener("focus", function () { touched = true; });
    body.addEventListener("input", changed);
    form.addEventListener("change", function (event) {
      if (event.target.name === "mode") {
        if (body.value.trim()) changed();
      }
    });
    body.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      } else if (event.key === "Escape") {
        body.blur();
      }
    });
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      if (timer) window.clearTimeout(timer);
      /* A draft save still on its way could land after the send and bring the sent text back as a
         draft: send once it has landed. */
      if (inflight) {
        event.preventDefault();
        inflight.finally(function () { HTMLFormElement.prototype.submit.call(form); });
      }
      var button = form.querySelector("[data-send]");
      if (button) {
        button.setAttribute("aria-busy", "true");
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
    /* A closed tab or a reload keeps the last words too. */
    window.addEventListener("pagehide", function () {
      if (dirty && !sending && navigator.sendBeacon) navigator.sendBeacon(url, payload());
    });

    return {
      focus: function (wanted) {
        var radio = form.querySelector("input[name='mode'][value='" + wanted + "']");
        if (!radio) return false;
        if (!radio.checked) {
          radio.checked = true;
          radio.dispatchEvent(new Event("change", { bubbles: true }));
        }
        body.focus();
        body.setSelectionRange(body.value.length, body.value.length);
        return true;
      },
      insert: function (text) {
        /* At the caret if the box has been used, else at the end of what is there. */
        var start = touched ? body.selectionStart : body.value.length;
        var end = touched ? body.selectionEnd : body.value.length;
        var before = body.value.slice(0, start), after = body.value.slice(end);
        var glue = "";
        if (before && !/\n\s*$/.test(before)) {
          before = before.replace(/[ \t]+$/, "");
          glue = "\n\n";
        }
        body.value = before + glue + text + after;
        var caret = (before + glue + text).length;
        body.focus();
        body.setSelectionRange(caret, caret);
        changed();
      }
    };
  }

  /* Saved replies: insert at the cursor instead of reloading. */
  function initSavedReplies(form, composer) {
    form.addEventListener("submit", function (event) {
      var select = form.querySelector("[data-saved-select]");
      var option = select && select.options[select.selectedIndex];
      if (!option || !composer) return;
      event.preventDefault();
      composer.insert(option.getAttribute("data-body") || "");
    });
  }

  /* Queue: select rows, select all, count. */
  function initBulk(form) {
    var all = form.querySelector("[data-select-all]");
    var count = form.querySelector("[data-bulk-count]");
    var template = form.getAttribute("data-selected") || "{n}";
    var initial = count ? count.textContent : "";
    function boxes() { return form.querySelectorAll("input[name='tickets']"); }
    function refresh() {
      var chosen = form.querySelectorAll("input[name='tickets']:checked").length;
      if (count) count.textContent = chosen ? template.replace("{n}", String(chosen)) : initial;
      if (all) {
        all.checked = chosen > 0 && chosen === boxes().length;
        all.indeterminate = chosen > 0 && chosen < boxes().length;
      }
    }
    if (all) {
      all.hidden = false;
      all.addEventListener("change", function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
        refresh();
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "tickets") refresh();
    });
    refresh();
  }

  function rowLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-row-link]"));
  }

  function moveRow(step) {
    var links = rowLinks();
    if (!links.length) return false;
    var current = links.indexOf(document.activeElement);
    var next = current === -1 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, current + step));
    links[next].focus();
    return true;
  }

  function toggleRow() {
    var row = document.activeElement && document.activeElement.closest && document.activeElement.closest("[data-row]");
    var box = row && row.querySelector("input[name='tickets']");
    if (!box) return false;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function init() {
    var dialog = initShortcutsDialog();
    var composerForm = document.querySelector("[data-composer]");
    var composer = composerForm ? initComposer(composerForm) : null;
    document.querySelectorAll("[data-saved-form]").forEach(function (form) { initSavedReplies(form, composer); });
    document.querySelectorAll("[data-bulk]").forEach(initBulk);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      event.target.querySelectorAll("[data-bulk]").forEach(initBulk);
    });

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) return;
      if (dialog && dialog.open) return;
      var handled = false;
      switch (event.key) {
        case "?":
          if (dialog) { dialog.showModal(); handled = true; }
          break;
        case "r":
          handled = !!composer && composer.focus("reply");
          break;
        case "n":
          handled = !!composer && composer.focus("note");
          break;
        case "c":
          handled = !!composer && composer.focus("close");
          break;
        case "t":
          var take = document.querySelector("form[data-shortcut-take]");
          if (take) { take.requestSubmit ? take.requestSubmit() : take.submit(); handled = true; }
          break;
        case "j":
          var next = document.querySelector("[data-shortcut-next]");
          if (next) { window.location.assign(next.href); handled = true; }
          else handled = moveRow(1);
          break;
        case "k":
          handled = moveRow(-1);
          break;
        case "x":
          handled = toggleRow();
          break;
      }
      if (handled) event.preventDefault();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
