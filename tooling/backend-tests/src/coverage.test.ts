// The suite's self-checks run without a backend (tooling/backend-tests `pnpm test`).
import { coverageSuite } from './coverage.js';

coverageSuite();
