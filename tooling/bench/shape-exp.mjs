import '@mapnn/backend-cpu';
import { setBackend, tensor, runKernel, tidy } from '@mapnn/core';
setBackend('cpu');
const shapes = JSON.parse(process.argv[2] || '[[1,32,64,288,784]]');
for (const [ba, bb, m, k, n] of shapes) {
  const a = tensor(new Float32Array(ba*m*k).map(()=>Math.random()), [ba,m,k]);
  const b = tensor(new Float32Array(bb*k*n).map(()=>Math.random()), [bb,k,n]);
  const ts=[], cs=[];
  for (let r=0;r<8;r++){ const c0=process.cpuUsage(); const t=performance.now(); tidy(()=>{runKernel('matmul',[a,b],{});}); ts.push(performance.now()-t); const c=process.cpuUsage(c0); cs.push((c.user+c.system)/1000); }
  ts.sort((x,y)=>x-y); cs.sort((x,y)=>x-y);
  const fl = 2*Math.max(ba,bb)*m*n*k;
  console.log(JSON.stringify([ba,bb,m,k,n]), 'wall min', ts[0].toFixed(1), 'cpu min', cs[0].toFixed(1), 'cpu med', cs[4].toFixed(1), (fl/cs[4]/1e6).toFixed(2), 'GFLOP/s(cpu)');
}
