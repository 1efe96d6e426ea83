// The answer to 帮助: only the commands this person may use, grouped for deputies and for staff, one
// short line each so it reads on a phone and fits a WeCom passive reply (2048 bytes).

import { ALL_COMMANDS, type CommandSpec, mayUse, type Role } from './command-catalog.ts';

const line = (c: CommandSpec) => `· ${c.usage}　${c.summary}`;

export function helpText(roles: readonly Role[]): string {
  const usable = ALL_COMMANDS.filter((c) => mayUse(c.who, roles) && !c.dialogControl && c.id !== 'help');
  const deputy = usable.filter((c) => c.who === 'deputy').sort((a, b) => a.rank - b.rank);
  const staff = usable
    .filter((c) => c.who === 'staff' || c.who === 'approver')
    .sort((a, b) => a.rank - b.rank);
  const parts: string[] = ['您可以发送以下命令（<>必填，[]可省略）：'];
  if (deputy.length > 0) parts.push('【代表】', ...deputy.map(line));
  if (staff.length > 0) parts.push('【工作人员】', ...staff.map(line));
  parts.push('缺少的内容我会逐项询问；对话中发“取消”可随时结束。');
  return parts.join('\n');
}
