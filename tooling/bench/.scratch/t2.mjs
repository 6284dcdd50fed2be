import { init, defaultDevice, jit, numpy as np, lax } from '@jax-js/jax';
console.log(await init('wasm'), defaultDevice());
defaultDevice('wasm');
const n = 512;
const a = np.array(Float32Array.from({length:n*n},()=>Math.random())).reshape([n,n]);
const b = np.array(Float32Array.from({length:n*n},()=>Math.random())).reshape([n,n]);
const f = jit((x,y)=>np.matmul(x,y));
for (let i=0;i<6;i++){ const t0=performance.now(); const c=f(a.ref,b.ref); const d=c.dataSync(); const ms=performance.now()-t0; console.log(ms.toFixed(1), (2*n**3/ms/1e6).toFixed(1), c.refCount, d.length); }
console.log(a.refCount);
const g = (x,y)=>np.matmul(x,y);
for (let i=0;i<3;i++){ const t0=performance.now(); const c=g(a.ref,b.ref); const d=c.dataSync(); const ms=performance.now()-t0; console.log('eager', ms.toFixed(1), c.refCount); }
