import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Artifacts } from './artifacts.ts';

// How a page is laid out in Chromium, measured from the test (typed without the browser's DOM).

/** The width of the page's document: wider than the viewport, and the page scrolls sideways. */
export function documentWidth(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
}

/** The box of the first element `selector` finds, which must be laid out. */
export async function boxOf(
  page: Page,
  selector: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await page.locator(selector).first().boundingBox();
  expect(b, selector).not.toBeNull();
  return b!;
}

/**
 * The page as it stands at a phone's `width`: saved as `${shot}-${width}`.png in `artifacts`, checked to
 * scroll no wider than `width`; its main text.
 */
export async function lookAt(page: Page, artifacts: Artifacts, shot: string, width: number): Promise<string> {
  await artifacts.screenshot(page, `${shot}-${width}`);
  expect(await documentWidth(page), shot).toBeLessThanOrEqual(width);
  return (await page.textContent('main')) ?? '';
}
