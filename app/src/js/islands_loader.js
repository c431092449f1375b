// The portal's loader (see app/src/portal/browser.rs), called with the bundle's JS module
// and wasm URLs: starts the bundle, hydrates each island by its exported function (also
// for dunwellVisit, as __hydrateIsland, the name Leptos's own island loader uses), then
// marks the page hydrated for the tests. Inlined by app/src/bundles.rs; `make lint` parses it.
((js, wasm) =>
  import(js).then((m) =>
    m.default({ module_or_path: wasm }).then(() => {
      m.hydrate();
      window.__hydrateIsland = (e, id) => {
        const f = m[id];
        if (f) f(e);
      };
      document
        .querySelectorAll("leptos-island")
        .forEach((e) => window.__hydrateIsland(e, e.dataset.component));
      const k = document.getElementById("hydration-marker");
      if (k) k.dataset.hydrated = "true";
    }),
  ))
