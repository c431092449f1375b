import { test, expect } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createServer } from "node:net";
import { waitForHydration, screenshot, watchConsole } from "./helpers";

// A merchant who has never seen the demo: `dunwell serve` on an empty database prints a
// one-time setup address; the setup page creates the organization and its owner and opens
// the console, signed in. Each test starts its own server (the release build) on its own
// empty database, without the demo.

const root = resolve(__dirname, "..", "..");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? ok(address.port) : fail()));
    });
  });
}

type FirstRun = { server: ChildProcess; dir: string; base: string; setupUrl: string };

async function startEmpty(): Promise<FirstRun> {
  const dir = mkdtempSync(join(tmpdir(), "dunwell-first-run-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(join(root, "target/release/dunwell"), ["serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: `sqlite://${dir}/dunwell.db`,
      DUNWELL_DEMO: "false",
      DUNWELL_LISTEN: `127.0.0.1:${port}`,
      PUBLIC_URL: base,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: server.stdout! });
  const setupUrl = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("no setup address within 20 s")), 20_000);
    lines.on("line", (line) => {
      const match = line.match(/(http:\/\/\S+\/setup\?token=\S+)/);
      if (line.startsWith("First run:") && match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
    server.on("exit", (code) => fail(new Error(`dunwell serve exited (${code})`)));
  });
  return { server, dir, base, setupUrl };
}

function stop(run: FirstRun) {
  run.server.kill();
  rmSync(run.dir, { recursive: true, force: true });
}

test("from an empty database, the setup page creates the organization and signs the owner in", async ({
  page,
}, info) => {
  const run = await startEmpty();
  try {
    const errors = watchConsole(page);
    await page.goto(run.setupUrl);
    await waitForHydration(page, info);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up Dunwell");
    await screenshot(page, info, "setup-empty");

    // A guessable password is named beside its field, and nothing is created.
    await page.getByLabel("Business name").fill("Rossi Software");
    await page.getByLabel("Short name (slug)").fill("rossi");
    await page.getByLabel("Default currency").selectOption("EUR");
    await page.getByLabel("Country").fill("IT");
    await page.getByLabel("Email address").fill("anna@rossi.example");
    await page.getByLabel("Password", { exact: true }).fill("password12345");
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page.locator("#setup-password-error")).toContainText("too easy to guess");
    await screenshot(page, info, "setup-error");

    // Fixed, the organization is made and the owner lands in the console, signed in.
    if (info.project.name === "no-js") {
      // Without JavaScript the form came back empty, as a plain page does.
      await page.getByLabel("Business name").fill("Rossi Software");
      await page.getByLabel("Short name (slug)").fill("rossi");
      await page.getByLabel("Country").fill("IT");
      await page.getByLabel("Email address").fill("anna@rossi.example");
    }
    await page.getByLabel("Password", { exact: true }).fill("correct-horse-battery");
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(/\/admin\?welcome=1/);
    await expect(page.getByRole("status")).toContainText("Your organization is ready");
    await expect(page.getByText("anna@rossi.example").first()).toBeVisible();
    await screenshot(page, info, "setup-done");

    // The new organization's portal waits for Payments, and says why.
    await page.goto(`${run.base}/admin/settings/portal`);
    await waitForHydration(page, info);
    await expect(page.locator("#payments-reason")).toBeVisible();
    await expect(page.getByRole("switch", { name: "Enable Customer Portal" })).toBeDisabled();

    // Settings → Payments: connect the sandbox (test mode); Payments become active.
    await page.getByRole("link", { name: "Settings → Payments" }).click();
    await waitForHydration(page, info);
    await expect(page.getByText("Payments are not active")).toBeVisible();
    await page.getByRole("button", { name: "Connect the sandbox (test mode)" }).click();
    await expect(page.getByText("The sandbox is connected and its test passed")).toBeVisible();
    await expect(page.getByText("Payments are active: the Customer Portal can be enabled.")).toBeVisible();
    await expect(page.getByText("Test mode", { exact: true })).toBeVisible();
    await screenshot(page, info, "payments-connected");

    // The dunning policy is checked, then saved.
    const policy = page
      .locator('section[aria-labelledby="policy-title"]')
      .getByRole("button", { name: "Save Changes" });
    await page.getByLabel("Retry a failed payment after (days)").fill("7,3");
    await policy.click();
    await expect(page.locator("#retry-days-error")).toContainText("increasing days");
    await page.getByLabel("Retry a failed payment after (days)").fill("2,4,9");
    await page.getByLabel("Cancel the subscription").check();
    await policy.click();
    await expect(page.getByText("The payment policy is saved")).toBeVisible();
    await expect(page.getByLabel("Retry a failed payment after (days)")).toHaveValue("2,4,9");

    // Business details for the invoices: a bad prefix is named, then all is saved.
    const business = async (prefix: string) => {
      await page.getByLabel("Legal name (empty: the organization's name)").fill("Rossi Software S.r.l.");
      await page.getByLabel("Business address").fill("Via Roma 1\n20100 Milano");
      await page.getByLabel("VAT number").fill("IT12345678903");
      await page.getByLabel("Invoice number prefix").fill(prefix);
      await page
        .locator('section[aria-labelledby="business-title"]')
        .getByRole("button", { name: "Save Changes" })
        .click();
    };
    await business("RS-26");
    await expect(page.locator("#invoice-prefix-error")).toContainText("1 to 10 letters and digits");
    await business("RS26");
    await expect(page.getByText("The business details are saved.")).toBeVisible();
    await expect(page.getByLabel("Invoice number prefix")).toHaveValue("RS26");
    await screenshot(page, info, "payments-business");

    // Now the Customer Portal can be enabled.
    await page.getByRole("link", { name: "Settings → Customer Portal" }).click();
    await waitForHydration(page, info);
    await page.getByRole("switch", { name: "Enable Customer Portal" }).check();
    await page
      .locator("section.settings-section", { has: page.getByRole("switch") })
      .getByRole("button", { name: "Save Changes" })
      .click();
    await expect(page.getByText("The portal is on.")).toBeVisible();
    const portalUrl = await page.getByLabel("Your portal's unique URL").inputValue();
    const portal = await page.goto(portalUrl);
    expect(portal?.status()).toBeLessThan(400);
    await expect(page.locator("body")).toContainText("Rossi Software");

    // The address never answers again.
    const again = await page.goto(run.setupUrl);
    expect(again?.status()).toBe(404);
    await expect(page.getByText("no longer valid")).toBeVisible();
    // The refused submissions (422) and the used address (404) are this test's own
    // expected answers, which the browser logs as failed loads; nothing else may fail.
    expect(errors.filter((e) => !/^Failed to load resource: .* (422|404) /.test(e))).toEqual([]);
  } finally {
    stop(run);
  }
});

