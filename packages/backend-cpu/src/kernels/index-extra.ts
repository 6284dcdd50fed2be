import './movement.js';
import './conv.js';
import './optimizer.js';
import './pool.js';
