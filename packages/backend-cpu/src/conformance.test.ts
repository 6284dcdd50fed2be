import '../src/index.js'; // registers the cpu backend
import { runConformance } from '@mapnn/backend-tests';

runConformance({ backend: 'cpu' });
