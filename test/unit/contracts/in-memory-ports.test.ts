import { InMemoryAlertLog, InMemoryDigestLog, InMemoryScanStates } from '#test/support/in-memory-alerts.ts';
import { InMemoryAllocationLog, InMemoryCoverageStore } from '#test/support/in-memory-allocation.ts';
import {
  InMemoryColumnMappings,
  InMemoryFileRegistry,
  InMemoryWorkerRegistry,
} from '#test/support/in-memory-intake.ts';
import {
  describeAlertLogContract,
  describeDigestLogContract,
  describeScanStateStoreContract,
} from '../../support/contracts/alert-contracts.ts';
import {
  describeAllocationLogContract,
  describeCoverageStoreContract,
} from '../../support/contracts/allocation-contracts.ts';
import {
  describeColumnMappingsContract,
  describeFileRegistryContract,
  describeWorkerRegistryContract,
} from '../../support/contracts/intake-contracts.ts';

// The fakes every use-case test runs on, held to the same contracts as the DynamoDB adapters
// (test/integration/contracts/dynamodb-ports.test.ts).
describeFileRegistryContract('in-memory fake', async () => new InMemoryFileRegistry());
describeWorkerRegistryContract('in-memory fake', async () => new InMemoryWorkerRegistry());
describeColumnMappingsContract('in-memory fake', async () => new InMemoryColumnMappings());
describeAllocationLogContract('in-memory fake', async () => new InMemoryAllocationLog());
describeCoverageStoreContract('in-memory fake', async () => new InMemoryCoverageStore());
describeAlertLogContract('in-memory fake', async () => new InMemoryAlertLog());
describeScanStateStoreContract('in-memory fake', async () => new InMemoryScanStates());
describeDigestLogContract('in-memory fake', async () => new InMemoryDigestLog());
