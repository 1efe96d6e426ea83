import { type LeaveDetail, STATUS_TEXT } from '../services/leave/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { escapeHtml, printablePage } from './html.ts';

// 山西 第八条 (S5): the written request (请假单) for the deciding body, printable. Everything a person wrote
// is escaped.

export function renderLeaveForm(r: LeaveDetail): string {
  const e = escapeHtml;
  const subject =
    r.session_name !== null
      ? `${r.session_name}（${formatDate(r.session_starts_on!)}${
          r.session_ends_on !== r.session_starts_on ? `至${formatDate(r.session_ends_on!)}` : ''
        }）`
      : `${r.activity_title ?? ''}（${r.activity_code ?? ''}）`;
  const basis =
    r.session_id !== null
      ? '《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第八条'
      : '《大同市人民代表大会常务委员会加强同代表联系充分发挥代表作用的办法》第十一条';
  const decision =
    r.status === 'pending'
      ? '□ 批准　　□ 不批准<br>日期：　　　年　　月　　日'
      : r.status === 'forwarded'
        ? '已转呈省人大常委会'
        : r.status === 'withdrawn'
          ? e(STATUS_TEXT.withdrawn)
          : `${e(STATUS_TEXT[r.status])}（${e(r.decided_on ? formatDate(r.decided_on) : '')}）${
              r.decision_reason ? `，理由：${e(r.decision_reason)}` : ''
            }`;
  const body = `<h1>请假单</h1>
<p>${e(r.deciding_body_label)}：</p>
<table>
<tr><th>编号</th><td>${e(r.code)}</td></tr>
<tr><th>代表姓名</th><td>${e(r.deputy_name)}</td></tr>
<tr><th>所属人大</th><td>${e(r.congress_name)}</td></tr>
<tr><th>选举单位</th><td>${e(r.electoral_unit ?? '')}</td></tr>
<tr><th>请假会议或活动</th><td>${e(subject)}</td></tr>
<tr><th>请假时段</th><td>${e(r.phase === 'before' ? '会议召开前提出' : r.phase === 'during' ? '会议期间提出' : '活动前提出')}</td></tr>
<tr><th>请假事由</th><td>${e(r.reason)}</td></tr>
<tr><th>提出日期</th><td>${e(formatDate(r.submitted_on))}${r.entered_by_staff ? '（工作人员代录）' : ''}</td></tr>
<tr><th>决定机关</th><td>${e(r.deciding_body_label)}</td></tr>
<tr><th>决定</th><td>${decision}</td></tr>
</table>
<p class="sign">请假人（签字）：＿＿＿＿＿＿</p>
<p class="note">依据：${e(basis)}。</p>`;
  return printablePage(`请假单 ${r.code}`, body);
}
