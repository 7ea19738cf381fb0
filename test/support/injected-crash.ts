/**
 * What the fakes' crash switches throw (`crashAfterRecords`, `crashAfterWrites`, `failAfterCalls`): a
 * test that retries after "the crash" catches exactly this, so any other error fails the test.
 */
export class InjectedCrashError extends Error {
  override readonly name = 'InjectedCrashError';
}
