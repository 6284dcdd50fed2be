// Registers every webgpu kernel (side effects of the imports).
import './elementwise.js';
import './cast.js';
import './reduce.js';
import './movement.js';
import './indexing.js';
import './matmul.js';
import './conv.js';
