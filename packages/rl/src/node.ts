/** @mapnn/rl/node — agents on the file system (Node only): `saveAgent`, `loadAgent`. */
export { saveAgent, loadAgent } from './node/agent-files.js';
