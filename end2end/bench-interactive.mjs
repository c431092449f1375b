// Time from navigation to a hydrated (interactive) console settings page, in Chromium.
import { signedInPage } from "./bench-browser.mjs";

const base = process.env.BASE_URL;
const { browser, page } = await signedInPage(base, process.env.STAFF_COOKIE);
const times = [];
for (let i = 0; i < 5; i++) {
  const start = Date.now();
  await page.goto(`${base}/admin/settings/portal`, { waitUntil: "commit" });
  await page.locator('#hydration-marker[data-hydrated="true"]').waitFor({ state: "attached", timeout: 20000 });
  times.push(Date.now() - start);
}
const cold = times[0];
const warm = times.slice(1).sort((a, b) => a - b);
console.log(`console settings page interactive: cold ${cold} ms, warm median ${warm[Math.floor(warm.length / 2)]} ms`);
await browser.close();
