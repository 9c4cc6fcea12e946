/* SupportDesk Help pages: progressive enhancement. Everything works without this file;
   with it, the form shows only the chosen section's fields, screenshots upload as soon as they are
   picked, dropped or pasted (with previews), browser details are captured for System errors, and
   Send cannot be clicked twice. */
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function setHidden(el, hidden) {
    el.hidden = hidden;
    el.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = hidden;
    });
  }

  /* Section → its types and typed fields. */
  function initCategory(form) {
    var radios = form.querySelectorAll('input[name="section"]');
    if (!radios.length) return;
    function refresh() {
      var checked = form.querySelector('input[name="section"]:checked');
      var section = checked ? checked.value : "";
      form.querySelectorAll("[data-for-section]").forEach(function (block) {
        var active = block.getAttribute("data-for-section") === section;
        setHidden(block, !active);
        if (!active) return;
        var type = block.querySelector('input[name="ticket_type"]:checked');
        block.querySelectorAll("[data-for-type]").forEach(function (row) {
          var wanted = row.getAttribute("data-for-type");
          setHidden(row, wanted !== "" && (!type || type.value !== wanted));
        });
      });
      var info = form.querySelector("[data-client-info]");
      if (info) {
        var code = checked ? checked.getAttribute("data-section-code") : "";
        setHidden(info, code !== "system-errors" || info.getAttribute("data-removed") === "1");
      }
    }
    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "section") {
        form.querySelectorAll('input[name="ticket_type"]').forEach(function (r) { r.checked = false; });
      }
      if (name === "section" || name === "ticket_type") refresh();
    });
    refresh();
  }

  /* Urgent asks for a one-line impact. */
  function initUrgent(form) {
    var box = form.querySelector('input[name="urgent"]');
    var impact = form.querySelector("[data-urgent-impact]");
    if (!box || !impact) return;
    function refresh() {
      setHidden(impact, !box.checked);
      if (box.checked) {
        var input = impact.querySelector("input");
        if (input && document.activeElement === box) input.focus();
      }
    }
    box.addEventListener("change", refresh);
    refresh();
  }

  /* System errors: the browser and page the customer is on, shown and removable. */
  function initClientInfo(form) {
    var box = form.querySelector("[data-client-info]");
    if (!box) return;
    var list = box.querySelector("[data-client-info-list]");
    var details = {
      page: document.referrer || "",
      browser: navigator.userAgent,
      screen: window.screen.width + "×" + window.screen.height,
      language: navigator.language || "",
      time_zone: (Intl.DateTimeFormat().resolvedOptions().timeZone || "")
    };
    Object.keys(details).forEach(function (key) {
      if (!details[key]) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "client_" + key;
      input.value = details[key];
      box.appendChild(input);
      var dt = document.createElement("dt");
      dt.textContent = box.getAttribute("data-label-" + key) || key;
      var dd = document.createElement("dd");
      dd.className = "text-break";
      dd.textContent = details[key];
      list.appendChild(dt);
      list.appendChild(dd);
    });
    box.querySelector("[data-client-info-remove]").addEventListener("click", function () {
      box.setAttribute("data-removed", "1");
      box.querySelectorAll('input[type="hidden"]').forEach(function (input) { input.remove(); });
      setHidden(box, true);
    });
  }

  /* Screenshots: upload at once, preview, remove. */
  function initUploads(zone) {
    var form = zone.closest("form");
    var input = zone.querySelector('input[type="file"]');
    var thumbs = zone.querySelector("[data-thumbs]");
    var error = zone.querySelector("[data-upload-error]");
    var maxFiles = parseInt(zone.getAttribute("data-max-files"), 10) || 10;
    var maxBytes = parseInt(zone.getAttribute("data-max-bytes"), 10) || 10485760;
    var pending = 0;

    function showError(text) {
      error.textContent = text;
      error.hidden = !text;
    }

    function addThumb(file) {
      var item = document.createElement("li");
      item.className = "thumb";
      item.setAttribute("aria-busy", "true");
      var img = document.createElement("img");
      img.alt = file.name || "screenshot";
      img.src = URL.createObjectURL(file);
      item.appendChild(img);
      var name = document.createElement("span");
      name.className = "thumb__name";
      name.textContent = file.name || "screenshot.png";
      item.appendChild(name);
      thumbs.appendChild(item);
      return item;
    }

    function addRemove(item, token) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "uploads";
      hidden.value = token;
      item.appendChild(hidden);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "thumb__remove";
      button.setAttribute("data-discard", token);
      button.setAttribute("aria-label", zone.getAttribute("data-remove-label"));
      button.textContent = "×";
      item.appendChild(button);
    }

    function upload(file) {
      if (thumbs.children.length >= maxFiles) {
        showError(zone.getAttribute("data-too-many"));
        return;
      }
      if (!/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
        showError((file.name || "file") + ": " + zone.getAttribute("data-not-image"));
        return;
      }
      if (file.size > maxBytes) {
        showError((file.name || "file") + ": " + zone.getAttribute("data-too-large"));
        return;
      }
      showError("");
      var item = addThumb(file);
      var body = new FormData();
      body.append("file", file, file.name || "pasted.png");
      pending += 1;
      fetch(zone.getAttribute("data-upload-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      })
        .then(function (response) {
          // An error page that is not our JSON (a proxy's 413, a lost connection) gets the generic text.
          return response.json().then(
            function (data) { return { ok: response.ok, data: data }; },
            function () { return { ok: false, data: {} }; }
          );
        })
        .then(function (result) {
          if (!result.ok) throw new Error(result.data.error || zone.getAttribute("data-failed"));
          item.removeAttribute("aria-busy");
          addRemove(item, result.data.token);
        })
        .catch(function (err) {
          item.remove();
          showError(err && err.message ? err.message : zone.getAttribute("data-failed"));
        })
        .finally(function () {
          pending -= 1;
        });
    }

    function take(files) {
      Array.prototype.forEach.call(files, upload);
      input.value = "";
    }

    input.addEventListener("change", function () { take(input.files); });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files) take(event.dataTransfer.files);
    });
    form.addEventListener("paste", function (event) {
      var items = (event.clipboardData && event.clipboardData.files) || [];
      if (items.length) {
        event.preventDefault();
        take(items);
      }
    });
    thumbs.addEventListener("click", function (event) {
      var button = event.target.closest("[data-discard]");
      if (!button) return;
      var token = button.getAttribute("data-discard");
      var url = zone.getAttribute("data-discard-url").replace("TOKEN", encodeURIComponent(token));
      fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
      button.closest(".thumb").remove();
      showError("");
    });
    form.addEventListener("submit", function (event) {
      if (pending > 0) {
        event.preventDefault();
        event.stopImmediatePropagation();
        showError(zone.getAttribute("data-wait"));
      }
    });
  }

  /* One click on Send sends once (the server is idempotent as well). */
  function initSubmitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      if (form.getAttribute("data-sending") === "1") {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sending", "1");
      var button = form.querySelector("[data-submit]");
      if (button) {
        button.setAttribute("aria-busy", "true");
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  /* Set up every form and drop zone inside ``root`` once: at page load, and again for regions the
     live updates swap in (htmx fires htmx:load on new content). */
  function init(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var forms = Array.prototype.slice.call(scope.querySelectorAll("form"));
    if (scope.tagName === "FORM") forms.push(scope);
    forms.forEach(function (form) {
      if (form.hasAttribute("data-portal-ready")) return;
      form.setAttribute("data-portal-ready", "");
      if (form.querySelector('input[name="section"]')) initCategory(form);
      initUrgent(form);
      initClientInfo(form);
      if (form.hasAttribute("data-submit-once")) initSubmitOnce(form);
    });
    scope.querySelectorAll("[data-uploads]").forEach(function (zone) {
      if (zone.hasAttribute("data-portal-ready")) return;
      zone.setAttribute("data-portal-ready", "");
      initUploads(zone);
    });
  }

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(document); });
  else init(document);
})();
