import { describe, expect, it } from 'vitest';
import {
  cleanName,
  normalizeMobile,
  parseCsv,
  parseLevel,
  parseRole,
  parseRosterFile,
  parseRosterRecords,
  parseStatus,
  readMobile,
} from '../../src/services/roster/csv.ts';

describe('parseCsv', () => {
  it('splits fields on commas and records on CRLF or LF, with the line each record starts on', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const records = parseCsv('name,unit\n"张三","云冈区,口泉乡"\n"说""好""的",x\n"两\n行",y\nlast,z');
    expect(records).toEqual([
      { line: 1, fields: ['name', 'unit'] },
      { line: 2, fields: ['张三', '云冈区,口泉乡'] },
      { line: 3, fields: ['说"好"的', 'x'] },
      { line: 4, fields: ['两\n行', 'y'] },
      { line: 6, fields: ['last', 'z'] },
    ]);
  });

  it('drops a UTF-8 BOM and blank lines', () => {
    expect(parseCsv('\ufeffa,b\n\n,\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['1', '2'] },
    ]);
  });

  it('refuses an unclosed quote, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(/第 2 行：引号没有闭合/);
  });
});

describe('parseRosterFile', () => {
  it('reads Chinese headers and trims full-width spaces', () => {
    const f = parseRosterFile('\ufeff姓名,企业微信账号,手机\n　王　五　, WangWu ,138 0000 0001\n');
    expect(f.columns).toEqual(['name', 'wecom_userid', 'mobile']);
    expect(f.rows).toEqual([
      { line: 2, values: { name: '王 五', wecom_userid: 'WangWu', mobile: '138 0000 0001' } },
    ]);
    expect(cleanName(f.rows[0]!.values.name!)).toBe('王五');
  });

  it('reads English headers in any case and reports unknown ones', () => {
    const f = parseRosterFile('Name,Wecom_UserID,Large Group,备注\nZhao Liu,zl,A,note\n');
    expect(f.columns).toEqual(['name', 'wecom_userid', 'large_group']);
    expect(f.ignoredColumns).toEqual(['备注']);
    expect(f.rows[0]!.values).toEqual({ name: 'Zhao Liu', wecom_userid: 'zl', large_group: 'A' });
  });

  it('refuses a file with no name column, no id column, a repeated column or no header', () => {
    expect(() => parseRosterFile('手机\n138\n')).toThrow(/姓名/);
    expect(() => parseRosterFile('姓名,层级\n张三,市\n')).toThrow(/企业微信账号/);
    expect(() => parseRosterFile('姓名,name,手机\n')).toThrow(/「姓名」列出现了两次/);
    expect(() => parseRosterFile('姓名,选举单位,手机,选区\n')).toThrow(
      '表头中「选举单位」列出现了两次（「选举单位」和「选区」），请只保留一列',
    );
    expect(() => parseRosterFile('')).toThrow(/空的/);
  });

  it('reads 选区 as the electoral unit column', () => {
    const f = parseRosterFile('姓名,选区,手机\n张三,平城区,13800000001\n');
    expect(f.columns).toEqual(['name', 'electoral_unit', 'mobile']);
    expect(f.ignoredColumns).toEqual([]);
    expect(f.rows[0]!.values.electoral_unit).toBe('平城区');
  });

  it('marks a cell of a known column holding a NUL, and only that row', () => {
    const f = parseRosterFile('姓名,手机,备注\n空\u0000字,13800000001,\n好人,13800000002,x\u0000y\n');
    expect(f.rows[0]!.problems).toEqual({
      name: '姓名「空字」中含有无法保存的字符（如空字符 U+0000），请在文件中删去后重新导入',
    });
    // A NUL in a column the importer ignores is never stored: that row is fine.
    expect(f.rows[1]!.problems).toBeUndefined();
  });

  it('names the column of a worksheet cell that holds no text', () => {
    const f = parseRosterRecords([
      { line: 1, fields: ['姓名', '手机'] },
      { line: 2, fields: ['张三', ''], problems: [undefined, '是错误值「#DIV/0!」'] },
    ]);
    expect(f.rows[0]!.problems).toEqual({ mobile: '手机列的单元格是错误值「#DIV/0!」，请改正后重新导入' });
  });
});

describe('roster vocabularies', () => {
  it('reads levels, roles and statuses in Chinese or English, and nothing else', () => {
    expect(parseLevel('省')).toBe('province');
    expect(parseLevel('City')).toBe('city');
    expect(parseLevel('乡镇')).toBe('township');
    expect(parseLevel('国')).toBeUndefined();
    expect(parseRole('审批人')).toBe('approver');
    expect(parseRole('admin')).toBe('admin');
    expect(parseRole('主任')).toBeUndefined();
    expect(parseStatus('暂停')).toBe('suspended');
    expect(parseStatus('terminated')).toBe('terminated');
    expect(parseStatus('toString')).toBeUndefined();
  });

  it('normalizes mobiles and refuses what is not one', () => {
    expect(normalizeMobile('+86 138-0000-0001')).toBe('13800000001');
    expect(normalizeMobile('138 0000 0001')).toBe('13800000001');
    expect(normalizeMobile('电话')).toBeUndefined();
  });

  it('takes an 11-digit mobile starting with 1 in the forms people write it, and nothing else', () => {
    for (const v of [
      '13800000001',
      '138-0000-0001',
      '138 0000 0001',
      '+8613800000001',
      '+86 138 0000 0001',
      '86-138-0000-0001',
      '008613800000001',
      '(+86)13800000001',
      '１３８０００００００１',
      '＋８６　１３８００００００01',
    ])
      expect(readMobile(v), v).toEqual({ mobile: '13800000001' });
    for (const v of ['1390000005', '1390352', '138000000011', '23800000001', '8613800000001x', '86138000000'])
      expect(normalizeMobile(v), v).toBeUndefined();
    expect(readMobile('1390000005')).toEqual({
      reason:
        '手机「1390000005」不是有效的手机号码（10 位数字），应为以 1 开头的 11 位手机号码（可带 +86，可用空格或短横线分隔）',
    });
    // A landline identifies an office, not a person: said so.
    for (const v of [
      '0352-1234567',
      '010-12345678',
      '(0352)1234567',
      '2345678',
      '12345678'.replace(/^1/, '6'),
    ])
      expect((readMobile(v) as { reason: string }).reason, v).toContain('像是固定电话号码');
    expect((readMobile('138****0001') as { reason: string }).reason).toContain('不是号码');
  });

  it('drops control characters a spreadsheet export may leave', () => {
    expect(cleanName('张\u0000三\u0007')).toBe('张三');
  });

  it('keeps the spaces of a non-Chinese name, single', () => {
    expect(cleanName(' Zhao   Liu ')).toBe('Zhao Liu');
  });
});
