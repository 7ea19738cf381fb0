import type * as z from 'zod/mini';
import { parseAnswer } from './answer.ts';

/**
 * Calls to the console API with the signed-in user's ID token. The token sits in sessionStorage (gone
 * when the tab closes); the API checks it and the caller's scope on every request. Every JSON answer is
 * parsed with its schema from shared/console/responses.ts (the one the route is typed with) before a
 * page reads it: an answer of another shape is an error the page shows, never a figure.
 */
const TOKEN = 'sertakan.token';

export type { Me } from '../../console/responses.ts';
export { ResponseShapeError } from './answer.ts';

export const token = (): string | null => sessionStorage.getItem(TOKEN);
export const setToken = (t: string | null): void => {
  if (t === null) sessionStorage.removeItem(TOKEN);
  else sessionStorage.setItem(TOKEN, t);
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let base = '';
export const setApiBase = (b: string): void => {
  base = b;
};

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token() ?? ''}` },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, body.code ?? 'ERROR', body.message ?? res.statusText);
  }
  return res;
}

/** The answer's body checked against its schema; a body that is not JSON fails the same way. */
const parsed = async <S extends z.ZodMiniType>(
  path: string,
  res: Response,
  schema: S,
): Promise<z.output<S>> => parseAnswer(path, await res.json().catch(() => undefined), schema);

export const getJson = async <S extends z.ZodMiniType>(path: string, schema: S): Promise<z.output<S>> =>
  parsed(path, await call(path), schema);

export const postJson = async <S extends z.ZodMiniType>(
  path: string,
  body: unknown,
  schema: S,
): Promise<z.output<S>> =>
  parsed(
    path,
    await call(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
    schema,
  );

/**
 * Figures already on the page as a CSV download (semicolon-separated with a BOM, as Excel in an
 * Indonesian locale opens it, like the API's own CSVs); rupiah as whole numbers.
 */
export function saveCsv(
  name: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): void {
  const cell = (v: string | number) =>
    /[;"\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const text = `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
  hand(new Blob([text], { type: 'text/csv;charset=utf-8' }), name);
}

function hand(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(path: string): Promise<string> {
  const res = await call(path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'unduhan.csv';
  hand(await res.blob(), name);
  return name;
}
