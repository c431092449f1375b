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

// Emails, read back from maildev's web API (the SMTP sink of the e2e run).

const MAILDEV = process.env.MAILDEV_URL ?? "http://127.0.0.1:1080";

export type Mail = {
  id: string;
  subject: string;
  text: string;
  html: string;
  date: string;
  to: { address: string; name?: string }[];
};

export async function mails(): Promise<Mail[]> {
  const res = await fetch(`${MAILDEV}/email`);
  expect(res.ok, "maildev answers").toBeTruthy();
  return (await res.json()) as Mail[];
}

/** The newest email to `to` whose subject matches, waiting for it to arrive. */
export async function newestMail(to: string, subject: RegExp, after = 0): Promise<Mail> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (await mails())
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === to.toLowerCase()))
      .filter((m) => subject.test(m.subject))
      .filter((m) => new Date(m.date).getTime() >= after)
      .sort((a, b) => new Date(b.date).getTime() - new Date(a.date).getTime());
    if (found.length > 0) return found[0];
    if (Date.now() > deadline) throw new Error(`no email to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The first URL in a message's text part that matches `pattern`. */
export function link(mail: Mail, pattern: RegExp): URL {
  const urls = mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const url = urls.find((u) => pattern.test(u));
  expect(url, `a link matching ${pattern} in "${mail.subject}"`).toBeTruthy();
  return new URL(url!);
}

/** Same-origin path + query of a URL from an email (the email uses PUBLIC_URL). */
export function local(url: URL): string {
  return url.pathname + url.search;
}

/** With JavaScript on, marks the document, to check later that a form did not reload it. */
export async function markDocument(page: Page, info: TestInfo) {
  if (info.project.name === "no-js") return;
  await page.evaluate(() => ((window as unknown as { dunwellMark: number }).dunwellMark = 1));
}

/** With JavaScript on, the document marked by `markDocument` is still the one shown. */
export async function notReloaded(page: Page, info: TestInfo, what: string) {
  if (info.project.name === "no-js") return;
  const mark = await page.evaluate(() => (window as unknown as { dunwellMark?: number }).dunwellMark);
  expect(mark, `${what}: no full page load`).toBe(1);
}
