import type { Reply } from '../../messaging/index.ts';
import { undoExtension } from '../../services/suggestions/index.ts';
import { staffCongressesOf } from '../dispatch/sender-roles.ts';
import { mayUse } from '../language/command-catalog.ts';
import { act } from './own-items.ts';
import type { TurnScope } from './scope.ts';

// "延期 JY-… 2027-04-30 理由", then "撤销延期" (不对，不延期了; 延期搞错了): staff taking back the 延期 of
// the item just talked about. Done at once (it only restores what was), and said what the dates are again.

/** Words that take back an extension, as the whole message (with a leading "不对" and the like). */
const UNDO =
  /^(?:(?:不对|不是|错了|算了|哦|哎|唉)[，,。！!\s]*)*(?:(?:撤销|撤回|取消|收回|作废)(?:刚才|刚刚)?的?(?:这个|那个)?延期|延期(?:撤销|撤回|取消|作废|不算)|(?:先|还是)?不(?:用|要|需要)?延(?:期|长)?了|延期(?:搞|弄|写|发|办)?错了)(?:吧|了|啊|呀)?[。.！!]*$/;

/** Whether the message takes back an extension. */
export const undoesExtension = (text: string): boolean => UNDO.test(text.trim());

/** The extension of the item just talked about, taken back; null when the words say nothing of it. */
export async function undoLastExtension(t: TurnScope, text: string): Promise<Reply | null> {
  const code = t.conv.lastItem;
  if (!mayUse('staff', t.standing.roles) || !undoesExtension(text)) return null;
  if (!code?.startsWith('JY-'))
    return { text: '要撤销哪一项的延期？请先发“查询 编号”打开那一项，再说“撤销延期”。' };
  const { sender, msg } = t.ctx;
  return act(
    t,
    () =>
      undoExtension(t.ctx.deps, {
        code,
        actor: { id: `person:${sender.personId}`, name: sender.name, personId: sender.personId },
        scope: staffCongressesOf(sender),
        audit: { via: 'chat', requestId: `${msg.channel}:${msg.messageKey}` },
      }),
    (u) => {
      const told = [
        ...(u.deputiesTold ? ['代表'] : []),
        ...(u.organsTold.length > 0 ? [`${u.organsTold.join('、')}联系人`] : []),
      ];
      return (
        `已撤销 ${u.item.code} 的延期，期限恢复为：\n${u.restored.map((r) => `${r.organ}：${r.due}`).join('\n')}\n` +
        (told.length > 0 ? `已告知${told.join('和')}延期作废。` : '延期的通知还没有发出，已不再发送。')
      );
    },
  );
}
