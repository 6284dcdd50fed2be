import './movement.js';
import './conv.js';
