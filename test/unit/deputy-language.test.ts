import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/bot/language/command-catalog.ts';
import { type ParseResult, parseCommand } from '../../src/bot/language/command-parser.ts';
import { readIntent } from '../../src/bot/language/intent.ts';
import { normalize } from '../../src/bot/language/normalize.ts';
import { readBySound, readSpoken, readStartBySound } from '../../src/bot/language/sound.ts';

// Issue 14: the language layer reads deputies as they write — same-sound slips, home speech, plain-word
// ratings with their reason, bookings with topic and month, the congress a message names, and what a
// message with no command word reads as.

const NOW = '2026-12-01';
const parse = (text: string, roles: Role[] = ['deputy']) => parseCommand(text, { now: NOW, roles });
const command = (r: ParseResult) => {
  if (r.kind !== 'command') throw new Error(`not a command: ${JSON.stringify(r)}`);
  return r;
};
const matching = (text: string) => readBySound(readSpoken(normalize(text))).text;

describe('same-sound slips and home speech', () => {
  it('reads input-method homophones as the words they stand for, keeping what was written', () => {
    expect(matching('建意 查寻 接带日 请加')).toBe('建议 查询 接待日 请假');
    const r = command(parse('建意：学校门口增设减速带'));
    expect(r.id).toBe('suggestion.submit');
    expect(r.args).toMatchObject({ content: '学校门口增设减速带' });
    // The reason is handed on as written, slip and all.
    expect(command(parse('请加 十号的常委会 出差')).args).toEqual({
      meeting: { name: '十号的常委会' },
      reason: '出差',
    });
  });

  it('leaves real words of the same sound alone', () => {
    for (const t of ['请加快修路进度', '一件事', '简易房', '满一年了', '工作失察'])
      expect(matching(t)).toBe(normalize(t).text);
  });

  it('reads a command word at the start more softly: mixed-up initials, one wrong character, pinyin letters', () => {
    const start = (t: string) => readStartBySound(normalize(t)).text;
    expect(start('帮组')).toBe('帮助');
    expect(start('接待曰')).toBe('接待日');
    expect(start('jianyi 小区加装路灯')).toBe('建议 小区加装路灯');
    // The first character carries the sense: 很满意 is no 不满意.
    expect(start('很满意')).toBe('很满意');
    // The second character left in pinyin letters, and 请假 with its first character dropped.
    expect(start('请jia 人代会 病了')).toBe('请假 人代会 病了');
    expect(start('查xun')).toBe('查询');
    expect(start('假 人代会 出差')).toBe('请假 人代会 出差');
    expect(start('请ni帮忙')).toBe('请ni帮忙');
    // The first letters of a few commands, as chat apps shorten them; never a code written with spaces.
    expect(start('qj 人代会 生病')).toBe('请假 人代会 生病');
    expect(start('cx')).toBe('查询');
    expect(start('BZ')).toBe('帮助');
    expect(start('jy 2026年的')).toBe('jy 2026年的');
    expect(start('ok')).toBe('ok');
    expect(start('假期什么时候')).toBe('假期什么时候');
    const leave = command(parse('假 人代会 出差'));
    expect(leave.id).toBe('leave.request');
    expect(leave.args).toMatchObject({ reason: '出差' });
  });

  it('leaves "你们给反映一下" out of the matter, never a dangling "你们给"', () => {
    for (const said of ['村里路灯坏了好久了 你们给反映一下', '村里路灯坏了好久了，麻烦你们给反映反映']) {
      const r = command(parse(said));
      expect(r.id).toBe('suggestion.submit');
      expect(r.args).toMatchObject({ content: '村里路灯坏了好久了' });
    }
    expect(command(parse('我想给你们反映个问题：村口路灯坏了')).args).toMatchObject({
      content: '村口路灯坏了',
    });
  });

  it('reads home speech as the common words', () => {
    expect(readSpoken(normalize('俺们村那条路咋没人管，啥时候修？下礼拜三俺晓得了')).text).toBe(
      '我们村那条路怎么没人管,什么时候修?下星期三我知道了',
    );
    expect(command(parse('俺咋查俺提的建议')).id).toBe('item.query');
  });
});

describe('small talk', () => {
  it('answers thanks, greetings and acknowledgements in any mix, and nothing else', () => {
    for (const [t, act] of [
      ['谢谢你们', 'thanks'],
      ['感谢人大常委会的关心', 'thanks'],
      ['好的，谢谢你们，辛苦了！', 'thanks'],
      ['有人在吗？', 'greeting'],
      ['中，知道了', 'ack'],
      ['俺晓得了', 'ack'],
    ] as const) {
      const r = parse(t);
      expect(r.kind === 'smalltalk' && r.act, t).toBe(act);
    }
    for (const t of ['哈哈哈', '谢谢，但是路灯还没修']) expect(parse(t).kind, t).not.toBe('smalltalk');
  });
});

