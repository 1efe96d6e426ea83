// The app's menu, and the command word each click stands for. Publishing the menu and reading a
// click both use this one table, so a key cannot drift from the word it means.

export interface MenuItem {
  /** The EventKey WeCom sends back on a click. */
  key: string;
  /** What the deputy sees on the button. */
  label: string;
  /** The chat command the click starts. */
  word: string;
}

export const MENU_ITEMS = {
  leave: { key: 'CMD_LEAVE', label: '请假', word: '请假' },
  suggest: { key: 'CMD_SUGGEST', label: '提建议', word: '建议' },
  progress: { key: 'CMD_PROGRESS', label: '查进度', word: '查询' },
  reception: { key: 'CMD_RECEPTION', label: '接待日', word: '接待日' },
  duty: { key: 'CMD_DUTY_RECORD', label: '我的履职', word: '我的履职' },
} as const satisfies Record<string, MenuItem>;

const BY_KEY = new Map<string, MenuItem>(Object.values(MENU_ITEMS).map((i) => [i.key, i]));

/** The command word for a menu click, or undefined for a key this menu never published. */
export function commandForMenuKey(key: string): string | undefined {
  return BY_KEY.get(key)?.word;
}

export interface ClickButton {
  type: 'click';
  name: string;
  key: string;
}
export interface ParentButton {
  name: string;
  sub_button: ClickButton[];
}
export type MenuButton = ClickButton | ParentButton;

const click = (i: MenuItem): ClickButton => ({ type: 'click', name: i.label, key: i.key });

/**
 * The menu as menu/create takes it. WeCom allows at most three top-level buttons (names up to 16 bytes)
 * and five under each, so the five commands sit in three groups.
 */
export function appMenu(): MenuButton[] {
  return [
    click(MENU_ITEMS.leave),
    { name: '建议', sub_button: [click(MENU_ITEMS.suggest), click(MENU_ITEMS.progress)] },
    { name: '接待与履职', sub_button: [click(MENU_ITEMS.reception), click(MENU_ITEMS.duty)] },
  ];
}
