// Headless Chromium for the client tier (Debian's `chromium` driven by playwright-core): whether it is
// installed, saying why a suite skips when it is not, and one way to launch it.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Whether Chromium is installed; when not, prints that `what` skips and how to install it. */
export function chromiumInstalled(what: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`SKIPPED ${what}: ${CHROMIUM} not found (apt-get install chromium)`);
  return found;
}

/** Headless, without the sandbox (CI runs as root), and without Chromium's own background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
  });
}

/**
 * The browser with every new page ignoring Content-Security-Policy: Playwright's waitForFunction runs its
 * predicate through eval, which the search page's policy refuses. Only for tests that wait that way; the
 * page under its policy is tested by test/clients/search-page-draw.test.ts.
 */
export function bypassingCsp(browser: Browser): Browser {
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === "newPage")
        return (options: Parameters<Browser["newPage"]>[0] = {}) =>
          target.newPage({ ...options, bypassCSP: true });
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
