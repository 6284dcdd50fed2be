import '../../backend-cpu/src/index.js';
import { setBackend } from '../src/index.js';

setBackend('cpu');
