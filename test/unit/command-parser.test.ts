import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG, type Role } from '../../src/bot/language/command-catalog.ts';
import { type CommandParse, type ParseResult, parseCommand } from '../../src/bot/language/command-parser.ts';

const NOW = '2026-10-15';
const DEPUTY: Role[] = ['deputy'];
const STAFF: Role[] = ['staff'];
const APPROVER: Role[] = ['approver'];

const parse = (text: string, roles: Role[] = DEPUTY) => parseCommand(text, { now: NOW, roles });

function command(r: ParseResult): CommandParse {
  if (r.kind !== 'command') throw new Error(`expected a command, got ${JSON.stringify(r)}`);
  return r;
}

const WORD_ONLY = CATALOG.filter((c) => 'wordOnly' in c && c.wordOnly);
const STAFF_IDS = new Set<string>(CATALOG.filter((c) => c.who === 'staff').map((c) => c.id));
const DEPUTY_IDS = new Set<string>(CATALOG.filter((c) => c.who === 'deputy').map((c) => c.id));

describe('what is not a command', () => {
  it('is empty when nothing is left after the mention, spaces, punctuation and fillers', () => {
    for (const t of ['', '  ', '@人大代表助手', '＠机器人　', '。。。', '嗯', '呃……']) {
      expect(parse(t).kind, t).toBe('empty');
    }
  });

  it('is a choice for a lone number 1–9', () => {
    expect(parse('2')).toEqual({ kind: 'choice', index: 2 });
    expect(parse('３')).toEqual({ kind: 'choice', index: 3 });
    expect(parse('第一个')).toEqual({ kind: 'choice', index: 1 });
    expect(parse('选9')).toEqual({ kind: 'choice', index: 9 });
    expect(parse('0').kind).toBe('unclear');
    expect(parse('10').kind).toBe('unclear');
  });

  it('is small talk for greetings, thanks and acknowledgements alone', () => {
    expect(parse('您好')).toEqual({ kind: 'smalltalk', act: 'greeting' });
    expect(parse('谢谢您！')).toEqual({ kind: 'smalltalk', act: 'thanks' });
    expect(parse('好的')).toEqual({ kind: 'smalltalk', act: 'ack' });
    // A greeting in front of a command is only a greeting.
    expect(command(parse('你好，我要请假')).id).toBe('leave.request');
    expect(command(parse('查一下JY-2026-0012，谢谢')).id).toBe('item.query');
  });

  it('is unclear, with exactly three distinct numbered suggestions, for anything else', () => {
    for (const t of ['今天天气不错', '请客', '哈哈', 'xyz', '我在开会', '满意度调查']) {
      const r = parse(t);
      if (r.kind !== 'unclear') throw new Error(`${t}: ${JSON.stringify(r)}`);
      expect(r.suggestions).toHaveLength(3);
      expect(new Set(r.suggestions.map((s) => s.id)).size).toBe(3);
      expect(r.suggestions.map((s) => s.index)).toEqual([1, 2, 3]);
      for (const s of r.suggestions) expect(s.word).toBe(CATALOG.find((c) => c.id === s.id)!.word);
    }
  });

  it('puts the nearest command first', () => {
    const r = parse('请客');
    expect(r.kind === 'unclear' && r.suggestions[0]!.id).toBe('leave.request');
    const s = parse('接待');
    expect(s.kind === 'unclear' && s.suggestions[0]!.id).toBe('reception.day');
  });

  // Issue 14: a command word typed with a same-sound character, or one character off, is the command.
  it('reads same-sound and one-off command words as the command', () => {
    for (const [t, id] of [
      ['请家', 'leave.request'],
      ['请加 十号的常委会 出差', 'leave.request'],
      ['接待曰', 'reception.day'],
      ['接带日', 'reception.day'],
      ['建意 小区路灯坏了', 'suggestion.submit'],
      ['查寻', 'item.query'],
      ['帮组', 'help'],
    ] as const) {
      const r = parse(t);
      expect(r.kind === 'command' && r.id, t).toBe(id);
    }
    // Real words of the same sound stay what they are.
    for (const t of ['请加快修路', '一件事', '简易房']) {
      const r = parse(t);
      expect(r.kind === 'command' && r.id === 'leave.request', t).toBe(false);
    }
    // Staff words typed in haste, with what follows them read as usual.
    for (const [t, id] of [
      ['交版 JY-2026-0003 市水务局', 'suggestion.assign'],
      ['延其 JY-2026-0002 2027年4月1日 需要协调', 'suggestion.extend'],
      ['待录 张三 建议 路灯坏了', 'suggestion.proxy'],
      ['答付 JY-2026-0001 已修好', 'suggestion.answer'],
    ] as const) {
      const r = parse(t, STAFF);
      expect(r.kind === 'command' && r.id, t).toBe(id);
      expect(r.kind === 'command' && r.missing, t).toEqual([]);
    }
    // The words offices use for them.
    for (const [t, id] of [
      ['回复 JY-2026-0001 路灯已修好', 'suggestion.answer'],
      ['录入答复 JY-2026-0001 路灯已修好', 'suggestion.answer'],
      ['延长 JY-2026-0002 2027年4月15日 需要调研', 'suggestion.extend'],
      ['代办', 'staff.queue'],
      ['替钱七提个建议：农村公交班次太少', 'suggestion.proxy'],
    ] as const) {
      const r = parse(t, STAFF);
      expect(r.kind === 'command' && r.id, t).toBe(id);
    }
    const notice = parse('发通知：明天上午九点开会', STAFF);
    expect(notice.kind === 'command' && [notice.id, notice.args, notice.missing.map((m) => m.name)]).toEqual([
      'broadcast.notify',
      { content: '明天上午九点开会' },
      ['targets'],
    ]);
    const all = parse('发通知 全体 明天上午九点开会', STAFF);
    expect(all.kind === 'command' && all.args).toEqual({
      targets: { all: true },
      content: '明天上午九点开会',
    });
    const proxy = parse('代张三提建议 菜价太高', STAFF);
    expect(proxy.kind === 'command' && proxy.args).toEqual({
      deputy: '张三',
      kind: '建议',
      content: '菜价太高',
    });
    // A deputy asking for a reply is no staff 答复.
    const asking = parse('回复一下我的建议');
    expect(asking.kind === 'command' && asking.id).toBe('item.query');
    // 交班 (a shift handed over) and 延给 are words of their own; 不同意 is no 不满意.
    for (const t of ['交班 JY-2026-0003', '延给 JY-2026-0003'])
      expect(parse(t, STAFF).kind, t).toBe('unclear');
    const refuse = parse('不同意');
    expect(refuse.kind === 'command' && refuse.id === 'suggestion.rate').toBe(false);
  });

  it('suggests only what the person may use, and never the dialog words', () => {
    const d = parse('随便说点什么', DEPUTY);
    if (d.kind !== 'unclear') throw new Error('expected unclear');
    for (const s of d.suggestions) expect(DEPUTY_IDS.has(s.id) || s.id === 'help').toBe(true);
    const st = parse('随便说点什么', STAFF);
    if (st.kind !== 'unclear') throw new Error('expected unclear');
    for (const s of st.suggestions) expect(STAFF_IDS.has(s.id) || s.id === 'help').toBe(true);
    for (const r of [d, st])
      for (const s of r.suggestions) expect(['dialog.confirm', 'dialog.cancel']).not.toContain(s.id);
  });
});

