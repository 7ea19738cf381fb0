import { InMemoryBillBook, InMemoryConfirmationStore } from '#test/support/in-memory-bpjs-loop.ts';
import {
  describeBillBookContract,
  describeConfirmationStoreContract,
} from '../../support/contracts/bill-book-contract.ts';

describeBillBookContract('in-memory fake', async () => new InMemoryBillBook());

describeConfirmationStoreContract('in-memory fake', async () => new InMemoryConfirmationStore());
