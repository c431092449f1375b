import { expect, test, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { link, local, markDocument, newestMail, notReloaded, screenshot, waitForHydration, watchConsole } from "./helpers";

// The customer portal against the demo organization (acme): Giulia Rossi is past due after
// her expired card failed at renewal, and her "Payment failed" email sits in maildev.
// Each project signs in a different customer so the runs do not depend on each other:
// the hydrated run fixes Giulia's payment, the no-JS run fixes Oliver Smith's (demo
// customer 7, whose card declines every charge).

// Text is looked for in #main: with JavaScript, the portal's live region (outside it) repeats a
// form's notice 50 ms after it appears, and a page-wide search would then find it twice.

/** The demo portal's base path (`/portal/{key}`), from Giulia's payment-failed email. */
async function portalBase(): Promise<string> {
  const mail = await newestMail("giulia@example.com", /Payment failed|Pagamento fallito/);
  const url = link(mail, /\/portal\/[^/]+\/login/);
  return url.pathname.replace(/\/login$/, "");
}

/** Requests a magic link for `email` on the sign-in page `page` is on, opens it and continues. */
async function signInFromLoginPage(page: Page, info: TestInfo, email: string) {
  const asked = Date.now() - 1000;
  await waitForHydration(page, info);
  await page.getByLabel(/Email address|Indirizzo email/).fill(email);
  await markDocument(page, info);
  await page.getByRole("button", { name: /Send sign-in link|Invia il link di accesso/ }).click();
  await expect(page.locator("#main").getByText(/If this address is on file|Se questo indirizzo è in archivio/)).toBeVisible();
  await notReloaded(page, info, "asking for a sign-in link");
  await screenshot(page, info, "portal-login-sent");
  const mail = await newestMail(email, /sign-in link|link di accesso/, asked);
  const magic = link(mail, /\/login\/verify\?token=/);
  await page.goto(local(magic));
  await waitForHydration(page, info);
  await screenshot(page, info, "portal-verify");
  await page.getByRole("button", { name: /^(Continue|Continua)$/ }).click();
}

async function signIn(page: Page, info: TestInfo, base: string, email: string, returnTo?: string) {
  const query = returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : "";
  await page.goto(`${base}/login${query}`);
  await signInFromLoginPage(page, info, email);
}

async function fillCard(page: Page, number: string, holder: string) {
  const form = page.getByRole("region", { name: /^(Add a card|Aggiungi una carta)$/ });
  await form.getByLabel(/Card number|Numero della carta/).fill(number);
  await form.getByLabel(/Expiry|Scadenza/).fill("12/34");
  await form.getByLabel(/Security code|Codice di sicurezza/).fill("123");
  await form.getByLabel(/Name on card|Nome sulla carta/).fill(holder);
  const makeDefault = form.getByLabel(/Make this my default payment method|Imposta come metodo di pagamento predefinito/);
  await expect(makeDefault, "ticked while a payment is past due").toBeChecked();
}

const saveCard = (page: Page) => page.getByRole("button", { name: /^(Save card|Salva la carta)$/ });

async function noHorizontalScroll(page: Page, what: string) {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll, `${what}: no horizontal scrolling at ${client}px`).toBeLessThanOrEqual(client);
}

async function axe(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    what,
  ).toEqual([]);
}

