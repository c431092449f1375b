import { expect, test, type Cookie, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { markDocument, notReloaded, screenshot, waitForHydration, watchConsole } from "./helpers";

// The demo owner and viewer (see service/src/demo.rs; the e2e run sets their passwords).
const OWNER = "owner@acme.test";
const PASSWORD = process.env.DUNWELL_ADMIN_PASSWORD ?? "e2e-owner-password";
const VIEWER = "viewer@acme.test";
const VIEWER_PASSWORD = process.env.DUNWELL_VIEWER_PASSWORD ?? "e2e-viewer-password";
const DEMO_COLOR = "#0f766e";

// One session per project and person, reused by later tests: the server allows 20 sign-in
// attempts per address per 15 minutes, and every test here comes from 127.0.0.1.
const sessions = new Map<string, Cookie[]>();

async function signIn(page: Page, info: TestInfo, path = "/admin", email = OWNER, password = PASSWORD) {
  const key = `${info.project.name} ${email}`;
  const session = sessions.get(key);
  if (session) {
    await page.context().addCookies(session);
    await page.goto(path);
    if (!new URL(page.url()).pathname.startsWith("/admin/sign-in")) {
      await waitForHydration(page, info);
      return;
    }
  }
  await page.goto(path);
  await expect(page).toHaveURL(/\/admin\/sign-in\?next=/);
  await waitForHydration(page, info);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The whole address: the sign-in page's own (`…?next=/admin`) also ends with the path.
  await page.waitForURL((url) => `${url.pathname}${url.search}` === path);
  await waitForHydration(page, info);
  sessions.set(key, (await page.context().cookies()).filter((c) => c.name === "dw_staff"));
}

/** The outcome of a save: the page's notice (with JavaScript, a toast says it too). */
function saved(page: Page, text: string) {
  return page.getByRole("status").filter({ hasText: text }).first();
}

/** The toast: a live region with a Dismiss button (JavaScript only). */
function toast(page: Page) {
  return page.getByRole("status").filter({ has: page.getByRole("button", { name: "Dismiss" }) });
}

async function saveBranding(page: Page, color: string) {
  const form = page.locator("form", { has: page.getByLabel("Primary colour (hex code)") });
  await page.getByLabel("Primary colour (hex code)").fill(color);
  await form.getByRole("button", { name: "Save Changes" }).click();
  await expect(saved(page, "Changes saved.")).toBeVisible();
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
  await expect(saved(page, "Customer Portal setting saved.")).toBeVisible();
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
  await expect(saved(page, "Logo uploaded.")).toBeVisible();
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
  ["settings-api-keys", "/admin/settings/api-keys"],
  ["settings-api-reference", "/admin/settings/api-reference"],
  ["settings-webhooks", "/admin/settings/webhooks"],
  ["audit", "/admin/audit"],
  ["outbox", "/admin/outbox"],
  ["test-clock", "/admin/test-clock"],
] as const;

test("every console page passes axe and fits a phone @needs-js", async ({ page }, info) => {
  // Eleven pages, each checked by axe and photographed twice: more than one page's budget.
  test.setTimeout(150_000);
  await signIn(page, info);
  for (const [name, path] of PAGES) {
    await page.goto(path);
    await waitForHydration(page, info);
    if (name === "customer") {
      await page.getByRole("link", { name: "Giulia Rossi" }).click();
      await expect(page.getByLabel("Email on file")).toHaveValue("giulia@example.com");
      await waitForHydration(page, info);
    }
    expect(await seriousViolations(page), path).toEqual([]);
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

/** The four permissions of the guide: the console's label, the portal's section link, and
 * a server function of that section (with its form) that must answer 403 when it is off. */
const PERMISSIONS = [
  { label: "Update payment methods", section: "Payment methods", fn: "payment_methods", form: {} },
  { label: "View payment history", section: "Payment history", fn: "history", form: { page: "1" } },
  { label: "Download invoices", section: "Invoices", fn: "invoices", form: { page: "1" } },
  { label: "Cancel subscription (optional)", section: "Cancel subscription", fn: "cancel_view", form: {} },
  { label: "Billing details", section: "Billing details", fn: "billing_details", form: {} },
  { label: "Pause subscription", section: "Pause subscription", fn: "pause_view", form: {} },
];

async function savePermissions(page: Page, on: boolean) {
  for (const { label } of PERMISSIONS) {
    const box = page.getByRole("checkbox", { name: label });
    if (on) await box.check();
    else await box.uncheck();
  }
  const box = page.getByRole("checkbox", { name: PERMISSIONS[0].label });
  await page.locator("form", { has: box }).getByRole("button", { name: "Save Changes" }).click();
  await expect(saved(page, "Changes saved.")).toBeVisible();
}

test("turning each permission off hides its portal section and the server refuses it @needs-js", async ({ page, browser }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  const url = new URL(await page.getByLabel("Your portal's unique URL").inputValue());
  const key = url.pathname.split("/").pop()!;
  // Signed in first, so the sections are seen on before they are switched off.
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
  const nav = customer.getByRole("navigation", { name: "Billing" });
  for (const { section } of PERMISSIONS) {
    await expect(nav.getByRole("link", { name: section })).toHaveCount(1);
  }
  await savePermissions(page, false);
  try {
    await customer.reload();
    await waitForHydration(customer, info);
    await expect(nav.getByRole("link", { name: "Overview" })).toHaveCount(1);
    for (const { section, fn, form } of PERMISSIONS) {
      await expect(nav.getByRole("link", { name: section })).toHaveCount(0);
      const res = await customer.request.post(`/api/portal/${fn}`, {
        form: { key, ...form },
        headers: { origin: new URL(customer.url()).origin },
      });
      expect(res.status(), `${fn} with "${section}" off`).toBe(403);
    }
    await screenshot(customer, info, "console-permissions-off-portal");
    await customer.context().close();
  } finally {
    await page.goto("/admin/settings/portal");
    await waitForHydration(page, info);
    await savePermissions(page, true);
  }
});

/** Sets the retention offer on the portal settings page `page` is on ("" and "": none). */
async function saveOffer(page: Page, percent: string, months: string) {
  await page.getByLabel("Discount (%)").fill(percent);
  await page.getByLabel("For (months)").fill(months);
  const form = page.locator("form", { has: page.getByLabel("Discount (%)") });
  await form.getByRole("button", { name: "Save Changes" }).click();
  await expect(saved(page, "Changes saved.")).toBeVisible();
}

test("a retention offer set in the console is shown once before cancelling, and accepted", async ({ page }, info) => {
  const errors = watchConsole(page);
  const hydrated = info.project.name === "hydrated";
  // A customer of each project's own, so the runs do not depend on each other.
  const email = hydrated ? "isabella.jones@example.com" : "alessandro.marino@example.com";
  await signIn(page, info, "/admin/settings/portal");
  const base = new URL(await page.getByLabel("Your portal's unique URL").inputValue()).pathname;
  await saveOffer(page, "25", "2");
  await page.reload();
  await expect(page.getByLabel("Discount (%)")).toHaveValue("25");
  await expect(page.getByLabel("For (months)")).toHaveValue("2");
  try {
    const asked = Date.now() - 1000;
    await page.goto(`${base}/login?return_to=${encodeURIComponent(`${base}/cancel`)}`);
    await waitForHydration(page, info);
    await page.getByLabel(/Email address|Indirizzo email/).fill(email);
    await page.getByRole("button", { name: /Send sign-in link|Invia il link di accesso/ }).click();
    const magic = await magicLink(email, asked);
    await page.goto(magic.pathname + magic.search);
    await waitForHydration(page, info);
    await page.getByRole("button", { name: /^(Continue|Continua)$/ }).click();
    await expect(page).toHaveURL(/\/cancel$/);
    await waitForHydration(page, info);

    const offer = page.getByRole("group", { name: /Before you go|Prima di andare/ });
    await expect(offer).toContainText(/25% off your invoices for the next 2 months|25% di sconto sulle fatture dei prossimi 2 mesi/);
    if (hydrated) {
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.help}`), "cancel page with an offer").toEqual([]);
    }
    await screenshot(page, info, "portal-retention-offer");
    await markDocument(page, info);
    await offer.getByRole("button", { name: /Accept the offer and stay|Accetta l'offerta e resta/ }).click();
    await expect(page.getByRole("status").filter({ hasText: /Thank you for staying|Grazie di restare/ })).toBeVisible();
    await notReloaded(page, info, "accepting the offer");
    await expect(offer).toHaveCount(0);
    await expect(page.locator("#main").getByText(/25% off invoices for periods starting before|Sconto del 25% sulle fatture/)).toBeVisible();
    await screenshot(page, info, "portal-retention-accepted");
    // Still cancellable, without the offer: it is shown once.
    await expect(page.getByRole("button", { name: /Cancel at the end of the period|Annulla alla fine del periodo/ })).toBeVisible();
  } finally {
    // The Italian customer's language cookie would make the console Italian: start afresh.
    await page.context().clearCookies();
    await signIn(page, info, "/admin/settings/portal");
    await saveOffer(page, "", "");
  }
  expect(errors).toEqual([]);
});

test("a customer's invoices link to their PDF, which staff can download", async ({ page }, info) => {
  await signIn(page, info, "/admin/customers?q=giulia");
  await page.getByRole("link", { name: "Giulia Rossi" }).click();
  await expect(page.getByLabel("Email on file")).toHaveValue("giulia@example.com");
  await waitForHydration(page, info);
  const invoices = page.getByRole("table", { name: "Invoices" });
  const link = invoices.getByRole("link", { name: /^Download PDF of invoice \S+$/ }).first();
  await expect(link).toHaveText("Download PDF");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/admin\/customers\/cus_[a-z0-9]+\/invoices\/inv_[a-z0-9]+\.pdf$/);
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/pdf");
  expect((await res.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await screenshot(page, info, "console-customer-invoices");
});

test("the audit log pages through events with plain Previous and Next links", async ({ page }, info) => {
  await signIn(page, info, "/admin/audit");
  // 26 changes make sure there is a second page (reset_template records one each time).
  const origin = new URL(page.url()).origin;
  for (let i = 0; i < 26; i++) {
    const res = await page.request.post("/api/console/reset_template", { form: { kind: "card_expiring", locale: "it" }, headers: { origin } });
    expect(res.status()).toBe(200);
  }
  await page.goto("/admin/audit");
  await waitForHydration(page, info);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages).toContainText(/Page 1 of \d+/);
  await expect(pages.getByRole("link", { name: "Previous" })).toHaveCount(0);
  // 25 rows and the header; newest first.
  await expect(page.getByRole("row")).toHaveCount(26);
  await expect(page.getByRole("row").nth(1)).toContainText("notifications.reset");
  await screenshot(page, info, "console-audit-paged");
  await pages.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?page=2$/);
  await expect(pages).toContainText(/Page 2 of \d+/);
  await screenshot(page, info, "console-audit-page-2");
  await pages.getByRole("link", { name: "Previous" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?page=1$/);
  await expect(pages).toContainText(/Page 1 of \d+/);
});

test("a viewer sees the settings disabled with the reason, and the server refuses a forged save", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/portal", VIEWER, VIEWER_PASSWORD);
  const reason = /You have the viewer role: you can see everything, but the controls are disabled/;
  await expect(page.getByText(reason)).toBeVisible();
  const toggle = page.getByRole("switch", { name: "Enable Customer Portal" });
  await expect(toggle).toBeDisabled();
  await expect(toggle).toHaveAccessibleDescription(reason);
  for (const label of ["Primary colour (hex code)", "Primary colour picker", "Company name", "Upload logo (PNG)", "Update payment methods", "Cancel subscription (optional)"]) {
    await expect(page.getByLabel(label, { exact: true }), label).toBeDisabled();
  }
  const saves = page.getByRole("button", { name: "Save Changes" });
  expect(await saves.count()).toBeGreaterThan(0);
  for (const save of await saves.all()) await expect(save).toBeDisabled();
  await expect(page.getByRole("button", { name: "Rotate portal key" })).toHaveCount(0);
  await screenshot(page, info, "console-viewer-settings");
  // The server decides, whatever the page shows: a hand-made save is refused.
  const origin = new URL(page.url()).origin;
  const res = await page.request.post("/api/console/save_branding", {
    form: { company_name: "Forged Ltd", primary_color: "#000000", version: "1" },
    headers: { origin },
  });
  expect(res.status()).toBe(403);
  await page.reload();
  await expect(page.getByLabel("Company name", { exact: true })).toHaveValue("Acme Cloud");
});

test("with JavaScript a save also shows a toast that can be dismissed and goes by itself @needs-js", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/portal");
  await saveBranding(page, DEMO_COLOR);
  await expect(toast(page)).toContainText("Changes saved.");
  await expect(page.getByRole("status").filter({ hasText: "Changes saved." })).toHaveCount(2);
  await screenshot(page, info, "console-settings-toast");
  await toast(page).getByRole("button", { name: "Dismiss" }).click();
  await expect(toast(page)).toHaveCount(0);
  await expect(saved(page, "Changes saved.")).toBeVisible();

  await page.goto("/admin/settings/notifications?kind=payment_failed&locale=en");
  await waitForHydration(page, info);
  await page.getByRole("button", { name: "Save Changes" }).click();
  await expect(toast(page)).toContainText("Changes saved.");
  await expect(toast(page)).toHaveCount(0, { timeout: 10_000 });
  await expect(saved(page, "Changes saved.")).toBeVisible();
  await page.getByRole("button", { name: "Reset to default" }).click();
  await expect(toast(page)).toContainText("Template reset to the default.");
  await screenshot(page, info, "console-notifications-toast");
});

test("clicking a variable inserts it at the cursor and updates the preview @needs-js", async ({ page }, info) => {
  await signIn(page, info, "/admin/settings/notifications?kind=payment_failed&locale=en");
  const body = page.getByLabel("Body");
  await body.fill("Hello  and welcome");
  await body.evaluate((el) => (el as HTMLTextAreaElement).setSelectionRange(6, 6));
  await page.getByRole("button", { name: "{{ customer_name }}" }).click();
  await expect(body).toHaveValue("Hello {{ customer_name }} and welcome");
  await expect(body).toBeFocused();
  expect(await body.evaluate((el) => (el as HTMLTextAreaElement).selectionStart)).toBe(6 + "{{ customer_name }}".length);
  await expect(page.locator(".email-preview")).toContainText("Hello Giulia Rossi and welcome");
  // A selection is replaced, and the chips work from the keyboard.
  await body.evaluate((el) => (el as HTMLTextAreaElement).setSelectionRange(0, 5));
  await page.getByRole("button", { name: "{{ customer_portal_link }}" }).focus();
  await page.keyboard.press("Enter");
  await expect(body).toHaveValue("{{ customer_portal_link }} {{ customer_name }} and welcome");
  await expect(page.getByText("This template lacks the customer portal link")).toBeHidden();
});

test("copy buttons follow the language and work from the keyboard @needs-js", async ({ page, context }, info) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, info, "/admin/settings/portal");
  const share = page.getByRole("region", { name: "Share" });
  const copy = share.getByRole("button", { name: "Copy the portal link" });
  await expect(copy).toHaveText("Copy");
  await copy.focus();
  await page.keyboard.press("Enter");
  const copied = share.getByRole("button", { name: "Copied" });
  await expect(copied).toHaveText("Copied");
  await expect(copied).toBeFocused();
  await expect(share.getByRole("status").filter({ hasText: "Copied" })).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await share.getByLabel("Portal link", { exact: true }).inputValue());
  await expect(share.getByRole("button", { name: "Copy the portal link" })).toHaveText("Copy", { timeout: 6_000 });

  await page.goto("/locale/it?back=/admin/settings/portal");
  await waitForHydration(page, info);
  const copia = page.getByRole("button", { name: "Copia lo snippet HTML" });
  await expect(copia).toHaveText("Copia");
  await copia.focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Copiato" })).toHaveText("Copiato");
});

test("an API key is shown once, opens the API, and is refused once revoked", async ({ page, request }, info) => {
  await signIn(page, info, "/admin/settings/api-keys");
  const name = `E2E ${info.project.name} ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(saved(page, "API key created.")).toBeVisible();
  const secret = await page.getByLabel("Secret key", { exact: true }).inputValue();
  expect(secret).toMatch(/^dw_sk_[A-Za-z0-9_-]{43}$/);
  await screenshot(page, info, "api-keys-fresh");

  const auth = { Authorization: `Bearer ${secret}` };
  const made = await request.post("/v1/customers", {
    headers: auth,
    data: { email: `e2e-${info.project.name}-${Date.now()}@example.com`, name: "Api Customer" },
  });
  expect(made.status()).toBe(200);
  expect((await made.json()).id).toMatch(/^cus_/);

  // Shown once: the same page again has no secret.
  await page.goto("/admin/settings/api-keys");
  await waitForHydration(page, info);
  await expect(page.getByLabel("Secret key", { exact: true })).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(secret.slice(-4));
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(saved(page, "API key revoked")).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Revoked");
  const refused = await request.get("/v1/customers", { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("api_key_invalid");

  await page.goto("/locale/it?back=/admin/settings/api-keys");
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Impostazioni → Chiavi API");
  await expect(page.getByRole("button", { name: "Crea chiave" })).toBeVisible();
  await screenshot(page, info, "api-keys-it");
});

test("a portal session from the merchant's app signs the customer in once, without email, with a way back", async ({ page, browser, request }, info) => {
  await signIn(page, info, "/admin/settings/api-keys");
  const name = `E2E sessions ${info.project.name} ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(saved(page, "API key created.")).toBeVisible();
  const secret = await page.getByLabel("Secret key", { exact: true }).inputValue();
  const auth = { Authorization: `Bearer ${secret}` };
  const found = await request.get("/v1/customers?email=giulia@example.com", { headers: auth });
  expect(found.status()).toBe(200);
  const giulia = (await found.json()).data[0].id as string;
  expect(giulia).toMatch(/^cus_/);

  // The customer's browser, with no cookie of any kind, follows the app's redirect (the
  // session's URL is absolute, on PUBLIC_URL).
  const customer = await browser.newContext({ javaScriptEnabled: info.project.name !== "no-js" });
  const portal = await customer.newPage();
  for (const [locale, back, heading] of [
    ["en", "Back to Acme Cloud", "Payment methods"],
    ["it", "Torna a Acme Cloud", "Metodi di pagamento"],
  ]) {
    const made = await request.post("/v1/portal_sessions", {
      headers: auth,
      data: {
        customer: giulia,
        return_url: "https://app.example.com/account",
        flow: { type: "payment_method_update" },
        locale,
      },
    });
    expect(made.status()).toBe(200);
    const session = await made.json();
    expect(session.url).toMatch(/\/portal\/[^/]+\/session\?token=/);
    await portal.goto(session.url);
    await expect(portal).toHaveURL(/\/portal\/[^/]+\/payment-methods$/);
    await waitForHydration(portal, info);
    await expect(portal.getByRole("heading", { level: 1 })).toHaveText(heading);
    const way = portal.getByRole("link", { name: back });
    await expect(way).toHaveAttribute("href", "https://app.example.com/account");
    await way.focus();
    await screenshot(portal, info, `portal-session-${locale}`);

    // Single use: the same URL again signs no one in and says why.
    await customer.clearCookies();
    await portal.goto(session.url);
    await expect(portal).toHaveURL(/\/login\/verify\?token=/);
    await expect(portal.getByRole("alert")).toContainText(/already been used|già stato usato/);
    await expect(portal.getByRole("link", { name: back })).toHaveCount(0);
  }
  await customer.close();
});

/** A merchant's webhook receiver on a free local port: it records each delivery and checks
 * its signature the way the Standard Webhooks specification says, with Node's own crypto. */
async function startReceiver(): Promise<{
  url: string;
  deliveries: { id: string; type: string; verified: boolean; body: any }[];
  setSecret: (s: string) => void;
  close: () => Promise<void>;
}> {
  const http = await import("node:http");
  const crypto = await import("node:crypto");
  let secret = "";
  const deliveries: { id: string; type: string; verified: boolean; body: any }[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      const timestamp = String(req.headers["webhook-timestamp"] ?? "");
      const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
      const expected = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${raw}`).digest("base64");
      const given = String(req.headers["webhook-signature"] ?? "").split(" ");
      const verified = secret !== "" && given.includes(`v1,${expected}`);
      const body = JSON.parse(raw);
      deliveries.push({ id, type: body.type, verified, body });
      res.writeHead(verified ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    setSecret: (s) => (secret = s),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test("a webhook endpoint gets a signed event, shows it in its log, and reads in Italian", async ({ page, request }, info) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, info, "/admin/settings/webhooks");
    await page.getByLabel("Endpoint URL").fill(receiver.url);
    await page.getByLabel("Description (optional)").fill(`E2E ${info.project.name}`);
    await page.getByRole("checkbox", { name: "customer.created" }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(saved(page, "Endpoint added.")).toBeVisible();
    const secret = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    receiver.setSecret(secret);
    await screenshot(page, info, "webhooks-fresh");

    // The merchant's app makes a customer through the API; the endpoint hears of it.
    await page.goto("/admin/settings/api-keys");
    await page.getByLabel("Name", { exact: true }).fill(`E2E hooks ${info.project.name} ${Date.now()}`);
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(saved(page, "API key created.")).toBeVisible();
    const key = await page.getByLabel("Secret key", { exact: true }).inputValue();
    const email = `hook-${info.project.name}-${Date.now()}@example.com`;
    const made = await request.post("/v1/customers", {
      headers: { Authorization: `Bearer ${key}` },
      data: { email, name: "Hook Customer" },
    });
    expect(made.status()).toBe(200);
    await expect
      .poll(() => receiver.deliveries.find((d) => d.body.data.object.email === email), { timeout: 15_000 })
      .toBeTruthy();
    const delivery = receiver.deliveries.find((d) => d.body.data.object.email === email)!;
    expect(delivery.type).toBe("customer.created");
    expect(delivery.verified).toBe(true);
    expect(delivery.id).toMatch(/^evt_/);

    // The delivery log of this endpoint.
    await page.goto("/admin/settings/webhooks");
    await page.getByRole("link", { name: receiver.url }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webhook deliveries");
    const row = page.getByRole("row").filter({ hasText: "customer.created" }).first();
    await expect(row).toContainText("200");
    await screenshot(page, info, "webhooks-log");

    await page.goto("/locale/it?back=/admin/settings/webhooks");
    await waitForHydration(page, info);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Impostazioni → Webhook");
    await expect(page.getByRole("button", { name: "Aggiungi l'endpoint" })).toBeVisible();
    await screenshot(page, info, "webhooks-it");
  } finally {
    await receiver.close();
  }
});

test("the API reference is linked from API keys, matches /v1/openapi.json, and reads in Italian", async ({ page, request }, info) => {
  await signIn(page, info, "/admin/settings/api-keys");
  await page.getByRole("link", { name: /API reference/ }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/api-reference$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings → API reference");
  const doc = await (await request.get("/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  // Every operation of the document is on the page.
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item)) {
      await expect(
        page.getByRole("heading", { level: 3, name: `${method.toUpperCase()} ${path}`, exact: true }),
      ).toBeVisible();
    }
  }
  await page.getByRole("link", { name: "List_Customer" }).first().click();
  await expect(page).toHaveURL(/#schema-List_Customer$/);
  await screenshot(page, info, "api-reference");

  await page.goto("/locale/it?back=/admin/settings/api-reference");
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Impostazioni → Riferimento dell'API");
  await expect(page.getByRole("heading", { name: "Oggetti" })).toBeVisible();
  await screenshot(page, info, "api-reference-it");
});

test("pay now: a customer of the merchant's app pays an open invoice once, with the card they choose", async ({ page, browser, request }, info) => {
  const hydrated = info.project.name !== "no-js";
  await signIn(page, info, "/admin/settings/api-keys");
  await page.getByLabel("Name", { exact: true }).fill(`E2E pay now ${info.project.name} ${Date.now()}`);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(saved(page, "API key created.")).toBeVisible();
  const auth = { Authorization: `Bearer ${await page.getByLabel("Secret key", { exact: true }).inputValue()}` };
  const post = async (path: string, data: object) => {
    const res = await request.post(path, { headers: auth, data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json();
  };
  // A new customer without a payment method: the subscription's first invoice waits, open.
  const email = `pay-now-${info.project.name}-${Date.now()}@example.com`;
  const customer = await post("/v1/customers", { email, name: "Pat Payer", locale: "en" });
  const prices = await (await request.get("/v1/prices?limit=1", { headers: auth })).json();
  await post("/v1/subscriptions", { customer: customer.id, price: prices.data[0].id });
  const session = await post("/v1/portal_sessions", { customer: customer.id, return_url: "https://app.example.com/account" });

  const context = await browser.newContext({ javaScriptEnabled: hydrated });
  const portal = await context.newPage();
  const errors = watchConsole(portal);
  await portal.goto(session.url);
  await waitForHydration(portal, info);
  const payLink = portal.getByRole("link", { name: /^Pay invoice \S+ \(.+\)$/ });
  await expect(payLink).toHaveCount(1);
  const payPath = await payLink.getAttribute("href");
  expect(payPath).toMatch(/\/portal\/[^/]+\/pay\/inv_[a-z0-9]+$/);

  // No method yet: the page says so and leads to adding one.
  await payLink.click();
  await expect(portal.getByRole("heading", { level: 1 })).toHaveText("Pay an invoice");
  await expect(portal.locator("#main").getByText("You have no saved payment method to pay with yet.")).toBeVisible();
  await portal.getByRole("link", { name: "Update payment method" }).click();
  await waitForHydration(portal, info);
  const addCard = async (number: string, makeDefault: boolean) => {
    const form = portal.getByRole("region", { name: "Add a card" });
    await form.getByLabel("Card number").fill(number);
    await form.getByLabel(/Expiry/).fill("12/34");
    await form.getByLabel(/Security code/).fill("123");
    await form.getByLabel("Name on card").fill("Pat Payer");
    await form.getByLabel("Make this my default payment method").setChecked(makeDefault);
    await form.getByRole("button", { name: "Save card" }).click();
    await expect(portal).toHaveURL(/notice=card_added/);
  };
  // A card saved fine whose every charge declines: as the first method it is the default,
  // and the waiting invoice is charged on it at once, and declined.
  await addCard("4000 0000 0000 0341", true);
  await expect(portal.locator(".outcome-bad")).toBeVisible();
  // A good card, not made the default: nothing is charged on it.
  await waitForHydration(portal, info);
  await addCard("4242 4242 4242 4242", false);
  await expect(portal.locator(".outcome-ok")).toHaveCount(0);

  await portal.goto(payPath!);
  await waitForHydration(portal, info);
  await expect(portal.getByRole("heading", { name: /^Invoice \S+$/ })).toBeVisible();
  const declining = portal.getByRole("radio", { name: /•••• 0341/ });
  await expect(declining, "the default is chosen").toBeChecked();
  await axeIfHydrated(portal, info, "pay page");
  await screenshot(portal, info, "portal-pay");
  // The card declined a moment ago rests: refused beside the choice, nothing charged.
  await markDocument(portal, info);
  await portal.getByRole("button", { name: /^Pay .+ now$/ }).click();
  await expect(portal.locator("#pay-method-error")).toHaveText(/declined a few minutes ago/);
  await notReloaded(portal, info, "a refused payment");
  await screenshot(portal, info, "portal-pay-refused");

  await portal.getByRole("radio", { name: /•••• 4242/ }).check();
  await portal.getByRole("button", { name: /^Pay .+ now$/ }).click();
  await expect(portal.locator(".outcome-ok")).toBeVisible();
  await expect(portal.locator("#main").getByText("This invoice is paid. Thank you!")).toBeVisible();
  await expect(portal).toHaveURL(/\/pay\/inv_[a-z0-9]+\?since=\d+$/);
  await expect(portal.getByRole("button", { name: /^Pay .+ now$/ })).toHaveCount(0);
  await notReloaded(portal, info, "paying");
  await axeIfHydrated(portal, info, "pay page, paid");
  await screenshot(portal, info, "portal-pay-paid");

  // The overview owes nothing now.
  await portal.getByRole("link", { name: "Overview" }).click();
  await expect(portal.getByRole("heading", { level: 1 })).toHaveText("Overview");
  await expect(portal.locator(".banner-alert")).toHaveCount(0);
  await context.close();
  // The refused payment's server function answers 422 (a field error), which Chromium logs.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

/** axe-core's serious and critical findings on the page, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
}

/** axe-core finds nothing serious, with JavaScript on (it runs as a script). */
async function axeIfHydrated(page: Page, info: TestInfo, what: string) {
  if (info.project.name === "no-js") return;
  expect(await seriousViolations(page), what).toEqual([]);
}

test("the overview shows why customers cancel, by month, as a table with bars", async ({ page }, info) => {
  await signIn(page, info, "/admin");
  await expect(page.getByRole("heading", { name: "Why customers cancel" })).toBeVisible();
  const chart = page.getByRole("table", { name: /Reasons customers gave when cancelling/ });
  const header = chart.getByRole("columnheader");
  await expect(header).toHaveCount(8, { timeout: 5_000 }); // reason, six months, total
  // The demo's customer who cancels at the end of the period said it is too expensive.
  const row = chart.getByRole("row", { name: /It is too expensive/ });
  await expect(row.locator(".reason-total")).toHaveText(/[1-9]\d*/);
  await expect(chart.getByRole("row")).toHaveCount(9); // the header and eight reasons
  await screenshot(page, info, "console-cancellation-reasons");
});
