import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/bot/language/normalize.ts';

const n = (s: string) => normalize(s).text;

describe('normalize', () => {
  it('reads full-width letters, digits, spaces and punctuation as half-width', () => {
    expect(n('ＪＹ－２０２６－００１２')).toBe('JY-2026-0012');
    expect(n('请假，明天的会：出差！')).toBe('请假,明天的会:出差!');
    expect(n('接待日？（下个月）；好')).toBe('接待日?(下个月);好');
    expect(n('建议。')).toBe('建议.');
    expect(n('“路灯”——坏了')).toBe('"路灯"--坏了');
  });

  it('leaves printable ASCII and the ideographs as NFKC leaves them, and reads the compatibility ones', () => {
    const ranges: [number, number][] = [
      [0x21, 0x7e],
      [0x4e00, 0x9fff],
    ];
    let checked = 0;
    for (const [from, to] of ranges) {
      for (let cp = from; cp <= to; cp++) {
        const ch = String.fromCodePoint(cp);
        // Between two letters, so no character is taken for a code, a mention or a space to trim.
        if (n(`x${ch}x`) !== `x${ch.normalize('NFKC')}x`) expect.fail(`U+${cp.toString(16)} ${ch}`);
        checked++;
      }
    }
    expect(checked).toBe(94 + 0x5200);
    // 豈 (U+F900), a compatibility ideograph, is read as the unified 豈 (U+8C48).
    expect(n('\uf900')).toBe('\u8c48');
  });

  it('keeps the ideographic comma that separates list items', () => {
    expect(n('市交通局、市公安局')).toBe('市交通局、市公安局');
  });

  it('collapses runs of any whitespace and trims', () => {
    expect(n('  请假\u3000\u3000 人代会 \t\n 出差  ')).toBe('请假 人代会 出差');
  });

  it('drops invisible characters', () => {
    expect(n('请\u200b假\ufeff')).toBe('请假');
  });

  it('drops a leading @mention, with or without a space after it', () => {
    expect(n('@机器人 请假')).toBe('请假');
    expect(n('@人大代表助手请假')).toBe('请假');
    expect(n('＠人大代表助手　帮助')).toBe('帮助');
    expect(n('@人大代表助手\u2005查询')).toBe('查询');
    expect(n('@张三 @机器人 帮助')).toBe('帮助');
    expect(n('@小王 接待日')).toBe('接待日');
    expect(n('@人大代表助手')).toBe('');
  });

  it('reads DingTalk at-text (the robot name already removed, a space left)', () => {
    expect(n(' 请假 人代会 出差')).toBe('请假 人代会 出差');
  });

  it('does not drop an @ in the middle of a message', () => {
    expect(n('建议 邮箱写成 a@b.cn')).toBe('建议 邮箱写成 a@b.cn');
  });

  it('recognises codes in any case, width and dash', () => {
    expect(n('查询 jy－2026－0012')).toBe('查询 JY-2026-0012');
    expect(n('批准 qj—2026—0001')).toBe('批准 QJ-2026-0001');
    expect(n('hd_2026_0003')).toBe('HD-2026-0003');
    expect(n('JD 2026 0002')).toBe('JD-2026-0002');
    expect(n('JY20260012')).toBe('JY-2026-0012');
    // No dash at all and the sequence shortened: the year is always four digits, so the rest is the number.
    expect(n('jy20262')).toBe('JY-2026-0002');
    expect(n('查询JY202612')).toBe('查询JY-2026-0012');
  });

  it('keeps sequences of more than four digits and pads shorter ones', () => {
    expect(n('JY-2026-12345')).toBe('JY-2026-12345');
    expect(n('jy-2026-12')).toBe('JY-2026-0012');
  });

  it('leaves alone what only looks like a code', () => {
    expect(n('AB-2026-0012')).toBe('AB-2026-0012');
    expect(n('XJY-2026-0012')).toBe('XJY-2026-0012');
    expect(n('JY2026')).toBe('JY2026');
  });

  it('maps every character back to what was written', () => {
    const m = normalize('@机器人 建议：修路，谢谢。');
    expect(m.text).toBe('建议:修路,谢谢.');
    expect(m.source(3)).toBe('修路，谢谢。');
    const c = normalize('查询 ｊｙ－２０２６－００１２ 呢');
    expect(c.text).toBe('查询 JY-2026-0012 呢');
    expect(c.source(3, 15)).toBe('ｊｙ－２０２６－００１２');
  });
});
