import type { OfficeMatter } from '../../services/congresses/index.ts';

// What deputies ask that only the office can do ("我的代表证丢了咋办", "我换手机号了", "我想辞去代表职务",
// "给我发一下上次会议的材料"): read here, never offered as a suggestion or answered with the command list.

const MATTERS: readonly [OfficeMatter, RegExp][] = [
  [
    '代表证',
    /代表证.{0,6}(?:丢|掉|找不到|没了|坏|补|换|过期|到期|办|领|发|弄)|(?:补办|补|换|领|办)(?:一下|个|张)?(?:新的?)?代表证/,
  ],
  [
    '联系方式',
    /(?:换|改|变|更换)(?:了)?(?:个|成)?(?:新的?)?(?:手机号?码?|电话号?码?|号码|联系方式|住址|地址|家庭住址|工作单位)|(?:手机|电话)号?码?(?:换|改|变)了|新(?:的)?(?:手机|电话)?号码?(?:是|为)|联系方式(?:变|换|改)了?|^(?:我|俺)?搬家了/,
  ],
  [
    '辞去代表职务',
    /辞(?:去|掉)?(?:人大)?(?:代表)?(?:的)?(?:职务|职)|不想(?:再)?(?:当|干|做)(?:这个)?(?:人大)?代表|不当代表了/,
  ],
  [
    '会议材料',
    /(?:发|给|寄|传)(?:我|俺)?(?:一下|一份|份|下)?.{0,8}?(?:会议|开会|上次|上回|这次|会上)?的?(?:材料|文件|资料|议程)(?!.{0,4}(?:吗|么))|(?:会议|开会|上次|上回|会上)的?(?:材料|文件|资料|议程).{0,6}(?:发|给|寄|传|要|没收到)/,
  ],
];

/** What only the office can do, asked in these words; null when they ask no such thing. */
export function officeMatterOf(text: string): OfficeMatter | null {
  const t = text.replace(/\s+/g, '');
  return MATTERS.find(([, re]) => re.test(t))?.[0] ?? null;
}

/** "我是哪个小组的", "我们组长是谁", "联络站在哪", "我在哪个联络站": where the deputy sits, asked. */
const SEAT_PLACES =
  /(?:我|俺)(?:是|在|属于|分在|编在)(?:哪个|哪一个|啥|什么)(?:代表)?(?:小组|大组|组|联络站|站)|(?:联络站|代表之家)(?:在哪|在什么地方|在哪里|在哪儿|是哪个|叫啥)|(?:(?:我们|俺们|咱们)(?:代表)?(?:小组|大组)?的?|(?:代表)?(?:小组|大组)的?)(?:组长|负责人|召集人)(?:是谁|是哪位|叫啥|叫什么)|(?:我们|俺们|咱们)?(?:联络)?站(?:的)?站长(?:是谁|是哪位|叫啥)/;

export const asksSeatPlaces = (text: string): boolean => SEAT_PLACES.test(text.replace(/\s+/g, ''));
