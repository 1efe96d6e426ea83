import type { CliCommand } from './command.ts';
import { type LongConnectionMode, simulateLongConnection, simulateWecomMessage } from './simulator.ts';

const MODES: Record<string, LongConnectionMode> = {
  '--wecom-bot': 'wecom-bot',
  '--dingtalk-stream': 'dingtalk-stream',
};

export const simulateCommand: CliCommand = {
  words: ['simulate'],
  usage: 'simulate [--wecom-bot|--dingtalk-stream] <userid> <text>',
  summary:
    '以该用户身份经企业微信回调完整路径发送一条消息，并打印回复；--wecom-bot / --dingtalk-stream 改经内置的模拟长连接网关（企业微信智能机器人 / 钉钉 Stream 模式）',
  needsDeps: true,
  async run(args, io, deps) {
    const mode = args[0] !== undefined ? MODES[args[0]] : undefined;
    const [userid, ...words] = mode ? args.slice(1) : args;
    const text = words.join(' ').trim();
    if (!userid || text === '') {
      io.err('用法: npm run cli -- simulate [--wecom-bot|--dingtalk-stream] <企业微信账号> <消息内容>');
      return 2;
    }
    const result = mode
      ? await simulateLongConnection(deps!, mode, userid, text)
      : await simulateWecomMessage(deps!, userid, text);
    if (result.status !== 200) {
      io.err(mode ? '未能连上模拟网关' : `回调未被接受（HTTP ${result.status}）`);
      return 1;
    }
    if (result.reply !== null) io.out(result.reply);
    for (const [i, text] of result.later.entries()) {
      io.out(
        result.later.length > 1 || result.reply !== null
          ? `—— 稍后发送（${i + 1}/${result.later.length}）——\n${text}`
          : text,
      );
    }
    if (result.reply === null && result.later.length === 0) io.out('（没有回复）');
    return 0;
  },
};
