// Every test file computes on the cpu backend.
import '@mapnn/backend-cpu';
import { setBackend } from '@mapnn/core';

setBackend('cpu');