test("the scenario: a past-due customer follows the email, signs in and fixes the payment", async ({ page }, info) => {
  const errors = watchConsole(page);
  const hydrated = info.project.name === "hydrated";
  let start: string;
  let email: string;
  let holder: string;
  if (hydrated) {
    // Giulia: follow the "Update payment method" link of her newest "Payment failed" email.
    email = "giulia@example.com";
    holder = "Giulia Rossi";
    const failed = await newestMail(email, /Payment failed|Pagamento fallito/);
    const update = link(failed, /\/portal\/[^/]+\/login\?return_to=/);
    expect(decodeURIComponent(update.search)).toContain("/payment-methods");
    start = local(update);
  } else {
    email = "oliver.smith@example.com";
    holder = "Oliver Smith";
    start = `${await portalBase()}/login?return_to=${encodeURIComponent(`${await portalBase()}/payment-methods`)}`;
  }
  await page.goto(start);
  await signInFromLoginPage(page, info, email);

  // The deep link survived sign-in.
  await expect(page).toHaveURL(/\/payment-methods/);
  await waitForHydration(page, info);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Payment methods|Metodi di pagamento/);
  const pastDue = page.locator(".banner-alert");
  await expect(pastDue).toBeVisible();
  await screenshot(page, info, "portal-methods-past-due");

  if (hydrated) {
    // A card the bank refuses: its reason beside the number, and still past due.
    await fillCard(page, "4000 0000 0000 0002", holder);
    await markDocument(page, info);
    await saveCard(page).click();
    await expect(page.locator("#card-number-error")).toHaveText(/declined the card|rifiutato la carta/);
    await notReloaded(page, info, "a declined card");
    await expect(pastDue).toBeVisible();
    await screenshot(page, info, "portal-card-declined");
    await page.reload();
    await waitForHydration(page, info);
    await expect(page.locator(".banner-alert")).toBeVisible();
  }

  await fillCard(page, "4242 4242 4242 4242", holder);
  await markDocument(page, info);
  await saveCard(page).click();
  const ok = page.locator(".outcome-ok");
  await expect(ok).toBeVisible();
  await notReloaded(page, info, "adding the card");
  await expect(page).toHaveURL(/notice=card_added/);
  await expect(ok).toHaveText(/(Payment of €\d+\.\d\d succeeded|Pagamento di \d+,\d\d € riuscito)/);
  await expect(page.locator(".banner-alert")).toHaveCount(0);
  await expect(page.locator(".method").first()).toContainText("4242");
  await expect(page.locator(".method").first().locator(".badge-default")).toBeVisible();
  await screenshot(page, info, "portal-recovered");

  // The overview: the subscription is active again, nothing past due.
  await page.getByRole("link", { name: /^(Overview|Riepilogo)$/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Overview|Riepilogo/);
  await expect(page.locator(".subscription .status-active").first()).toBeVisible();
  await expect(page.locator(".banner-alert")).toHaveCount(0);
  await screenshot(page, info, "portal-overview-active");
  // The refused card's server function answers 422 (a field error), which Chromium logs.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

test("the sign-in page answers the same for an unknown address", async ({ page }, info) => {
  const base = await portalBase();
  await page.goto(`${base}/login`);
  await waitForHydration(page, info);
  await page.getByLabel(/Email address|Indirizzo email/).fill("nobody-here@example.com");
  await page.getByRole("button", { name: /Send sign-in link|Invia il link di accesso/ }).click();
  await expect(page.locator("#main").getByText(/If this address is on file|Se questo indirizzo è in archivio/)).toBeVisible();
  await expect(page.locator("#main").getByText(/No email arrived\?|Nessuna email/)).toBeVisible();
});

test("an unknown portal key is a neutral 404 page", async ({ page }) => {
  const res = await page.goto("/portal/pk_doesnotexist000000000000/login");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Portal unavailable|Portale non disponibile/);
  await expect(page.locator("body")).not.toContainText("Acme");
});

test("portal pages fit a 390 px phone and pass axe-core @needs-js", async ({ page }, info) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const base = await portalBase();
  const visit = async (path: string, name: string) => {
    await page.goto(path);
    await waitForHydration(page, info);
    await noHorizontalScroll(page, name);
    await axe(page, name);
    await screenshot(page, info, `portal-390-${name}`);
  };
  await visit(`${base}/login`, "login");
  await visit(`${base}/login/verify?token=not-a-token`, "verify-invalid");
  await visit("/portal/pk_doesnotexist000000000000", "unavailable");

  await signIn(page, info, base, "emma.thompson@example.com");
  await expect(page).toHaveURL(new RegExp(`${base}/?$`));
  for (const [path, name] of [
    [base, "overview"],
    [`${base}/payment-methods`, "payment-methods"],
    [`${base}/history`, "history"],
    [`${base}/invoices`, "invoices"],
  ] as const) {
    await visit(path, name);
  }
  // A field error and a declined outcome are styled too.
  await page.goto(`${base}/payment-methods`);
  await waitForHydration(page, info);
  await page.getByLabel(/Card number|Numero della carta/).fill("4242 4242 4242 4241");
  await expect(page.locator("#card-number-error")).toBeVisible();
  await noHorizontalScroll(page, "payment-methods with an error");
  await axe(page, "payment-methods with an error");
  await screenshot(page, info, "portal-390-card-error");
});

