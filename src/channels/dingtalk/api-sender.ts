import type { OutboundEnvelope, OutboundSender, SendResult } from '../../messaging/index.ts';
import { type DingtalkApiClient, messageOf } from './api-client.ts';

// The outbox's way out through the enterprise robot's API: a person (target 'user', their userid) by
// oToMessages/batchSend, a group the robot is in (target 'dingtalk_conversation', its openConversationId)
// by groupMessages/send. Answers with choices go as markdown with tappable lines (api-client.ts).

export function dingtalkApiSender(client: DingtalkApiClient): OutboundSender {
  return {
    async send(msg: OutboundEnvelope): Promise<SendResult> {
      const message = messageOf(msg.payload);
      const opts = { idempotencyKey: msg.idempotencyKey };
      switch (msg.targetKind) {
        case 'user': {
          const r = await client.sendToUsers([msg.targetAddress], message, opts);
          if (!r.ok) return r;
          if (r.invalidUserIds.length > 0) {
            return {
              ok: false,
              code: 'invalid_recipient',
              message: '钉钉账号不存在或不在本组织中，请核对名册中的钉钉账号',
              retryable: false,
            };
          }
          if (r.flowControlledUserIds.length > 0) {
            return {
              ok: false,
              code: 'rate_limited',
              message: '钉钉对同一人的消息限流，稍后重试',
              retryable: true,
              retryAfterMs: 60_000,
            };
          }
          return { ok: true };
        }
        case 'dingtalk_conversation':
          return client.sendToConversation(msg.targetAddress, message, opts);
        default:
          return {
            ok: false,
            code: 'unsupported_target',
            message: `钉钉企业机器人不能发送到 ${msg.targetKind}`,
            retryable: false,
          };
      }
    },
  };
}

/**
 * DingTalk's one sender, by target kind: custom group robots ('dingtalk_robot') through their signed
 * webhook, people and robot groups through the enterprise robot's API when DINGTALK_* is configured.
 */
export function dingtalkSenderByTarget(
  robots: OutboundSender,
  api: OutboundSender | undefined,
): OutboundSender {
  return {
    async send(msg: OutboundEnvelope): Promise<SendResult> {
      if (msg.targetKind === 'dingtalk_robot') return robots.send(msg);
      if (api) return api.send(msg);
      return {
        ok: false,
        code: 'configuration',
        message:
          '未配置钉钉企业机器人（DINGTALK_APP_KEY、DINGTALK_APP_SECRET、DINGTALK_ROBOT_CODE），无法发送',
        retryable: false,
      };
    },
  };
}
