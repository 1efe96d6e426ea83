// Answers that do not depend on a command.

export const NOT_ON_ROSTER =
  '您好，您的账号还不在本系统的代表名册中，暂时无法办理。如您是人大代表或工作人员，请联系人大常委会代表工作机构核对名册。';

export const SYSTEM_ERROR =
  '抱歉，系统刚才处理您的消息时出了问题，您的消息已保存。请稍后再发一次；如仍不行，请联系代表工作机构。';

/** The answer to a text over the limit (chat-text.ts): nothing of it was acted on. */
export const tooLongReply = (length: number, limit: number): string =>
  `您好，您这条消息有 ${length} 字，超过了每条消息 ${limit} 字的上限，本条消息没有办理。请精简到 ${limit} 字以内后重新发送；篇幅较长的材料可以交给代表工作机构。`;

/** Characters left free at the end of a cut text for its mark, so the whole still fits the limit. */
export const CUT_MARK_ROOM = 20;

/** What an organ contact's cut text carries where staff read it (an answer's words, a reason, history). */
export const cutMark = (kept: number): string => `（内容过长，已截取前 ${kept} 字）`;

/** Said to an organ contact whose text was cut: what was kept, and how to send the rest. */
export const cutReply = (length: number, limit: number, kept: number): string =>
  `（您这条消息有 ${length} 字，超过了每条消息 ${limit} 字的上限，只收到了前 ${kept} 字，记录中已注明“内容过长，已截取前 ${kept} 字”。其余内容请分条发送，或把材料交给人大常委会代表工作机构。）`;

/** Said in a group when the answer, being about the person alone, went to them privately. */
export const ANSWERED_PRIVATELY = '已单独回复您，请在与我的单聊中查看。';