test("history, invoices with their PDF, and cancel then resume", async ({ page }, info) => {
  const errors = watchConsole(page);
  const base = await portalBase();
  const email = info.project.name === "no-js" ? "liam.obrien@example.com" : "ava.johnson@example.com";
  await signIn(page, info, base, email);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/Overview|Riepilogo/);
  await expect(page).toHaveTitle(/^(Overview|Riepilogo) · /);

  // With JavaScript, moving between portal pages swaps the page in place: no reload, the
  // URL, title and current link follow, focus lands on the heading, and it is announced.
  await markDocument(page, info);
  const announced = page.locator("#dunwell-announce");
  if (info.project.name !== "no-js") await expect(announced).toHaveText("");
  const historyLink = page.getByRole("link", { name: /^(Payment history|Storico pagamenti)$/ });
  await historyLink.click();
  await expect(heading).toHaveText(/Payment history|Storico pagamenti/);
  await expect(page).toHaveURL(/\/history$/);
  await expect(page).toHaveTitle(/^(Payment history|Storico pagamenti) · /);
  await expect(historyLink).toHaveAttribute("aria-current", "page");
  await expect(page.locator("table tbody tr").first()).toBeVisible();
  await notReloaded(page, info, "a link to another portal page");
  if (info.project.name !== "no-js") {
    await expect(heading).toBeFocused();
    await expect(announced).toHaveAttribute("aria-live", "polite");
    await expect(announced).toHaveText(/^(Payment history|Storico pagamenti) · /);
  }
  await screenshot(page, info, "portal-history");

  await page.getByRole("link", { name: /^(Invoices|Fatture)$/ }).click();
  await expect(heading).toHaveText(/Invoices|Fatture/);
  await notReloaded(page, info, "a second link");
  // Back and forward follow the pages, still in place, back to the first one.
  await page.goBack();
  await expect(heading).toHaveText(/Payment history|Storico pagamenti/);
  await expect(page).toHaveURL(/\/history$/);
  await page.goBack();
  await expect(heading).toHaveText(/Overview|Riepilogo/);
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  await page.goForward();
  await expect(heading).toHaveText(/Payment history|Storico pagamenti/);
  await page.goForward();
  await expect(heading).toHaveText(/Invoices|Fatture/);
  await expect(page).toHaveURL(/\/invoices$/);
  await notReloaded(page, info, "back and forward");
  const pdfLink = page.getByRole("link", { name: /Download PDF|Scarica PDF/ }).first();
  const href = await pdfLink.getAttribute("href");
  expect(href).toMatch(/\/invoices\/inv_[a-z0-9]+\.pdf$/);
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await screenshot(page, info, "portal-invoices");

  await page.getByRole("link", { name: /^(Cancel subscription|Annulla abbonamento)$/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Cancel subscription|Annulla abbonamento/);
  await expect(page.locator("#main").getByText(/keep access until|mantieni l'accesso fino al/)).toBeVisible();
  await waitForHydration(page, info);
  await page.getByLabel(/It is too expensive|È troppo caro/).check();
  await page.getByLabel(/Anything you would like to tell us|Vuoi dirci qualcosa/).fill("Just testing <b>markup</b>");
  await screenshot(page, info, "portal-cancel");
  await markDocument(page, info);
  await page.getByRole("button", { name: /Cancel at the end of the period|Annulla alla fine del periodo/ }).click();
  await expect(page.locator("#main").getByText(/has been canceled|è stato annullato/)).toBeVisible();
  await expect(page.locator("#main").getByText(/Ends on|Termina il/)).toBeVisible();
  await notReloaded(page, info, "canceling");
  await screenshot(page, info, "portal-canceled");
  const mail = await newestMail(email, /has been canceled|è stato annullato/);
  expect(mail.subject).toBeTruthy();

  // Resume before the period ends: back to normal (and the shared demo data too).
  await page.getByRole("button", { name: /Resume subscription|Riattiva abbonamento/ }).click();
  await expect(page.locator("#main").getByText(/has been resumed|è stato riattivato/)).toBeVisible();
  await expect(page.getByRole("button", { name: /Cancel at the end of the period|Annulla alla fine del periodo/ })).toBeVisible();
  await notReloaded(page, info, "canceling then resuming (the resume form came with the swapped page)");
  expect(errors).toEqual([]);
});

test("billing details: a bad tax ID is named, then the details are saved and shown", async ({ page }, info) => {
  const errors = watchConsole(page);
  const base = await portalBase();
  const hydrated = info.project.name !== "no-js";
  const email = hydrated ? "sofia.esposito@example.com" : "noah.williams@example.com";
  await signIn(page, info, base, email);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Overview|Riepilogo/);

  await page.getByRole("link", { name: /^(Billing details|Dati di fatturazione)$/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Billing details|Dati di fatturazione/);
  await expect(page.getByRole("link", { name: /^(Billing details|Dati di fatturazione)$/ })).toHaveAttribute("aria-current", "page");
  await waitForHydration(page, info);
  const name = page.getByLabel(/Name or company name|Nome o ragione sociale/);
  const address = page.getByLabel(/^(Billing address|Indirizzo di fatturazione)/);
  const taxId = page.getByLabel(/VAT number or tax code|Partita IVA o codice fiscale/);
  await expect(page.getByLabel(/Billing email|Email di fatturazione/)).toHaveValue(email);
  const save = page.getByRole("button", { name: /Save billing details|Salva i dati di fatturazione/ });

  // A partita IVA with a wrong check digit: named beside its field, nothing saved.
  await name.fill(hydrated ? "Esposito Design Srl" : "Williams & Sons Ltd");
  await address.fill("Via Toledo 256\n80134 Napoli");
  await taxId.fill("IT12345678901");
  await markDocument(page, info);
  await save.click();
  await expect(page.locator("#main").getByText(/not a valid VAT number|Partita IVA o codice fiscale non validi/)).toBeVisible();
  await notReloaded(page, info, "a refused billing details form");
  await screenshot(page, info, "portal-billing-error");

  // A valid one (a codice fiscale, typed with spaces): saved and shown back.
  await name.fill(hydrated ? "Esposito Design Srl" : "Williams & Sons Ltd");
  await address.fill("Via Toledo 256\n80134 Napoli");
  await taxId.fill("rss mra 85t10 a562s");
  await save.click();
  await expect(page.getByRole("status")).toHaveText(/billing details are saved|dati di fatturazione sono stati salvati/);
  await expect(taxId).toHaveValue("RSSMRA85T10A562S");
  await expect(name).toHaveValue(hydrated ? "Esposito Design Srl" : "Williams & Sons Ltd");
  await notReloaded(page, info, "saving billing details");
  await screenshot(page, info, "portal-billing-saved");
  // The refused save answered 422, which Chromium logs; nothing else may appear.
  expect(errors.filter((e) => !e.includes("status of 422"))).toEqual([]);
});

test("billing details page passes axe-core in both languages @needs-js", async ({ page }, info) => {
  const base = await portalBase();
  await signIn(page, info, base, "chiara.romano@example.com", `${base}/billing`);
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Billing details");
  await axe(page, "billing details");
  await page.getByRole("link", { name: "Italiano" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dati di fatturazione");
  await axe(page, "billing details (it)");
  await screenshot(page, info, "portal-billing-it");
});

test("pause at the period end, then keep it running", async ({ page }, info) => {
  const errors = watchConsole(page);
  const base = await portalBase();
  const hydrated = info.project.name !== "no-js";
  const email = hydrated ? "luca.ricci@example.com" : "francesca.colombo@example.com";
  await signIn(page, info, base, email);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/Overview|Riepilogo/);

  await markDocument(page, info);
  const navLink = page.getByRole("link", { name: /^(Pause subscription|Sospendi abbonamento)$/ });
  await navLink.click();
  await expect(heading).toHaveText(/Pause subscription|Sospendi abbonamento/);
  await expect(navLink).toHaveAttribute("aria-current", "page");
  await notReloaded(page, info, "the pause page");
  await waitForHydration(page, info);
  await expect(page.locator("#main").getByText(/keeps running until|resta attivo fino al/)).toBeVisible();
  const day = page.getByLabel(/^(Resume on|Riprendi il)$/);
  const [first, last] = [await day.getAttribute("min"), await day.getAttribute("max")];
  expect(first).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(last! > first!, "a window of days to choose from").toBe(true);
  await expect(page.locator("#main").getByText(new RegExp(`${first} (to|al) ${last}`))).toBeVisible();
  if (hydrated) await axe(page, "pause page");
  await screenshot(page, info, "portal-pause");

  const asked = Date.now() - 1000;
  await day.fill(last!);
  await page.getByRole("button", { name: /^(Pause subscription|Sospendi abbonamento)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /will pause|si sospenderà/ })).toBeVisible();
  await expect(page.locator("#main").getByText(new RegExp(`(resumes on|riprende il) ${last}`))).toBeVisible();
  await notReloaded(page, info, "pausing");
  await screenshot(page, info, "portal-pause-asked");
  const mail = await newestMail(email, /will pause|sarà sospeso/, asked);
  expect(mail.text).toMatch(/\/portal\//);

  // The overview says when it pauses and resumes.
  await page.getByRole("link", { name: /^(Overview|Riepilogo)$/ }).click();
  await expect(page.locator("#main").getByText(new RegExp(`(Pauses on|Si sospende il) .* (and resumes on|e riprende il) ${last}`))).toBeVisible();
  await notReloaded(page, info, "back to the overview");

  // Withdrawn before it begins: it renews as usual (and the shared demo data is as before).
  await navLink.click();
  await expect(heading).toHaveText(/Pause subscription|Sospendi abbonamento/);
  await waitForHydration(page, info);
  await page.getByRole("button", { name: /^(Keep it running|Non sospendere)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /pause is withdrawn|Sospensione annullata/ })).toBeVisible();
  await expect(page.getByLabel(/^(Resume on|Riprendi il)$/)).toBeVisible();
  await notReloaded(page, info, "withdrawing the pause");
  expect(errors).toEqual([]);
});

test("the pause page passes axe-core in Italian @needs-js", async ({ page }, info) => {
  const base = await portalBase();
  await signIn(page, info, base, "luca.ricci@example.com", `${base}/pause`);
  await page.getByRole("link", { name: "Italiano" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sospendi abbonamento");
  await expect(page.getByLabel("Riprendi il")).toBeVisible();
  await axe(page, "pause page (it)");
  await screenshot(page, info, "portal-pause-it");
});

test("change plan: an upgrade charged at once, a downgrade scheduled and undone", async ({ page }, info) => {
  const errors = watchConsole(page);
  const base = await portalBase();
  const hydrated = info.project.name !== "no-js";
  // Demo customers on Starter (9 €), one per project.
  const email = hydrated ? "ethan.davis@example.com" : "sara.gallo@example.com";
  await signIn(page, info, base, email);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText(/Overview|Riepilogo/);

  await markDocument(page, info);
  const navLink = page.getByRole("link", { name: /^(Change plan|Cambia piano)$/ });
  await navLink.click();
  await expect(heading).toHaveText(/Change plan|Cambia piano/);
  await expect(navLink).toHaveAttribute("aria-current", "page");
  await notReloaded(page, info, "the plan page");
  const main = page.locator("#main");
  await expect(main.getByText(/Now: 1 ×|Ora: 1 ×/)).toBeVisible();
  const plan = page.getByLabel(/^(Plan|Piano)$/);
  const option = async (name: string) => (await plan.locator("option", { hasText: name }).getAttribute("value"))!;
  if (hydrated) await axe(page, "plan page");
  await screenshot(page, info, "portal-plan");

  // An upgrade: Team × 2, previewed (a GET form, in place with JavaScript), then confirmed.
  await plan.selectOption(await option("Team"));
  await page.getByLabel(/^(Quantity|Quantità)$/).fill("2");
  await page.getByRole("button", { name: /^(Preview change|Anteprima del cambio)$/ }).click();
  const preview = page.getByRole("region", { name: /Change to Team × 2|Passa a Team × 2/ });
  await expect(preview).toContainText(/Due now: €\d+\.\d\d|Da pagare ora: \d+,\d\d €/);
  await expect(preview).toContainText(/From the next period: €58\.00|Dal prossimo periodo: 58,00 €/);
  await notReloaded(page, info, "previewing a change");
  await waitForHydration(page, info);
  if (hydrated) await axe(page, "plan page with a preview");
  await screenshot(page, info, "portal-plan-preview");
  const asked = Date.now() - 1000;
  await preview.getByRole("button", { name: /^(Confirm change|Conferma il cambio)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /plan has changed|piano è cambiato/ })).toBeVisible();
  await expect(main.getByRole("heading", { level: 2, name: "Team" })).toBeVisible();
  await expect(main.getByText(/Now: 2 ×|Ora: 2 ×/)).toBeVisible();
  await notReloaded(page, info, "confirming an upgrade");
  await screenshot(page, info, "portal-plan-changed");
  const changed = await newestMail(email, /plan has changed|piano .* è cambiato/, asked);
  expect(changed.text).toMatch(/\/portal\//);

  // A downgrade back to Starter × 1 waits for the period's end, and is undone.
  await plan.selectOption(await option("Starter"));
  await page.getByLabel(/^(Quantity|Quantità)$/).fill("1");
  await page.getByRole("button", { name: /^(Preview change|Anteprima del cambio)$/ }).click();
  const down = page.getByRole("region", { name: /Change to Starter × 1|Passa a Starter × 1/ });
  await expect(down).toContainText(/end of the period you have paid for|alla fine del periodo già pagato/);
  await waitForHydration(page, info);
  await down.getByRole("button", { name: /^(Confirm change|Conferma il cambio)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /change is scheduled|cambio è programmato/ })).toBeVisible();
  await expect(main.getByText(/Changes to Starter × 1 on|Passa a Starter × 1 il/)).toBeVisible();
  await notReloaded(page, info, "scheduling a downgrade");
  await screenshot(page, info, "portal-plan-scheduled");
  await waitForHydration(page, info);
  await page.getByRole("button", { name: /^(Undo change|Annulla il cambio)$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /change is undone|cambio è annullato/ })).toBeVisible();
  await expect(main.getByText(/Changes to Starter|Passa a Starter/)).toHaveCount(0);
  await notReloaded(page, info, "undoing the downgrade");
  expect(errors).toEqual([]);
});

test("the plan page passes axe-core in Italian @needs-js", async ({ page }, info) => {
  const base = await portalBase();
  await signIn(page, info, base, "james.wilson@example.com", `${base}/plan`);
  await page.getByRole("link", { name: "Italiano" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cambia piano");
  await page.getByLabel("Piano").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Anteprima del cambio" }).click();
  await expect(page.getByRole("region", { name: /^Passa a / })).toBeVisible();
  await axe(page, "plan page (it)");
  await screenshot(page, info, "portal-plan-it");
});
