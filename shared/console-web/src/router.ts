import type { Me } from './api.ts';
import { h } from './dom.ts';

/**
 * The console's one page at a time, chosen by path (docs/console.md#pages). Pages link to each other
 * through `go` and `link` here, never by importing each other or the shell: main.ts holds the table of
 * routes and is the only module that imports the pages.
 */

export type PageRoute = {
  readonly path: RegExp;
  /** Only this role opens the page; any signed-in role when absent (the API still decides). */
  readonly role?: Me['role'];
  /** The page for the path's captured groups. */
  readonly page: (me: Me, params: readonly string[]) => Promise<HTMLElement>;
};

let show: () => Promise<void> = async () => {};

/** What draws the page at `location.pathname`: set once by the shell, called on every navigation. */
export function onNavigate(render: () => Promise<void>): void {
  show = render;
  window.addEventListener('popstate', () => void show());
}

/** Goes to a path of the console without reloading it. */
export function go(path: string): void {
  history.pushState(null, '', path);
  void show();
}

/** A link to a path of the console: a real href (a new tab works), followed here without a reload. */
export const link = (path: string, text: string): HTMLAnchorElement =>
  h(
    'a',
    {
      href: path,
      onclick: (e: Event) => {
        e.preventDefault();
        go(path);
      },
    },
    text,
  );

/** The route for a path and role, with the path's captured groups. */
export function match(
  routes: readonly PageRoute[],
  path: string,
  me: Me,
): { route: PageRoute; params: string[] } | undefined {
  for (const route of routes) {
    const m = route.path.exec(path);
    if (m !== null && (route.role === undefined || route.role === me.role))
      return { route, params: m.slice(1).map((p) => p ?? '') };
  }
  return undefined;
}
