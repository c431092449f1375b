// dunwellVisit(url): where a portal form's server function redirects to (the page that
// shows the outcome), without reloading the document. It fetches the page, swaps in its
// <main>, navigation and title, puts its URL in the address bar (replacing the entry, as
// a redirect after a POST does), hydrates the islands it brought and moves focus to the
// new content. A page of another kind (signed in or out), an error status or a failed
// fetch loads whole instead. The fetched page's <style> (its brand colours, allowed by
// that response's nonce) is dropped before parsing: Chromium checks a parsed document's
// styles against this page's policy, and the header keeps its own.
// Inlined by app/src/bundles.rs; `make lint` parses it.
window.dunwellVisit = async (u) => {
  try {
    const r = await fetch(u, { credentials: "same-origin" });
    const html = (await r.text()).replace(/<style[^>]*>[^<]*<\/style>/g, "");
    const d = new DOMParser().parseFromString(html, "text/html");
    const n = d.getElementById("main");
    const o = document.getElementById("main");
    const nv = d.querySelector(".portal-nav");
    const ov = document.querySelector(".portal-nav");
    if (!r.ok || !n || !o || !nv !== !ov) throw 0;
    o.replaceWith(n);
    if (nv) ov.replaceWith(nv);
    document.title = d.title;
    history.replaceState(null, "", r.url);
    n.querySelectorAll("leptos-island").forEach((e) =>
      window.__hydrateIsland(e, e.dataset.component),
    );
    n.focus();
  } catch (e) {
    location.assign(u);
  }
};
