import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';

// The sign-in form: a personal token (or ADMIN_TOKEN). A refusal says only that the token was not accepted.

export function loginPage(error: string | null): SafeHtml {
  return layout(
    null,
    { title: '登录', error },
    html`<form method="post" action="/console/login" class="box">
<label for="token">登录令牌</label>
<input type="password" id="token" name="token" autocomplete="current-password" required maxlength="512">
<p class="muted">请输入管理员发给您的个人令牌。登录后 8 小时内有效，用完请点“退出”。</p>
<button type="submit">登录</button>
</form>`,
  );
}
