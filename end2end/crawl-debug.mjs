// Debug helper (not a test): opens every console and portal page with JavaScript on, N
// times, and prints any browser console error (hydration panics name the component in a
// debug build). BASE_URL, PORTAL_KEY, CUSTOMER_COOKIE, STAFF_COOKIE from the environment.
import { chromium } from "playwright-core";
const base = process.env.BASE_URL;
const rounds = Number(process.env.ROUNDS ?? 3);
const key = process.env.PORTAL_KEY;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox"] });
const pages = [
  ["staff", "/admin"], ["staff", "/admin/customers"], ["staff", "/admin/settings/portal"],
  ["staff", "/admin/settings/notifications"], ["staff", "/admin/audit"], ["staff", "/admin/outbox"],
  ["staff", "/admin/test-clock"],
  ["cust", `/portal/${key}`], ["cust", `/portal/${key}/payment-methods`], ["cust", `/portal/${key}/history`],
  ["cust", `/portal/${key}/invoices`], ["cust", `/portal/${key}/cancel`], ["none", `/portal/${key}/login`],
];
let bad = 0;
for (let r = 0; r < rounds; r++) {
  for (const [who, path] of pages) {
    const ctx = await browser.newContext();
    const cookie = who === "staff" ? process.env.STAFF_COOKIE : who === "cust" ? process.env.CUSTOMER_COOKIE : null;
    if (cookie) {
      const [name, value] = cookie.split("=");
      await ctx.addCookies([{ name, value, url: base }]);
    }
    const page = await ctx.newPage();
    const errors = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base + path);
    try {
      await page.waitForSelector('#hydration-marker[data-hydrated="true"]', { state: "attached", timeout: Number(process.env.HYD_TIMEOUT ?? 8000) });
    } catch { errors.push("NOT HYDRATED"); }
    if (errors.length) { bad++; console.log(`--- ${path} (round ${r})`); for (const e of errors) console.log(e.slice(0, 1500)); }
    else console.log(`ok ${path}`);
    await ctx.close();
  }
}
await browser.close();
console.log(`pages with errors: ${bad}`);
