import type { CliCommand } from './command.ts';
import { simulateWecomMessage } from './simulator.ts';

export const simulateCommand: CliCommand = {
  words: ['simulate'],
  usage: 'simulate <userid> <text>',
  summary: '以该用户身份经企业微信回调完整路径发送一条消息，并打印回复',
  needsDeps: true,
  async run(args, io, deps) {
    const [userid, ...words] = args;
    const text = words.join(' ').trim();
    if (!userid || text === '') {
      io.err('用法: npm run cli -- simulate <企业微信账号> <消息内容>');
      return 2;
    }
    const result = await simulateWecomMessage(deps!, userid, text);
    if (result.status !== 200) {
      io.err(`回调未被接受（HTTP ${result.status}）`);
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
