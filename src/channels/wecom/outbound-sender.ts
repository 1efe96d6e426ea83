import type { OutboundEnvelope, OutboundSender, SendResult } from '../../messaging/index.ts';
import type { KvStore } from '../../store/types.ts';
import { sendAppchatText } from './appchat.ts';
import { DUPLICATE_CHECK_SEC, type WecomClient } from './client.ts';

// The outbox's way out on WeCom: a person through message/send (a button card when there are choices),
// a group through its robot webhook. The idempotency key goes to WeCom's duplicate check.

export function wecomSender(client: WecomClient, store?: KvStore): OutboundSender {
  return {
    // Only message/send has WeCom's duplicate check; a robot or app chat message is never repeated blind.
    duplicateWindowMs: (targetKind) => (targetKind === 'user' ? DUPLICATE_CHECK_SEC * 1000 : 0),
    async send(msg: OutboundEnvelope): Promise<SendResult> {
      const { payload } = msg;
      switch (msg.targetKind) {
        case 'user': {
          const text = await client.sendText(msg.targetAddress, payload.text, {
            idempotencyKey: msg.idempotencyKey,
          });
          if (!text.ok) return text;
          if (payload.buttons && payload.buttons.length > 0) {
            const card = await client.sendTemplateCard(
              msg.targetAddress,
              { title: cardTitle(payload.text), buttons: payload.buttons.slice(0, 6) },
              { idempotencyKey: `${msg.idempotencyKey}:card` },
            );
            // The text already carries the choices in words: a refused card is not worth a retry.
            if (!card.ok && card.retryable) return card;
          }
          return { ok: true };
        }
        case 'wecom_robot':
          return client.sendRobotText(msg.targetAddress, payload.text);
        case 'wecom_appchat':
          if (!store) break;
          return sendAppchatText(client, store, msg.targetAddress, payload.text);
      }
      return {
        ok: false,
        code: 'unsupported_target',
        message: `企业微信暂不支持发送到 ${msg.targetKind}`,
        retryable: false,
      };
    },
  };
}

/** WeCom suggests a card title of at most 26 characters (template_card main_title.title). */
const TITLE_MAX = 26;

/**
 * The title of the button card sent after a text: the text's last question when it fits, so the card
 * still says what it asks once the text has scrolled away; otherwise a plain word on what to do.
 */
export function cardTitle(text: string): string {
  const questions = text.match(/[^。！？?\n]*[？?]/g) ?? [];
  const last = questions.at(-1)?.trim();
  return last && [...last].length <= TITLE_MAX ? last : '请点下面的按钮选择';
}
