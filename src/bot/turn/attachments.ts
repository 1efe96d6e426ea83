import type { Reply } from '../../messaging/index.ts';
import { candidatesFor } from '../dialog/item-words.ts';
import type { Attachment } from '../dialog/state.ts';
import { ATTACHMENT_WORD, YES_NO } from '../dialog/wording.ts';
import { addPhotos, askPhotoItem } from './own-items.ts';
import type { TurnScope } from './scope.ts';

// Photos, videos, files and places sent: with the dialog in progress, to the item 补充照片 waits for, or
// kept for the suggestion that follows.

/** The suggestion just talked about, when it is the sender's and still takes photos. */
async function justFiled(t: TurnScope): Promise<{ code: string; label: string } | null> {
  const last = t.conv.lastItem;
  if (!last?.startsWith('JY-')) return null;
  const open = await candidatesFor(t.ctx.deps, 'photo', t.ctx.sender.personId, t.ctx.today);
  return open.find((c) => c.code === last) ?? null;
}

/** The commands whose item keeps photos, files and places sent with it. */
const TAKES_ATTACHMENTS: ReadonlySet<string> = new Set(['suggestion.submit', 'suggestion.proxy']);

export async function onAttachment(t: TurnScope, stored: number | undefined): Promise<Reply> {
  const { msg } = t.ctx;
  const attachment: Attachment =
    msg.kind === 'image' || msg.kind === 'video' || msg.kind === 'file'
      ? {
          kind: msg.kind,
          ...(msg.media?.mediaId ? { mediaId: msg.media.mediaId } : {}),
          ...(msg.media?.url ? { url: msg.media.url } : {}),
          ...(msg.media?.fileName ? { fileName: msg.media.fileName } : {}),
          ...(stored !== undefined ? { stored } : {}),
        }
      : {
          kind: 'location',
          ...(msg.location
            ? {
                latitude: msg.location.latitude,
                longitude: msg.location.longitude,
                ...(msg.location.label ? { label: msg.location.label } : {}),
              }
            : {}),
        };
  const what = ATTACHMENT_WORD[msg.kind] ?? '位置';
  if (t.conv.dialog) {
    const dialog = t.conv.dialog;
    dialog.expiresAt = t.conversations.expiry();
    const next = dialog.missing[0];
    const ask = next ? `\n${next.question}` : '';
    // Only a suggestion carries what is sent with it; a leave request has no place for a photo, and
    // promising otherwise would lose the 住院证明 the deputy believes was handed in.
    if (!TAKES_ATTACHMENTS.has(dialog.commandId)) {
      return {
        text: `“${dialog.word}”不用附${what}，这个${what}没有随“${dialog.word}”提交。如有证明材料（例如住院证明），请交给人大常委会代表工作机构。${ask}`,
      };
    }
    dialog.attachments.push(attachment);
    return { text: `已收到${what}，会随“${dialog.word}”一并提交。${ask}` };
  }
  // 补充照片 asked for just before: the photo goes to that item.
  const waiting = t.conv.itemAction?.value;
  if (waiting?.action === 'photo' && attachment.kind === 'image') {
    t.conv.itemAction = t.conversations.keep(waiting);
    return addPhotos(t, waiting.code, [attachment]);
  }
  // Photos and places first: kept 30 minutes for the suggestion that follows.
  t.conv.kept = t.conversations.keep([...(t.conv.kept?.value ?? []), attachment]);
  // 补充照片 was asked "to which item?" and a photo came instead of a number.
  const photoChoice = t.conv.choice?.options.filter((o) => o.word === '补充照片') ?? [];
  if (attachment.kind === 'image' && photoChoice.length > 0) return askPhotoItem(t, photoChoice);
  if (t.conv.confirm?.commandId === 'suggestion.submit') {
    t.conv.confirm.expiresAt = t.conversations.expiry();
    return { text: `已收到${what}，提交时一并附上。要把刚才那段话作为建议提交吗？`, buttons: YES_NO };
  }
  // A photo just after a suggestion was filed most likely belongs to it ("刚才忘了发照片了"): asked.
  const just = attachment.kind === 'image' ? await justFiled(t) : null;
  if (just) {
    t.conv.confirm = {
      commandId: 'item.photo',
      word: '补充照片',
      args: { code: just.code, justFiled: true },
      question: '',
      expiresAt: t.conversations.expiry(),
    };
    return { text: `已收到照片。要把它补充到刚才的 ${just.label} 吗？`, buttons: YES_NO };
  }
  return {
    text: `已收到${what}，先为您保存30分钟。请接着说说要反映的问题，例如“建议 路口积水严重，希望疏通”，${what}会随建议一起提交。`,
  };
}
