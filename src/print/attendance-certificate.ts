import type { Deps } from '../deps.ts';
import { activityTime, attendedInPeriod, KIND_LABEL } from '../services/activities/index.ts';
import { formatDate } from '../statute/date-text.ts';
import { escapeHtml, printablePage } from './html.ts';

// 大同 第十四条, 山西 第三十九条 (S19): 代表参加闭会期间活动，所在单位按正常出勤对待. A printable certificate
// (出勤证明) for the deputy's employer, from the attendance recorded in the duty record.

export async function attendanceCertificate(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  input: { mandateId: number; from: string; to: string; tokenCongressId: number | null },
): Promise<string> {
  const { deputy: m, activities: rows } = await attendedInPeriod(deps, input);
  const tz = deps.config.timezone;
  const e = escapeHtml;
  const table =
    rows.length === 0
      ? '<p>该期间没有记录到参加的代表活动。</p>'
      : `<table><tr><th>时间</th><th>活动</th><th>组织单位</th><th>地点</th></tr>${rows
          .map(
            (r) =>
              `<tr><td>${e(activityTime(r.starts_at, r.ends_at, tz))}</td><td>${e(KIND_LABEL[r.kind])}：${e(r.title)}（${e(r.code)}）</td><td>${e(r.organiser)}</td><td>${e(r.place ?? '')}</td></tr>`,
          )
          .join('')}</table>`;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(deps.clock.now());
  const body = `<h1>出勤证明</h1>
<p>兹证明${e(m.congress)}代表<strong>${e(m.name)}</strong>${m.electoral_unit ? `（选举单位：${e(m.electoral_unit)}）` : ''}于 ${e(formatDate(input.from))} 至 ${e(formatDate(input.to))} 期间参加了以下代表活动：</p>
${table}
<p>依照《大同市人民代表大会常务委员会加强同代表联系充分发挥代表作用的办法》第十四条和《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第三十九条，代表参加由本级人民代表大会或者其常务委员会安排的代表活动，代表所在单位按正常出勤对待，享受所在单位的工资和其他待遇。</p>
<p>特此证明。</p>
<p class="sign">（盖章）<br>${e(formatDate(today))}</p>`;
  return printablePage(`出勤证明 ${m.name}`, body);
}
