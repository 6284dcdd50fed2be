import '@mapnn/backend-cpu';
import { setBackend, tensor, runKernel, tidy } from '@mapnn/core';
setBackend('cpu');
const shapes = JSON.parse(process.argv[2] || '[[1,32,64,288,784]]');
for (const [ba, bb, m, k, n] of shapes) {
  const a = tensor(new Float32Array(ba*m*k).map(()=>Math.random()), [ba,m,k]);
  const b = tensor(new Float32Array(bb*k*n).map(()=>Math.random()), [bb,k,n]);
  const ts=[];
  for (let r=0;r<8;r++){ const t=performance.now(); tidy(()=>{runKernel('matmul',[a,b],{}).dataSync();}); ts.push(performance.now()-t); }
  ts.sort((x,y)=>x-y);
  const fl = 2*Math.max(ba,bb)*m*n*k;
  console.log(JSON.stringify([ba,bb,m,k,n]), 'min', ts[0].toFixed(1), 'med', ts[4].toFixed(1), (fl/ts[4]/1e6).toFixed(2), 'GFLOP/s');
}