describe('ratings in plain words', () => {
  it('keeps the reason given with the rating', () => {
    expect(command(parse('交警疏导就早上有，下午放学没人管，不太满意')).args).toEqual({
      rating: '不满意',
      comment: '交警疏导就早上有，下午放学没人管',
    });
    expect(command(parse('对答复不满意，因为问题根本没有解决')).args).toMatchObject({
      rating: '不满意',
      comment: '问题根本没有解决',
    });
    expect(command(parse('还算满意吧，就是落实得慢了点')).args).toMatchObject({
      rating: '基本满意',
      comment: '落实得慢了点',
    });
    expect(command(parse('不行，没解决')).args).toMatchObject({ rating: '不满意', comment: '不行，没解决' });
    expect(command(parse('一般')).args).toEqual({ rating: '基本满意' });
  });

  it('does not take displeasure with the service for a rating of an answer', () => {
    expect(parse('我不满意你们的服务态度').kind).toBe('unclear');
  });
});

describe('bookings, meetings and the congress named', () => {
  it('takes the booking month and topic from the same message', () => {
    expect(command(parse('预约下个月接待日 加装电梯补贴')).args).toEqual({
      month: '2027-01',
      topic: '加装电梯补贴',
    });
    expect(command(parse('约一下下个月的接待日')).args).toEqual({ month: '2027-01' });
    const r = command(parse('下个月接待日我想去，谈谈老旧小区加装电梯的事'));
    expect([r.id, r.args]).toEqual(['reception.book', { month: '2027-01', topic: '老旧小区加装电梯的事' }]);
    expect(command(parse('我约的接待日是哪天')).id).toBe('item.query');
  });

  it('splits the meeting from the reason, past salutations and the deputy’s own words', () => {
    expect(command(parse('我想请个假，下礼拜三的常委会我在北京学习，回不来')).args).toEqual({
      meeting: { name: '下礼拜三的常委会' },
      reason: '在北京学习',
    });
    expect(command(parse('各位领导，12月10号那个会我实在去不了，单位年底审计走不开，望批准')).args).toEqual({
      meeting: { name: '12月10号那个会' },
      reason: '单位年底审计走不开，望批准',
    });
    expect(command(parse('那个视察我就不去了，就是说腰疼得厉害')).args).toEqual({
      meeting: { name: '视察' },
      reason: '腰疼得厉害',
    });
    const attend = command(parse('8号的小组学习我参加'));
    expect([attend.id, attend.args]).toEqual(['activity.attend', { meeting: { name: '8号的小组学习' } }]);
  });

  it('reads the congress a message names, and the command after it', () => {
    const r = command(parse('省人大 建议 全省统一农村医保报销比例'));
    expect([r.id, r.congressLevel, r.args]).toEqual([
      'suggestion.submit',
      'province',
      { kind: '建议', content: '全省统一农村医保报销比例' },
    ]);
    expect(command(parse('省人大的代表接待日是哪天')).congressLevel).toBe('province');
    expect(command(parse('市人大建议：平城区增设公交线路')).congressLevel).toBe('city');
    expect(command(parse('建议 平城区增设公交线路')).congressLevel).toBeUndefined();
  });

  it('keeps the whole told matter when the suggestion word comes late', () => {
    expect(command(parse('城东的公交车间隔太长，等一趟车要四十多分钟，群众反映强烈。')).args).toMatchObject({
      content: '城东的公交车间隔太长，等一趟车要四十多分钟，群众反映强烈',
    });
  });
});

describe('what a message with no command reads as', () => {
  it('names the cue that made it a matter, a question or neither', () => {
    expect(readIntent('路灯坏了 没人管')).toEqual({ kind: 'matter', cue: '坏了' });
    expect(readIntent('公厕太少')).toEqual({ kind: 'matter', cue: '太少' });
    expect(readIntent('希望多建停车场').kind).toBe('matter');
    expect(readIntent('啥时候开人代会')).toEqual({ kind: 'question', cue: '啥时候' });
    expect(readIntent('今天天气不错').kind).toBe('other');
    const r = parse('幸福路井盖坏了');
    expect(r.kind === 'unclear' && r.intent).toEqual({ kind: 'matter', cue: '坏了' });
  });
});
