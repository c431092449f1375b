// Time to move between two portal pages in Chromium (issue 15, item 1): a click on a
// navigation link until the new page's heading has focus (swapped in place, see
// app/src/js/visit.js), against a full page load of the same page (until `load`).
import { signedInPage } from "./bench-browser.mjs";

const base = process.env.BASE_URL;
const portal = process.env.PORTAL_PATH; // /portal/{key}
const { browser, page } = await signedInPage(base, process.env.CUSTOMER_COOKIE);
await page.goto(`${base}${portal}`);
await page.locator('#hydration-marker[data-hydrated="true"]').waitFor({ state: "attached", timeout: 20000 });

// In the page: click the link to `path`, wait (frame by frame) for a new <main> whose
// heading has focus, and return the milliseconds.
const swap = (path) =>
  page.evaluate(async (path) => {
    const a = document.querySelector(`.portal-nav a[href="${path}"]`);
    const old = document.getElementById("main");
    const start = performance.now();
    a.click();
    await new Promise((done) => {
      const tick = () => {
        const now = document.getElementById("main");
        if (now !== old && document.activeElement?.tagName === "H1") done();
        else requestAnimationFrame(tick);
      };
      tick();
    });
    return performance.now() - start;
  }, path);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const inPlace = [];
for (let i = 0; i < 10; i++) {
  inPlace.push(await swap(`${portal}/history`));
  inPlace.push(await swap(portal));
}
const reloads = [];
for (let i = 0; i < 10; i++) {
  const start = Date.now();
  await page.goto(`${base}${portal}/history`, { waitUntil: "load" });
  reloads.push(Date.now() - start);
}
console.log(
  `portal navigation, overview <-> payment history: in place, click to the new heading focused, ` +
    `median ${median(inPlace).toFixed(1)} ms (${inPlace.length} moves); as a full page load, ` +
    `navigation to the load event, median ${median(reloads)} ms (${reloads.length} loads)`,
);
await browser.close();
