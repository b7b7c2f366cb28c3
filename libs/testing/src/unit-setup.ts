// Unit specs call `@Transactional()` use cases with their repositories faked: a host without a
// database just runs the work (integration tests get the PlatformModule's real host).
import { TransactionHost } from '../../platform/src/db/transaction-host';

TransactionHost.register(TransactionHost.withoutDatabase());
