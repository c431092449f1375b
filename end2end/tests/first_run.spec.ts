import { test, expect } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createServer } from "node:net";
import { link, newestMail, waitForHydration, screenshot, watchConsole } from "./helpers";

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
      // maildev, when the run has it: the walk to a paying customer reads its emails.
      ...(process.env.SMTP_URL ? { SMTP_URL: process.env.SMTP_URL } : {}),
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

test("the first paying customer: a price, a customer, a subscription, the email, a card, the invoice paid", async ({
  page,
}, info) => {
  const run = await startEmpty();
  const email = `marco.${info.project.name}.${Date.now()}@rossi.example`;
  try {
    const errors = watchConsole(page);
    await createRossi(page, run, info);

    // Payments (the sandbox), then the portal.
    await page.goto(`${run.base}/admin/settings/payments`);
    await waitForHydration(page, info);
    await page.getByRole("button", { name: "Connect the sandbox (test mode)" }).click();
    await expect(page.getByText("The sandbox is connected and its test passed")).toBeVisible();
    await page.getByRole("link", { name: "Settings → Customer Portal" }).click();
    await waitForHydration(page, info);
    await page.getByRole("switch", { name: "Enable Customer Portal" }).check();
    await page
      .locator("section.settings-section", { has: page.getByRole("switch") })
      .getByRole("button", { name: "Save Changes" })
      .click();
    await expect(page.getByText("The portal is on.")).toBeVisible();

    // A monthly price.
    await page.getByRole("link", { name: "Catalog" }).click();
    await waitForHydration(page, info);
    await page.getByLabel("Name", { exact: true }).fill("Pro");
    await page.getByLabel("Amount per period").fill("29");
    await page.getByLabel("Bills every").fill("1");
    await page.getByLabel("Period unit").selectOption("month");
    await page.getByRole("button", { name: "Save Changes" }).click();
    await expect(page.getByRole("status")).toContainText("Price added.");

    // A customer, with no payment method.
    await page.getByRole("link", { name: "Customers" }).click();
    await waitForHydration(page, info);
    const form = page.locator('section[aria-labelledby="new-customer-title"]');
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Name", { exact: true }).fill("Marco Bianchi");
    await form.getByLabel("Language of emails and portal").selectOption("en");
    await form.getByRole("button", { name: "Save Changes" }).click();
    await expect(page).toHaveURL(/\/admin\/customers\/cus_/);
    const customerPage = new URL(page.url()).pathname;

    // A subscription: a start in the past is named, then it is made and waits for a method.
    const subs = page.locator('section[aria-labelledby="subs-title"]');
    await subs.getByLabel("Start date").fill("2020-01-01");
    await subs.getByRole("button", { name: "Create subscription" }).click();
    await expect(page.locator("#sub-start-error")).toContainText("from yesterday to a year from today");
    await screenshot(page, info, "customer-subscription-error");
    await subs.getByLabel("Start date").fill("");
    await subs.getByRole("button", { name: "Create subscription" }).click();
    const notice = page.locator("p.notice[role=status]");
    await expect(notice).toContainText("they were emailed a link to add one");
    await expect(subs.locator("li.subscription").first()).toContainText("Awaiting payment method");
    await screenshot(page, info, "customer-subscription-awaiting");

    // The customer's email: "Add a payment method", its link deep into the portal (links
    // carry this server's PUBLIC_URL, not the suite's base URL: they are opened whole).
    const mail = await newestMail(email, /Add a payment method/);
    const update = link(mail, /\/login\?return_to=/);
    expect(decodeURIComponent(update.search)).toContain("/payment-methods");
    await page.goto(update.toString());
    await waitForHydration(page, info);
    const asked = Date.now() - 1000;
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Send sign-in link" }).click();
    await expect(page.locator("#main").getByText("If this address is on file")).toBeVisible();
    const magic = link(await newestMail(email, /sign-in link/, asked), /\/login\/verify\?token=/);
    await page.goto(magic.toString());
    await waitForHydration(page, info);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page).toHaveURL(/\/payment-methods/);
    await waitForHydration(page, info);

    // A card pays the first invoice at once, and the receipt is sent.
    const card = page.getByRole("region", { name: "Add a card" });
    await card.getByLabel("Card number").fill("4242 4242 4242 4242");
    await card.getByLabel("Expiry").fill("12/34");
    await card.getByLabel("Security code").fill("123");
    await card.getByLabel("Name on card").fill("Marco Bianchi");
    await expect(card.getByLabel("Make this my default payment method")).toBeChecked();
    await page.getByRole("button", { name: "Save card" }).click();
    await expect(page.locator(".outcome-ok")).toHaveText(/Payment of €29\.00 succeeded/);
    await screenshot(page, info, "portal-first-invoice-paid");
    const receipt = await newestMail(email, /Receipt for invoice/);
    expect(receipt.text).toContain("€29.00");

    // Staff see it active and the invoice paid.
    await page.goto(`${run.base}${customerPage}`);
    await waitForHydration(page, info);
    await expect(subs.locator("li.subscription").first()).toContainText("Active");
    await expect(page.locator("table", { has: page.locator("caption", { hasText: "Invoices" }) })).toContainText("paid");
    await screenshot(page, info, "customer-subscription-active");
    expect(errors.filter((e) => !/^Failed to load resource: .* 422 /.test(e))).toEqual([]);
  } finally {
    stop(run);
  }
});

