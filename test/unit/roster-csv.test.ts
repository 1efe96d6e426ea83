import { describe, expect, it } from 'vitest';
import {
  cleanName,
  normalizeMobile,
  parseCsv,
  parseLevel,
  parseRole,
  parseRosterFile,
  parseStatus,
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
    expect(() => parseRosterFile('')).toThrow(/空的/);
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

  it('drops control characters a spreadsheet export may leave', () => {
    expect(cleanName('张\u0000三\u0007')).toBe('张三');
  });

  it('keeps the spaces of a non-Chinese name, single', () => {
    expect(cleanName(' Zhao   Liu ')).toBe('Zhao Liu');
  });
});
