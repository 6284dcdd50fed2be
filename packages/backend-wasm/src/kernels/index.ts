// Importing this module registers every kernel of the wasm backend.
import './elementwise.js';
import './cast.js';
import './reduce.js';
import './movement.js';
import './index-ops.js';
import './matmul.js';
import './conv.js';
import './optimizer.js';
import './pool.js';
