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
