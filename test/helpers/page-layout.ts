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

/**
 * What of the elements `selector` finds is not wholly in view, each as its text and why: not shown at all,
 * reaching past the viewport's sides, its text running past its own box, clipped by a container that hides
 * overflow (or scrolls), or covered by something else at its centre. Empty when every one can be read
 * and tapped where it stands.
 */
export function notWhollyShown(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((found) => {
    interface Rect {
      left: number;
      right: number;
      top: number;
      bottom: number;
      width: number;
      height: number;
    }
    interface Shown {
      textContent: string | null;
      scrollWidth: number;
      clientWidth: number;
      scrollHeight: number;
      clientHeight: number;
      parentElement: Shown | null;
      getBoundingClientRect(): Rect;
      contains(other: unknown): boolean;
    }
    const win = globalThis as unknown as {
      innerWidth: number;
      getComputedStyle(e: Shown): { overflowX: string; overflowY: string };
      document: { elementFromPoint(x: number, y: number): unknown };
    };
    const problems: string[] = [];
    for (const el of found as unknown as Shown[]) {
      const name = (el.textContent ?? '').trim();
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) {
        problems.push(`${name}: not shown`);
        continue;
      }
      if (r.left < 0 || r.right > win.innerWidth)
        problems.push(`${name}: past the viewport (${Math.round(r.left)}–${Math.round(r.right)})`);
      if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)
        problems.push(`${name}: its text runs past its box`);
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = win.getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        if (r.left < b.left || r.right > b.right || r.top < b.top || r.bottom > b.bottom)
          problems.push(`${name}: clipped by its container`);
      }
      const hit = win.document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
      if (hit !== el && !el.contains(hit)) problems.push(`${name}: covered`);
    }
    return problems;
  });
}
