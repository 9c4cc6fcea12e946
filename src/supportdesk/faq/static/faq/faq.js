/* FAQ helpers, each optional (the pages work without script):
   - beside the Create form, #faq-suggestions refreshes when the section changes, and when the customer
     comes back to the tab (he may have answered "yes, this solved it" in the article's tab: the
     fragment then says so);
   - on a narrow screen, where the aside stacks under the form, #faq-suggestions moves into the form
     at [data-faq-suggestions-inline], right under the question, instead of showing below Send;
   - in the workspace, [data-faq-insert] buttons put "Title: URL" into the reply at the cursor. */
(function () {
  "use strict";

  function refreshSuggestions() {
    var box = document.getElementById("faq-suggestions");
    if (box && window.htmx) window.htmx.trigger(box, "faq-refresh");
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "section") refreshSuggestions();
  });

  // The width at which .sidebar-layout puts the aside beside the form (web/static/supportdesk/app.css).
  var besideForm = window.matchMedia ? window.matchMedia("(min-width: 960px)") : null;
  var slot = document.getElementById("faq-suggestions");
  var inline = document.querySelector("[data-faq-suggestions-inline]");
  if (besideForm && slot && inline) {
    var home = document.createComment("faq-suggestions");
    slot.parentNode.insertBefore(home, slot);
    var place = function () {
      if (besideForm.matches) home.parentNode.insertBefore(slot, home.nextSibling);
      else inline.appendChild(slot);
    };
    place();
    besideForm.addEventListener("change", place);
  }

  document.addEventListener("visibilitychange", function () {
    var box = document.getElementById("faq-suggestions");
    if (document.visibilityState === "visible" && box && box.querySelector("[data-faq-suggestion]")) {
      refreshSuggestions();
    }
  });

  function targetOf(button) {
    var selector = button.getAttribute("data-faq-target");
    if (selector) {
      try { return document.querySelector(selector); } catch (e) { return null; }
    }
    var form = button.closest("form");
    return (form && form.querySelector("textarea")) || document.querySelector("textarea[name=body]");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-faq-insert]");
    if (!button) return;
    var area = targetOf(button);
    if (!area) return;
    event.preventDefault();
    var text = button.getAttribute("data-faq-insert");
    var start = area.selectionStart || 0, end = area.selectionEnd || 0, value = area.value;
    var before = value.slice(0, start);
    if (before && !/\s$/.test(before)) text = (/\n$/.test(before) ? "" : "\n") + text;
    area.value = before + text + value.slice(end);
    area.selectionStart = area.selectionEnd = before.length + text.length;
    area.focus();
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
