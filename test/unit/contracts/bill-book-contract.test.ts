import { InMemoryBillBook } from '#test/support/in-memory-bpjs-loop.ts';
import { describeBillBookContract } from '../../support/contracts/bill-book-contract.ts';

describeBillBookContract('in-memory fake', async () => new InMemoryBillBook());
