import { meSchema } from '../../console/responses.ts';
import { ApiError, getJson, type Me, setApiBase, setToken, token } from './api.ts';
import { type CognitoConfig, cognitoSignIn, finishCognitoSignIn } from './cognito.ts';
import { field, h, labelScrollers, status } from './dom.ts';
import { lang, setLang, t } from './i18n.ts';
import { fileView } from './pages/file.ts';
import { financePage } from './pages/finance.ts';
import { opsPage } from './pages/ops.ts';
import { treasurerPage } from './pages/treasurer.ts';
import { go, match, onNavigate, type PageRoute } from './router.ts';
import { errorSentence } from './words.ts';

/**
 * The console shell: header with the language switch, one page at a time by path (`/bendahara`,
 * `/berkas/<id>`, `/ops`, `/keuangan`, `/` to sign in). Pages ask the API; the API decides. The only
 * module that imports the pages: they reach each other through router.ts.
 */

type Config = ({ mode: 'dev' } | ({ mode: 'cognito' } & CognitoConfig)) & { apiBase: string };

const HOME: Record<Me['role'], string> = { treasurer: '/bendahara', ops: '/ops', finance: '/keuangan' };
const ROUTES: readonly PageRoute[] = [
  { path: /^\/berkas\/([0-9a-f]{24})$/, page: (_me, [fileId = '']) => fileView(fileId) },
  { path: /^\/bendahara$/, role: 'treasurer', page: treasurerPage },
  { path: /^\/ops$/, role: 'ops', page: opsPage },
  { path: /^\/keuangan$/, role: 'finance', page: financePage },
];
let config: Config = { mode: 'dev', apiBase: '' };
let me: Me | undefined;

function header(): HTMLElement {
  const nav = h(
    'nav',
    { 'aria-label': lang() === 'id' ? 'Navigasi utama' : 'Main navigation' },
    h('span', { class: 'brand' }, t('app')),
    me === undefined
      ? null
      : h(
          'span',
          { class: 'who' },
          `${t(me.role)} · ${me.pools.join(', ')}${me.agency ? ` · ${me.agency}` : ''}`,
        ),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          setLang(lang() === 'id' ? 'en' : 'id');
          void render();
        },
      },
      t('switchLang'),
    ),
    // Whenever a token is held, even one the API refuses: no page is a dead end.
    token() === null ? null : signOutButton(),
  );
  return nav;
}

function signOutButton(): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'link',
      onclick: () => {
        setToken(null);
        me = undefined;
        go('/');
      },
    },
    t('signOut'),
  );
}

/** A refusal says what is wrong (the API's own message, in Bahasa and English) and offers sign-out. */
function refusal(message: string): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'h-refused' },
    h('h1', { id: 'h-refused' }, t('forbidden')),
    status(message, 'error'),
    signOutButton(),
  );
}

function signInPage(): HTMLElement {
  if (config.mode === 'cognito') {
    const c = config;
    return h(
      'section',
      { 'aria-labelledby': 'h-signin' },
      h('h1', { id: 'h-signin' }, t('signIn')),
      h('button', { type: 'button', onclick: () => void cognitoSignIn(c) }, t('cognitoSignIn')),
    );
  }
  const role = h(
    'select',
    { name: 'role' },
    ...(['treasurer', 'ops', 'finance'] as const).map((r) => h('option', { value: r }, t(r))),
  );
  const pools = h('input', { name: 'pools', value: '15.04', required: true, autocomplete: 'off' });
  const agency = h('input', { name: 'agency', value: 'DINKES', autocomplete: 'off' });
  const out = h('div', {});
  const form = h(
    'form',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const res = await fetch('/dev/sign-in', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            role: role.value,
            pools: pools.value
              .split(',')
              .map((p) => p.trim())
              .filter((p) => p !== ''),
            ...(role.value === 'treasurer' ? { agency: agency.value.trim() } : {}),
          }),
        });
        if (!res.ok) return out.replaceChildren(status(t('error'), 'error'));
        setToken(((await res.json()) as { token: string }).token);
        me = undefined;
        go('/masuk');
      },
    },
    field(t('role'), role),
    field(t('pools'), pools),
    field(t('agency'), agency),
    h('button', { type: 'submit' }, t('signIn')),
  );
  return h(
    'section',
    { 'aria-labelledby': 'h-signin' },
    h('h1', { id: 'h-signin' }, t('devSignIn')),
    h('p', {}, t('devNote')),
    form,
    out,
  );
}

async function page(path: string): Promise<HTMLElement> {
  if (token() === null) return signInPage();
  if (me === undefined) me = await getJson('/api/me', meSchema);
  const found = match(ROUTES, path, me);
  if (found !== undefined) return found.route.page(me, found.params);
  history.replaceState(null, '', HOME[me.role]);
  return page(HOME[me.role]);
}

async function render(): Promise<void> {
  document.documentElement.lang = lang();
  document.title = t('app');
  const main = document.getElementById('main') as HTMLElement;
  let content: HTMLElement;
  try {
    content = await page(location.pathname);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      // Expired, invalid or missing: the sign-in page says which, so nobody wonders why they are back.
      setToken(null);
      me = undefined;
      content = h('div', {}, status(errorSentence(err), 'error'), signInPage());
    } else if (err instanceof ApiError && err.status === 403) {
      me = undefined;
      content = refusal(errorSentence(err));
    } else content = status(errorSentence(err), 'error');
  }
  document.getElementById('top')?.replaceChildren(header());
  main.replaceChildren(content);
  document
    .getElementById('foot')
    ?.replaceChildren(h('p', {}, 'SERTAKAN · BPJS Ketenagakerjaan · Asia/Jakarta'));
}

onNavigate(render);
// Pages fill in their tables after loading: every scrolling wrapper is made focusable as it appears.
const mainEl = document.getElementById('main');
if (mainEl !== null)
  new MutationObserver(() => labelScrollers(mainEl)).observe(mainEl, { childList: true, subtree: true });
void (async () => {
  config = (await (await fetch('/config.json')).json()) as Config;
  setApiBase(config.apiBase);
  if (config.mode === 'cognito') await finishCognitoSignIn(config);
  await render();
})();
