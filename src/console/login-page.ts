import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';

// The sign-in form: a personal token (or ADMIN_TOKEN). A refusal says only that the token was not accepted.

/** Which platform sign-ins are offered (each needs its app configured). */
export interface PlatformSignIns {
  wecom: boolean;
  dingtalk: boolean;
}

export function loginPage(
  error: string | null,
  platforms?: PlatformSignIns,
  notice: string | null = null,
): SafeHtml {
  const via =
    platforms && (platforms.wecom || platforms.dingtalk)
      ? html`<p class="box">${platforms.wecom ? html`<a class="button" href="/console/login/wecom">企业微信登录</a> ` : ''}${
          platforms.dingtalk ? html`<a class="button" href="/console/login/dingtalk">钉钉登录</a>` : ''
        }<br><span class="muted">在企业微信或钉钉中打开本页可直接登录；在电脑浏览器中请用手机扫码。</span></p>`
      : html``;
  return layout(
    null,
    { title: '登录', error, notice },
    html`${via}<form method="post" action="/console/login" class="box">
<label for="token">登录令牌</label>
<input type="password" id="token" name="token" autocomplete="current-password" required maxlength="512">
<p class="muted">请输入管理员发给您的个人令牌。登录后 8 小时内有效，用完请点“退出”。</p>
<button type="submit">登录</button>
</form>`,
  );
}
