import type { Db } from '../../../db/client.ts';
import { findRobotSecret } from '../../../db/repositories/groups.ts';
import type { OutboundEnvelope, OutboundSender, SendResult } from '../../messaging/index.ts';
import type { DingtalkRobotClient } from './robot-client.ts';

// The outbox's way out on DingTalk, for custom group robots: the row carries the robot's access token,
// its signing secret stays in group_bindings and is read at send time (never copied into the outbox).

export function dingtalkSender(client: DingtalkRobotClient, db: Db): OutboundSender {
  return {
    async send(msg: OutboundEnvelope): Promise<SendResult> {
      if (msg.targetKind !== 'dingtalk_robot') {
        return {
          ok: false,
          code: 'unsupported_target',
          message: `钉钉暂不支持发送到 ${msg.targetKind}`,
          retryable: false,
        };
      }
      const secret = await findRobotSecret(db, msg.targetAddress);
      // No duplicate window (DingTalk documents none): a send with no answer ends 'unknown', not resent.
      return client.sendText(msg.targetAddress, secret, msg.payload.text, msg.idempotencyKey);
    },
  };
}
