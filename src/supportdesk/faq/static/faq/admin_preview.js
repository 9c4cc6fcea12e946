/* The admin's live preview of an article's Markdown: the server renders and sanitizes it exactly as
   the article page will (POST /faq/preview/), shown under each body field. */
(function () {
  "use strict";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function wire(box) {
    var field = document.getElementById(box.getAttribute("data-preview-for"));
    if (!field) return;
    var timer = null, url = box.getAttribute("data-preview-url");
    function refresh() {
      var body = new FormData();
      body.append("body", field.value);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) box.innerHTML = html; });
    }
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-preview-for]").forEach(wire);
  });
})();
