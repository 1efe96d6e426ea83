import type { MandateStatus } from '../../../db/schema.ts';
import { STATUS_LABEL } from './csv.ts';

// What deputies and staff read when a deputy's status changes (山西 第四十五至四十八条, S16).

/** The message the deputy receives: the new status, the reason, and what it means. */
export function statusChangeMessage(
  congress: string,
  from: MandateStatus,
  to: MandateStatus,
  reason: string,
): string {
  const head = `【代表职务状态通知】您在${congress}的代表职务状态已由「${STATUS_LABEL[from]}」变更为「${STATUS_LABEL[to]}」。\n原因：${reason}\n`;
  switch (to) {
    case 'suspended':
      // 山西 第四十五条: suspension lasts until the circumstance ends.
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十五条，暂时停止执行代表职务期间，您不能行使代表的各项职权，也不能通过本服务请假、提出建议或预约接待；相关情形消失、恢复执行代表职务后即可继续履职。如有疑问，请联系人大常委会代表工作机构。`;
    case 'terminated':
      // 山西 第四十六条: the mandate ends.
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十六条，代表资格终止后，您的代表职务即告结束，不再行使代表职权，本服务中的代表功能随之停止。感谢您在任期内的履职。如有疑问，请联系人大常委会代表工作机构。`;
    case 'active':
      return `${head}依照《山西省实施〈中华人民共和国全国人民代表大会和地方各级人民代表大会代表法〉办法》第四十五条，您已恢复执行代表职务，可以继续行使代表职权并使用本服务的各项功能。`;
  }
}

// In a notice to others the statuses read in full.
const NOTICE_LABEL: Record<MandateStatus, string> = {
  active: '正常',
  suspended: '暂停执行代表职务',
  terminated: '代表资格终止',
};

/**
 * The notice to the electoral unit's contact (toUnit) or to the congress's staff, who also notify the
 * employer in writing.
 */
export function statusChangeNotice(
  m: { congress: string; name: string; electoral_unit: string | null },
  change: { from: MandateStatus; to: MandateStatus; reason: string },
  toUnit: boolean,
): string {
  const unit = m.electoral_unit ? `（选举单位：${m.electoral_unit}）` : '';
  const head = `【代表职务状态变更】${m.congress}代表${m.name}${unit}的代表职务状态由「${NOTICE_LABEL[change.from]}」变更为「${NOTICE_LABEL[change.to]}」。原因：${change.reason}`;
  const article = change.to === 'terminated' ? '山西 第四十六条' : '山西 第四十五条';
  const role = toUnit
    ? `依照${article}，特此通知原选举单位。`
    : `依照${article}，请书面通知代表所在的工作单位${m.electoral_unit ? '和原选举单位' : ''}。`;
  return `${head}\n${role}`;
}

// What staff read when a roster file cannot be read (CONTRACT §5).
const SAVE_AS = '请在 Excel 中将名册另存为「CSV UTF-8（逗号分隔）」或「Excel 工作簿（.xlsx）」后重新导入。';

export const ROSTER_FILE_TEXT = {
  notARosterFile: `无法读取此文件：它既不是 UTF-8 或 GBK/GB18030 编码的 CSV 文本，也不是 Excel 工作簿（.xlsx）。${SAVE_AS}`,
  oldExcel: `这是旧版 Excel 文件（.xls），不能直接导入。${SAVE_AS}`,
  badXlsx: `文件看起来是 Excel 工作簿（.xlsx），但无法打开：文件可能已损坏或设有密码。${SAVE_AS}`,
  badUtf8AfterBom: (line: number) =>
    `文件开头标明为 UTF-8 编码，但第 ${line} 行含有不是 UTF-8 的字节，文件可能由两种编码的内容拼接而成。${SAVE_AS}`,
  mixedEncodings: (line: number) =>
    `文件中混有两种编码：其他行是 UTF-8，第 ${line} 行却不是（可能是 GBK），文件可能由不同来源的内容拼接而成。${SAVE_AS}`,
};

/** The name of the encoding or format a roster file was read in, as the summary shows it. */
export const ENCODING_LABEL = {
  'utf-8': 'UTF-8',
  gb18030: 'GBK/GB18030',
  xlsx: 'Excel 工作簿（.xlsx）',
} as const;
