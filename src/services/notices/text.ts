// What staff read from the notices domain.

export const DINGTALK_QUOTA_SPENT_TEXT =
  '钉钉提醒：本组织本月的钉钉机器人调用额度已用完（错误码 20001），此后代表在钉钉上发给机器人的消息收不到回复。' +
  '请管理员在钉钉开放平台查看用量并升级或购买额度；在此之前，请提醒代表改用企业微信，或直接与工作人员联系。';

/** Why a broadcast's message was not sent (the outbox's last error of each message withdrawn). */
export const BROADCAST_WITHDRAWN_ERROR = '工作人员撤回了这条通知未发出的部分，此条未发送';

/**
 * What staff read after withdrawing a broadcast's unsent messages: how many stopped, and plainly that what
 * went out is not recalled. `left` is the broadcast after the withdrawal.
 */
export function withdrawalText(
  withdrawn: number,
  left: { sent: number; waiting: number; unknown: number },
): string {
  const done =
    withdrawn > 0
      ? `已撤回 ${withdrawn} 条未发出的消息，它们不会再发出。`
      : '这条通知已经没有可以撤回的消息，这次没有改动。';
  const sent = left.sent > 0 ? `已经发出的 ${left.sent} 条不会撤回，收到的群和代表仍能看到。` : '';
  // Waiting here is only what no withdrawal may stop: being sent, or sent perhaps (as are the unknown).
  const busy = left.waiting + left.unknown;
  const held = busy > 0 ? `另有 ${busy} 条正在发送，或已发出但还不知道是否送达，不能撤回。` : '';
  return done + sent + held;
}
