import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser (see ../../shared/TOOLCHAIN.md).
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // One retry, reported as "flaky" in the output. The two defects it was added for are
  // fixed (the hydration panic: layouts keep their Outlet outside Suspense; SQLite 517:
  // every write transaction is BEGIN IMMEDIATE), and the last local run passed 39 of 39 on
  // the first try. Remove it once CI runs show no "flaky" test.
  retries: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    {
      name: "hydrated",
      use: { javaScriptEnabled: true },
    },
    // Tests tagged @needs-js drive the page with scripts (axe-core injects its engine),
    // which a browser with JavaScript off cannot run.
    {
      name: "no-js",
      use: { javaScriptEnabled: false },
      grepInvert: /@needs-js/,
    },
  ],
});
