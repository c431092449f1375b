import { expect, test, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { screenshot, waitForHydration, watchConsole } from "./helpers";

// The demo owner (see server/src/demo.rs; the e2e run sets DUNWELL_ADMIN_PASSWORD).
const OWNER = "owner@acme.test";
const PASSWORD = process.env.DUNWELL_ADMIN_PASSWORD ?? "e2e-owner-password";
const DEMO_COLOR = "#0f766e";

async function signIn(page: Page, info: TestInfo, path = "/admin") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(OWNER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`));
  await waitForHydration(page, info);
}

async function saveBranding(page: Page, color: string) {
  const form = page.locator("form", { has: page.getByLabel("Primary colour (hex code)") });
  await page.getByLabel("Primary colour (hex code)").fill(color);
  await form.getByRole("button", { name: "Save Changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();
}

test("staff sign in, land where they were going, and sign out", async ({ page }, info) => {
  const errors = watchConsole(page);
  await page.goto("/admin/sign-in");
  await page.getByLabel("Email address").fill(OWNER);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("The email or password is not correct")).toBeVisible();
  await signIn(page, info, "/admin/settings/portal");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings → Customer Portal");
  const nav = page.getByRole("navigation", { name: "Payments" });
  for (const name of ["Overview", "Customers", "Settings → Customer Portal", "Settings → Notifications", "Audit log", "Outbox", "Test clock"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await screenshot(page, info, "console-settings-portal");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in\?signed_out=1/);
  await page.goto("/admin/customers");
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
});

test("enable the portal and open its URL", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  const toggle = page.getByRole("switch", { name: "Enable Customer Portal" });
  const section = page.locator("section.settings-section", { has: toggle });
  // Off, then on again: the key (and so the URL) stays the same.
  const url = await page.getByLabel("Your portal's unique URL").inputValue();
  await toggle.uncheck();
  await section.getByRole("button", { name: "Save Changes" }).click();
  await expect(page.getByText("Customer Portal setting saved.")).toBeVisible();
  await expect(page.getByText("The portal is off")).toBeVisible();
  await page.getByRole("switch", { name: "Enable Customer Portal" }).check();
  await page.locator("section.settings-section", { has: page.getByRole("switch") }).getByRole("button", { name: "Save Changes" }).click();
  await expect(page.getByText("The portal is on.")).toBeVisible();
  expect(await page.getByLabel("Your portal's unique URL").inputValue()).toBe(url);
  const res = await page.goto(url);
  expect(res?.status()).toBeLessThan(400);
  await expect(page.locator("body")).toContainText("Acme Cloud");
});

test("the colour preview changes before saving, and the portal shows the saved colour @needs-js", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  const preview = page.getByRole("group", { name: "Live preview of the portal" });
  const button = preview.getByRole("button", { name: "Update payment method" });
  await expect(button).toHaveCSS("background-color", "rgb(15, 118, 110)");
  await page.getByLabel("Primary colour (hex code)").fill("#7c3aed");
  await expect(button).toHaveCSS("background-color", "rgb(124, 58, 237)");
  await expect(preview).toContainText(/Contrast of the button text:\s*5\.\d\d:1/);
  // A light colour: the warning with the suggested text colour.
  await page.getByLabel("Primary colour (hex code)").fill("#ffeb3b");
  await expect(preview.getByText("Below 4.5:1")).toBeVisible();
  await expect(preview).toContainText("#000000");
  await expect(button).toHaveCSS("color", "rgb(0, 0, 0)");
  // An invalid hex: the message beside the field, from the same parser as the server.
  await page.getByLabel("Primary colour (hex code)").fill("#12345g");
  await expect(page.getByText("Enter a colour as a hex code")).toBeVisible();
  await screenshot(page, info, "console-branding-invalid");
  try {
    await saveBranding(page, "#7c3aed");
    const url = await page.getByLabel("Your portal's unique URL").inputValue();
    await page.goto(`${url}/login`);
    await expect(page.getByRole("button", { name: "Send sign-in link" })).toHaveCSS("background-color", "rgb(124, 58, 237)");
    await page.goto("/admin/settings/portal");
    await waitForHydration(page, info);
    await expect(page.getByLabel("Primary colour (hex code)")).toHaveValue("#7c3aed");
  } finally {
    await page.goto("/admin/settings/portal");
    await waitForHydration(page, info);
    await saveBranding(page, DEMO_COLOR);
  }
});

test("a bad logo is refused beside the field and a good one is accepted", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  const logoUrl = await page.getByRole("img", { name: "Current logo" }).getAttribute("src");
  const good = await (await page.request.get(logoUrl!)).body();
  await page.getByLabel("Upload logo (PNG)").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("I am a text file") });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("This file is not a PNG image")).toBeVisible();
  await screenshot(page, info, "console-logo-bad");
  await page.getByLabel("Upload logo (PNG)").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: good });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText("Logo uploaded.")).toBeVisible();
  await expect(page.getByText(/^200×50 px, \d+ KB$/)).toBeVisible();
});

test("a template without the portal link shows the warning @needs-js", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/notifications?kind=payment_failed&locale=en");
  const body = page.getByLabel("Body");
  await expect(page.getByText("This template lacks the customer portal link")).toBeHidden();
  await body.fill("Hello {{ customer_name }}, your payment failed.");
  await expect(page.getByText("This template lacks the customer portal link")).toBeVisible();
  await expect(page.locator(".email-preview")).toContainText("Hello Giulia Rossi");
  await body.fill("Hello\n{{ nope }}");
  await expect(page.getByText("Line 2: unknown variable")).toBeVisible();
  await screenshot(page, info, "console-notifications-warning");
});

const PAGES = [
  ["overview", "/admin"],
  ["customers", "/admin/customers"],
  ["customer", "/admin/customers?q=giulia"],
  ["settings-portal", "/admin/settings/portal"],
  ["settings-notifications", "/admin/settings/notifications"],
  ["audit", "/admin/audit"],
  ["outbox", "/admin/outbox"],
  ["test-clock", "/admin/test-clock"],
] as const;

test("every console page passes axe and fits a phone @needs-js", async ({ page }, info) => {
  await signIn(page, info);
  for (const [name, path] of PAGES) {
    await page.goto(path);
    await waitForHydration(page, info);
    if (name === "customer") {
      await page.getByRole("link", { name: "Giulia Rossi" }).click();
      await expect(page.getByLabel("Email on file")).toHaveValue("giulia@example.com");
      await waitForHydration(page, info);
    }
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`), path).toEqual([]);
    await screenshot(page, info, `console-${name}`);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} at 390px`).toBeLessThanOrEqual(0);
    await screenshot(page, info, `console-${name}-390`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

const MAILDEV = process.env.MAILDEV_URL ?? "http://127.0.0.1:1080";

/** The newest sign-in link emailed to `to` after `after` (ms), from maildev. */
async function magicLink(to: string, after: number): Promise<URL> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${MAILDEV}/email`);
    const mails = (await res.json()) as { text: string; date: string; to: { address: string }[] }[];
    const mail = mails
      .filter((m) => m.to.some((t) => t.address === to) && new Date(m.date).getTime() >= after)
      .find((m) => /\/login\/verify\?token=/.test(m.text));
    if (mail) return new URL(mail.text.match(/https?:\/\/[^\s<>"]+\/login\/verify\?token=[^\s<>"]+/)![0]);
    if (Date.now() > deadline) throw new Error(`no sign-in link for ${to}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function savePermission(page: Page, label: string, on: boolean) {
  const box = page.getByRole("checkbox", { name: label });
  if (on) await box.check();
  else await box.uncheck();
  await page.locator("form", { has: box }).getByRole("button", { name: "Save Changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toBeVisible();
}

test("turning a permission off hides its portal section and the server refuses it @needs-js", async ({ page, browser }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  const url = new URL(await page.getByLabel("Your portal's unique URL").inputValue());
  const key = url.pathname.split("/").pop()!;
  await savePermission(page, "Update payment methods", false);
  try {
    const customer = await (await browser.newContext()).newPage();
    const asked = Date.now() - 1000;
    await customer.goto(`${url.pathname}/login`);
    await waitForHydration(customer, info);
    await customer.getByLabel("Email address").fill("emma.thompson@example.com");
    await customer.getByRole("button", { name: "Send sign-in link" }).click();
    const magic = await magicLink("emma.thompson@example.com", asked);
    await customer.goto(magic.pathname + magic.search);
    await waitForHydration(customer, info);
    await customer.getByRole("button", { name: "Continue" }).click();
    await expect(customer).toHaveURL(new RegExp(`/portal/${key}`));
    await waitForHydration(customer, info);
    await expect(customer.getByRole("link", { name: "Payment methods" })).toHaveCount(0);
    await screenshot(customer, info, "console-permission-off-portal");
    const res = await customer.request.post("/api/portal/payment_methods", { form: { key }, headers: { origin: new URL(customer.url()).origin } });
    expect(res.status()).toBe(403);
    await customer.context().close();
  } finally {
    await page.goto("/admin/settings/portal");
    await waitForHydration(page, info);
    await savePermission(page, "Update payment methods", true);
  }
});