/** Fills the setup form with Anna's details and submits it. */
async function createRossi(page: import("@playwright/test").Page, run: FirstRun, info: import("@playwright/test").TestInfo) {
  await page.goto(run.setupUrl);
  await waitForHydration(page, info);
  await page.getByLabel("Business name").fill("Rossi Software");
  await page.getByLabel("Short name (slug)").fill("rossi");
  await page.getByLabel("Country").fill("IT");
  await page.getByLabel("Email address").fill("anna@rossi.example");
  await page.getByLabel("Password", { exact: true }).fill("correct-horse-battery");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/admin\?welcome=1/);
}

test("the only owner cannot step down, and changes her password", async ({ page }, info) => {
  const run = await startEmpty();
  try {
    await createRossi(page, run, info);
    await page.getByRole("link", { name: "Settings → Team" }).click();
    await waitForHydration(page, info);
    await expect(page.getByText("anna@rossi.example (you)")).toBeVisible();
    await page.getByLabel("Role of anna@rossi.example").selectOption("viewer");
    await page.getByRole("button", { name: "Change role" }).click();
    await expect(page.getByText("last owner can be neither removed nor demoted")).toBeVisible();
    await screenshot(page, info, "team-last-owner");

    await page.goto(`${run.base}/admin/settings/team`);
    await waitForHydration(page, info);
    await page.getByLabel("Current password").fill("correct-horse-battery");
    await page.getByLabel("New password").fill("a-much-better-passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your password is changed.")).toBeVisible();
  } finally {
    stop(run);
  }
});

