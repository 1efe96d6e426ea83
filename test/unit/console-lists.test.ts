import { describe, expect, it } from 'vitest';
import { listTable, pageOf, pager, sortOf } from '../../src/console/html.ts';
import { firstLine } from '../../src/console/text.ts';

// The console's list helpers: cells labelled for the phone cards, sort links that keep the filters,
// pages clamped to what there is, and a chat item's title from the first line of its content.

describe('console lists', () => {
  it('labels every cell with its column and escapes what it shows', () => {
    const out = listTable(
      [{ label: '编号', sort: 'code' }, { label: '标题' }],
      [['JY-2026-0001', '<img src=x onerror=alert(1)>']],
      { base: '/console/suggestions', params: { q: '路灯', status: undefined }, by: 'code', dir: 'desc' },
    ).value;
    expect(out).toContain('<td data-label="编号"><div>JY-2026-0001</div></td>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toContain('<img');
    // The sorted column offers the other direction and keeps the search.
    expect(out).toContain('href="/console/suggestions?q=%E8%B7%AF%E7%81%AF&amp;sort=code&amp;dir=asc"');
    expect(out).toContain('aria-sort="descending"');
  });

  it('accepts only known sort keys and clamps the page', () => {
    expect(sortOf({ sort: 'drop table', dir: 'asc' }, ['code'])).toEqual({ by: undefined, dir: 'asc' });
    expect(sortOf({ sort: 'code' }, ['code'])).toEqual({ by: 'code', dir: 'desc' });
    const items = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(items, '3', 50)).toEqual({ rows: items.slice(100), pageNo: 3, pages: 3 });
    expect(pageOf(items, '99', 50).pageNo).toBe(3);
    expect(pageOf(items, 'x', 50).pageNo).toBe(1);
    expect(pager('/console/leave', { q: 'a' }, 1, 1).value).toBe('');
    expect(pager('/console/leave', { q: 'a' }, 2, 3).value).toContain('第 2 / 3 页');
  });

  it('takes a title from the first line that has words', () => {
    expect(firstLine('\n  府西街路灯不亮 \r\n晚上出行不便')).toBe('府西街路灯不亮');
    expect(firstLine('一'.repeat(40), 30)).toBe(`${'一'.repeat(30)}…`);
  });
});
