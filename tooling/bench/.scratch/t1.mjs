import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
setWasmPaths(dir);
tf.env().set('PROD', true);
console.log(await tf.setBackend('wasm'), tf.getBackend(), getThreadsCount());
const n = 512;
const a = tf.randomUniform([n,n]), b = tf.randomUniform([n,n]);
for (let i=0;i<5;i++){ const t0=performance.now(); const c=tf.matMul(a,b); c.dataSync(); c.dispose(); const ms=performance.now()-t0; console.log(ms.toFixed(1), (2*n**3/ms/1e6).toFixed(1)); }
console.log(tf.env().getAsync ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : '', await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
