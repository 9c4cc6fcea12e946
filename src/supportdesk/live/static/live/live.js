/* SupportDesk live pages: one EventSource per tab to /live/stream; each event re-fetches the parts of
   this page that show the ticket it is about, and swaps them in with htmx. The stream carries small
   JSON facts (event id, ticket, kind, status, version), never another user's HTML.

   The page declares what may change (docs/live.md):
     id="…" data-live="ticket:42"   a region showing ticket 42 (several topics: space-separated)
     id="…" data-live="list"        a region showing a list of tickets: any ticket event refreshes it
     data-live-src="/url"           where the fresh region is (default: this page's own URL)
     data-live-select="#id"         the element to take from that page (default: "#" + the region's id)
     data-live-key="…"              replace the region only when the fresh one has another key
     data-live-presence="42"        show here who else is on ticket 42, and tell them we are
   A region with a form being filled in is never replaced under the user: it is refreshed as soon as
   the form is back to what the page gave; meanwhile, if the ticket changed, the form says so.
   Without this file, or without EventSource, every page works as before, with reloads. */
(() => {
  "use strict";

  if (!("EventSource" in window) || !window.fetch || !window.htmx) return;

  const script = document.currentScript;
  const CONFIG_URL = (script && script.getAttribute("data-config")) || "/live/config.json";
  const DEBOUNCE_MS = 120;
  const MIN_GAP_MS = 600; // between two refresh rounds: a burst of events costs one page fetch
  const OFFLINE_GRACE_MS = 2500; // a reconnect quicker than this is not worth a message
  const BACK_SHOWN_MS = 3000;
  const HIGHLIGHT_MS = 2600;
  const ANNOUNCE_GAP_MS = 15000;
  const PRESENCE_EVERY_MS = 20000;
  const TYPING_EVERY_MS = 3000;
  const MAX_CLOSED_RETRIES = 6;

  let config = { stream: "/live/stream", presence: "/live/tickets/0/presence/", css: null, strings: {} };
  let source = null;
  let lastId = null;
  let ended = false; // the server said stop (signed out): no reconnecting
  let leaving = false; // a navigation has started: fetching now could eat the next page's messages
  let closedRetries = 0;
  let retryTimer = null;
  let offlineTimer = null;
  let offlineShown = false;
  const seenIds = [];
  const seenSet = new Set();

  const text = (key, name) => (config.strings[key] || "").replace("%(name)s", name || "");

  // --- Indicator and announcements ----------------------------------------------------------------

  let statusBox = null;
  let announcer = null;
  let statusTimer = null;
  let lastAnnounce = 0;

  function buildIndicator() {
    statusBox = document.createElement("div");
    statusBox.className = "live-status";
    statusBox.setAttribute("role", "status");
    statusBox.setAttribute("aria-live", "polite");
    announcer = document.createElement("div");
    announcer.className = "visually-hidden";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("aria-live", "polite");
    document.body.append(statusBox, announcer);
  }

  function showStatus(state) {
    if (!statusBox) return;
    window.clearTimeout(statusTimer);
    statusBox.replaceChildren();
    statusBox.className = "live-status";
    statusBox.removeAttribute("data-state");
    if (!state) return;
    statusBox.classList.add("live-status--" + state);
    statusBox.setAttribute("data-state", state);
    const dot = document.createElement("span");
    dot.className = "live-status__dot";
    dot.setAttribute("aria-hidden", "true");
    const words = document.createElement("span");
    words.textContent = text(state);
    statusBox.append(dot, words);
    if (state === "stopped") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn--secondary btn--small";
      button.textContent = text("reload");
      button.addEventListener("click", () => window.location.reload());
      statusBox.append(button);
    } else if (state === "online") {
      statusTimer = window.setTimeout(() => showStatus(null), BACK_SHOWN_MS);
    }
  }

  function announce(words) {
    const now = Date.now();
    if (!announcer || !words || now - lastAnnounce < ANNOUNCE_GAP_MS) return;
    lastAnnounce = now;
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = words; }, 50);
  }

  // --- Forms: is the user in the middle of something? --------------------------------------------

  const pristine = new WeakMap(); // form → what it held when the page (or the last swap) gave it

  function formState(form) {
    const parts = [];
    for (const [name, value] of new FormData(form)) {
      parts.push(name + "=" + (typeof value === "string" ? value : "file:" + value.name + ":" + value.size));
    }
    return parts.join("&");
  }

  function rememberForms(root) {
    for (const form of root.querySelectorAll("form")) pristine.set(form, formState(form));
    if (root instanceof HTMLFormElement) pristine.set(root, formState(root));
  }

  function isDirty(form) {
    return pristine.has(form) && pristine.get(form) !== formState(form);
  }

  function isBusy(region) {
    const active = document.activeElement;
    if (active && region.contains(active) && active.matches("input:not([type=hidden]), textarea, select")) return true;
    for (const form of region.querySelectorAll("form")) if (isDirty(form)) return true;
    for (const details of region.querySelectorAll("details[open][data-live-opened]")) {
      if (details.querySelector("form")) return true;
    }
    return false;
  }

  // A <details> the user opened (a form behind "Change category") keeps its region as it is.
  document.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (details instanceof HTMLDetailsElement) details.toggleAttribute("data-live-opened", details.open);
    },
    true,
  );

  // --- Regions ------------------------------------------------------------------------------------

  const regions = () => Array.from(document.querySelectorAll("[data-live][id]"));
  const topicsOf = (region) => (region.getAttribute("data-live") || "").split(/\s+/).filter(Boolean);
  const srcOf = (region) => region.getAttribute("data-live-src") || window.location.pathname + window.location.search;
  const selectorOf = (region) => region.getAttribute("data-live-select") || "#" + CSS.escape(region.id);

  function wants(region, ticketId) {
    const topics = topicsOf(region);
    return topics.includes("list") || topics.includes("ticket:" + ticketId);
  }

  const queued = new Set();
  let flushTimer = null;
  let running = false;
  let lastRound = 0;

  function schedule(list) {
    for (const region of list) queued.add(region);
    if (!queued.size || flushTimer || running || leaving) return;
    const wait = Math.max(DEBOUNCE_MS, lastRound + MIN_GAP_MS - Date.now());
    flushTimer = window.setTimeout(flush, wait);
  }

  async function flush() {
    flushTimer = null;
    if (leaving) return;
    const list = Array.from(queued).filter((region) => region.isConnected);
    queued.clear();
    running = true;
    lastRound = Date.now();
    try {
      const bySrc = new Map();
      for (const region of list) {
        if (isBusy(region)) {
          region.setAttribute("data-live-stale", "");
          continue;
        }
        const src = srcOf(region);
        if (!bySrc.has(src)) bySrc.set(src, []);
        bySrc.get(src).push(region);
      }
      for (const [src, group] of bySrc) await refresh(src, group);
    } finally {
      running = false;
      schedule([]);
    }
  }

  async function refresh(src, group) {
    let response;
    try {
      response = await fetch(src, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html", "X-Live-Refresh": "1" },
      });
    } catch (error) {
      for (const region of group) queued.add(region); // offline: try again with the next event
      return;
    }
    const wanted = new URL(src, window.location.href);
    if (response.redirected && new URL(response.url).pathname !== wanted.pathname) {
      stop(); // sent to the sign-in page: the session is over
      return;
    }
    if (!response.ok || leaving) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    let changed = false;
    for (const region of group) {
      if (!region.isConnected) continue;
      if (isBusy(region)) {
        region.setAttribute("data-live-stale", "");
        continue;
      }
      const fresh = page.querySelector(selectorOf(region));
      if (!fresh) continue;
      const key = region.getAttribute("data-live-key");
      if (key !== null && fresh.getAttribute("data-live-key") === key) {
        region.removeAttribute("data-live-stale");
        continue;
      }
      changed = swap(region, fresh) || changed;
    }
    if (changed) announce(text("updated"));
  }

  // What a person sees of an element, to tell what changed (htmx's and our own classes aside).
  function signature(node) {
    const classes = (node.getAttribute("class") || "")
      .split(/\s+/)
      .filter((name) => name && !name.startsWith("htmx-") && !name.startsWith("live-"))
      .join(" ");
    return classes + "|" + node.textContent.replace(/\s+/g, " ").trim();
  }

  function snapshot(region) {
    const map = new Map();
    for (const node of region.querySelectorAll("[id]")) map.set(node.id, signature(node));
    return map;
  }

  function pointerAnchor(region) {
    if (pointer.x === null) return null;
    const under = document.elementFromPoint(pointer.x, pointer.y);
    const item = under && region.contains(under) ? under.closest("[id]") : null;
    return item && region.contains(item) ? { id: item.id, top: item.getBoundingClientRect().top } : null;
  }

  function focusAnchor(region) {
    const active = document.activeElement;
    if (!active || active.id || !region.contains(active)) return null; // htmx restores focus by id itself
    const holder = active.closest("[id]");
    const href = active.getAttribute("href");
    return holder && href ? { holder: holder.id, href } : null;
  }

  function swap(region, fresh) {
    const id = region.id;
    const before = snapshot(region);
    const old = region.cloneNode(true);
    const anchor = pointerAnchor(region);
    const focus = focusAnchor(region);
    // htmx copies the old elements' style attributes onto the new ones for a moment (for CSS
    // transitions); under this site's CSP that copy is refused and reported. The old region is
    // going away: its scripts' inline styles go first.
    for (const node of [region, ...region.querySelectorAll("[style]")]) node.removeAttribute("style");
    htmx.swap(region, fresh.outerHTML, { swapStyle: "outerHTML", ignoreTitle: true }, {});
    const now = document.getElementById(id);
    if (!now) return false;
    rememberForms(now);
    // Keep the row under the mouse where it was: no jump while someone aims at it.
    if (anchor) {
      const item = document.getElementById(anchor.id);
      if (item) window.scrollBy(0, item.getBoundingClientRect().top - anchor.top);
    }
    if (focus) {
      const holder = document.getElementById(focus.holder);
      const target = holder && Array.from(holder.querySelectorAll("[href]")).find((n) => n.getAttribute("href") === focus.href);
      if (target) target.focus({ preventScroll: true });
    }
    return highlight(now, before, old);
  }

  // Only what changed is washed in colour: a new or changed row or message (elements with an id),
  // else the smallest elements whose own words or look changed (a count, a badge). Rows that left
  // are their own sign.
  function highlight(region, before, old) {
    let marked = [];
    let removed = false;
    if (before.size) {
      const present = new Set();
      for (const node of region.querySelectorAll("[id]")) {
        present.add(node.id);
        if (marked.some((outer) => outer.contains(node))) continue;
        const was = before.get(node.id);
        if (!visible(node)) continue; // in a closed <details>, say: nothing to see
        if (was === undefined ? node.textContent.trim() !== "" : was !== signature(node)) marked.push(node);
      }
      removed = Array.from(before.keys()).some((id) => !present.has(id));
    }
    if (!marked.length && !removed) marked = smallestChanges(old, region);
    for (const node of marked) {
      node.classList.remove("live-changed");
      void node.offsetWidth; // restart the animation
      node.classList.add("live-changed");
      window.setTimeout(() => node.classList.remove("live-changed"), HIGHLIGHT_MS);
    }
    return marked.length > 0 || removed;
  }

  const visible = (node) => (node.checkVisibility ? node.checkVisibility() : node.getClientRects().length > 0);

  function ownSignature(node) {
    const words = Array.from(node.childNodes)
      .filter((child) => child.nodeType === Node.TEXT_NODE)
      .map((child) => child.textContent.trim())
      .join(" ");
    return signature(node.cloneNode(false)) + "|" + words;
  }

  function smallestChanges(oldRoot, newRoot) {
    const before = [oldRoot, ...oldRoot.querySelectorAll("*")];
    const after = [newRoot, ...newRoot.querySelectorAll("*")];
    if (before.length !== after.length || before.some((node, i) => node.tagName !== after[i].tagName)) {
      return signature(oldRoot) === signature(newRoot) ? [] : [newRoot];
    }
    const changed = after.filter((node, i) => ownSignature(before[i]) !== ownSignature(node));
    const outermost = changed.filter((node) => !changed.some((other) => other !== node && other.contains(node)));
    return outermost.length > 6 ? [newRoot] : outermost;
  }

  const pointer = { x: null, y: null };
  document.addEventListener("pointermove", (event) => { pointer.x = event.clientX; pointer.y = event.clientY; }, { passive: true });
  document.addEventListener("pointerleave", () => { pointer.x = pointer.y = null; });

  // Regions left alone while a form was being filled in: refresh them once it is back as it was.
  let staleTimer = null;
  function retryStale() {
    window.clearTimeout(staleTimer);
    staleTimer = window.setTimeout(() => {
      const stale = regions().filter((region) => region.hasAttribute("data-live-stale") && !isBusy(region));
      for (const region of stale) region.removeAttribute("data-live-stale");
      schedule(stale);
    }, 400);
  }
  for (const type of ["focusout", "input", "change", "reset", "toggle"]) document.addEventListener(type, retryStale, true);

  // --- The collision guard ------------------------------------------------------------------------

  function guard(data) {
    for (const region of regions()) {
      if (!topicsOf(region).includes("ticket:" + data.ticket)) continue;
      for (const form of region.querySelectorAll("form")) {
        if (!isDirty(form) || form.querySelector(".live-guard")) continue;
        const version = form.querySelector("input[name=version]");
        if (version && Number(version.value) >= Number(data.version)) continue;
        const box = document.createElement("div");
        box.className = "alert alert--warning live-guard";
        box.setAttribute("role", "alert");
        const words = document.createElement("p");
        words.textContent = text("changed");
        box.append(words);
        form.prepend(box);
      }
    }
  }

  // --- Presence (workspace ticket pages) ----------------------------------------------------------

  const presenceHost = document.querySelector("[data-live-presence]");
  const presenceTicket = presenceHost ? presenceHost.getAttribute("data-live-presence") : null;
  const people = new Map(); // user id → {name, viewingUntil, typingUntil}
  let presenceBox = null;
  let lastTyping = 0;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function presenceUrl() {
    return config.presence.replace("/0/", "/" + encodeURIComponent(presenceTicket) + "/");
  }

  function notePresence(person) {
    const now = Date.now();
    const entry = people.get(person.user) || { name: person.name, viewingUntil: 0, typingUntil: 0 };
    entry.name = person.name;
    if (person.state === "left") {
      people.delete(person.user);
    } else {
      entry.viewingUntil = Math.max(entry.viewingUntil, now + person.ttl * 1000);
      entry.typingUntil = person.state === "typing" ? now + person.ttl * 1000 : 0;
      people.set(person.user, entry);
    }
    renderPresence();
  }

  function renderPresence() {
    if (!presenceBox) return;
    const now = Date.now();
    const parts = [];
    for (const [user, entry] of people) {
      if (entry.typingUntil > now) parts.push(text("typing", entry.name));
      else if (entry.viewingUntil > now) parts.push(text("viewing", entry.name));
      else people.delete(user);
    }
    const words = parts.join(" · ");
    if (presenceBox.textContent !== words) presenceBox.textContent = words;
  }

  async function sendPresence(state) {
    const body = new FormData();
    body.append("state", state);
    try {
      const response = await fetch(presenceUrl(), {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      });
      if (!response.ok) return;
      const answer = await response.json();
      for (const person of answer.present || []) notePresence(person);
    } catch (error) {
      // Presence is a nicety: the page works without it.
    }
  }

  function startPresence() {
    if (!presenceTicket) return;
    presenceBox = document.createElement("p");
    presenceBox.className = "live-presence";
    presenceBox.setAttribute("role", "status");
    presenceBox.setAttribute("aria-live", "polite");
    presenceHost.append(presenceBox);
    sendPresence("viewing");
    window.setInterval(() => {
      if (document.visibilityState === "visible" && !leaving) sendPresence("viewing");
    }, PRESENCE_EVERY_MS);
    window.setInterval(renderPresence, 2000);
    document.addEventListener("input", (event) => {
      if (!(event.target instanceof HTMLTextAreaElement)) return;
      const now = Date.now();
      if (now - lastTyping < TYPING_EVERY_MS) return;
      lastTyping = now;
      sendPresence("typing");
    });
    window.addEventListener("pagehide", () => {
      const body = new FormData();
      body.append("state", "left");
      body.append("csrfmiddlewaretoken", csrfToken());
      if (navigator.sendBeacon) navigator.sendBeacon(presenceUrl(), body);
    });
  }

  // --- The stream ---------------------------------------------------------------------------------

  function remember(id) {
    if (seenSet.has(id)) return false;
    seenSet.add(id);
    seenIds.push(id);
    if (seenIds.length > 500) seenSet.delete(seenIds.shift());
    return true;
  }

  function onTicket(event) {
    if (event.lastEventId) lastId = event.lastEventId;
    const data = JSON.parse(event.data);
    if (!remember(data.id)) return;
    guard(data);
    schedule(regions().filter((region) => wants(region, data.ticket)));
    document.dispatchEvent(new CustomEvent("live:ticket", { detail: data }));
  }

  function onReset(event) {
    if (event.lastEventId) lastId = event.lastEventId;
    schedule(regions());
  }

  function streamUrl() {
    const params = new URLSearchParams();
    if (lastId) params.set("last_id", lastId);
    else params.set("age", String(Math.round(performance.now())));
    if (presenceTicket) params.set("presence", presenceTicket);
    return config.stream + "?" + params.toString();
  }

  function connect() {
    window.clearTimeout(retryTimer);
    if (ended || leaving || source) return;
    source = new EventSource(streamUrl());
    source.addEventListener("open", () => {
      closedRetries = 0;
      window.clearTimeout(offlineTimer);
      offlineTimer = null;
      if (offlineShown) {
        offlineShown = false;
        showStatus("online");
      }
    });
    source.addEventListener("error", () => {
      if (!source) return;
      if (!offlineTimer && !offlineShown) {
        offlineTimer = window.setTimeout(() => {
          offlineTimer = null;
          if (!ended) {
            offlineShown = true;
            showStatus("offline");
          }
        }, OFFLINE_GRACE_MS);
      }
      if (source.readyState === EventSource.CLOSED) {
        // The server answered but not with a stream (a proxy error, or no longer signed in): the
        // browser gives up, we retry a few times with a growing delay, then say it stopped.
        source = null;
        closedRetries += 1;
        if (closedRetries > MAX_CLOSED_RETRIES) stop();
        else retryTimer = window.setTimeout(connect, Math.min(30000, 1000 * 2 ** closedRetries));
      }
    });
    source.addEventListener("ticket", onTicket);
    source.addEventListener("reset", onReset);
    source.addEventListener("presence", (event) => notePresence(JSON.parse(event.data)));
    source.addEventListener("end", stop);
  }

  function disconnect() {
    if (source) source.close();
    source = null;
  }

  function stop() {
    ended = true;
    disconnect();
    window.clearTimeout(offlineTimer);
    window.clearTimeout(retryTimer);
    offlineShown = false;
    showStatus("stopped");
  }

  // A form submitted or a link followed: stop at once, so that no refresh runs while the next page
  // loads (it would take that page's "saved" message). Back if the page is still here after all.
  window.addEventListener("beforeunload", () => {
    leaving = true;
    disconnect();
    window.setTimeout(() => {
      leaving = false;
      connect();
    }, 8000);
  });
  window.addEventListener("pagehide", () => {
    leaving = true;
    disconnect();
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    leaving = false;
    connect(); // back from the back/forward cache: catch up from the last event seen
  });

  async function start() {
    buildIndicator();
    rememberForms(document);
    try {
      const response = await fetch(CONFIG_URL + "?lang=" + encodeURIComponent(document.documentElement.lang || ""), {
        credentials: "same-origin",
      });
      if (response.ok) config = await response.json();
    } catch (error) {
      // Keep the defaults; the words of the indicator stay empty until the next page.
    }
    startPresence();
    connect();
    if (config.css) await adoptStyles(config.css);
  }

  // The stylesheet is fetched and adopted rather than linked: a <link> added this late is still
  // loading when a quick visitor (or test) moves on, and the aborted load counts as a broken page.
  async function adoptStyles(url) {
    try {
      if (!("adoptedStyleSheets" in document) || !("replaceSync" in CSSStyleSheet.prototype)) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = url;
        document.head.append(link);
        return;
      }
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(await response.text());
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } catch (error) {
      // Unstyled, the indicator is still a readable line of text.
    }
  }

  // After every other script's DOMContentLoaded work (enhancements may add fields to forms): what
  // the forms hold then is what "not being filled in" means.
  let started = false;
  const startOnce = () => {
    if (started) return;
    started = true;
    window.setTimeout(start, 0);
  };
  if (document.readyState === "complete") startOnce();
  else {
    document.addEventListener("DOMContentLoaded", startOnce);
    window.addEventListener("load", startOnce);
  }
})();
