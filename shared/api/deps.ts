// What the API needs from the outside world; composition roots (Lambda, local stack, tests) supply it.
import type { Logger } from "../log.ts";
import type { Catalogue } from "../storage/catalogue.ts";

export interface Presigner {
  /** A short-lived GET URL for an object, optionally naming the file the browser saves. */
  presignGet(bucket: string, key: string, opts: { expiresIn: number; filename?: string }): Promise<string>;
}

export interface ApiDeps {
  catalogue: Catalogue;
  presigner: Presigner;
  log: Logger;
  settings: { presignSeconds: number; publicUrl?: string | undefined; title?: string };
}
