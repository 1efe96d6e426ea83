// The rule catalog (regulations/README.md, S1–S19) as data. `schedule` is what the scheduler runs for the
// rule's jobs (jobs/job-list.ts, a node-cron expression in APP_TIMEZONE; the reminders themselves only go
// out on working days between 09:00 and 18:00); the duty record and `jobs list` read the citations.
// Event-driven rules have no schedule.

export type RuleId =
  | 'S1'
  | 'S2'
  | 'S3'
  | 'S4'
  | 'S5'
  | 'S6'
  | 'S7'
  | 'S8'
  | 'S8a'
  | 'S9'
  | 'S10'
  | 'S11'
  | 'S12'
  | 'S13'
  | 'S14'
  | 'S15'
  | 'S16'
  | 'S17'
  | 'S18'
  | 'S19';

export type RulePeriod = 'month' | 'quarter' | 'half-year' | 'year' | 'term' | 'none';

/** Who the rule binds: reminders and warnings go to them. */
export type RuleSubject =
  | 'deputy'
  | 'group'
  | 'station'
  | 'standing_committee'
  | 'office'
  | 'handling_organ'
  | 'deciding_body'
  | 'employer';

export type CongressLevelName = 'province' | 'city' | 'county' | 'township';

/** A level as one word says it: 省, 市, 县, 乡镇. */
export const LEVEL_WORD: Readonly<Record<CongressLevelName, string>> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
};

const ALL_LEVELS: readonly CongressLevelName[] = ['province', 'city', 'county', 'township'];
/** 县级以上: the levels that have a standing committee. */
const COUNTY_AND_ABOVE: readonly CongressLevelName[] = ['province', 'city', 'county'];

/**
 * Where a rule binds: the congress levels it governs and, for the Datong measures (which govern the city
 * congress of 大同 and its standing committee, 大同 第二条, 第三条), only that congress. A congress's
 * settings can turn a rule on or off where its own local rules differ (src/statute/rule-scope.ts).
 */
export interface RuleScope {
  levels: readonly CongressLevelName[];
  /** Only the city congress of 大同 (the Datong measures), not county, township or provincial congresses. */
  datongCityOnly: boolean;
}

const EVERY_LEVEL: RuleScope = { levels: ALL_LEVELS, datongCityOnly: false };
const DATONG: RuleScope = { levels: ['city'], datongCityOnly: true };

export interface Rule {
  id: RuleId;
  /** What the rule requires, in a few words (zh-CN). */
  title: string;
  /** The article(s), in Chinese, as cited in messages and the duty record. */
  article: string;
  binds: readonly RuleSubject[];
  /** The congresses the rule binds (see RuleScope). */
  scope: RuleScope;
  /** The period(s) a count runs over; 'none' for rules without one. */
  periods: readonly RulePeriod[];
  /** When it falls due (zh-CN). */
  due: string;
  status: 'built' | 'not_built';
  /** The cron expression its jobs run on (the only place it is written), or null when no job serves it on a clock. */
  schedule: string | null;
}