test("an owner invites a colleague, who joins once with the emailed link", async ({ page, browser }, info) => {
  const run = await startEmpty();
  const email = `lucia.${info.project.name}.${Date.now()}@rossi.example`;
  try {
    await createRossi(page, run, info);
    await page.getByRole("link", { name: "Settings → Team" }).click();
    await waitForHydration(page, info);
    await page.getByLabel("Email of the person to invite").fill(email);
    await page.getByLabel("Their role").selectOption("admin");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.locator("p.notice[role=status]")).toContainText("Invitation sent.");
    await expect(page.locator('section[aria-labelledby="invite-title"]')).toContainText(email);
    await screenshot(page, info, "team-invited");

    // Rossi Software is an Italian business: the invitation is in Italian.
    const mail = await newestMail(email, /Sei invitato in Rossi Software/);
    const invite = link(mail, /\/invite\?token=/);
    const context = await browser.newContext({ javaScriptEnabled: info.project.name !== "no-js" });
    const lucia = await context.newPage();
    try {
      await lucia.goto(invite.toString());
      await waitForHydration(lucia, info);
      await expect(lucia.getByRole("heading", { level: 1 })).toHaveText("Join the team");
      await expect(lucia.getByText("Rossi Software's billing console as Admin")).toBeVisible();
      await expect(lucia.getByLabel("Email address")).toHaveValue(email);
      await lucia.getByLabel("Password", { exact: true }).fill("password12345");
      await lucia.getByRole("button", { name: "Join and sign in" }).click();
      await expect(lucia.locator("#invite-page-password-error")).toContainText("too easy to guess");
      await screenshot(lucia, info, "invite-error");
      await lucia.getByLabel("Password", { exact: true }).fill("another-long-passphrase");
      await lucia.getByRole("button", { name: "Join and sign in" }).click();
      await expect(lucia).toHaveURL(/\/admin\?welcome=joined/);
      await expect(lucia.getByRole("status").first()).toContainText("Welcome to the team");
      await expect(lucia.getByText(email).first()).toBeVisible();
      await screenshot(lucia, info, "invite-joined");

      // The link works once.
      const again = await lucia.goto(invite.toString());
      expect(again?.status()).toBe(409);
      await expect(lucia.getByText("This invitation has already been used")).toBeVisible();
    } finally {
      await context.close();
    }
  } finally {
    stop(run);
  }
});

