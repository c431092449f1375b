// The benches' browser: Debian's Chromium (never a downloaded one), and a page signed in
// with the cookie `NAME=VALUE` for `base`.
import { chromium } from "@playwright/test";

export async function signedInPage(base, cookie) {
  const [name, value] = (cookie ?? "=").split("=");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext();
  await context.addCookies([{ name, value, url: base }]);
  return { browser, page: await context.newPage() };
}
