import { storesUnderTest } from '../support/stores.js';
import { artifactsRepositoryContract } from './artifacts.repository.contract.js';
import { chatGptImportsRepositoryContract } from './chatgpt-imports.repository.contract.js';
import { eventsRepositoryContract } from './events.repository.contract.js';
import { hypothesesRepositoryContract } from './hypotheses.repository.contract.js';
import { ideationsRepositoryContract } from './ideations.repository.contract.js';
import { paperAnalysesRepositoryContract } from './paper-analyses.repository.contract.js';
import { projectionRepositoriesContract } from './projections.repository.contract.js';
import { runsRepositoryContract } from './runs.repository.contract.js';
import { stagesRepositoryContract } from './stages.repository.contract.js';
import { validationsRepositoryContract } from './validations.repository.contract.js';

// One suite per port, run against every store available here.
const stores = storesUnderTest();
for (const store of stores) {
  hypothesesRepositoryContract(store);
  runsRepositoryContract(store);
  stagesRepositoryContract(store);
  projectionRepositoriesContract(store);
  eventsRepositoryContract(store);
  artifactsRepositoryContract(store);
  validationsRepositoryContract(store);
  paperAnalysesRepositoryContract(store);
  ideationsRepositoryContract(store);
  chatGptImportsRepositoryContract(store);
}

if (!stores.some((s) => s.name === 'mongo')) {
  // eslint-disable-next-line no-console
  console.warn('MongoDB repository contract suites SKIPPED: set MONGODB_URI to run them against a real MongoDB.');
  describe.skip('MongoDB repository contracts (set MONGODB_URI to run)', () => {
    it('runs every contract suite against MongoDB', () => undefined);
  });
}
