/** Every page an async iterable of pages yields, in order (the contracts compare pages and items). */
export const collectPages = async <T>(pages: AsyncIterable<readonly T[]>): Promise<(readonly T[])[]> => {
  const out: (readonly T[])[] = [];
  for await (const page of pages) out.push(page);
  return out;
};
