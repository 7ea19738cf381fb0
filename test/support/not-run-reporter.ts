/**
 * Never a silent skip: after the run, every test that did not run is listed by name with the note it
 * was skipped with (e.g. "no headless browser (... install ...)"), as the last thing on screen.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class NotRunReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const notRun: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped') continue;
        notRun.push(
          `  - ${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${result.note ?? 'skipped'}`,
        );
      }
    }
    if (notRun.length === 0) return;
    const bar = '!'.repeat(100);
    console.warn(
      `\n${bar}\n${notRun.length} test(s) DID NOT RUN on this machine:\n${notRun.join('\n')}\n${bar}\n`,
    );
  }
}
