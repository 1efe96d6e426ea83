import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { rowsOfBody, sheetOfRows, workbookOf } from '../../src/api/xlsx.ts';

// The workbook writer: Chinese headers, dates as dates (instants at the wall-clock time of APP_TIMEZONE),
// and every value that a spreadsheet would read as a formula kept as text.

const DANGEROUS = [
  '=HYPERLINK("http://evil.example/","点我")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  "=cmd|' /C calc'!A0",
];

async function reopen(buf: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('xlsx export', () => {
  it('writes formula-like text as text cells formatted as text, never as formulas', async () => {
    const sheet = sheetOfRows(
      '数据',
      DANGEROUS.map((title, i) => ({ code: `JY-2026-000${i + 1}`, title })),
    );
    const ws = await reopen(await workbookOf([sheet], 'Asia/Shanghai'));
    expect(ws.getRow(1).values).toEqual([undefined, '编号', '标题']);
    DANGEROUS.forEach((text, i) => {
      const cell = ws.getRow(i + 2).getCell(2);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      // XML reads a carriage return back as a line break; the text is otherwise as written.
      expect(cell.value).toBe(text.replace(/\r/g, '\n'));
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe('@');
    });
  });

  it('writes calendar dates and instants as dates, instants at Beijing wall-clock time', async () => {
    const sheet = sheetOfRows('数据', [
      { dueOn: '2026-06-02', createdAt: new Date('2026-03-01T16:30:00Z'), secret: true, round: 2 },
    ]);
    const ws = await reopen(await workbookOf([sheet], 'Asia/Shanghai'));
    expect(ws.getRow(1).values).toEqual([undefined, '期限', '创建时间', '涉密', '办理轮次']);
    const [due, created, secret, round] = [1, 2, 3, 4].map((c) => ws.getRow(2).getCell(c));
    expect(due!.value).toEqual(new Date('2026-06-02T00:00:00Z'));
    expect(due!.numFmt).toBe('yyyy-mm-dd');
    // 00:30 on 2 March in Beijing.
    expect(created!.value).toEqual(new Date('2026-03-02T00:30:00Z'));
    expect(secret!.value).toBe('是');
    expect(round!.value).toBe(2);
  });

  it('finds the rows of a JSON answer and flattens nested fields under joined Chinese headers', () => {
    expect(rowsOfBody({ total: 1, items: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(rowsOfBody('<html>')).toBeNull();
    const s = sheetOfRows('数据', [{ code: 'X', rates: { answerRate: 50 }, organs: ['甲', '乙'] }]);
    expect(s.columns.map((c) => c.header)).toEqual(['编号', '比率·答复率（%）', '承办单位']);
    expect(s.rows[0]).toEqual({ code: 'X', 'rates.answerRate': 50, organs: '甲；乙' });
  });
});
