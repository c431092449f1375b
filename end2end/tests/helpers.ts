import { expect, type Page, type TestInfo } from "@playwright/test";

/** Collects console errors and failed page loads, to assert none happened. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

/** With JavaScript on, waits until the page has hydrated (the marker's effect ran). */
export async function waitForHydration(page: Page, info: TestInfo) {
  if (info.project.name === "no-js") return;
  await expect(page.locator("#hydration-marker")).toHaveAttribute("data-hydrated", "true");
}

/** Saves a full-page screenshot under test-results/screens for a person to look at. */
export async function screenshot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: `test-results/screens/${info.project.name}-${name}.png`, fullPage: true });
}
