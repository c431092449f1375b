import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { screenshot, waitForHydration, watchConsole } from "./helpers";

test("the landing page is rendered on the server", async ({ request }) => {
  const res = await request.get("/", { headers: { "accept-language": "en" } });
  expect(res.status()).toBe(200);
  const html = await res.text();
  expect(html).toContain("Let customers fix their own billing.");
  expect(html).toContain('id="hydration-marker"');
  const csp = res.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the landing page hydrates without console errors", async ({ page }, info) => {
  const errors = watchConsole(page);
  await page.goto("/");
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Let customers fix their own billing.");
  await screenshot(page, info, "landing");
  expect(errors).toEqual([]);
});

test("the language switches to Italian and back", async ({ page }, info) => {
  const errors = watchConsole(page);
  await page.goto("/admin/sign-in");
  await waitForHydration(page, info);
  await page.getByRole("link", { name: "Italiano" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Console di amministrazione");
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await screenshot(page, info, "admin-it");
  await page.getByRole("link", { name: "English" }).click();
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin console");
  expect(errors).toEqual([]);
});

test("the landing and console pages have no serious accessibility violations @needs-js", async ({ page }, info) => {
  for (const path of ["/", "/admin/sign-in"]) {
    await page.goto(path);
    await waitForHydration(page, info);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help}`), path).toEqual([]);
  }
});

test("an unknown address is a 404 page", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("the console and the portal each load their own browser bundle", async ({ request }) => {
  const bundle = async (path: string) => {
    const html = await (await request.get(path)).text();
    return html.match(/\/pkg\/(dunwell[a-z-]*)\.[A-Za-z0-9_-]+\.wasm/)?.[1];
  };
  expect(await bundle("/")).toBe("dunwell-console");
  expect(await bundle("/admin/sign-in")).toBe("dunwell-console");
  // An unknown portal still renders the portal's page (its neutral 404).
  expect(await bundle("/portal/pk_unknown/login")).toBe("dunwell-portal");
});