describe('staff commands that change or send something', () => {
  const near = [
    '批一下这个请假',
    '同意QJ-2026-0001',
    '准了 QJ-2026-0001',
    '期限往后延一下 JY-2026-0012',
    '回复一下代表 JY-2026-0012 已办结',
    '批准了吗',
    '答复了没有',
  ];

  it.each(near)('are not guessed from %j', (text) => {
    const r = parse(text, ['deputy', 'staff', 'approver']);
    if (r.kind === 'command') expect(WORD_ONLY.map((c) => c.id)).not.toContain(r.id);
    if (r.kind === 'unclear') expect(r.suggestions).toHaveLength(3);
  });

  // A notice asked for as one asks a colleague names 通知 itself, and 通知 only previews: nothing is sent
  // before 确认.
  it('reads "给全体发个通知" as 通知 to all, asking what it says', () => {
    const r = parse('给全体发个通知', ['deputy', 'staff', 'approver']);
    if (r.kind !== 'command') throw new Error(`expected a command, got ${r.kind}`);
    expect(r.id).toBe('broadcast.notify');
    expect(r.args).toEqual({ targets: { all: true } });
    expect(r.missing.map((m) => m.name)).toEqual(['content']);
  });

  it.each([
    '把JY-2026-0012交给市交通局',
    '这件交给市交通局',
    '交给市交通局 JY-2026-0012',
    '把路灯那个交给市交通局',
    '路灯那条建议交给市交通局',
  ])('are asked about before they are done when said without their word: %j', (text) => {
    const r = parse(text, ['deputy', 'staff', 'approver']);
    expect(r).toMatchObject({ kind: 'command', id: 'suggestion.assign', loose: true });
  });

  it('read 群发 and 广播 as 通知, and a notice written with no group as the notice alone', () => {
    for (const word of ['群发', '广播'])
      expect(command(parse(`${word} 第一小组 周五活动`, STAFF))).toMatchObject({
        id: 'broadcast.notify',
        args: { targets: { all: false, groups: ['第一小组'] }, content: '周五活动' },
      });
    const r = command(parse('通知 明天上午9点开会，请各位代表准时参加', STAFF));
    expect(r).toMatchObject({
      id: 'broadcast.notify',
      args: { content: '明天上午9点开会，请各位代表准时参加' },
    });
    expect(r.args).not.toHaveProperty('targets');
  });

  it('keep an item named in words inside another command’s words as those words', () => {
    const r = command(parse('代录 张三 建议 村口路灯那个交给住建局管一管', STAFF));
    expect(r.id).toBe('suggestion.proxy');
    expect(r.args).toMatchObject({ deputy: '张三', content: '村口路灯那个交给住建局管一管' });
    // A deputy naming an item that way hands nothing over.
    expect(parse('把路灯那个交给住建局', DEPUTY)).not.toMatchObject({ id: 'suggestion.assign' });
  });

  it('are never done from a text that lacks their word', () => {
    const pieces = fc.constantFrom(
      '批',
      '准',
      '不',
      '交',
      '办',
      '延',
      '期',
      '答',
      '复',
      '通',
      '知',
      '一下',
      '了',
      '吗',
      '我',
      '给',
      '请',
      '同意',
      'QJ-2026-0001',
      'JY-2026-0012',
      '市交通局',
      '全体',
      ' ',
      '，',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        const r = parse(text, ['deputy', 'staff', 'approver']);
        if (r.kind !== 'command') return;
        // Without its word a step is at most asked about ("交给市交通局": 确定把…交办给市交通局吗？), never done.
        for (const c of WORD_ONLY) if (!text.includes(c.word) && r.id === c.id) expect(r.loose).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('are read with their word whoever sends them (the role is checked when acting)', () => {
    const r = command(parse('批准 QJ-2026-0001', DEPUTY));
    expect(r.id).toBe('leave.approve');
    expect(r.args).toEqual({ code: 'QJ-2026-0001' });
  });
});

describe('arguments', () => {
  it('lists what is missing with the question to ask, in order', () => {
    const r = command(parse('请假'));
    expect(r.missing.map((m) => [m.name, m.question])).toEqual([
      ['meeting', '请问您要请假的是哪个会议或活动？'],
      ['reason', '请问请假的事由是什么？'],
    ]);
    const x = command(parse('延期 JY-2026-0012', STAFF));
    expect(x.missing.map((m) => m.name)).toEqual(['date', 'reason']);
  });

  it('marks what the item just talked about may fill', () => {
    const r = command(parse('催一下'));
    expect(r.id).toBe('suggestion.urge');
    expect(r.missing).toEqual([expect.objectContaining({ name: 'code', fromContext: true })]);
  });

  it('reports a bad value with what was written and why, and leaves it out of args', () => {
    const m = command(parse('接待日 2026-13'));
    expect(m.id).toBe('reception.day');
    expect(m.args).toEqual({});
    expect(m.invalid).toEqual([expect.objectContaining({ name: 'month', given: '2026-13' })]);
    expect(m.invalid[0]!.error).toContain('1 到 12');

    const d = command(parse('延期 JY-2026-0012 2027-02-30 情况复杂', STAFF));
    expect(d.invalid).toEqual([expect.objectContaining({ name: 'date' })]);
    expect(d.invalid[0]!.error).toContain('2027年2月没有30日');
    expect(d.args).toEqual({ code: 'JY-2026-0012', reason: '情况复杂' });
    expect(d.missing).toEqual([]);
  });

  it('refuses a code of the wrong kind, naming both kinds', () => {
    const r = command(parse('批准 JY-2026-0012', APPROVER));
    expect(r.id).toBe('leave.approve');
    expect(r.args).toEqual({});
    expect(r.invalid[0]!.error).toContain('建议编号');
    expect(r.invalid[0]!.error).toContain('请假编号');
    const u = command(parse('催一下QJ-2026-0001'));
    expect(u.id).toBe('suggestion.urge');
    expect(u.invalid[0]!.given).toBe('QJ-2026-0001');
  });

  it('refuses a malformed code', () => {
    const r = command(parse('批准 QJ-26-1', APPROVER));
    expect(r.invalid).toEqual([expect.objectContaining({ name: 'code', given: 'QJ-26-1' })]);
  });

  it('hands on free text as it was written, Chinese punctuation and all', () => {
    const r = command(parse('建议：在幸福路口加装红绿灯，方便学生过马路。'));
    expect(r.args).toEqual({ kind: '建议', content: '在幸福路口加装红绿灯，方便学生过马路' });
    const a = command(parse('答复 ｊｙ－２０２６－００１２ 已协调交警部门，年底前完成！', STAFF));
    expect(a.args).toEqual({ code: 'JY-2026-0012', content: '已协调交警部门，年底前完成' });
  });

  it('reads an activity code after 请假 as declining that invitation', () => {
    const r = command(parse('请假 HD-2026-0003 出差'));
    expect(r.id).toBe('activity.decline');
    expect(r.word).toBe('请假');
    expect(r.args).toEqual({ code: 'HD-2026-0003', reason: '出差' });
  });

  it('tells the meeting from the reason around 去不了, in either order', () => {
    const leave = (text: string) => {
      const r = command(parse(text));
      expect(r.id).toBe('leave.request');
      return r.args;
    };
    expect(leave('视察那天我有事去不了')).toEqual({ meeting: { name: '视察' }, reason: '有事' });
    expect(leave('我有事去不了视察')).toEqual({ meeting: { name: '视察' }, reason: '有事' });
    expect(leave('明天有事去不了')).toEqual({ meeting: { name: '明天' }, reason: '有事' });
    expect(leave('我去不了明天的会')).toEqual({ meeting: { name: '明天的会' } });
    expect(leave('常委会我家里有事去不了')).toEqual({ meeting: { name: '常委会' }, reason: '家里有事' });
    // The words that decline name what is declined; a reason alone names no meeting.
    expect(leave('我不去视察了')).toEqual({ meeting: { name: '视察' } });
    expect(leave('家里有事去不了')).toEqual({ reason: '家里有事' });
    // A meeting named with its day before 去不了 stays whole.
    expect(leave('明天的常委会我去不了')).toEqual({ meeting: { name: '明天的常委会' } });
  });

  it('reads “有什么要处理的” as staff asking for their queue, and never from a deputy', () => {
    expect(command(parse('今天有什么要处理的', ['staff'])).id).toBe('staff.queue');
    const deputy = parse('今天有什么要处理的', ['deputy']);
    expect(deputy.kind === 'command' ? deputy.id : deputy.kind).not.toBe('staff.queue');
  });

  it('marks a rating read from words that only lean one way, and keeps a correction out of a reason', () => {
    expect(command(parse('还行吧')).loose).toBe(true);
    expect(command(parse('基本满意')).loose).toBeUndefined();
    const corrected = command(parse('不对，我是说不满意'));
    expect(corrected.args).toEqual({ rating: '不满意' });
  });

  it('leaves the writer’s greeting and self-introduction out of a suggestion told in words', () => {
    const r = command(parse('喂 你好 我是张秀英代表 我想反映一下 村里那条路坑坑洼洼的 希望能给修一修'));
    expect(r.id).toBe('suggestion.submit');
    expect(r.args).toMatchObject({ content: '村里那条路坑坑洼洼的 希望能给修一修' });
    // Without an introduction, the matter is what follows the request.
    expect(command(parse('我想反映一下村里的路没法走')).args).toMatchObject({ content: '村里的路没法走' });
  });

  it('reads an answer to an invitation’s notice as attending, not as asking for an inspection', () => {
    const r = command(parse('我收到一个视察的通知，我能去'));
    expect(r.id).toBe('activity.attend');
    expect(r.args).toEqual({ meeting: { name: '视察' } });
    expect(command(parse('视察 养老院服务情况')).id).toBe('inspection.request');
    expect(command(parse('接待日的通知收到了，我能去')).id).not.toBe('activity.attend');
  });

  it('gives the year of 我的履职 as a number', () => {
    expect(command(parse('我的履职 2025')).args).toEqual({ year: 2025 });
    expect(command(parse('去年的履职情况')).args).toEqual({ year: 2025 });
  });

  it('reads months relative to now', () => {
    const at = (now: string) => parseCommand('下个月接待日', { now, roles: DEPUTY });
    expect(command(at('2026-12-31')).args).toEqual({ month: '2027-01' });
    expect(command(at('2026-10-15')).args).toEqual({ month: '2026-11' });
  });

  it('reads a bare code as a question about that item', () => {
    const r = command(parse('JD-2026-0002'));
    expect(r.id).toBe('item.query');
    expect(r.args).toEqual({ code: 'JD-2026-0002' });
  });

  it('tells a phrase from a word', () => {
    expect(command(parse('建议 修路')).via).toBe('word');
    expect(command(parse('我有个建议：修路')).via).toBe('phrase');
  });

  it('reads a question that starts with a command word as the question', () => {
    expect(command(parse('建议办得怎么样了')).id).toBe('item.query');
    expect(command(parse('答复了吗')).id).toBe('item.query');
    expect(command(parse('帮助我查一下进度')).id).toBe('item.query');
    expect(command(parse('确认一下我的请假批了没有')).id).toBe('item.query');
    expect(command(parse('取消下个月的预约')).id).toBe('reception.cancel');
  });

  it('reads not going to the reception day as not going, never as booking it', () => {
    for (const text of ['去不了接待日', '参加不了接待日', '我下个月5号去不了接待日', '没法去接待日'])
      expect(command(parse(text)).id).toBe('reception.cancel');
    for (const text of ['去接待日', '我想去下个月的接待日'])
      expect(command(parse(text)).id).toBe('reception.book');
  });
});

describe('any text', () => {
  it('gets an answer of a known kind, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const r = parse(text, ['deputy', 'staff', 'approver']);
        expect(['command', 'choice', 'smalltalk', 'unclear', 'empty']).toContain(r.kind);
        if (r.kind === 'unclear') expect(new Set(r.suggestions.map((s) => s.id)).size).toBe(3);
      }),
      { numRuns: 500 },
    );
  });
});
