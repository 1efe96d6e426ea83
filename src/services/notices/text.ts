// What staff read from the notices domain.

export const DINGTALK_QUOTA_SPENT_TEXT =
  '钉钉提醒：本组织本月的钉钉机器人调用额度已用完（错误码 20001），此后代表在钉钉上发给机器人的消息收不到回复。' +
  '请管理员在钉钉开放平台查看用量并升级或购买额度；在此之前，请提醒代表改用企业微信，或直接与工作人员联系。';
