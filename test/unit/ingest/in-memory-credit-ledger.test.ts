import { InMemoryCreditLedger } from '#test/support/in-memory-credit-ledger.ts';
import { describeCreditLedgerContract } from './credit-ledger-contract.ts';

describeCreditLedgerContract('in-memory fake', async () => new InMemoryCreditLedger());