test("the catalog: a bad amount is named, then a price is added, archived, restored and deleted", async ({
  page,
}, info) => {
  const run = await startEmpty();
  try {
    const errors = watchConsole(page);
    await createRossi(page, run, info);
    await page.getByRole("link", { name: "Catalog" }).click();
    await waitForHydration(page, info);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Catalog");
    await expect(page.getByText("No prices yet")).toBeVisible();

    const fill = async (amount: string) => {
      await page.getByLabel("Name", { exact: true }).fill("Pro quarterly");
      await page.getByLabel("Amount per period").fill(amount);
      await page.getByLabel("Bills every").fill("3");
      await page.getByLabel("Period unit").selectOption("month");
      await page.getByLabel("Trial days").fill("14");
    };
    await fill("0");
    await page.getByRole("button", { name: "Save Changes" }).click();
    await expect(page.locator("#price-amount-error")).toContainText("amount above zero");
    await screenshot(page, info, "catalog-error");

    await fill("79,90");
    await page.getByRole("button", { name: "Save Changes" }).click();
    await expect(page.getByRole("status")).toContainText("Price added.");
    const item = page.locator("li.price-item", { hasText: "Pro quarterly" });
    await expect(item).toContainText("€79.90 every 3 months");
    await expect(item).toContainText("trial days: 14");
    await screenshot(page, info, "catalog-price");

    await item.getByRole("button", { name: "Archive Pro quarterly" }).click();
    await expect(page.getByRole("status")).toContainText("Price archived");
    await expect(item).toContainText("Archived");
    await item.getByRole("button", { name: "Restore Pro quarterly" }).click();
    await expect(page.getByRole("status")).toContainText("Price restored.");
    await expect(item).not.toContainText("Archived");

    await item.getByRole("button", { name: "Delete Pro quarterly" }).click();
    await expect(page.getByRole("status")).toContainText("Price deleted.");
    await expect(page.getByText("No prices yet")).toBeVisible();
    expect(errors.filter((e) => !/^Failed to load resource: .* 422 /.test(e))).toEqual([]);
  } finally {
    stop(run);
  }
});

test("a customer added by hand: a bad VAT number is named, then the page shows the details", async ({
  page,
}, info) => {
  const run = await startEmpty();
  try {
    const errors = watchConsole(page);
    await createRossi(page, run, info);
    await page.getByRole("link", { name: "Customers" }).click();
    await waitForHydration(page, info);
    const fill = async (vat: string) => {
      const form = page.locator('section[aria-labelledby="new-customer-title"]');
      await form.getByLabel("Email", { exact: true }).fill("marco@example.com");
      await form.getByLabel("Name", { exact: true }).fill("Marco Bianchi");
      await form.getByLabel("Language of emails and portal").selectOption("it");
      await form.getByLabel("Billing address").fill("Via Roma 1\n20100 Milano");
      await form.getByLabel("VAT number").fill(vat);
      await form.getByRole("button", { name: "Save Changes" }).click();
    };
    await fill("IT12345678901");
    await expect(page.locator("#new-customer-tax_id-error")).toContainText("valid check digit");
    await screenshot(page, info, "customer-new-error");

    await fill("IT 12345678903");
    await expect(page).toHaveURL(/\/admin\/customers\/cus_/);
    await expect(page.getByRole("status")).toContainText("Customer added.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Marco Bianchi");
    await expect(page.getByLabel("VAT number")).toHaveValue("IT12345678903");
    await expect(page.getByLabel("Billing address")).toHaveValue("Via Roma 1\n20100 Milano");
    await expect(page.getByLabel("Language of emails and portal")).toHaveValue("it");
    await screenshot(page, info, "customer-details");

    await page.getByRole("button", { name: "Archive customer" }).click();
    await expect(page.getByRole("status")).toContainText("Customer archived.");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Archived");
    expect(errors.filter((e) => !/^Failed to load resource: .* 422 /.test(e))).toEqual([]);
  } finally {
    stop(run);
  }
});

test("the setup page is in Italian for an Italian browser", async ({ browser }, info) => {
  const run = await startEmpty();
  const context = await browser.newContext({
    locale: "it-IT",
    javaScriptEnabled: info.project.name !== "no-js",
  });
  const page = await context.newPage();
  try {
    await page.goto(run.setupUrl);
    await waitForHydration(page, info);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Configura Dunwell");
    await expect(page.getByLabel("Nome dell'attività")).toBeVisible();
    await screenshot(page, info, "setup-it");

    // The console's new pages speak Italian too.
    await page.locator('input[name="org_name"]').fill("Rossi Software");
    await page.locator('input[name="slug"]').fill("rossi");
    await page.locator('input[name="country"]').fill("IT");
    await page.locator('input[name="owner_email"]').fill("anna@rossi.example");
    await page.locator('input[name="password"]').fill("correct-horse-battery");
    await page.locator('form button[type="submit"]').click();
    await expect(page).toHaveURL(/\/admin\?welcome=1/);
    for (const [path, heading, section, shot] of [
      ["/admin/catalog", "Catalogo", "Nuovo prezzo", "catalog-it"],
      ["/admin/customers", "Clienti", "Nuovo cliente", "customers-it"],
      ["/admin/settings/payments", "Impostazioni → Pagamenti", "Dati dell'attività in fattura", "payments-it"],
    ]) {
      await page.goto(`${run.base}${path}`);
      await waitForHydration(page, info);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
      await screenshot(page, info, shot);
    }
  } finally {
    await context.close();
    stop(run);
  }
});
