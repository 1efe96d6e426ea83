import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

// A folder of what a browser test leaves for a person to look at (screenshots, PDFs, spreadsheets), under
// test/artifacts/ unless told otherwise; made when the first file is written to it.

export class Artifacts {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  /** The path of `file` in the folder, the folder made if need be. */
  path(file: string): string {
    mkdirSync(this.dir, { recursive: true });
    return `${this.dir}/${file}`;
  }

  /** The page as `name`.png: the whole page, or only what is on the screen when `fullPage` is false. */
  async screenshot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.screenshot({ path: this.path(`${name}.png`), fullPage });
  }
}