export const RULES: readonly Rule[] = [
  {
    id: 'S1',
    title: '代表大组每半年、代表小组每季度至少活动一次',
    article: '大同 第六条',
    binds: ['group'],
    scope: DATONG,
    periods: ['quarter', 'half-year'],
    due: '小组：每季度末；大组：每半年末（期末前提醒组长和工作人员）',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S2',
    title: '每月5日为主任或副主任接待代表日，遇节假日推至休息后的第一天',
    article: '大同 第七条(九)',
    binds: ['standing_committee'],
    scope: DATONG,
    periods: ['month'],
    due: '每月设定日（默认5日）或其后第一个工作日；议题提前若干个工作日送接待人',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S3',
    title: '每年开展一至两次建言献策活动',
    article: '大同 第七条(十)',
    binds: ['standing_committee'],
    scope: DATONG,
    periods: ['year'],
    due: '每年年底前',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S4',
    title: '因故不能参加活动时，应向组织单位履行请假手续',
    article: '大同 第十一条',
    binds: ['deputy'],
    scope: DATONG,
    periods: ['none'],
    due: '活动开始前',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S5',
    title: '会前请假由主任会议（乡镇：主席团）决定，会议期间由秘书处（乡镇：主席团）批准',
    article: '山西 第八条',
    binds: ['deputy', 'deciding_body'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '会议开始前或会议期间',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S6',
    title: '未经批准两次不出席本级人民代表大会会议的，代表资格终止',
    article: '山西 第四十六条(三)',
    binds: ['deputy'],
    scope: EVERY_LEVEL,
    periods: ['term'],
    due: '每次记录无批准请假的缺席时（第一次后即提醒代表和工作人员）',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S7',
    title: '提名候选人、议案、质询案、罢免案、调查委员会的联名人数',
    article: '山西 第九条、第十一条、第十四条至第十六条',
    binds: ['deputy'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '会议期间，依各项程序',
    status: 'not_built',
    schedule: null,
  },
  {
    id: 'S8',
    title: '代表建议、批评和意见自交办之日起三个月内答复，涉及面广、处理难度大的六个月内答复',
    // 《代表法》 as amended on 2025-03-11 (第四十二条 in the 2015 text); 第三款 now requires the handling
    // report be made public.
    article: '《代表法》第五十一条第二款',
    binds: ['handling_organ'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '自交办之日起三个月（延期至多六个月；不满意重办按设定月数）',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S8a',
    title: '视察、专题调研报告中意见建议的研究处理情况，三个月内向代表反馈',
    article: '山西 第二十七条',
    binds: ['handling_organ'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '自报告转交之日起三个月',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S9',
    title: '代表每年参加代表联络站（点）活动不少于一次',
    article: '山西 第二十一条',
    binds: ['deputy'],
    scope: EVERY_LEVEL,
    periods: ['year'],
    due: '每年年底前',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S10',
    title: '代表联络站每月至少安排代表接待群众一次，时间不少于半个工作日',
    article: '山西 第三十一条',
    binds: ['station'],
    scope: EVERY_LEVEL,
    periods: ['month'],
    due: '每月月底前（提醒站长，山西 第三十三条）',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S11',
    title: '统一制发《人大代表进站接待群众登记表》，完善接待档案',
    article: '山西 第三十四条',
    binds: ['station'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '每次接待',
    status: 'not_built',
    schedule: null,
  },
  {
    id: 'S12',
    title: '跟踪群众意见建议办理情况并反馈，除涉及国家秘密外予以公示',
    article: '山西 第三十五条',
    binds: ['station'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '办理过程中',
    status: 'not_built',
    schedule: null,
  },
  {
    id: 'S13',
    title: '建立网上代表联络平台，网上公示、网上收集办理与反馈代表建议',
    article: '山西 第三十七条',
    binds: ['standing_committee'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '持续',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S14',
    title: '常委会每年组织集体学习不少于一次；代表每届参加集体学习不少于一次',
    article: '山西 第四十一条',
    binds: ['standing_committee', 'deputy'],
    scope: { levels: COUNTY_AND_ABOVE, datongCityOnly: false },
    periods: ['year', 'term'],
    due: '常委会：每年年底前；代表：本届任期届满前',
    status: 'built',
    schedule: '0 8 * * *',
  },
  {
    id: 'S15',
    title: '为代表执行职务建立档案，记录代表执行职务情况',
    article: '山西 第四十三条',
    binds: ['standing_committee'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '每次履职事件',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S16',
    title: '暂时停止执行代表职务、恢复、资格终止、迁出调离与辞职',
    article: '山西 第四十五条至第四十八条',
    binds: ['office'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '情形发生时，依条文通知代表本人、原选举单位和所在单位',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S17',
    title: '代表持代表证就地视察，县级以上代表由常委会工作机构联系安排',
    article: '山西 第二十二条；大同 第十二条',
    binds: ['deputy', 'office'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '视察前安排；视察后可作出视察报告（转为 S8a 事项）',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S18',
    title: '常委会编印的《人大工作信息》《大同人大工作》寄发代表',
    article: '大同 第八条',
    binds: ['standing_committee'],
    scope: DATONG,
    periods: ['none'],
    due: '每期编印后',
    status: 'built',
    schedule: null,
  },
  {
    id: 'S19',
    title: '代表参加闭会期间活动，所在单位按正常出勤对待',
    article: '大同 第十四条；山西 第三十九条',
    binds: ['employer'],
    scope: EVERY_LEVEL,
    periods: ['none'],
    due: '活动后按需出具出勤证明',
    status: 'built',
    schedule: null,
  },
];

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

/** The rule with this id; undefined for an unknown id. */
export const ruleById = (id: string): Rule | undefined => BY_ID.get(id);
