import type { z } from 'zod';

// A failed zod parse as the Chinese message staff read, naming the field (API bodies, congress settings).

const TYPE_NAME: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true/false）',
  array: '列表',
  object: '对象',
};

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必须填写' : `应为${TYPE_NAME[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '不能为空' : `至少 ${min} 个字符`;
      if (issue.origin === 'array') return `至少 ${min} 项`;
      return `不能小于 ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 个字符`;
      if (issue.origin === 'array') return `最多 ${max} 项`;
      return `不能大于 ${max}`;
    }
    case 'invalid_value':
      return `应为 ${issue.values.map((v) => JSON.stringify(v)).join(' / ')} 之一`;
    case 'unrecognized_keys':
      return `不认识的字段：${issue.keys.join('、')}`;
    case 'invalid_union':
      return '格式不正确';
    case 'invalid_format':
      return '格式不正确';
    default:
      return issue.message;
  }
}

/** The Chinese message for the first problem of a failed parse, e.g. 「settings.receptionDayOfMonth」不能大于 28. */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return path ? `字段「${path}」${describe(issue)}` : describe(issue);
}
