import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS, type CommandEntry, requestedCommand } from '#shared/cli/main.ts';

/**
 * `sertakan --help` lists COMMANDS' names and summaries without loading a single command module, so
 * each summary must say what the module itself registers: this keeps the two equal.
 */
describe('the command manifest (shared/cli/main.ts)', () => {
  it('names each top-level command its modules register, with the same description', async () => {
    for (const entry of COMMANDS) {
      // arrange
      const program = new Command('sertakan');
      // act
      for (const m of await entry.load()) m.register(program);
      // assess
      expect(
        program.commands.map((c) => [c.name(), c.description()]),
        entry.name,
      ).toEqual([[entry.name, entry.summary]]);
    }
    // Importing every command's modules takes seconds on a busy machine.
  }, 60_000);

  it('loads only the requested command (help X asks for X); --help and unknown names load none', async () => {
    // arrange
    const loaded: string[] = [];
    const entries: CommandEntry[] = ['alpha', 'beta'].map((name) => ({
      name,
      summary: `${name} summary`,
      load: async () => {
        loaded.push(name);
        return [{ register: (p: Command) => void p.command(name).description('real').option('--deep') }];
      },
    }));
    const argv = (...args: string[]) => ['node', 'sertakan', ...args];
    // act
    const help = await buildProgram(argv('--help'), entries);
    const afterHelp = [...loaded];
    const beta = await buildProgram(argv('beta', '--deep'), entries);
    const helpAlpha = await buildProgram(argv('help', 'alpha'), entries);
    await buildProgram(argv('gamma'), entries);
    // assess
    expect(afterHelp).toEqual([]);
    expect(help.commands.map((c) => [c.name(), c.description()])).toEqual([
      ['alpha', 'alpha summary'],
      ['beta', 'beta summary'],
    ]);
    expect(beta.commands.map((c) => c.description())).toEqual(['alpha summary', 'real']);
    expect(helpAlpha.commands.map((c) => c.description())).toEqual(['real', 'beta summary']);
    expect(loaded).toEqual(['beta', 'alpha']);
    expect(requestedCommand(argv('--data-dir', 'x'), entries)).toBeUndefined();
  });
});
