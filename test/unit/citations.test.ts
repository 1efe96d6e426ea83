import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/statute/rules.ts';

// Every article the code or the rule catalog cites is on the list the project keeps in docs/regulations.md,
// with its number and the words it rests on. A citation is `大同 第七条(九)`, `山西 第八条`,
// `《代表法》第五十一条第二款`, `民法典 第二百零一条至第二百零三条` and the like.

const ROOT = join(import.meta.dirname, '..', '..');

const SOURCES: [RegExp, string][] = [
  [/^《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》$/, '《代表法》'],
  [/^《代表法》$/, '《代表法》'],
  [/^《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》$/, '山西'],
  [/^《大同市人民代表大会常务委员会加强同代表联系充分发挥代表作用的办法》$/, '大同'],
  [/^《全国年节及纪念日放假办法》$/, '《全国年节及纪念日放假办法》'],
  [/^《?民法典》?$/, '民法典'],
  [/^山西$/, '山西'],
  [/^大同$/, '大同'],
];

const DIGITS = '零一二三四五六七八九';

function cnToNumber(s: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    const d = DIGITS.indexOf(ch);
    if (d >= 0) digit = d;
    else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else if (ch === '百') {
      total += digit * 100;
      digit = 0;
    }
  }
  return total + digit;
}

function numberToCn(n: number): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let out = h > 0 ? `${DIGITS[h]}百` : '';
  if (t > 0) out += h === 0 && t === 1 ? '十' : `${DIGITS[t]}十`;
  else if (h > 0 && u > 0) out += '零';
  if (u > 0) out += DIGITS[u];
  return out;
}

const NUM = '[零一二三四五六七八九十百]+';
const SOURCE_RE = '《[^》]{1,80}》|山西|大同|民法典';
// A source followed by a chain of articles: 第九条、第十一条、第十四条至第十六条, 第四十五至四十八条 …
const CITATION = new RegExp(
  `(${SOURCE_RE})\\s?((?:第${NUM}(?:条)?(?:至第?${NUM}条)?(?:第${NUM}款)?(?:\\([一二三四五六七八九十]+\\))?(?:[、和]|(?=第))?)+)`,
  'g',
);

/** The citations in a text, each as `<source> 第N条[第K款][(项)]`, ranges expanded. */
function citationsIn(text: string): string[] {
  const out: string[] = [];
  const plain = text.replace(/（/g, '(').replace(/）/g, ')');
  for (const m of plain.matchAll(CITATION)) {
    const source = SOURCES.find(([re]) => re.test(m[1]!))?.[1];
    if (source === undefined) continue;
    let chain = m[2]!;
    chain = chain.replace(new RegExp(`第(${NUM})条?至第?(${NUM})条`, 'g'), (_, a: string, b: string) => {
      const parts: string[] = [];
      for (let n = cnToNumber(a); n <= cnToNumber(b); n++) parts.push(`第${numberToCn(n)}条`);
      return parts.join('、');
    });
    for (const a of chain.matchAll(
      new RegExp(`第${NUM}条(?:第${NUM}款)?(?:\\([一二三四五六七八九十]+\\))?`, 'g'),
    )) {
      out.push(`${source} ${a[0]}`);
    }
  }
  return out;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The list in docs/regulations.md: each entry `- \`<citation>\` — “<the words>” …`. */
function listed(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs', 'regulations.md'), 'utf8');
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^- `([^`]+)` — “([^”]+)”/gm)) out.set(m[1]!, m[2]!);
  return out;
}

const onList = (list: Map<string, string>, cited: string): boolean => {
  if (list.has(cited)) return true;
  // An article cited without its paragraph or item is on the list when one of its parts is.
  if (/条$/.test(cited)) return [...list.keys()].some((k) => k.startsWith(cited));
  return false;
};

describe('citations', () => {
  it('reads the forms the code uses', () => {
    expect(citationsIn('依照山西 第四十六条（三），')).toEqual(['山西 第四十六条(三)']);
    expect(citationsIn('山西 第九条、第十一条、第十四条至第十六条')).toEqual([
      '山西 第九条',
      '山西 第十一条',
      '山西 第十四条',
      '山西 第十五条',
      '山西 第十六条',
    ]);
    expect(citationsIn('(民法典 第二百零一至二百零三条)')).toEqual([
      '民法典 第二百零一条',
      '民法典 第二百零二条',
      '民法典 第二百零三条',
    ]);
    expect(
      citationsIn('《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第五十一条第二款'),
    ).toEqual(['《代表法》 第五十一条第二款']);
    expect(citationsIn('大同 第七条(九)；山西 第二十二条')).toEqual(['大同 第七条(九)', '山西 第二十二条']);
  });

  it('lists each article with the words it rests on', () => {
    const list = listed();
    expect(list.size).toBeGreaterThan(20);
    for (const [key, words] of list) {
      expect(citationsIn(key), key).toEqual([key]);
      expect(words.trim().length, key).toBeGreaterThan(3);
    }
  });

  it('finds every citation in the code and the catalog on the list', () => {
    const list = listed();
    const missing = new Set<string>();
    let seen = 0;
    for (const dir of ['src', 'handlers', 'jobs', 'db']) {
      for (const file of filesUnder(join(ROOT, dir))) {
        for (const c of citationsIn(readFileSync(file, 'utf8'))) {
          seen++;
          if (!onList(list, c)) missing.add(`${c} (${file.slice(ROOT.length + 1)})`);
        }
      }
    }
    for (const r of RULES) {
      for (const c of citationsIn(r.article)) {
        seen++;
        if (!onList(list, c)) missing.add(`${c} (rule ${r.id})`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect([...missing]).toEqual([]);
  });

  it('cites the Deputies Law as amended in 2025 and the 补假 article of the holiday measures', () => {
    expect(RULES.find((r) => r.id === 'S8')!.article).toBe('《代表法》第五十一条第二款');
    const code = filesUnder(join(ROOT, 'src'))
      .concat(filesUnder(join(ROOT, 'jobs')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(code).not.toMatch(/代表法》?第四十[二三]条/);
    expect(readFileSync(join(ROOT, 'src/statute/statutory-holidays.ts'), 'utf8')).toContain('第六条');
  });
});
