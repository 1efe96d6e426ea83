// What the bot or a service says to a person: plain text always, buttons where the platform has them.

export interface ReplyButton {
  label: string;
  /** The chat text the button sends back, e.g. "批准 QJ-2026-0001". */
  command: string;
}

/** What the bot says back. Plain text always; buttons where the platform has them. */
export interface Reply {
  text: string;
  buttons?: ReplyButton[];
  /** About the person alone (their items, their record): asked in a group, it goes to them privately. */
  personal?: boolean;
}
