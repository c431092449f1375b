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
  // No retries: a test that passes only on a second try is a defect to fix, not to hide.
  retries: 0,
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
