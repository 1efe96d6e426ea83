import { remindUnsignedLeads, sendOrganDigests } from '../src/services/suggestions/index.ts';
import type { TaskJob } from './reminder-ledger.ts';

// The organs' side (《代表法》第五十一条第二款; 第五十二条 督促办理): a lead organ that has not signed for an
// item within 3 working days is reminded once (the assignment records it: sign_reminded_at), and each
// organ's contacts get one digest a week of the items due within 14 days or overdue (one outbox key per
// organ and week). Both run with the S8 jobs, daily before sending hours.

export const organSignJob: TaskJob = {
  kind: 'task',
  name: 'organ-sign',
  rules: ['S8'],
  summary: '交办 3 个工作日后仍未签收的，提醒承办单位',
  run: async ({ deps }) => {
    const codes = await remindUnsignedLeads(deps);
    return [codes.length > 0 ? `已提醒签收：${codes.join('、')}` : '没有逾期未签收的事项'];
  },
};

export const organDigestJob: TaskJob = {
  kind: 'task',
  name: 'organ-digest',
  rules: ['S8'],
  summary: '每周一次，把 14 天内到期或已超期的事项汇总发给承办单位',
  run: async ({ deps }) => {
    const organs = await sendOrganDigests(deps);
    return [organs.length > 0 ? `已排队本周到期提醒：${organs.join('、')}` : '没有需要提醒的承办单位'];
  },
};
