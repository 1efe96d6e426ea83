import type { Form } from './csrf.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField } from './layout.ts';
import type { Viewer } from './session.ts';

// The step before a change that is hard to undo (全部重新发送, a leave decision): a plain form, no script,
// that says what will happen and does it only when 确认 is pressed; 返回 changes nothing. The values of
// the first step travel as hidden fields, so the second step sends the same form again with its mark.

/** The mark a confirmed form carries (the confirm button's value, or the box ticked). */
export const CONFIRMED = 'yes';

export interface ConfirmStep {
  action: string;
  viewer: Viewer;
  /** What will happen, in full, above the buttons. */
  body: SafeHtml;
  /** The first step's values, sent again unchanged. */
  carry?: Record<string, string>;
  /**
   * A box to tick before the browser sends the form (`confirm` then comes from the box); without one,
   * the confirm button itself sends `confirm`.
   */
  tick?: string;
  /** The confirm button's words. */
  confirmLabel: string;
  /**
   * The way back, changing nothing: a link, or a button sending the values back to the first form
   * (`step=back`) so nothing typed is lost.
   */
  back: { href: string; label: string } | { label: string };
}

/** Whether a form came from the confirm step with its mark. */
export const confirmed = (form: Form): boolean => form.get('confirm') === CONFIRMED;

/** Whether a form came back from the confirm step's 返回 button. */
export const wentBack = (form: Form): boolean => form.get('step') === 'back';

export function confirmForm(s: ConfirmStep): SafeHtml {
  const carried = Object.entries(s.carry ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  const confirm = s.tick
    ? html`<button type="submit">${s.confirmLabel}</button>`
    : html`<button type="submit" name="confirm" value="${CONFIRMED}">${s.confirmLabel}</button>`;
  const back =
    'href' in s.back
      ? html`<a href="${s.back.href}">${s.back.label}</a>`
      : html`<button type="submit" name="step" value="back" class="secondary" formnovalidate>${s.back.label}</button>`;
  return html`<form method="post" action="${s.action}" class="box confirm-step">${csrfField(s.viewer)}${carried}
${s.body}
${s.tick ? html`<label class="check"><input type="checkbox" name="confirm" value="${CONFIRMED}" required> ${s.tick}</label>` : ''}
<p class="confirm-actions">${confirm} ${back}</p>
</form>`;
}
