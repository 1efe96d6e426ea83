import type { AuditEntry } from '../../../db/repositories/audit.ts';
import type { MandateRole, MandateStatus } from '../../../db/schema.ts';
import { ROLE_LABEL, STATUS_LABEL } from './csv.ts';

// What one roster line does, as staff read it in the preview before they apply the file: each change
// named, from the line's audit entries (the same the import would write).

export interface LineChange {
  line: number;
  name: string;
  congress: string;
  kind: 'created' | 'updated' | 'unchanged';
  /** Each change in plain words; empty when the line changes nothing. */
  changes: string[];
}

const PERSON_FIELD: Record<string, string> = {
  name: '姓名',
  mobile: '手机',
  wecom_userid: '企业微信账号',
  dingtalk_userid: '钉钉账号',
};

const MANDATE_FIELD: Record<string, string> = {
  electoral_unit: '选举单位',
  large_group_id: '代表大组',
  small_group_id: '代表小组',
  station_id: '联络站',
  role: '角色',
};

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '（空）' : String(v));

/** The changes of one line from its audit entries; `named` gives the group/station names the line sets. */
export function describeLineChanges(
  audits: AuditEntry[],
  named: {
    largeGroup?: string | null;
    smallGroup?: string | null;
    station?: string | null;
    electoralUnit?: string | null;
  },
  status: { from: MandateStatus; to: MandateStatus } | null,
): string[] {
  const out: string[] = [];
  for (const a of audits) {
    const d = (a.detail ?? {}) as Record<string, unknown>;
    if (a.action === 'congress.create') out.push(`新建人大「${shown(d.name)}」`);
    else if (a.action === 'group.create')
      out.push(`新建${d.kind === 'large' ? '代表大组' : '代表小组'}「${shown(d.name)}」`);
    else if (a.action === 'station.create') out.push(`新建联络站「${shown(d.name)}」`);
    else if (a.action === 'person.create') out.push('新增人员');
    else if (a.action === 'mandate.create')
      out.push(
        `新增职务：${ROLE_LABEL[d.role as MandateRole] ?? ''}（${STATUS_LABEL[d.status as MandateStatus] ?? ''}）`,
      );
    else if (a.action === 'person.update') {
      for (const [k, v] of Object.entries((d.changes ?? {}) as Record<string, [unknown, unknown]>))
        out.push(`${PERSON_FIELD[k] ?? k}：${shown(v[0])} → ${shown(v[1])}`);
    } else if (a.action === 'mandate.update') {
      for (const [k, v] of Object.entries((d.changes ?? {}) as Record<string, unknown>)) {
        const to =
          k === 'large_group_id'
            ? named.largeGroup
            : k === 'small_group_id'
              ? named.smallGroup
              : k === 'station_id'
                ? named.station
                : k === 'role'
                  ? ROLE_LABEL[v as MandateRole]
                  : v;
        out.push(`${MANDATE_FIELD[k] ?? k}改为 ${shown(to)}`);
      }
    }
  }
  if (status)
    out.push(`职务状态：${STATUS_LABEL[status.from]} → ${STATUS_LABEL[status.to]}（会通知代表本人）`);
  return out;
}
