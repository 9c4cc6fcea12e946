// Layout behaviours only; every page works without this file.
// - Menus (<details data-menu>): one open at a time, close on outside click, Escape, focus leaving.
// - Flash messages ([data-dismissible] with a [data-dismiss] button): dismissible.
// - Submit buttons: aria-busy spinner and no second submission of the same form
//   (opt out with <form data-no-busy>; htmx forms are skipped, htmx has its own indicators).
(() => {
  "use strict";

  const openMenus = () => document.querySelectorAll("details[data-menu][open]");

  const closeMenu = (menu, focusSummary) => {
    menu.open = false;
    if (focusSummary) menu.querySelector("summary")?.focus();
  };

  // "toggle" does not bubble; listen in the capture phase.
  document.addEventListener(
    "toggle",
    (event) => {
      const menu = event.target;
      if (!(menu instanceof HTMLDetailsElement) || !menu.hasAttribute("data-menu") || !menu.open) return;
      for (const other of openMenus()) if (other !== menu) closeMenu(other, false);
    },
    true,
  );

  document.addEventListener("click", (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) closeMenu(menu, false);

    const dismiss = event.target.closest?.("[data-dismiss]");
    if (dismiss) {
      const box = dismiss.closest("[data-dismissible]");
      if (box) {
        box.remove();
        document.getElementById("main")?.focus({ preventScroll: true });
      }
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of openMenus()) closeMenu(menu, menu.contains(document.activeElement));
  });

  document.addEventListener("focusout", (event) => {
    const menu = event.target.closest?.("details[data-menu][open]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) closeMenu(menu, false);
  });

  const showDismissButtons = (root) => {
    for (const button of root.querySelectorAll("[data-dismissible] [data-dismiss][hidden]")) button.hidden = false;
  };

  // Busy state on submit. Runs after element-level handlers (htmx calls preventDefault there).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.hasAttribute("data-no-busy")) return;
    if (form.target && form.target !== "_self") return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    const button = event.submitter || form.querySelector('[type="submit"]');
    if (button?.classList.contains("btn")) button.setAttribute("aria-busy", "true");
  });

  // Back/forward cache restores the page as it was left: undo the busy state.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    for (const form of document.querySelectorAll("form[data-submitting]")) delete form.dataset.submitting;
    for (const button of document.querySelectorAll('.btn[aria-busy="true"]')) button.removeAttribute("aria-busy");
    for (const menu of openMenus()) menu.open = false;
  });

  const init = () => showDismissButtons(document);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:load", (event) => showDismissButtons(event.detail.elt.parentNode || document));
})();
