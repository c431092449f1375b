// The portal as an app: moving between its pages and submitting its forms does not reload
// the document. Without JavaScript the same links and forms are plain pages.
//
// dunwellVisit(url, push, y): shows the portal page at `url` in place. It fetches the
// page, swaps in its <main>, header and navigation and its title, puts its URL in the
// address bar (a new history entry for a link; replacing the entry, as a redirect after a
// POST does, for a form's outcome or back and forward), hydrates the islands it brought,
// scrolls to `y`, moves focus to the new page's heading and announces the change to
// screen readers (a form's outcome notice, else the page's title). Only the newest of
// overlapping visits is shown. A page of another kind (signed in or out, another
// language), an error status or a failed fetch loads whole instead. The fetched page's
// <style> (its brand colours, allowed by that response's nonce) is dropped before
// parsing: Chromium checks a parsed document's styles against this page's policy, and
// the document keeps its own.
//
// A click on a link to another page of this portal (same origin and portal key, no
// `#`, not a file such as an invoice's PDF, no modifier key, no target) goes through
// dunwellVisit; so do back and forward between its pages, and a GET form of this
// portal (the plan page's preview). A form's server function redirects through it (see
// app/src/portal/browser.rs).
// Inlined by app/src/bundles.rs; `make lint` parses it.
let latest = 0;
// The path and query of the page on screen.
let shown = location.pathname + location.search;

window.dunwellVisit = async (u, push, y) => {
  const mine = ++latest;
  try {
    const r = await fetch(u, { credentials: "same-origin" });
    const html = (await r.text()).replace(/<style[^>]*>[^<]*<\/style>/g, "");
    if (mine !== latest) return;
    const d = new DOMParser().parseFromString(html, "text/html");
    const n = d.getElementById("main");
    const o = document.getElementById("main");
    const same = (s) => !d.querySelector(s) === !document.querySelector(s);
    if (!r.ok || !n || !o || !same(".portal-nav") || !same(".portal-header")) throw 0;
    if (d.documentElement.lang !== document.documentElement.lang) throw 0;
    o.replaceWith(n);
    for (const s of [".portal-header", ".portal-nav"]) {
      const old = document.querySelector(s);
      if (old) old.replaceWith(d.querySelector(s));
    }
    document.title = d.title;
    if (push) history.pushState({ dunwell: 1 }, "", r.url);
    else history.replaceState({ dunwell: 1 }, "", r.url);
    shown = location.pathname + location.search;
    // Before the bundle has started, its loader hydrates them with the rest.
    if (window.__hydrateIsland)
      n.querySelectorAll("leptos-island").forEach((e) =>
        window.__hydrateIsland(e, e.dataset.component),
      );
    window.scrollTo(0, y || 0);
    const h = n.querySelector("h1") ?? n;
    if (!h.hasAttribute("tabindex")) h.setAttribute("tabindex", "-1");
    h.focus({ preventScroll: true });
    const notice = push ? null : n.querySelector('[role="status"], [role="alert"]');
    const say = announce();
    // Emptied first, so the same words twice are heard twice.
    say.textContent = "";
    setTimeout(() => {
      if (mine === latest) say.textContent = (notice?.textContent ?? "").trim() || d.title;
    }, 50);
  } catch (e) {
    if (mine !== latest) return;
    if (push) location.assign(u);
    else location.replace(u);
  }
};

// The live region that announces a page swapped in: it exists (empty) from the start, as
// screen readers announce changes to a region they already know.
const announce = () => {
  let say = document.getElementById("dunwell-announce");
  if (!say) {
    say = document.createElement("p");
    say.id = "dunwell-announce";
    say.className = "visually-hidden";
    say.setAttribute("aria-live", "polite");
    say.setAttribute("aria-atomic", "true");
    document.body.append(say);
  }
  return say;
};
announce();

// Back and forward restore where each page was scrolled to (kept in its entry).
history.scrollRestoration = "manual";

// This portal's base path (`/portal/{key}`), when `to` is one of its pages.
const portalPage = (to) => {
  const portal = location.pathname.split("/").slice(0, 3).join("/");
  if (to.origin !== location.origin || !portal.startsWith("/portal/")) return null;
  if (to.pathname !== portal && !to.pathname.startsWith(portal + "/")) return null;
  return portal;
};

document.addEventListener("click", (e) => {
  const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
  if (!a || e.defaultPrevented || e.button !== 0) return;
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute("download") || a.rel.includes("external")) return;
  const to = new URL(a.href, location.href);
  // This portal's pages only: /portal/{key} and below.
  if (!portalPage(to)) return;
  // A file (an invoice's PDF), or a place in a page (the skip link): the browser's own.
  if (/\.[a-z0-9]+$/i.test(to.pathname) || to.hash) return;
  if (!document.getElementById("main")) return;
  e.preventDefault();
  history.replaceState({ dunwell: 1, y: window.scrollY }, "");
  // The page on screen again: shown afresh, without a second entry.
  window.dunwellVisit(to.href, to.pathname + to.search !== shown);
});

document.addEventListener("submit", (e) => {
  const f = e.target;
  if (!(f instanceof HTMLFormElement) || e.defaultPrevented) return;
  if (f.method !== "get" || f.target || !document.getElementById("main")) return;
  const to = new URL(f.action, location.href);
  if (!portalPage(to)) return;
  e.preventDefault();
  to.search = new URLSearchParams(new FormData(f, e.submitter)).toString();
  history.replaceState({ dunwell: 1, y: window.scrollY }, "");
  window.dunwellVisit(to.href, true);
});

window.addEventListener("popstate", (e) => {
  // A move within the page (its skip link's `#main`) needs no swap.
  if (location.pathname + location.search === shown) return;
  window.dunwellVisit(location.href, false, e.state?.y);
});