test("a CSV import: bad rows are all named and nothing is written; fixed, it imports; again, it changes nothing", async ({
  page,
}, info) => {
  const run = await startEmpty();
  try {
    const errors = watchConsole(page);
    await createRossi(page, run, info);
    await page.getByRole("link", { name: "Import" }).click();
    await waitForHydration(page, info);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import from CSV");
    await expect(page.getByRole("heading", { level: 2, name: "Customer columns" })).toBeVisible();
    await screenshot(page, info, "imports");

    const upload = async (csv: string) => {
      await page.goto(`${run.base}/admin/imports`);
      await waitForHydration(page, info);
      await page.getByLabel("Customers").check();
      await page.getByLabel("CSV file").setInputFiles({
        name: "customers.csv",
        mimeType: "text/csv",
        buffer: Buffer.from(csv, "utf-8"),
      });
      await page.getByRole("button", { name: "Check file" }).click();
      await expect(page).toHaveURL(/\/admin\/imports\/imp_/);
    };
    // A spreadsheet's export: BOM, semicolons, an Italian address on two lines.
    const header = "\ufeffexternal_id;email;name;language;billing_address;tax_id\n";
    const good = 'crm-1;marco@example.com;Marco Bianchi;it;"Via Roma 1\n20100 Milano";IT12345678903\n';
    await upload(header + good + "crm-2;not-an-email;Lucia Verdi;en;;\ncrm-3;sara@example.com;;fr;;IT12345678901\n");
    await expect(page.getByRole("status")).toContainText("4 problems found. Nothing was written");
    const problems = page.locator("table.import-problems tbody tr");
    await expect(problems).toHaveCount(4);
    // Lines as in the file: the quoted address of line 2 runs onto line 3.
    await expect(problems.nth(0)).toContainText("4");
    await expect(problems.nth(0)).toContainText("email");
    await expect(problems.nth(1)).toContainText("name");
    await expect(problems.nth(2)).toContainText("language");
    await expect(problems.nth(3)).toContainText("tax_id");
    await expect(problems.nth(3)).toContainText("valid check digit");
    await expect(page.getByRole("button", { name: /^Import \d+ customers$/ })).toHaveCount(0);
    await screenshot(page, info, "import-problems");
    await page.goto(`${run.base}/admin/customers`);
    await expect(page.getByText("0 customers")).toBeVisible();

    const fixed = header + good + "crm-2;lucia@example.com;Lucia Verdi;en;;\n";
    await upload(fixed);
    await expect(page.getByRole("status")).toContainText("2 rows checked without problems: 2 new");
    await screenshot(page, info, "import-ready");
    await page.getByRole("button", { name: "Import 2 customers" }).click();
    await expect(page.getByRole("status").first()).toContainText(/Imported: 2 created|import has started/);
    await expect(page.getByText("Imported: 2 created, 0 were there already.")).toBeVisible();
    await screenshot(page, info, "import-done");
    await page.getByRole("link", { name: "Go to Customers" }).click();
    await expect(page.getByText("2 customers")).toBeVisible();
    await expect(page.getByRole("link", { name: "Marco Bianchi" })).toBeVisible();

    await upload(fixed);
    await expect(page.getByRole("status")).toContainText("every one was imported before. Nothing to do.");
    await expect(page.getByRole("button", { name: /^Import \d+ customers$/ })).toHaveCount(0);
    await page.goto(`${run.base}/admin/customers`);
    await expect(page.getByText("2 customers")).toBeVisible();
    expect(errors).toEqual([]);
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
      ["/admin/settings/team", "Impostazioni → Team", "Inviti", "team-it"],
      ["/admin/imports", "Importa da CSV", "Colonne dei clienti", "imports-it"],
    ]) {
      await page.goto(`${run.base}${path}`);
      await waitForHydration(page, info);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expect(page.getByRole("heading", { level: 2, name: section })).toBeVisible();
      await screenshot(page, info, shot);
    }
    // A customer's page, its subscriptions section included.
    await page.goto(`${run.base}/admin/customers`);
    await waitForHydration(page, info);
    const newCustomer = page.locator('section[aria-labelledby="new-customer-title"]');
    await newCustomer.locator('input[name="email"]').fill("giulia@rossi.example");
    await newCustomer.locator('input[name="name"]').fill("Giulia Rossi");
    await newCustomer.locator('button[type="submit"]').click();
    await expect(page).toHaveURL(/\/admin\/customers\/cus_/);
    await expect(page.getByRole("heading", { level: 2, name: "Abbonamenti" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 3, name: "Nuovo abbonamento" })).toBeVisible();
    await expect(page.getByText("Ancora nessun abbonamento.")).toBeVisible();
    await expect(page.getByText("Non ci sono ancora prezzi attivi.")).toBeVisible();
    await screenshot(page, info, "customer-it");
  } finally {
    await context.close();
    stop(run);
  }
});
