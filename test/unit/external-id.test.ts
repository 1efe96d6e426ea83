import { describe, expect, it } from 'vitest';
import { normalizeExternalId } from '../../db/external-id.ts';

describe('normalizeExternalId', () => {
  it('trims and lower-cases a WeCom userid', () => {
    expect(normalizeExternalId('wecom', '  ZhangSan ')).toBe('zhangsan');
    expect(normalizeExternalId('wecom', '\tZhangSan\u3000')).toBe('zhangsan');
    expect(normalizeExternalId('wecom', 'zhangsan')).toBe('zhangsan');
  });

  it('trims a DingTalk id but keeps its case', () => {
    expect(normalizeExternalId('dingtalk', ' Ding001 ')).toBe('Ding001');
    expect(normalizeExternalId('dingtalk', 'Ding001')).toBe('Ding001');
  });

  it('keeps spaces inside an id and is idempotent', () => {
    expect(normalizeExternalId('wecom', ' Zhang San ')).toBe('zhang san');
    const once = normalizeExternalId('wecom', ' MiXeD ');
    expect(normalizeExternalId('wecom', once)).toBe(once);
  });
});
