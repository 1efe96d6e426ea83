// What a message that names no command reads as: a matter for the congress (a problem, a request, an
// opinion), a question to the bot, or neither. Deterministic and explainable: the reading names the cue
// word that decided it, so a wrong reading can be traced to one entry of these lists.

export type IntentKind =
  /** A problem, request or opinion: to be offered back as a suggestion, its words kept. */
  | 'matter'
  /** A question about the service or its dates ("人代会啥时候开", "你是谁"): answered, never filed. */
  | 'question'
  | 'other';

export interface Intent {
  kind: IntentKind;
  /** The words that decided it (empty for 'other'). */
  cue: string;
}

// Something is wrong, lacking or wished for. Each alternative is a cue a reader can point to.
const MATTER_CUES: readonly RegExp[] = [
  // Broken, blocked, dirty, dangerous.
  // "电话线老断", "水老是停": broken again and again.
  /坏了|坏掉|损坏|破损|不亮|不通|不热|停水|停电|停工|断了|(?:老|老是|总是|经常|动不动就?)(?:断|停|坏|漏|堵|跳闸)|塌|裂缝|漏水|漏了|渗水|积水|堵(?:车|塞|了|住|死)?|脏乱差?|臭|噪音|扰民|扬尘|危险|隐患|不安全|丢了|被占|占道|乱停|乱摆|乱收费/,
  // Wrong or missing: a sign, a notice, a record; a name left off a board or a list ("公开栏里没有我的名字").
  /(?:写|标|印|刻)错|错别字|有误|缺少|缺乏|(?:栏|榜|名单|名册|公示|公告|表格)(?:里|上|中)?(?:没有|没|漏了|漏掉了?|少了|找不到|查不到)|(?:没有|没|漏了|漏掉了?|少了|找不到|查不到)(?:我|我们|俺)的?(?:名字|姓名)/,
  // Nobody acts.
  /没人管|没有人管|不管|没人修|没人收|没人清|无人管|推诿|扯皮|拖拉|不作为|一直没|还没(?:修|弄|解决|落实)/,
  // Too much, too little, too hard.
  /太(?:少|多|贵|高|低|长|短|慢|远|差|难|乱|吵|窄|粗暴)了?|不够|困难|不方便|难(?:办|买|找|停|走|看病|上学)|负担(?:很|太)?重/,
  // Wishes and requests.
  /希望|建议|呼吁|恳请|请(?:有关部门|政府|相关部门)|应该|应当|能不能|能否|可不可以|是否可以|尽快|抓紧|赶紧|早日|加强|增加|增设|改善|整治|解决一下|修一下|管一管|管管|查一查|重视/,
  // Telling about it.
  /反映|投诉|群众|老百姓|居民|村民|意见很大|问题/,
];

// Questions to the bot or about dates: never content.
const QUESTION = /(?:什么时候|啥时候|哪天|几号|几点|在哪|是谁|你是|怎么用|怎么弄|怎么办理|能干什么|能做什么)/;
const ENDS_AS_QUESTION = /[吗呢么?？]\s*$/;

const HAN = /\p{Script=Han}/gu;

/** Reads a message no command took. */
export function readIntent(text: string): Intent {
  const han = (text.match(HAN) ?? []).length;
  if (han < 3) return { kind: 'other', cue: '' };
  const q = QUESTION.exec(text);
  let cue = '';
  for (const re of MATTER_CUES) {
    const m = re.exec(text);
    if (m) {
      cue = m[0];
      break;
    }
  }
  // A question about when or how, with no matter told in it, is a question.
  if (q && (cue === '' || (ENDS_AS_QUESTION.test(text) && han < 12))) return { kind: 'question', cue: q[0] };
  if (cue !== '') return { kind: 'matter', cue };
  // A long account with no cue is still somebody telling a matter: its words are kept.
  if (han >= 20) return { kind: 'matter', cue: `${han}字的叙述` };
  return { kind: 'other', cue: '' };
}
