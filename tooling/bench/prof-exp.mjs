import '@mapnn/backend-cpu';
import { setBackend, tensor, runKernel, tidy, conv2d, unfold2d, batchMatmul, reshape } from '@mapnn/core';
setBackend('cpu');
const x = tensor(new Float32Array(32*32*28*28).map(()=>Math.random()), [32,32,28,28]);
const w = tensor(new Float32Array(64*32*9).map(()=>Math.random()), [64,32,3,3]);
const cols = unfold2d(x, { kernel: [3,3], stride: [1,1], pads: [1,1,1,1] });
function t(name, f){ const ts=[]; for(let r=0;r<7;r++){ const t0=performance.now(); tidy(f); ts.push(performance.now()-t0);} ts.sort((a,b)=>a-b); console.log(name, 'min', ts[0].toFixed(1), 'med', ts[3].toFixed(1)); }
t('unfold', ()=>{ unfold2d(x, { kernel: [3,3], stride: [1,1], pads: [1,1,1,1] }); });
t('bmm', ()=>{ batchMatmul(reshape(w,[1,64,288]), cols).dataSync(); });
t('conv', ()=>{ conv2d(x, w, undefined, {padding:'same'}).dataSync(); });
